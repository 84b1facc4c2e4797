// Walks the history of access/ once, oldest commit first, and turns it into
// access events: who gained or lost which access, when, through which commit
// and pull request, and when temporary access lapsed.
//
// It is incremental: a commit that only touches group files re-resolves only
// those groups against the last full model, and files are parsed once per
// content (the parse cache). Only a commit that changes accounts, permission
// sets, people, policy or settings reloads the whole tree.

import { cmp, hasErrors, type Diagnostic } from '../diagnostics';
import { canonicalInstant, dayOf, expiryEnd, isTimedExpiry, stillActive } from '../util/dates';
import type { HistoryCommit } from '../git/history';
import type { AccessRow } from '../model/access';
import { loadAccessModel, type LoadResult, type ParseCache } from '../model/load';
import type { AccessModel, Group } from '../model/types';
import { classify } from '../load/classify';
import type { SourceFile } from '../load/source';
import type { SchemaValidator } from '../schema/validate';

/** An access row that changed: AccessRow's `expires` is, for added temporary access, its last day. */
export interface AuditEvent extends AccessRow {
  /** Null for access that lapsed by its expires date: no commit made that happen. */
  readonly commit: string | null;
  /** ISO 8601 in UTC: the commit's committer date, or the day after the expires date. */
  readonly date: string;
  readonly author: string | null;
  /** The author's and committer's email as git recorded them: who, for an auditor, beyond a display name. */
  readonly authorEmail: string | null;
  readonly committer: string | null;
  readonly committerEmail: string | null;
  readonly pr: number | null;
  /** The commit changed access/ without a pull request reference (a direct push). */
  readonly direct: boolean;
  readonly action: 'added' | 'removed';
  readonly reason: 'commit' | 'expired';
  /** Present on access that comes through a break-glass membership: its grant, and its lapse or removal. */
  readonly breakGlass?: true;
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
  /** Granted through accessctl break-glass. */
  readonly breakGlass?: true;
  /** The commit since which the person has been a member without interruption. */
  readonly since: CommitRef;
  /** The last commit that changed the membership (its expiry, reason or break-glass flag), or `since`. */
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
  /** The memberships the files hold, with their history, by group then user: lapsed ones still in the files too. */
  readonly memberships: readonly MembershipRecord[];
  /** How many commits needed a full reload (the rest were incremental). */
  readonly fullLoads: number;
}

export interface WalkOptions {
  readonly dirLabel: string;
  readonly validator: SchemaValidator;
  /** The end of the walk, a day (YYYY-MM-DD) or an instant: lapses through the end of its day are reported, end times (break-glass) up to it. */
  readonly today: string;
  readonly onProgress?: (done: number, total: number) => void;
}

interface Row {
  readonly user: string;
  readonly account: string;
  readonly accountId: string;
  readonly permissionSet: string;
  readonly expires?: string;
}

interface KeyState {
  info: Row;
  /** group -> the membership behind the row. */
  readonly via: Map<string, MemberShape>;
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
  /** Each group's members and targets as last seen: access rows are their product. */
  const shapes = new Map<string, Shape>();
  const keys = new Map<string, KeyState>();
  const memberships = new Map<string, Map<string, MembershipRecord>>();
  const lapses = new MinHeap();
  let dirty = new Set<string>();
  let dirtyAll = false;
  let fullLoads = 0;
  /** The index of the last readable commit. */
  let lastGood = -1;
  /** The groups as the last readable commit left them, by name. */
  const current = new Map<string, Group>();
  let accountNames = new Map<string, string>();
  /** Permission set name by file, to tell an edit from a rename. */
  const psNameByRel = new Map<string, string>();
  /** Names the side files of the current commit declare (applied once the commit is readable). */
  let sideNames = new Map<string, string>();

