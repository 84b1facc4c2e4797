import type { FileKind } from '../schema';

/** The kind of an access file from its path relative to the access directory, or undefined. */
export function classify(rel: string): FileKind | undefined {
  const stem = rel.replace(/\.ya?ml$/, '');
  switch (stem) {
    case 'settings':
      return 'settings';
    case 'accounts':
      return 'accounts';
    case 'people':
      return 'people';
    case 'policy':
      return 'policy';
    case 'imports':
      return 'imports';
  }
  const top = rel.split('/')[0];
  if (rel.includes('/')) {
    if (top === 'accounts') return 'accounts';
    if (top === 'imports') return 'imports';
    if (top === 'groups') return 'group';
    if (top === 'permission-sets') return 'permission-set';
  }
  return undefined;
}

/** The places a file may live, for the hint of an unrecognised file. */
export const KNOWN_PLACES = [
  'settings.yaml',
  'accounts.yaml',
  'accounts/<any>.yaml',
  'people.yaml',
  'policy.yaml',
  'imports.yaml',
  'imports/<any>.yaml',
  'permission-sets/<name>.yaml',
  'groups/<name>.yaml',
];

/** Candidate names for "did you mean" on an unrecognised path. */
export const KNOWN_NAMES = ['settings', 'accounts', 'people', 'policy', 'imports', 'permission-sets', 'groups'];
