import type { Account, AccountSelector } from './types';

const GLOBSTAR = Symbol('**');
/** One segment of a glob: "**", or the literal pieces between its "*"s (one piece when it has none). */
type Segment = readonly string[] | typeof GLOBSTAR;

/**
 * Compiles an OU glob. Segments are separated by "/"; "*" matches any
 * characters within one segment, and a segment that is exactly "**" matches
 * any number of whole segments, including none. So "Workloads/*" matches
 * "Workloads/Prod" but neither "Workloads" nor "Workloads/Prod/Eu";
 * "Workloads/**" matches all three; "**" matches every OU.
 *
 * The matcher never backtracks: it walks the pattern once, keeping the set of
 * OU segment positions reachable so far, so a match costs O(pattern segments
 * × OU segments) segment tests, and each segment test scans the name a bounded
 * number of times per "*" (see matchSegment). Consecutive "**" are collapsed.
 */
export function compileOuGlob(glob: string): (ou: string) => boolean {
  const pattern: Segment[] = [];
  for (const seg of glob.split('/')) {
    if (seg !== '**') pattern.push(seg.split('*'));
    else if (pattern[pattern.length - 1] !== GLOBSTAR) pattern.push(GLOBSTAR);
  }
  const fixed = pattern.filter((p) => p !== GLOBSTAR).length;
  return (ou) => {
    const segs = ou.split('/');
    if (fixed > segs.length) return false;
    // reach[j]: the first j OU segments are matched by the pattern read so far.
    let reach: boolean[] = new Array<boolean>(segs.length + 1).fill(false);
    reach[0] = true;
    for (const p of pattern) {
      const next: boolean[] = new Array<boolean>(segs.length + 1).fill(false);
      let any = false;
      for (let j = 0; j <= segs.length; j++) {
        if (p === GLOBSTAR) {
          any ||= reach[j];
          next[j] = any;
        } else if (j > 0 && reach[j - 1] && matchSegment(p, segs[j - 1])) {
          next[j] = any = true;
        }
      }
      if (!any) return false;
      reach = next;
    }
    return reach[segs.length];
  };
}

/**
 * Whether one OU name matches one glob segment, given as the literal pieces
 * between its "*"s. Without backtracking: the first piece must start the name,
 * the last must end it, and each piece between is taken at its leftmost place
 * after the one before (leftmost is always safe when "*" is the only wildcard).
 */
function matchSegment(pieces: readonly string[], name: string): boolean {
  if (pieces.length === 1) return name === pieces[0];
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first.length + last.length > name.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let pos = first.length;
  const end = name.length - last.length;
  for (let k = 1; k < pieces.length - 1; k++) {
    const piece = pieces[k];
    if (piece === '') continue;
    const at = name.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
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