  /**
   * Loads the changed permission set and policy files with settings and accounts only: their own
   * errors, or 'names-changed' when a permission set name appeared or disappeared (then groups must be re-resolved).
   */
  const checkSideFiles = (rels: readonly string[]): Diagnostic[] | 'names-changed' => {
    sideNames = new Map();
    const base = [...files.values()].filter((f) => {
      const k = classify(f.rel);
      return k === 'settings' || k === 'accounts';
    });
    const loaded = loadAccessModel([...base, ...rels.map((r) => files.get(r)!)].sort((a, b) => cmp(a.rel, b.rel)), { validator: options.validator, cache, dirLabel: options.dirLabel, freeze: false });
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return errors;
    for (const p of loaded.model!.permissionSets) {
      const rel = p.source.file.slice(options.dirLabel.length + 1);
      if (psNameByRel.get(rel) !== p.name) return 'names-changed';
      sideNames.set(rel, p.name);
    }
    return [];
  };
  let lastModel: AccessModel | undefined;

  /** Reports access that lapsed at or before `until` (an instant); lapses not `due` are dropped (only for the last call). */
  const emitLapsesBefore = (until: string, due: (expires: string, end: string) => boolean = () => true): void => {
    for (;;) {
      const top = lapses.peek();
      if (!top || top.end > until) return;
      lapses.pop();
      const k = keys.get(top.key);
      if (!k || !k.active || k.expires !== top.expires || !due(top.expires, top.end)) continue;
      k.active = false;
      events.push(event(null, top.end, 'removed', 'expired', k.info, [...k.via.keys()].sort(cmp), throughBreakGlass(k.via.values(), top.end, true)));
    }
  };

