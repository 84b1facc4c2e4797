import type { Git } from './git';

/** A file a commit added, changed or deleted under the access directory. */
export interface FileChange {
  /** Relative to the access directory, "/" separated. */
  readonly rel: string;
  /** The new blob, or null when the commit deletes the file. */
  readonly blob: string | null;
}

export interface HistoryCommit {
  readonly commit: string;
  readonly parents: readonly string[];
  readonly author: string;
  readonly authorEmail: string;
  /** ISO 8601 as git prints it (with the committer's offset). */
  readonly authorDate: string;
  readonly committer: string;
  readonly committerEmail: string;
  readonly committerDate: string;
  readonly subject: string;
  /** The pull request number from "Merge pull request #N" or a squash subject ending in "(#N)". */
  readonly pr: number | null;
  readonly changes: readonly FileChange[];
}

/** The PR number a merge or squash subject names, or null. */
export function prNumber(subject: string): number | null {
  const merge = /^Merge pull request #([0-9]+)\b/.exec(subject);
  if (merge) return Number(merge[1]);
  const squash = /\(#([0-9]+)\)\s*$/.exec(subject);
  return squash ? Number(squash[1]) : null;
}

/**
 * Every commit on the first-parent line of HEAD that changed `dir`, oldest
 * first, with the blobs it wrote: one `git log --raw`, whatever the length of
 * the history. Merge commits are compared with their first parent, so a
 * merged pull request is one commit that carries all of its changes.
 */
export function readHistory(git: Git, dir: string, rev = 'HEAD'): HistoryCommit[] {
  const root = git.repoPath(dir);
  const format = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%s'].join('%x1f');
  const out = git
    .run([
      'log',
      '--reverse',
      '--first-parent',
      '--diff-merges=first-parent',
      '--no-renames',
      '--raw',
      '--no-abbrev',
      '-z',
      `--format=%x1e${format}`,
      rev,
      '--',
      git.topPathspec(dir),
    ])
    .toString('utf8');
  const commits: HistoryCommit[] = [];
  for (const record of out.split('\x1e').slice(1)) {
    const headerEnd = record.indexOf('\0');
    const header = (headerEnd < 0 ? record : record.slice(0, headerEnd)).split('\x1f');
    const [commit, parents, author, authorEmail, authorDate, committer, committerEmail, committerDate, subject] = header;
    const fields = headerEnd < 0 ? [] : record.slice(headerEnd + 1).split('\0');
    const changes: FileChange[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const meta = fields[i].trim();
      if (!meta.startsWith(':')) continue;
      const [, , , newBlob, status] = meta.slice(1).split(' ');
      const repoPath = fields[i + 1];
      const prefix = root === '' ? '' : `${root}/`;
      if (!repoPath.startsWith(prefix)) continue;
      changes.push({ rel: repoPath.slice(prefix.length), blob: status.startsWith('D') ? null : newBlob });
    }
    commits.push({
      commit,
      parents: parents ? parents.split(' ') : [],
      author,
      authorEmail,
      authorDate,
      committer,
      committerEmail,
      committerDate,
      subject,
      pr: prNumber(subject),
      changes,
    });
  }
  return commits;
}

/** How to get the whole history of a shallow clone. */
export const UNSHALLOW_HINT = 'run git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)';

/** True in a shallow clone, where history (and so the audit) is cut short. */
export function isShallow(git: Git): boolean {
  try {
    return git.text(['rev-parse', '--is-shallow-repository']) === 'true';
  } catch {
    return false;
  }
}
