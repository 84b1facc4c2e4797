import type { Account, AccountSelector } from './types';

const GLOBSTAR = Symbol('**');
type Segment = RegExp | typeof GLOBSTAR;

/**
 * Compiles an OU glob. Segments are separated by "/"; "*" matches any
 * characters within one segment, and a segment that is exactly "**" matches
 * any number of whole segments, including none. So "Workloads/*" matches
 * "Workloads/Prod" but neither "Workloads" nor "Workloads/Prod/Eu";
 * "Workloads/**" matches all three; "**" matches every OU.
 */
export function compileOuGlob(glob: string): (ou: string) => boolean {
  const pattern: Segment[] = glob.split('/').map((seg) =>
    seg === '**' ? GLOBSTAR : new RegExp(`^${seg.split('*').map(escapeRegExp).join('.*')}$`, 's'),
  );
  return (ou) => matchFrom(pattern, 0, ou.split('/'), 0);
}

function matchFrom(pattern: readonly Segment[], i: number, segs: readonly string[], j: number): boolean {
  if (i === pattern.length) return j === segs.length;
  const p = pattern[i];
  if (p === GLOBSTAR) {
    // OU trees are at most five levels deep, so trying every split is cheap.
    for (let k = j; k <= segs.length; k++) if (matchFrom(pattern, i + 1, segs, k)) return true;
    return false;
  }
  return j < segs.length && p.test(segs[j]) && matchFrom(pattern, i + 1, segs, j + 1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The ids of the accounts a match selector selects: the OU glob and every tag must match. */
export function matchAccounts(selector: Extract<AccountSelector, { kind: 'match' }>, accounts: readonly Account[]): string[] {
  const ouMatches = selector.ou === undefined ? () => true : compileOuGlob(selector.ou);
  const tags = Object.entries(selector.tags ?? {});
  return accounts
    .filter((a) => ouMatches(a.ou) && tags.every(([k, v]) => Object.prototype.hasOwnProperty.call(a.tags, k) && a.tags[k] === v))
    .map((a) => a.id);
}

/** A selector as one line, keys and names sorted: [a, b] or {ou: X, tags: {k: v}}. */
export function describeSelector(s: AccountSelector): string {
  const sorted = (xs: readonly string[]): string[] => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (s.kind === 'list') return `[${sorted(s.refs).join(', ')}]`;
  const parts: string[] = [];
  if (s.ou !== undefined) parts.push(`ou: ${s.ou}`);
  if (s.tags !== undefined) parts.push(`tags: {${sorted(Object.keys(s.tags)).map((k) => `${k}: ${s.tags![k]}`).join(', ')}}`);
  return `{${parts.join(', ')}}`;
}