  for (let i = 0; i < commits.length; i++) {
    const c = commits[i];
    options.onProgress?.(i, commits.length);
    const date = utcIso(c.committerDate);
    const ref: CommitRef = { commit: c.commit, date, author: c.author, subject: c.subject, pr: c.pr };
    if (c.pr === null) directPushes.push(ref);
    emitLapsesBefore(date);

    let globalChange = false;
    const sideFiles: string[] = [];
    for (const ch of c.changes) {
      if (ch.blob === null) files.delete(ch.rel);
      else files.set(ch.rel, { file: `${options.dirLabel}/${ch.rel}`, rel: ch.rel, bytes: blobs.get(ch.blob) ?? new Uint8Array(), id: ch.blob });
      const kind = classify(ch.rel);
      if (kind === 'group') dirty.add(ch.rel);
      else if ((kind === 'permission-set' || kind === 'policy') && ch.blob !== null) sideFiles.push(ch.rel);
      else globalChange = true;
    }

    // The names of the groups this commit changed (current then holds them as it leaves them), or
    // undefined with the diagnostics that make the commit unreadable.
    let changed: Set<string> | undefined;
    const problems: Diagnostic[] = [];
    // Permission set or policy edits that keep every permission set name change no group's access:
    // check those files against settings and accounts alone, and stay incremental.
    if (!globalChange && !dirtyAll && context && sideFiles.length > 0) {
      const side = checkSideFiles(sideFiles);
      if (side === 'names-changed') globalChange = true;
      else problems.push(...side);
    }
    if (globalChange || dirtyAll || !context) {
      problems.length = 0;
      fullLoads++;
      const loaded = loadAccessModel([...files.values()].sort((a, b) => cmp(a.rel, b.rel)), { validator: options.validator, cache, dirLabel: options.dirLabel, freeze: false });
      if (loaded.model && !hasErrors(loaded.diagnostics)) {
        context = loaded;
        groupsByRel.clear();
        for (const g of loaded.model.groups) groupsByRel.set(relOf(g, options.dirLabel), g);
        psNameByRel.clear();
        for (const p of loaded.model.permissionSets) psNameByRel.set(p.source.file.slice(options.dirLabel.length + 1), p.name);
        changed = new Set([...current.keys(), ...loaded.model.groups.map((g) => g.name)]);
        current.clear();
        for (const g of loaded.model.groups) current.set(g.name, g);
      } else problems.push(...loaded.diagnostics.filter((d) => d.severity === 'error'));
    } else {
      const proposed = new Map<string, Group>();
      for (const rel of dirty) {
        const source = files.get(rel);
        if (!source) continue;
        const r = context.loadGroup!(source);
        if (r.group && !hasErrors(r.diagnostics)) proposed.set(rel, r.group);
        else problems.push(...r.diagnostics.filter((d) => d.severity === 'error'));
      }
      // Only the changed files can have introduced a duplicate name: check those against the rest.
      const leaving = new Set<string>();
      for (const rel of dirty) {
        const old = groupsByRel.get(rel);
        if (old && current.get(old.name) === old) leaving.add(old.name);
      }
      const arriving = new Map<string, Group>();
      for (const rel of [...dirty].sort(cmp)) {
        const g = proposed.get(rel);
        if (!g) continue;
        const same = arriving.get(g.name) ?? (leaving.has(g.name) ? undefined : current.get(g.name));
        if (same) problems.push({ code: 'ACC030', severity: 'error', file: `${options.dirLabel}/${rel}`, line: 1, column: 1, message: `group "${g.name}" is already declared in ${same.source.file}` });
        else arriving.set(g.name, g);
      }
      if (problems.length === 0) {
        for (const [rel, name] of sideNames) psNameByRel.set(rel, name);
        for (const rel of dirty) {
          const g = proposed.get(rel);
          if (g) groupsByRel.set(rel, g);
          else groupsByRel.delete(rel);
        }
        for (const name of leaving) current.delete(name);
        for (const [name, g] of arriving) current.set(name, g);
        changed = new Set([...leaving, ...arriving.keys()]);
      }
    }

    if (!changed || !context?.model) {
      unreadable.push({ commit: c.commit, date, author: c.author, subject: c.subject, diagnostics: problems.slice(0, 20) });
      dirtyAll = dirtyAll || globalChange || !context;
      continue;
    }
    dirty = new Set();
    dirtyAll = false;
    lastGood = i;

    // Access rows: only groups whose rows changed are diffed.
    const model = context.model;
    if (model !== lastModel) {
      lastModel = model;
      accountNames = new Map(model.accounts.map((a) => [a.id, a.name]));
    }
    const touched = new Map<string, { via: string[]; breakGlass: boolean }>(); // key -> via before the change
    for (const name of changed) {
      const oldShape = shapes.get(name) ?? EMPTY_SHAPE;
      const newShape = shapeOf(current.get(name), accountNames);
      // Only rows whose member or target changed can change: members that came, went or changed
      // times every target, and targets that came, went or were renamed times every member.
      const changedMembers = changedKeys(oldShape.members, newShape.members, sameMember);
      const changedTargets = changedKeys(oldShape.targets, newShape.targets, (a, b) => a.account === b.account);
      if (changedMembers.length === 0 && changedTargets.length === 0) continue;
      const visit = (m: string, t: string): void => {
        const k = `${m}|${t}`;
        const om = oldShape.members.get(m);
        const ot = oldShape.targets.get(t);
        const nm = newShape.members.get(m);
        const nt = newShape.targets.get(t);
        const had = om !== undefined && ot !== undefined;
        const has = nm !== undefined && nt !== undefined;
        if (had && has && sameMember(om, nm) && ot.account === nt.account) return;
        let s = keys.get(k);
        if (!s) {
          if (!has) return;
          s = { info: rowOf(nm, nt), via: new Map(), active: false, expires: undefined };
          keys.set(k, s);
        }
        if (!touched.has(k)) touched.set(k, { via: [...s.via.keys()].sort(cmp), breakGlass: throughBreakGlass(s.via.values(), date) });
        if (has) {
          s.via.set(name, nm);
          s.info = rowOf(nm, nt);
        } else s.via.delete(name);
      };
      const allTargets = new Set([...oldShape.targets.keys(), ...newShape.targets.keys()]);
      const allMembers = new Set([...oldShape.members.keys(), ...newShape.members.keys()]);
      for (const m of changedMembers) for (const t of allTargets) visit(m, t);
      const changedMemberSet = new Set(changedMembers);
      for (const t of changedTargets) for (const m of allMembers) if (!changedMemberSet.has(m)) visit(m, t);
      if (newShape.members.size > 0 || newShape.targets.size > 0) shapes.set(name, newShape);
      else shapes.delete(name);
    }
    for (const [k, before] of [...touched].sort((a, b) => cmp(a[0], b[0]))) {
      const s = keys.get(k)!;
      const via = [...s.via.values()];
      s.expires = via.length === 0 || via.some((m) => m.expires === undefined) ? undefined : via.map((m) => m.expires!).sort((a, b) => cmp(expiryEnd(a), expiryEnd(b))).pop();
      const now = s.via.size > 0 && (s.expires === undefined || stillActive(s.expires, date));
      if (now && !s.active) events.push(event(c, date, 'added', 'commit', s.info, [...s.via.keys()].sort(cmp), throughBreakGlass(via, date), s.expires));
      if (!now && s.active) events.push(event(c, date, 'removed', 'commit', s.info, before.via, before.breakGlass));
      s.active = now;
      if (now && s.expires !== undefined) lapses.push(s.expires, k);
      if (s.via.size === 0) keys.delete(k);
    }
    trackMemberships(memberships, current, changed, ref, date);
  }
  options.onProgress?.(commits.length, commits.length);
  // Lapses through the end of the day the walk ends on are reported (those of today too), but an
  // end time (break-glass) only once it has come.
  const walkEnd = canonicalInstant(options.today);
  emitLapsesBefore(expiryEnd(dayOf(options.today)), (expires, end) => !isTimedExpiry(expires) || end <= walkEnd);
  // The model as the last readable commit left it (incremental steps do not rebuild the whole model).
  const final = lastGood < 0 ? undefined : loadAccessModel(filesAt(commits, lastGood, blobs, options.dirLabel), { validator: options.validator, cache, dirLabel: options.dirLabel }).model;

