// The break-glass grants that were applied: every member marked breakGlass
// that a commit on the first-parent line of the applied commit (the apply
// record's okta commit) added relative to its first parent, from a lower
// bound in time. Which pushes had a workflow run does not matter: a commit
// whose message says [skip ci], a run that failed or was cancelled, all
// leave the grant in this history, and what is in Okta came from it.
//
// Time on the line is the committer date, read so that it cannot hide a
// commit: a commit cannot have been made before its first parent, so each
// commit counts as made at the newest committer date of it and its
// first-parent ancestors ("effective"). A commit dated back (a direct push
// with GIT_COMMITTER_DATE in the past) is still inside the window when its
// parent is; a commit dated ahead only keeps the window open longer. Each
// change is judged at that time, not now: the grant was live then, and an
// entry that had already lapsed (still in the file until expire --write
// removes it) is not granted again by a later commit.
import { cmp } from '../diagnostics';
import { diffRevisions, loadCommit, RevisionError, type Revision, type RevisionDiff } from '../diff/revisions';
import type { Git } from '../git/git';
import { GitError } from '../git/git';
import { isShallow, readHistory, UNSHALLOW_HINT } from '../git/history';
import type { ParseCache } from '../model/load';
import { foldLogin } from '../model/logins';
import type { AccessModel } from '../model/types';
import type { SchemaValidator } from '../schema/validate';
import { instantOf, stillActive } from '../util/dates';
import { changeFacts, type BreakGlassGrant, type ChangeFacts } from './facts';

/** One break-glass grant and the commit that made it. */
export interface AppliedGrant {
  readonly grant: BreakGlassGrant;
  /** The full commit id. */
  readonly commit: string;
  readonly subject: string;
  /** When the commit was made at the latest it can have been (effective date, UTC instant): the change is judged at this time. */
  readonly at: string;
  /** The effective date of its first parent: an issue about the grant cannot be older. Absent for a root commit. */
  readonly parentAt?: string;
  /** The change the grant is part of (from nothing when no earlier revision loads). */
  readonly change: RevisionDiff;
  /** Its facts; absent when no earlier revision loads, and every break-glass member of the commit counts. */
  readonly facts?: ChangeFacts;
  /** The model at the commit (people, for GitHub handles). */
  readonly head: AccessModel;
}

export interface GrantWalk {
  readonly grants: readonly AppliedGrant[];
  /** The oldest commit inside the window (effective date at or after `since`), or none when the whole line is older. */
  readonly from?: { readonly commit: string; readonly at: string };
  /** Commits inside the window that changed the access directory. */
  readonly commits: number;
  /** Commits inside the window whose files do not load: nothing of them was applied; their changes count with the next that loads. */
  readonly unreadable: readonly { readonly commit: string; readonly subject: string }[];
}

/** The first-parent line of `tip`, oldest first, each commit with its effective date. */
export function firstParentLine(git: Git, tip: string): { commit: string; at: string }[] {
  let out: string;
  try {
    out = git.text(['log', '--first-parent', '--format=%H %cI', tip, '--']);
  } catch (e) {
    throw e instanceof GitError ? new RevisionError(`cannot read the history of ${tip.slice(0, 12)}: ${e.message}`) : e;
  }
  const line = out.split('\n').filter(Boolean).reverse();
  let newest = '';
  return line.map((l) => {
    const [commit, date] = l.split(' ');
    const at = instantOf(new Date(date));
    if (cmp(at, newest) > 0) newest = at;
    return { commit, at: newest };
  });
}

/**
 * Every member marked breakGlass that a commit on the first-parent line of
 * `tip`, made (effective date) at or after `since`, added relative to its
 * first parent, oldest first. A commit whose files do not load was not
 * applied: the next one that loads is compared with the last one that did.
 * `validator` loads each commit (the command passes one that knows every rule).
 */
