// Walks the history of access/ once, oldest commit first, and turns it into
// access events: who gained or lost which access, when, through which commit
// and pull request, and when temporary access lapsed.
//
// It is incremental: a commit that only touches group files re-resolves only
// those groups against the last full model, and files are parsed once per
// content (the parse cache). Only a commit that changes accounts, permission
// sets, people, policy or settings reloads the whole tree.

import { cmp, hasErrors, type Diagnostic } from '../diagnostics';
import type { HistoryCommit } from '../git/history';
import { isActive } from '../model/access';
import { loadAccessModel, type LoadResult, type ParseCache } from '../model/load';
import type { AccessModel, Group } from '../model/types';
import { classify } from '../load/classify';
import type { SourceFile } from '../load/source';
import type { SchemaValidator } from '../schema/validate';

export interface AuditEvent {
  /** Null for access that lapsed by its expires date: no commit made that happen. */
  readonly commit: string | null;
  /** ISO 8601 in UTC: the commit's committer date, or the day after the expires date. */
  readonly date: string;
  readonly author: string | null;
  readonly committer: string | null;
  readonly pr: number | null;
  /** The commit changed access/ without a pull request reference (a direct push). */
  readonly direct: boolean;
  readonly action: 'added' | 'removed';
  readonly reason: 'commit' | 'expired';
  readonly user: string;
  readonly account: string;
  readonly accountId: string;
  readonly permissionSet: string;
  readonly via: readonly string[];
  /** For added temporary access: its last day. */
  readonly expires?: string;
}