  return {
    events: events.sort((a, b) => cmp(a.date, b.date) || cmp(a.user, b.user) || cmp(a.accountId, b.accountId) || cmp(a.permissionSet, b.permissionSet)),
    unreadable,
    directPushes,
    commits: commits.length,
    ...(final ? { model: final } : {}),
    memberships: [...memberships.values()].flatMap((m) => [...m.values()]).sort((a, b) => cmp(a.group, b.group) || cmp(a.user, b.user)),
    fullLoads,
  };

  function event(c: HistoryCommit | null, date: string, action: 'added' | 'removed', reason: 'commit' | 'expired', row: Row, via: string[], breakGlass: boolean, expires?: string): AuditEvent {
    return {
      commit: c?.commit ?? null,
      date,
      author: c?.author ?? null,
      authorEmail: c?.authorEmail ?? null,
      committer: c?.committer ?? null,
      committerEmail: c?.committerEmail ?? null,
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
      ...(breakGlass ? { breakGlass: true as const } : {}),
    };
  }
}

interface MemberShape {
  readonly login: string;
  readonly expires?: string;
  readonly breakGlass?: true;
}

/**
 * Whether some break-glass membership among `via` gives access at the instant `at`, or, for a
 * lapse at `at`, up to it.
 */
function throughBreakGlass(via: Iterable<MemberShape>, at: string, lapse = false): boolean {
  for (const m of via) {
    if (m.breakGlass === true && (m.expires === undefined || (lapse ? expiryEnd(m.expires) >= at : stillActive(m.expires, at)))) return true;
  }
  return false;
}

/** A membership whose login, expiry or break-glass flag changed is a changed membership. */
function sameMember(a: MemberShape, b: MemberShape): boolean {
  return a.login === b.login && a.expires === b.expires && a.breakGlass === b.breakGlass;
}

interface TargetShape {
  readonly accountId: string;
  readonly account: string;
  readonly permissionSet: string;
}

/** A group as access sees it: members (by folded login) times targets ("accountId|permission set"). */
interface Shape {
  readonly members: ReadonlyMap<string, MemberShape>;
  readonly targets: ReadonlyMap<string, TargetShape>;
}

const EMPTY_SHAPE: Shape = { members: new Map(), targets: new Map() };

function shapeOf(g: Group | undefined, accountNames: ReadonlyMap<string, string>): Shape {
  if (!g) return EMPTY_SHAPE;
  const members = new Map<string, MemberShape>();
  for (const m of g.members) members.set(m.key, { login: m.login, ...(m.expires !== undefined ? { expires: m.expires } : {}), ...(m.breakGlass === true ? { breakGlass: true as const } : {}) });
  const targets = new Map<string, TargetShape>();
  for (const gr of g.grants) {
    for (const accountId of gr.accountIds) targets.set(`${accountId}|${gr.permissionSet}`, { accountId, account: accountNames.get(accountId) ?? accountId, permissionSet: gr.permissionSet });
  }
  return { members, targets };
}

