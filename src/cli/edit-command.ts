// What the commands that edit access files in place (request, break-glass)
// share: finding the group and person named on the command line, refusing
// with nothing written, and preparing a branch to commit the edit on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EditBase, EditDeps } from '../edit/session';
import { sourceOf } from '../edit/session';
import { Git, GitError } from '../git/git';
import { displayPath } from '../load/source';
import { knownPeople } from '../model/access';
import { foldLogin } from '../model/logins';
import type { Group } from '../model/types';
import { ruleAwareValidator } from '../policy-schema';
import { formatDiagnosticsText } from '../reporters/diagnostics/text';
import { suggest } from '../util/suggest';
import { DIR_OPTION, HELP_OPTION, UsageError } from './args';
import type { Io } from './io';
import { EXIT_FINDINGS } from './io';

/** What loadForEdit takes from a command: the validator that knows every rule, and the text reporter. */
export function editDeps(): EditDeps {
  return { validator: ruleAwareValidator(), formatDiagnostics: formatDiagnosticsText };
}

/** The options request and break-glass both take. */
export const EDIT_OPTIONS = {
  ...DIR_OPTION,
  ...HELP_OPTION,
  group: { type: 'string', short: 'g' },
  user: { type: 'string', short: 'u' },
  reason: { type: 'string' },
  branch: { type: 'boolean' },
  'issue-form': { type: 'string' },
  format: { type: 'string', short: 'f' },
} as const;

export function hint(word: string, candidates: readonly string[]): string {
  const [best] = suggest(word, candidates);
  return best ? ` (did you mean "${best}"?)` : '';
}

export function findGroup(base: EditBase, name: string): Group {
  const g = base.model.groups.find((x) => x.name === name);
  if (!g) throw new UsageError(`--group: no group "${name}"${hint(name, base.model.groups.map((x) => x.name))}`);
  return g;
}

/** The login as people.yaml or an existing membership spells it; unknown people are refused. */
export function knownLogin(base: EditBase, login: string): string {
  const known = knownPeople(base.model);
  const found = known.get(foldLogin(login));
  if (found !== undefined) return found;
  throw new UsageError(`--user: nobody with the login "${login}" is known${hint(login, [...known.values()])}; a new person is added to people.yaml first`);
}

/** Reports a refused edit on stderr; nothing was written. */
export function refuse(io: Io, command: string, message: string): number {
  io.stderr(`${command} refused: ${message} (nothing was written)\n`);
  return EXIT_FINDINGS;
}

/** Checks, before anything is written, that `branch` can be made and the group file committed on it. */
export function prepareBranch(io: Io, base: EditBase, group: Group, branch: string): { git: Git; branch: string } {
  const git = Git.forDir(io.cwd, base.root);
  if (!git.isRepository()) throw new UsageError('--branch: not inside a git repository');
  try {
    git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
    throw new UsageError(`--branch: the branch ${branch} exists already`);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
  }
  const file = displayPath(io.cwd, path.join(base.root, ...sourceOf(base, group.source.file).rel.split('/')));
  if (git.text(['status', '--porcelain', '--', file]) !== '') {
    throw new UsageError(`--branch: ${file} has uncommitted changes; commit or stash them first`);
  }
  return { git, branch };
}

export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'request';
}

/** The body of an issue written with an issue form, from a file. */
export function readIssueForm(file: string, io: Io): string {
  try {
    return fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`--issue-form: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Commits the written file on the prepared branch; false (with the reason on stderr) when git fails. */
export function commitOnBranch(io: Io, git: { git: Git; branch: string }, file: string, message: string, say: boolean): boolean {
  try {
    git.git.run(['switch', '-c', git.branch]);
    git.git.run(['add', '--', file]);
    git.git.run(['commit', '--quiet', '-m', message, '--', file]);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    io.stderr(`wrote ${file}, but git failed: ${e.message}\n`);
    return false;
  }
  if (say) io.stdout(`\ncommitted on branch ${git.branch}: push it and open a pull request\n`);
  return true;
}
