import { GitError, type Git } from './git';
import { isShallow, UNSHALLOW_HINT } from './history';

/** A revision to read: its label is for display only, its commit is what git is given. */
export interface RevisionRef {
  readonly label: string;
  readonly commit: string;
}

/** Why there is no base: a clause that completes "no base: …", and what to do when something can be done. */
export interface NoBase {
  readonly none: string;
  readonly hint?: string;
}

export type DefaultBase = RevisionRef | NoBase;

/** A branch that may be the default branch: its short name (for labels) and its full ref (for git). */
interface Candidate {
  readonly name: string;
  readonly ref: string;
}

/** No base because git has no commit to offer (also outside a repository, and with --no-base). */
export const NO_HISTORY: NoBase = { none: 'no git history to compare with' };

/**
 * The base a change is compared with when no --base is given.
 *
 * The default branch is, in this order, for each remote (origin first, then
 * the others by name) the branch its HEAD names (refs/remotes/<remote>/HEAD,
 * recorded by git clone), then <remote>/main and <remote>/master; then the
 * local main and master. The first of them that exists decides:
 *
 * - HEAD is not on it (a feature branch with commits, detached or not): the
 *   merge base of HEAD and it, labelled "merge-base(HEAD, <branch>)";
 * - HEAD is on it (its tip, or behind it): HEAD itself when `dir` has
 *   uncommitted edits, else HEAD's first parent, the state before the latest
 *   commit or merge;
 * - none, saying why, when HEAD has no commit, when it is the first commit of
 *   the default branch, when no default branch exists, or when a shallow
 *   clone does not reach back to the merge base or the parent.
 *
 * A failure of git other than "no merge base" is a GitError.
 */
export function defaultBase(git: Git, dir?: string): DefaultBase {
  const head = commitOf(git, 'HEAD');
  if (head === undefined) return NO_HISTORY;
  const candidates = defaultBranchCandidates(git);
  for (const candidate of candidates) {
    if (commitOf(git, candidate.ref) === undefined) continue;
    const mergeBase = mergeBaseOf(git, candidate.ref);
    if (mergeBase === undefined) {
      // Unrelated histories: try the next candidate; in a shallow clone the history is cut before they meet.
      if (isShallow(git)) return shallow(`the merge base of HEAD and ${candidate.name}`);
      continue;
    }
    if (mergeBase !== head) return { label: `merge-base(HEAD, ${candidate.name})`, commit: mergeBase };
    // HEAD is on the default branch: uncommitted edits compare with HEAD, a clean tree with the state before HEAD.
    if (dir !== undefined && git.isDirty(dir)) return { label: 'HEAD', commit: head };
    const parent = commitOf(git, 'HEAD^1');
    if (parent !== undefined) return { label: 'HEAD^1', commit: parent };
    if (isShallow(git)) return shallow('the commit before HEAD');
    return { none: `HEAD is the first commit of ${candidate.name}, with nothing before it` };
  }
  return { none: `no default branch to compare with (looked for ${candidates.map((c) => c.name).join(', ')})` };
}

function shallow(what: string): NoBase {
  return { none: `this is a shallow clone, and ${what} is not in it`, hint: UNSHALLOW_HINT };
}

function commitOf(git: Git, ref: string): string | undefined {
  try {
    return git.resolve(ref);
  } catch {
    return undefined;
  }
}

/** The merge base of HEAD and `ref`; undefined when they have none (git merge-base exits 1 and says nothing). */
function mergeBaseOf(git: Git, ref: string): string | undefined {
  try {
    return git.text(['merge-base', 'HEAD', ref]);
  } catch (e) {
    if (e instanceof GitError && e.status === 1) return undefined;
    throw e;
  }
}

function defaultBranchCandidates(git: Git): Candidate[] {
  const remoteHeads = new Map<string, string>();
  for (const line of git.text(['for-each-ref', '--format=%(refname)%00%(symref)', 'refs/remotes']).split('\n')) {
    const [ref = '', target = ''] = line.split('\0');
    const remote = /^refs\/remotes\/(.+)\/HEAD$/.exec(ref)?.[1];
    if (remote !== undefined && target.startsWith('refs/remotes/')) remoteHeads.set(remote, target);
  }
  const remotes = git.text(['remote']).split('\n').filter(Boolean).sort(
    (a, b) => Number(b === 'origin') - Number(a === 'origin') || (a < b ? -1 : a > b ? 1 : 0),
  );
  const out: Candidate[] = [];
  for (const remote of remotes) {
    const target = remoteHeads.get(remote);
    if (target !== undefined) out.push({ name: target.slice('refs/remotes/'.length), ref: target });
    for (const branch of ['main', 'master']) out.push({ name: `${remote}/${branch}`, ref: `refs/remotes/${remote}/${branch}` });
  }
  for (const branch of ['main', 'master']) out.push({ name: branch, ref: `refs/heads/${branch}` });
  return out.filter((c, i) => out.findIndex((o) => o.ref === c.ref) === i);
}