/** Keys present on one side only, or whose values differ. */
function changedKeys<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, same: (x: V, y: V) => boolean): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || !same(v, w)) out.push(k);
  }
  for (const k of b.keys()) if (!a.has(k)) out.push(k);
  return out;
}

function rowOf(m: MemberShape, t: TargetShape): Row {
  return { user: m.login, account: t.account, accountId: t.accountId, permissionSet: t.permissionSet, ...(m.expires !== undefined ? { expires: m.expires } : {}) };
}

function trackMemberships(state: Map<string, Map<string, MembershipRecord>>, groups: ReadonlyMap<string, Group>, changed: ReadonlySet<string>, ref: CommitRef, at: string): void {
  // A group that disappears while another appears with most of its members was renamed: its members keep their history.
  const gone = new Map([...changed].filter((name) => !groups.has(name) && state.has(name)).map((name) => [name, state.get(name)!]));
  for (const name of gone.keys()) state.delete(name);
  for (const name of changed) {
    const g = groups.get(name);
    if (!g) continue;
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
      const previousRecord = before.get(m.key);
      // A membership that lapsed and was granted again (a new expires) starts anew; one that lapsed
      // and is still in the file as it was keeps its history (the review shows it as expired).
      const lapsed = previousRecord?.expires !== undefined && !stillActive(previousRecord.expires, at);
      const old = lapsed && previousRecord.expires !== m.expires ? undefined : previousRecord;
      const breakGlass = m.breakGlass === true;
      const changed = old !== undefined && (old.expires !== m.expires || old.reason !== m.reason || old.user !== m.login || (old.breakGlass === true) !== breakGlass);
      after.set(m.key, {
        group: name,
        user: m.login,
        ...(m.expires !== undefined ? { expires: m.expires } : {}),
        ...(m.reason !== undefined ? { reason: m.reason } : {}),
        ...(breakGlass ? { breakGlass: true as const } : {}),
        since: old?.since ?? ref,
        lastChange: old === undefined ? ref : changed ? ref : old.lastChange,
      });
    }
    state.set(name, after);
  }
}

/** The access files as commit `upTo` left them, replayed from the first commit. */
function filesAt(commits: readonly HistoryCommit[], upTo: number, blobs: ReadonlyMap<string, Uint8Array>, dirLabel: string): SourceFile[] {
  const files = new Map<string, SourceFile>();
  for (let i = 0; i <= upTo; i++) {
    for (const ch of commits[i].changes) {
      if (ch.blob === null) files.delete(ch.rel);
      else files.set(ch.rel, { file: `${dirLabel}/${ch.rel}`, rel: ch.rel, bytes: blobs.get(ch.blob) ?? new Uint8Array(), id: ch.blob });
    }
  }
  return [...files.values()].sort((a, b) => cmp(a.rel, b.rel));
}

function relOf(g: Group, dirLabel: string): string {
  return g.source.file.slice(dirLabel.length + 1);
}

/** A git date (with its offset) as ISO 8601 UTC, to the second. */
export function utcIso(gitDate: string): string {
  return new Date(gitDate).toISOString().replace(/\.000Z$/, 'Z');
}

/** Lapses to visit in time order (by the instant access ends); stale entries are skipped when popped. */
class MinHeap {
  private readonly items: Array<{ end: string; expires: string; key: string }> = [];

  push(expires: string, key: string): void {
    const a = this.items;
    a.push({ end: expiryEnd(expires), expires, key });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].end <= a[i].end) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  peek(): { end: string; expires: string; key: string } | undefined {
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
      if (l < a.length && a[l].end < a[m].end) m = l;
      if (r < a.length && a[r].end < a[m].end) m = r;
      if (m === i) return;
      [a[m], a[i]] = [a[i], a[m]];
      i = m;
    }
  }
}