export interface UnreadableCommit {
  readonly commit: string;
  readonly date: string;
  readonly author: string;
  readonly subject: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CommitRef {
  readonly commit: string;
  readonly date: string;
  readonly author: string;
  readonly subject: string;
  readonly pr: number | null;
}

/** One membership as the review sheet shows it. */
export interface MembershipRecord {
  readonly group: string;
  readonly user: string;
  readonly expires?: string;
  readonly reason?: string;
  /** The commit since which the person has been a member without interruption. */
  readonly since: CommitRef;
  /** The last commit that changed the membership (its expiry or reason), or `since`. */
  readonly lastChange: CommitRef;
}

export interface AuditResult {
  readonly events: readonly AuditEvent[];
  readonly unreadable: readonly UnreadableCommit[];
  /** Commits that changed access/ without a pull request reference. */
  readonly directPushes: readonly CommitRef[];
  readonly commits: number;
  /** The model as the last readable commit left it. */
  readonly model?: AccessModel;
  /** Current memberships with their history, by group then user. */
  readonly memberships: readonly MembershipRecord[];
  /** How many commits needed a full reload (the rest were incremental). */
  readonly fullLoads: number;
}

export interface WalkOptions {
  readonly dirLabel: string;
  readonly validator: SchemaValidator;
  /** The end of the walk: lapses up to this day (YYYY-MM-DD) are reported. */
  readonly today: string;
  readonly onProgress?: (done: number, total: number) => void;
}

interface Row {
  readonly user: string;
  readonly userKey: string;
  readonly account: string;
  readonly accountId: string;
  readonly permissionSet: string;
  readonly expires?: string;
}

interface KeyState {
  info: Row;
  /** group -> the membership's expires (undefined: standing). */
  readonly via: Map<string, string | undefined>;
  active: boolean;
  /** The last day of access; undefined when some membership is standing. */
  expires: string | undefined;
}

export function walkHistory(commits: readonly HistoryCommit[], blobs: ReadonlyMap<string, Uint8Array>, options: WalkOptions): AuditResult {
  const files = new Map<string, SourceFile>();
  const cache: ParseCache = new Map();
  const events: AuditEvent[] = [];
  const unreadable: UnreadableCommit[] = [];
  const directPushes: CommitRef[] = [];

  let context: LoadResult | undefined;
  const groupsByRel = new Map<string, Group>();
  const rowsByGroup = new Map<string, Map<string, Row>>();
  const keys = new Map<string, KeyState>();
  const memberships = new Map<string, Map<string, MembershipRecord>>();
  const lapses = new MinHeap();
  let dirty = new Set<string>();
  let dirtyAll = false;
  let fullLoads = 0;
  let lastGood: Map<string, SourceFile> | undefined;

  const emitLapsesBefore = (day: string): void => {
    for (;;) {
      const top = lapses.peek();
      if (!top || top.day >= day) return;
      lapses.pop();
      const k = keys.get(top.key);
      if (!k || !k.active || k.expires !== top.day) continue;
      k.active = false;
      events.push(event(null, `${nextDay(top.day)}T00:00:00Z`, 'removed', 'expired', k.info, [...k.via.keys()].sort(cmp)));
    }
  };

  for (let i = 0; i < commits.length; i++) {
    const c = commits[i];
    options.onProgress?.(i, commits.length);
    const date = utcIso(c.committerDate);
    const day = date.slice(0, 10);
    const ref: CommitRef = { commit: c.commit, date, author: c.author, subject: c.subject, pr: c.pr };
    if (c.pr === null) directPushes.push(ref);
    emitLapsesBefore(day);

    let globalChange = false;
    for (const ch of c.changes) {
      if (ch.blob === null) files.delete(ch.rel);
      else files.set(ch.rel, { file: `${options.dirLabel}/${ch.rel}`, rel: ch.rel, bytes: blobs.get(ch.blob) ?? new Uint8Array(), id: ch.blob });
      if (classify(ch.rel) === 'group') dirty.add(ch.rel);
      else globalChange = true;
    }

    // The groups as this commit leaves them, by name, or the diagnostics that make the commit unreadable.
    let next: Map<string, Group> | undefined;
    const problems: Diagnostic[] = [];
    if (globalChange || dirtyAll || !context) {
      fullLoads++;
      const loaded = loadAccessModel([...files.values()].sort((a, b) => cmp(a.rel, b.rel)), { validator: options.validator, cache, dirLabel: options.dirLabel, freeze: false });
      if (loaded.model && !hasErrors(loaded.diagnostics)) {
        context = loaded;
        groupsByRel.clear();
        for (const g of loaded.model.groups) groupsByRel.set(relOf(g, options.dirLabel), g);
        next = new Map(loaded.model.groups.map((g) => [g.name, g]));
      } else problems.push(...loaded.diagnostics.filter((d) => d.severity === 'error'));
    } else {
      const proposed = new Map(groupsByRel);
      for (const rel of dirty) {
        const source = files.get(rel);
        if (!source) {
          proposed.delete(rel);
          continue;
        }
        const r = context.loadGroup!(source);
        if (r.group && !hasErrors(r.diagnostics)) proposed.set(rel, r.group);
        else problems.push(...r.diagnostics.filter((d) => d.severity === 'error'));
      }
      const byName = new Map<string, Group>();
      for (const [rel, g] of [...proposed].sort((a, b) => cmp(a[0], b[0]))) {
        const same = byName.get(g.name);
        if (same) problems.push({ code: 'ACC030', severity: 'error', file: `${options.dirLabel}/${rel}`, line: 1, column: 1, message: `group "${g.name}" is already declared in ${same.source.file}` });
        else byName.set(g.name, g);
      }
      if (problems.length === 0) {
        groupsByRel.clear();
        for (const [rel, g] of proposed) groupsByRel.set(rel, g);
        next = byName;
      }
    }

    if (!next || !context?.model) {
      unreadable.push({ commit: c.commit, date, author: c.author, subject: c.subject, diagnostics: problems.slice(0, 20) });
      dirtyAll = dirtyAll || globalChange || !context;
      continue;
    }
    dirty = new Set();
    dirtyAll = false;
    lastGood = new Map(files);

    // Access rows: only groups whose rows changed are diffed.
    const model = context.model;
    const accountNames = new Map(model.accounts.map((a) => [a.id, a.name]));
    const touched = new Map<string, string[]>(); // key -> via before the change
    const names = new Set([...rowsByGroup.keys(), ...next.keys()]);
    for (const name of names) {
      const newRows = rowsOf(next.get(name), accountNames);
      const oldRows = rowsByGroup.get(name) ?? new Map<string, Row>();
      if (sameRows(oldRows, newRows)) continue;
      for (const [k, row] of oldRows) {
        const n = newRows.get(k);
        if (n && n.expires === row.expires && n.account === row.account) continue;
        const s = keys.get(k)!;
        if (!touched.has(k)) touched.set(k, [...s.via.keys()].sort(cmp));
        if (!n) s.via.delete(name);
      }
      for (const [k, row] of newRows) {
        const o = oldRows.get(k);
        if (o && o.expires === row.expires && o.account === row.account) continue;
        let s = keys.get(k);
        if (!s) {
          s = { info: row, via: new Map(), active: false, expires: undefined };
          keys.set(k, s);
        }
        if (!touched.has(k)) touched.set(k, [...s.via.keys()].sort(cmp));
        s.via.set(name, row.expires);
        s.info = row;
      }
      if (newRows.size > 0) rowsByGroup.set(name, newRows);
      else rowsByGroup.delete(name);
    }
    for (const [k, before] of [...touched].sort((a, b) => cmp(a[0], b[0]))) {
      const s = keys.get(k)!;
      const standing = [...s.via.values()].some((e) => e === undefined);
      s.expires = s.via.size === 0 || standing ? undefined : ([...s.via.values()] as string[]).sort(cmp).pop();
      const now = s.via.size > 0 && (s.expires === undefined || s.expires >= day);
      if (now && !s.active) events.push(event(c, date, 'added', 'commit', s.info, [...s.via.keys()].sort(cmp), s.expires));
      if (!now && s.active) events.push(event(c, date, 'removed', 'commit', s.info, before));
      s.active = now;
      if (now && s.expires !== undefined) lapses.push(s.expires, k);
      if (s.via.size === 0) keys.delete(k);
    }
    trackMemberships(memberships, next, ref, day);
  }
  options.onProgress?.(commits.length, commits.length);
  emitLapsesBefore(nextDay(options.today));
  // The model as the last readable commit left it (incremental steps do not rebuild the whole model).
  const final = lastGood ? loadAccessModel([...lastGood.values()].sort((a, b) => cmp(a.rel, b.rel)), { validator: options.validator, cache, dirLabel: options.dirLabel }).model : undefined;

  return {
    events: events.sort((a, b) => cmp(a.date, b.date) || cmp(a.user, b.user) || cmp(a.accountId, b.accountId) || cmp(a.permissionSet, b.permissionSet)),
    unreadable,
    directPushes,
    commits: commits.length,
    ...(final ? { model: final } : {}),
    memberships: [...memberships.values()].flatMap((m) => [...m.values()]).sort((a, b) => cmp(a.group, b.group) || cmp(a.user, b.user)),
    fullLoads,
  };

  function event(c: HistoryCommit | null, date: string, action: 'added' | 'removed', reason: 'commit' | 'expired', row: Row, via: string[], expires?: string): AuditEvent {
    return {
      commit: c?.commit ?? null,
      date,
      author: c?.author ?? null,
      committer: c?.committer ?? null,
      pr: c?.pr ?? null,
      direct: c !== null && c.pr === null,
      action,
      reason,
      user: row.user,
      account: row.account,
      accountId: row.accountId,
      permissionSet: row.permissionSet,
      via,
      ...(action === 'added' && expires !== undefined ? { expires } : {}),
    };
  }
}

/** A group's access rows: every member (temporary or not) times every account its grants reach. */
function rowsOf(g: Group | undefined, accountNames: ReadonlyMap<string, string>): Map<string, Row> {
  const rows = new Map<string, Row>();
  if (!g) return rows;
  for (const gr of g.grants) {
    for (const accountId of gr.accountIds) {
      for (const m of g.members) {
        rows.set(`${m.key}|${accountId}|${gr.permissionSet}`, {
          user: m.login,
          userKey: m.key,
          account: accountNames.get(accountId) ?? accountId,
          accountId,
          permissionSet: gr.permissionSet,
          ...(m.expires !== undefined ? { expires: m.expires } : {}),
        });
      }
    }
  }
  return rows;
}

function sameRows(a: ReadonlyMap<string, Row>, b: ReadonlyMap<string, Row>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, r] of a) {
    const o = b.get(k);
    if (!o || o.expires !== r.expires || o.account !== r.account || o.user !== r.user) return false;
  }
  return true;
}

