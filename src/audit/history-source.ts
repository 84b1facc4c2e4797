import { Git } from '../git/git';
import { isShallow, readHistory, type HistoryCommit } from '../git/history';

export class ShallowCloneError extends Error {}

/** The first-parent history of `dir` with every blob it wrote: one git log and one cat-file --batch. */
export function readAccessHistory(git: Git, dir: string): { commits: HistoryCommit[]; blobs: Map<string, Uint8Array> } {
  if (isShallow(git)) {
    throw new ShallowCloneError('this is a shallow clone, so the history is cut short and an audit would miss changes: run git fetch --unshallow (in ' +
        'GitHub Actions: actions/checkout with fetch-depth: 0)');
  }
  const commits = readHistory(git, dir);
  const shas = [...new Set(commits.flatMap((c) => c.changes.map((x) => x.blob).filter((b): b is string => b !== null)))];
  const contents = shas.length > 0 ? git.catBlobs(shas) : [];
  return { commits, blobs: new Map(shas.map((s, i) => [s, contents[i]])) };
}

/** A progress line on a terminal, redrawn in place; nothing when not a TTY or under CI. */
export function progressBar(enabled: boolean, write: (t: string) => void, label: string): ((done: number, total: number) => void) | undefined {
  if (!enabled) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const fill = Math.round((pct / 100) * width);
    write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} commits${done === total ? '\n' : ''}`);
  };
}