export function appliedBreakGlassGrants(git: Git, dir: string, tip: string, since: string, validator: SchemaValidator): GrantWalk {
  if (isShallow(git)) throw new RevisionError(`this is a shallow clone, so the history is cut short and grants would be missed: ${UNSHALLOW_HINT}`);
  const line = firstParentLine(git, tip);
  const start = line.findIndex((c) => cmp(c.at, since) >= 0);
  if (start < 0) return { grants: [], commits: 0, unreadable: [] };
  const at = new Map(line.map((c) => [c.commit, c.at]));
  const inWindow = new Set(line.slice(start).map((c) => c.commit));
  let history;
  try {
    history = readHistory(git, dir, tip);
  } catch (e) {
    throw e instanceof GitError ? new RevisionError(`cannot read the history of ${git.shown(dir)}: ${e.message}`) : e;
  }
  const first = history.findIndex((c) => inWindow.has(c.commit));
  if (first < 0) return { grants: [], from: line[start], commits: 0, unreadable: [] };

  const cache: ParseCache = new Map();
  const load = (commit: string): Revision => loadCommit(git, { label: commit.slice(0, 12), commit }, dir, validator, cache);
  // The base of the first commit in the window: the latest earlier commit that changed the directory and loads.
  // (Between two commits of `history` the directory does not change on the first-parent line.)
  let base: (Revision & { model: AccessModel }) | undefined;
  for (let i = first - 1; i >= 0 && base === undefined; i--) {
    const r = load(history[i].commit);
    if (r.model) base = r as Revision & { model: AccessModel };
  }

  const grants: AppliedGrant[] = [];
  const unreadable: { commit: string; subject: string }[] = [];
  const window = history.slice(first);
  for (const c of window) {
    const head = load(c.commit);
    if (!head.model) {
      unreadable.push({ commit: c.commit, subject: c.subject });
      continue;
    }
    const when = at.get(c.commit)!;
    const parent = c.parents[0];
    const parentAt = parent === undefined ? undefined : at.get(parent);
    // An entry past its end when the commit was made grants nothing: one that lapsed and is still in the
    // file (until expire --write removes it) is not granted again by every later commit.
    const live = (g: BreakGlassGrant): boolean => g.expires === '' || stillActive(g.expires, when);
    const common = { commit: c.commit, subject: c.subject, at: when, head: head.model, ...(parentAt !== undefined ? { parentAt } : {}) };
    if (base === undefined) {
      const change = diffRevisions({ label: '(nothing)', diagnostics: [], sources: [] }, head as Revision & { model: AccessModel }, when);
      for (const g of head.model.groups) {
        for (const m of g.members) {
          if (m.breakGlass === true && live({
            group: g.name,
            login: m.login,
            expires: m.expires ?? '',
          })) grants.push(
            { ...common, change, grant: { group: g.name, login: m.login, expires: m.expires ?? '', ...(m.reason !== undefined ? { reason: m.reason } : {}) } },
          );
        }
      }
    } else {
      const change = diffRevisions(base, head as Revision & { model: AccessModel }, when);
      const facts = changeFacts(change as RevisionDiff & { base: { model: AccessModel }; head: { model: AccessModel } }, when);
      for (const grant of facts.breakGlass.filter(live)) grants.push({ ...common, grant, change, facts });
    }
    base = head as Revision & { model: AccessModel };
  }
  return { grants, from: line[start], commits: window.length, unreadable };
}

/** The machine marker, the first line of a retrospective's body: which grant the issue is about. */
export function retrospectiveMarker(group: string, login: string, commit: string): string {
  return `<!-- accessctl-retrospective: ${group} ${login} ${commit} -->`;
}

/** Group names and logins hold no line break and no "-->"; a login holds no space; the commit is the last field. */
const MARKER = /^<!-- accessctl-retrospective: (\S(?:[^\n]*?\S)?) (\S+) ([0-9a-f]{40}(?:[0-9a-f]{24})?) -->(?:\r?\n|$)/;

/** The account that opens retrospectives: the workflow's GITHUB_TOKEN. */
export const RETROSPECTIVE_AUTHOR = 'github-actions[bot]';

/** The key of a grant: group, folded login, commit. */
export function grantKey(group: string, login: string, commit: string): string {
  return `${group}\n${foldLogin(login)}\n${commit}`;
}

/** An issue as far as deciding what is already open needs it. */
export interface KnownIssue {
  readonly number: number;
  readonly user: { readonly login: string; readonly type: string } | null;
  readonly title: string;
  readonly body: string;
  readonly createdAt: string;
  readonly isPullRequest: boolean;
}

export interface OpenedRetrospectives {
  /** Grant key -> the issues whose body starts with its marker, with when they were created. */
  readonly byMarker: ReadonlyMap<string, readonly { number: number; createdAt: string }[]>;
  /** Title -> issues without a marker (opened before markers, by the push-triggered workflow). */
  readonly byTitle: ReadonlyMap<string, readonly { number: number; createdAt: string }[]>;
}

/**
 * The retrospectives already opened, from the issues with the retrospective
 * label: only issues (not pull requests) opened by the workflow's bot count,
 * so an issue anyone else opens with a copied marker suppresses nothing. The
 * marker must start the body, where the workflow writes it and no text from
 * elsewhere lands.
 */
export function openedRetrospectives(issues: readonly KnownIssue[]): OpenedRetrospectives {
  const byMarker = new Map<string, { number: number; createdAt: string }[]>();
  const byTitle = new Map<string, { number: number; createdAt: string }[]>();
  for (const i of issues) {
    if (i.isPullRequest || i.user === null || i.user.login !== RETROSPECTIVE_AUTHOR || i.user.type !== 'Bot') continue;
    const entry = { number: i.number, createdAt: instantOf(new Date(i.createdAt)) };
    const m = MARKER.exec(i.body);
    const [map, key] = m ? [byMarker, grantKey(m[1], m[2], m[3])] : [byTitle, i.title];
    map.set(key, [...(map.get(key) ?? []), entry]);
  }
  return { byMarker, byTitle };
}

/**
 * The issue that already covers a grant, if any: one with its marker, or
 * (opened before markers) with its title and no marker; in both cases
 * created after the grant's commit's first parent. An issue older than that
 * is about something else, whatever its body now says (bodies can be
 * edited; the creation time cannot).
 */
export function alreadyOpened(opened: OpenedRetrospectives, g: AppliedGrant, title: string): number | undefined {
  const fresh = (e: { createdAt: string }): boolean => g.parentAt === undefined || cmp(e.createdAt, g.parentAt) >= 0;
  return (opened.byMarker.get(grantKey(g.grant.group, g.grant.login, g.commit)) ?? []).find(fresh)?.number ?? (opened.byTitle.get(title) ?? []).find(fresh)?.number;
}
