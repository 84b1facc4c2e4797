import { cmp } from '../diagnostics';
import type { SourceFile } from '../load/source';
import type { AccessModel } from '../model/types';

export interface Rename {
  readonly kind: 'group' | 'permission-set';
  readonly from: string;
  readonly to: string;
  /** The file that declares it now. */
  readonly file: string;
}

/**
 * Groups and permission sets whose name changed between two models. A name
 * that disappeared is paired with a new name declared in the same file, or in
 * the file it was renamed to (`fileRenames`: old path -> new path, see
 * pairRenamedFiles).
 * Names are never paired by guesswork beyond that: an unpaired name is a real
 * removal and an unpaired new name a real addition.
 */
export function detectRenames(base: AccessModel, head: AccessModel, fileRenames: ReadonlyMap<string, string> = new Map()): Rename[] {
  const pair = (
    kind: Rename['kind'],
    before: ReadonlyArray<{ name: string; source: { file: string } }>,
    after: ReadonlyArray<{ name: string; source: { file: string } }>,
  ): Rename[] => {
    const afterNames = new Set(after.map((x) => x.name));
    const beforeNames = new Set(before.map((x) => x.name));
    const added = new Map(after.filter((x) => !beforeNames.has(x.name)).map((x) => [x.source.file, x.name]));
    const out: Rename[] = [];
    for (const old of before) {
      if (afterNames.has(old.name)) continue;
      const file = fileRenames.get(old.source.file) ?? old.source.file;
      const now = added.get(file);
      if (now === undefined) continue;
      added.delete(file);
      out.push({ kind, from: old.name, to: now, file });
    }
    return out;
  };
  return [...pair('group', base.groups, head.groups), ...pair('permission-set', base.permissionSets, head.permissionSets)].sort(
    (a, b) => cmp(a.kind, b.kind) || cmp(a.from, b.from),
  );
}

/** Files at least this alike (share of lines in common) count as renamed, as git's default rename detection. */
export const RENAME_SIMILARITY = 0.5;

/**
 * Files that disappeared paired with files that appeared, by content: the
 * share of lines the two have in common. A pair is made only when each file is
 * the other's single best match; ties pair nothing. Works on sources from any
 * revision or the working tree, tracked by git or not.
 */
export function pairRenamedFiles(before: readonly SourceFile[], after: readonly SourceFile[]): Map<string, string> {
  const afterPaths = new Set(after.map((s) => s.file));
  const beforePaths = new Set(before.map((s) => s.file));
  const gone = before.filter((s) => !afterPaths.has(s.file));
  const added = after.filter((s) => !beforePaths.has(s.file));
  const candidates: Array<{ from: string; to: string; score: number }> = [];
  for (const g of gone) {
    const a = lines(g.bytes);
    for (const n of added) {
      const score = similarity(a, lines(n.bytes));
      if (score >= RENAME_SIMILARITY) candidates.push({ from: g.file, to: n.file, score });
    }
  }
  // Pair only unambiguous matches: the best candidate for both files, with no tie on either side.
  // A wrong pairing would carry one group's Okta and Identity Store identity over to another.
  const best = (key: 'from' | 'to', value: string): Array<{ from: string; to: string; score: number }> => {
    const mine = candidates.filter((c) => c[key] === value).sort((x, y) => y.score - x.score);
    return mine.filter((c) => c.score === mine[0]?.score);
  };
  const out = new Map<string, string>();
  for (const g of [...gone].sort((x, y) => cmp(x.file, y.file))) {
    const top = best('from', g.file);
    if (top.length !== 1) continue;
    const back = best('to', top[0].to);
    if (back.length === 1 && back[0].from === g.file) out.set(g.file, top[0].to);
  }
  return out;
}

function lines(bytes: Uint8Array): string[] {
  return Buffer.from(bytes).toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean);
}

function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const l of a) counts.set(l, (counts.get(l) ?? 0) + 1);
  let common = 0;
  for (const l of b) {
    const c = counts.get(l) ?? 0;
    if (c > 0) {
      common++;
      counts.set(l, c - 1);
    }
  }
  return common / Math.max(a.length, b.length);
}