function trackMemberships(state: Map<string, Map<string, MembershipRecord>>, groups: ReadonlyMap<string, Group>, ref: CommitRef, day: string): void {
  // A group that disappears while another appears with most of its members was renamed: its members keep their history.
  const gone = new Map([...state].filter(([name]) => !groups.has(name)));
  for (const name of gone.keys()) state.delete(name);
  for (const [name, g] of groups) {
    if (!state.has(name) && gone.size > 0) {
      const keys = new Set(g.members.map((m) => m.key));
      let best: [string, number] | undefined;
      for (const [old, records] of gone) {
        const shared = [...records.keys()].filter((k) => keys.has(k)).length;
        if (shared * 2 >= Math.max(records.size, 1) && shared > (best?.[1] ?? 0)) best = [old, shared];
      }
      if (best) {
        state.set(name, gone.get(best[0])!);
        gone.delete(best[0]);
      }
    }
    const before = state.get(name) ?? new Map<string, MembershipRecord>();
    const after = new Map<string, MembershipRecord>();
    for (const m of g.members) {
      if (!isActive(m, day)) continue;
      const old = before.get(m.key);
      const changed = old !== undefined && (old.expires !== m.expires || old.reason !== m.reason || old.user !== m.login);
      after.set(m.key, {
        group: name,
        user: m.login,
        ...(m.expires !== undefined ? { expires: m.expires } : {}),
        ...(m.reason !== undefined ? { reason: m.reason } : {}),
        since: old?.since ?? ref,
        lastChange: old === undefined ? ref : changed ? ref : old.lastChange,
      });
    }
    state.set(name, after);
  }
}

function relOf(g: Group, dirLabel: string): string {
  return g.source.file.slice(dirLabel.length + 1);
}

/** A git date (with its offset) as ISO 8601 UTC, to the second. */
export function utcIso(gitDate: string): string {
  return new Date(gitDate).toISOString().replace(/\.000Z$/, 'Z');
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Lapse dates to visit in order; stale entries are skipped when popped. */
class MinHeap {
  private readonly items: Array<{ day: string; key: string }> = [];

  push(day: string, key: string): void {
    const a = this.items;
    a.push({ day, key });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].day <= a[i].day) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  peek(): { day: string; key: string } | undefined {
    return this.items[0];
  }

  pop(): void {
    const a = this.items;
    const last = a.pop();
    if (a.length === 0 || !last) return;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l].day < a[m].day) m = l;
      if (r < a.length && a[r].day < a[m].day) m = r;
      if (m === i) return;
      [a[m], a[i]] = [a[i], a[m]];
      i = m;
    }
  }
}
