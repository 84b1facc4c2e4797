// Walks the history of access/ once, oldest commit first, and turns it into
// access events: who gained or lost which access, when, through which commit
// and pull request, and when temporary access lapsed.
//
// It is incremental: a commit that only touches group files re-resolves only
// those groups against the last full model, and files are parsed once per
// content (the parse cache). Only a commit that changes accounts, permission
// sets, people, policy or settings reloads the whole tree.
//
// walkHistory runs these steps for each commit, on one WalkState:
//   readCommit        its reference, and its file changes applied to the files
//   emitLapsesBefore  access that lapsed before the commit
//   applyChange       re-resolve what it changed (checkSideFiles, loadAll or loadChangedGroups), or record it as unreadable
//   diffAccessRows    the access rows of the changed groups, old against new
//   emitCommitEvents  access the commit added or removed
//   emitPolicyEvents  with a lens (audit --action): holders whose permission set's policies changed what they can do
//   trackMemberships  the history of each membership, for the review sheet
// and finishWalk reports the lapses up to the end of the walk and sorts what was found.

import { cmp, hasErrors, type Diagnostic } from '../diagnostics';
import { canonicalInstant, dayOf, expiryEnd, isTimedExpiry, stillActive } from '../util/dates';
import type { FileChange, HistoryCommit } from '../git/history';
import type { AccessRow } from '../model/access';
import { loadAccessModel, type LoadResult, type ParseCache } from '../model/load';
import type { AccessModel, Group, PermissionSet } from '../model/types';
import { classify } from '../load/classify';
import type { SourceFile } from '../load/source';
import type { SchemaValidator } from '../schema/validate';
import type { ActionDecisionFields, WalkLens } from './lens';

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

/** An event of audit --action: an access event, with what allows the action (src/audit/lens.ts). */
export type ActionAuditEvent = AuditEvent & ActionDecisionFields;

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
  /** Sees every event and every readable commit's permission sets, keeps only the events it returns, and adds policy events (audit --action). */
  readonly lens?: WalkLens;
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

/**
 * What the walk carries from one commit to the next. Every step takes it explicitly: the files as
 * the commits so far left them, the groups and access rows as the last readable commit left them,
 * and what has been found (events, unreadable commits, direct pushes).
 */
interface WalkState {
  readonly options: WalkOptions;
  readonly blobs: ReadonlyMap<string, Uint8Array>;
  /** The access files as the commits read so far left them, by path under the access directory. */
  readonly files: Map<string, SourceFile>;
  readonly cache: ParseCache;
  readonly events: AuditEvent[];
  readonly unreadable: UnreadableCommit[];
  readonly directPushes: CommitRef[];
  /** The last full load that succeeded: its model, and its loadGroup for re-resolving changed group files. */
  base: LoadResult | undefined;
  readonly groupsByRel: Map<string, Group>;
  /** Each group's members and targets as last seen: access rows are their product. */
  readonly shapes: Map<string, Shape>;
  /** Access rows by "member|target" key. */
  readonly keys: Map<string, KeyState>;
  readonly memberships: MembershipState;
  /** Temporary access to report when it lapses. */
  readonly lapses: MinHeap;
  /** Group files changed since the last readable commit. */
  dirty: Set<string>;
  /** A commit since the last readable one changed more than group files, or nothing has loaded yet: the next one needs a full load. */
  dirtyAll: boolean;
  fullLoads: number;
  /** The index of the last readable commit. */
  lastGood: number;
  /** The groups as the last readable commit left them, by name. */
  readonly current: Map<string, Group>;
  /** The model accountNames was made from. */
  lastModel: AccessModel | undefined;
  /** Account name by id. */
  accountNames: Map<string, string>;
  /** Permission set name by file, to tell an edit from a rename. */
  readonly psNameByRel: Map<string, string>;
  /** Names the side files of the current commit declare (applied once the commit is readable). */
  sideNames: Map<string, string>;
  /** Files other than groups changed since the last readable commit (or nothing has loaded yet): permission sets may have changed. */
  sideDirty: boolean;
}

/** One commit as read into the walk: its reference, and what kind of files it changed. */
interface CommitRead {
  readonly commit: HistoryCommit;
  readonly ref: CommitRef;
  /** It changed something other than group, permission set and policy files: a full load is needed. */
  readonly globalChange: boolean;
  /** Permission set and policy files it added or changed. */
  readonly sideFiles: readonly string[];
}

/** A readable commit's change: the names of the groups it changed (`current` holds them as it leaves them). */
interface AppliedChange {
  readonly changed: ReadonlySet<string>;
  readonly model: AccessModel;
}

/** An access row a commit touched, as it was before: the groups it came through, and whether through break-glass. */
interface TouchedRow {
  readonly via: string[];
  readonly breakGlass: boolean;
}

/** The access events of `commits` (oldest first), with what the walk found along the way. */
export function walkHistory(commits: readonly HistoryCommit[], blobs: ReadonlyMap<string, Uint8Array>, options: WalkOptions): AuditResult {
  const state = newWalkState(blobs, options);
  for (let i = 0; i < commits.length; i++) {
    options.onProgress?.(i, commits.length);
    const read = readCommit(state, commits[i]);
    emitLapsesBefore(state, read.ref.date);
    const applied = applyChange(state, read);
    if (!applied) continue;
    state.lastGood = i;
    if (options.lens) {
      options.lens.commit(() => permissionSetsNow(state), state.sideDirty);
      state.sideDirty = false;
    }
    emitCommitEvents(state, read, diffAccessRows(state, applied, read.ref.date));
    if (options.lens) emitPolicyEvents(state, read, options.lens);
    trackMemberships(state.memberships, state.current, applied.changed, read.ref, read.ref.date);
  }
  options.onProgress?.(commits.length, commits.length);
  return finishWalk(state, commits);
}

function newWalkState(blobs: ReadonlyMap<string, Uint8Array>, options: WalkOptions): WalkState {
  return {
    options,
    blobs,
    files: new Map(),
    cache: new Map(),
    events: [],
    unreadable: [],
    directPushes: [],
    base: undefined,
    groupsByRel: new Map(),
    shapes: new Map(),
    keys: new Map(),
    memberships: new Map(),
    lapses: new MinHeap(),
    dirty: new Set(),
    dirtyAll: false,
    fullLoads: 0,
    lastGood: -1,
    current: new Map(),
    lastModel: undefined,
    accountNames: new Map(),
    psNameByRel: new Map(),
    sideNames: new Map(),
    sideDirty: true,
  };
}

// --- Read a commit: its reference, and its file changes applied to the files.

function readCommit(state: WalkState, c: HistoryCommit): CommitRead {
  const ref: CommitRef = { commit: c.commit, date: utcIso(c.committerDate), author: c.author, subject: c.subject, pr: c.pr };
  if (c.pr === null) state.directPushes.push(ref);
  let globalChange = false;
  const sideFiles: string[] = [];
  for (const ch of c.changes) {
    applyFileChange(state.files, ch, state.blobs, state.options.dirLabel);
    const kind = classify(ch.rel);
    if (kind === 'group') state.dirty.add(ch.rel);
    else if ((kind === 'permission-set' || kind === 'policy') && ch.blob !== null) sideFiles.push(ch.rel);
    else globalChange = true;
  }
  if (globalChange || sideFiles.length > 0) state.sideDirty = true;
  return { commit: c, ref, globalChange, sideFiles };
}

function applyFileChange(files: Map<string, SourceFile>, ch: FileChange, blobs: ReadonlyMap<string, Uint8Array>, dirLabel: string): void {
  if (ch.blob === null) files.delete(ch.rel);
  else files.set(ch.rel, { file: `${dirLabel}/${ch.rel}`, rel: ch.rel, bytes: blobs.get(ch.blob) ?? new Uint8Array(), id: ch.blob });
}

// --- Apply the change: re-resolve what the commit changed, or record it as unreadable.

/**
 * The groups the commit changed, with `current` updated; or undefined when its files do not
 * validate (then it is recorded as unreadable, and its changes wait for the next readable commit).
 */
function applyChange(state: WalkState, read: CommitRead): AppliedChange | undefined {
  const problems: Diagnostic[] = [];
  let globalChange = read.globalChange;
  // Permission set or policy edits that keep every permission set name change no group's access:
  // check those files against settings and accounts alone, and stay incremental.
  if (!globalChange && !state.dirtyAll && state.base && read.sideFiles.length > 0) {
    const side = checkSideFiles(state, read.sideFiles);
    if (side === 'names-changed') globalChange = true;
    else problems.push(...side);
  }
  const changed = globalChange || state.dirtyAll || !state.base ? loadAll(state, problems) : loadChangedGroups(state, state.base, problems);
  const model = state.base?.model;
  if (!changed || !model) {
    const c = read.commit;
    state.unreadable.push({ commit: c.commit, date: read.ref.date, author: c.author, subject: c.subject, diagnostics: problems.slice(0, 20) });
    state.dirtyAll = state.dirtyAll || globalChange || !state.base;
    return undefined;
  }
  state.dirty = new Set();
  state.dirtyAll = false;
  return { changed, model };
}

/**
 * Loads the changed permission set and policy files with settings and accounts only: their own
 * errors, or 'names-changed' when a permission set name appeared or disappeared (then groups must be re-resolved).
 */
function checkSideFiles(state: WalkState, rels: readonly string[]): Diagnostic[] | 'names-changed' {
  const { files, options } = state;
  state.sideNames = new Map();
  const settingsAndAccounts = [...files.values()].filter((f) => {
    const k = classify(f.rel);
    return k === 'settings' || k === 'accounts';
  });
  const loaded = loadAccessModel([...settingsAndAccounts, ...rels.map((r) => files.get(r)!)].sort((a, b) => cmp(a.rel, b.rel)), loadOptions(state));
  const errors = errorsOf(loaded.diagnostics);
  if (errors.length > 0) return errors;
  for (const p of loaded.model!.permissionSets) {
    const rel = relOf(p, options.dirLabel);
    if (state.psNameByRel.get(rel) !== p.name) return 'names-changed';
    state.sideNames.set(rel, p.name);
  }
  return [];
}

/** Loads the whole tree: every group counts as changed (those that were and those that are). */
function loadAll(state: WalkState, problems: Diagnostic[]): Set<string> | undefined {
  const { options, current } = state;
  state.fullLoads++;
  const loaded = loadAccessModel(sortedFiles(state.files), loadOptions(state));
  if (!loaded.model || hasErrors(loaded.diagnostics)) {
    problems.push(...errorsOf(loaded.diagnostics));
    return undefined;
  }
  state.base = loaded;
  state.groupsByRel.clear();
  for (const g of loaded.model.groups) state.groupsByRel.set(relOf(g, options.dirLabel), g);
  state.psNameByRel.clear();
  for (const p of loaded.model.permissionSets) state.psNameByRel.set(relOf(p, options.dirLabel), p.name);
  const changed = new Set([...current.keys(), ...loaded.model.groups.map((g) => g.name)]);
  current.clear();
  for (const g of loaded.model.groups) current.set(g.name, g);
  return changed;
}

/** Re-resolves only the changed group files against the last full load: the names of the groups that left or arrived. */
function loadChangedGroups(state: WalkState, base: LoadResult, problems: Diagnostic[]): Set<string> | undefined {
  const { dirty, current, groupsByRel } = state;
  const proposed = new Map<string, Group>();
  for (const rel of dirty) {
    const source = state.files.get(rel);
    if (!source) continue;
    const r = base.loadGroup!(source);
    if (r.group && !hasErrors(r.diagnostics)) proposed.set(rel, r.group);
    else problems.push(...errorsOf(r.diagnostics));
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
    if (same) problems.push(duplicateGroup(state.options.dirLabel, rel, g, same));
    else arriving.set(g.name, g);
  }
  if (problems.length > 0) return undefined;
  for (const [rel, name] of state.sideNames) state.psNameByRel.set(rel, name);
  for (const rel of dirty) {
    const g = proposed.get(rel);
    if (g) groupsByRel.set(rel, g);
    else groupsByRel.delete(rel);
  }
  for (const name of leaving) current.delete(name);
  for (const [name, g] of arriving) current.set(name, g);
  return new Set([...leaving, ...arriving.keys()]);
}

function duplicateGroup(dirLabel: string, rel: string, g: Group, same: Group): Diagnostic {
  return {
    code: 'ACC030',
    severity: 'error',
    file: `${dirLabel}/${rel}`,
    line: 1,
    column: 1,
    message: `group "${g.name}" is already declared in ${same.source.file}`,
  };
}

function loadOptions(state: WalkState): { validator: SchemaValidator; cache: ParseCache; dirLabel: string; freeze: false } {
  return { validator: state.options.validator, cache: state.cache, dirLabel: state.options.dirLabel, freeze: false };
}

function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

// --- Diff access rows: only groups whose rows changed are diffed.

/** The access rows the change touched, by key, as they were before it; `keys` holds them as they are now. */
function diffAccessRows(state: WalkState, applied: AppliedChange, date: string): Map<string, TouchedRow> {
  if (applied.model !== state.lastModel) {
    state.lastModel = applied.model;
    state.accountNames = new Map(applied.model.accounts.map((a) => [a.id, a.name]));
  }
  const touched = new Map<string, TouchedRow>();
  for (const name of applied.changed) diffGroup(state, name, touched, date);
  return touched;
}

/** One group's change as access rows see it. */
interface GroupDiff {
  readonly name: string;
  readonly oldShape: Shape;
  readonly newShape: Shape;
  readonly date: string;
  readonly touched: Map<string, TouchedRow>;
}

function diffGroup(state: WalkState, name: string, touched: Map<string, TouchedRow>, date: string): void {
  const oldShape = state.shapes.get(name) ?? EMPTY_SHAPE;
  const newShape = shapeOf(state.current.get(name), state.accountNames);
  // Only rows whose member or target changed can change: members that came, went or changed
  // times every target, and targets that came, went or were renamed times every member.
  const changedMembers = changedKeys(oldShape.members, newShape.members, sameMember);
  const changedTargets = changedKeys(oldShape.targets, newShape.targets, (a, b) => a.account === b.account);
  if (changedMembers.length === 0 && changedTargets.length === 0) return;
  const diff: GroupDiff = { name, oldShape, newShape, date, touched };
  const allTargets = new Set([...oldShape.targets.keys(), ...newShape.targets.keys()]);
  const allMembers = new Set([...oldShape.members.keys(), ...newShape.members.keys()]);
  for (const m of changedMembers) for (const t of allTargets) updateRow(state, diff, m, t);
  const changedMemberSet = new Set(changedMembers);
  for (const t of changedTargets) for (const m of allMembers) if (!changedMemberSet.has(m)) updateRow(state, diff, m, t);
  if (newShape.members.size > 0 || newShape.targets.size > 0) state.shapes.set(name, newShape);
  else state.shapes.delete(name);
}

/** Brings the row of member `m` and target `t` up to date with the group's new shape, noting it as touched. */
function updateRow(state: WalkState, diff: GroupDiff, m: string, t: string): void {
  const k = `${m}|${t}`;
  const om = diff.oldShape.members.get(m);
  const ot = diff.oldShape.targets.get(t);
  const nm = diff.newShape.members.get(m);
  const nt = diff.newShape.targets.get(t);
  const had = om !== undefined && ot !== undefined;
  const has = nm !== undefined && nt !== undefined;
  if (had && has && sameMember(om, nm) && ot.account === nt.account) return;
  let s = state.keys.get(k);
  if (!s) {
    if (!has) return;
    s = { info: rowOf(nm, nt), via: new Map(), active: false, expires: undefined };
    state.keys.set(k, s);
  }
  if (!diff.touched.has(k)) diff.touched.set(k, { via: [...s.via.keys()].sort(cmp), breakGlass: throughBreakGlass(s.via.values(), diff.date) });
  if (has) {
    s.via.set(diff.name, nm);
    s.info = rowOf(nm, nt);
  } else s.via.delete(diff.name);
}

// --- Emit events: access a commit added or removed, and access that lapsed.

function emitCommitEvents(state: WalkState, read: CommitRead, touched: ReadonlyMap<string, TouchedRow>): void {
  const c = read.commit;
  const date = read.ref.date;
  for (const [k, before] of [...touched].sort((a, b) => cmp(a[0], b[0]))) {
    const s = state.keys.get(k)!;
    const via = [...s.via.values()];
    s.expires = lastDayOf(via);
    const now = s.via.size > 0 && (s.expires === undefined || stillActive(s.expires, date));
    if (now && !s.active) {
      emit(state, auditEvent(c, date, 'added', 'commit', s.info, [...s.via.keys()].sort(cmp), throughBreakGlass(via, date), s.expires));
    }
    if (!now && s.active) emit(state, auditEvent(c, date, 'removed', 'commit', s.info, before.via, before.breakGlass));
    s.active = now;
    if (now && s.expires !== undefined) state.lapses.push(s.expires, k);
    if (s.via.size === 0) state.keys.delete(k);
  }
}

/** Records an event: as it is, or with a lens, as the lens decides (with its decision, or left out). */
function emit(state: WalkState, e: AuditEvent, cause: 'access' | 'policy' = 'access'): void {
  const lens = state.options.lens;
  const kept = lens ? lens.event(e, cause) : e;
  if (kept) state.events.push(kept);
}

/**
 * With a lens: the holders (access rows active before and after the commit) of each permission set
 * whose policies the commit changed so that it now allows the action, or no longer does.
 */
function emitPolicyEvents(state: WalkState, read: CommitRead, lens: WalkLens): void {
  if (!lens.policyChanged()) return;
  const date = read.ref.date;
  for (const [, s] of [...state.keys].sort((a, b) => cmp(a[0], b[0]))) {
    const action = s.active ? lens.policyChange(s.info.permissionSet) : undefined;
    if (action === undefined) continue;
    const via = [...s.via.keys()].sort(cmp);
    emit(state, auditEvent(read.commit, date, action, 'commit', s.info, via, throughBreakGlass(s.via.values(), date), s.expires), 'policy');
  }
}

/** The permission sets as the files now are (loaded with settings and accounts; the commit is readable, so they validate). */
function permissionSetsNow(state: WalkState): readonly PermissionSet[] {
  const files = [...state.files.values()].filter((f) => {
    const k = classify(f.rel);
    return k === 'settings' || k === 'accounts' || k === 'permission-set';
  });
  return loadAccessModel(files.sort((a, b) => cmp(a.rel, b.rel)), loadOptions(state)).model?.permissionSets ?? [];
}

/** The last day of access through these memberships; undefined when one of them is standing (or there is none). */
function lastDayOf(via: readonly MemberShape[]): string | undefined {
  if (via.length === 0 || via.some((m) => m.expires === undefined)) return undefined;
  return via
    .map((m) => m.expires!)
    .sort((a, b) => cmp(expiryEnd(a), expiryEnd(b)))
    .pop();
}

/** Reports access that lapsed at or before `until` (an instant); lapses not `due` are dropped (only for the last call). */
function emitLapsesBefore(state: WalkState, until: string, due: (expires: string, end: string) => boolean = () => true): void {
  for (;;) {
    const top = state.lapses.peek();
    if (!top || top.end > until) return;
    state.lapses.pop();
    const k = state.keys.get(top.key);
    if (!k || !k.active || k.expires !== top.expires || !due(top.expires, top.end)) continue;
    k.active = false;
    const via = [...k.via.keys()].sort(cmp);
    emit(state, auditEvent(null, top.end, 'removed', 'expired', k.info, via, throughBreakGlass(k.via.values(), top.end, true)));
  }
}

function auditEvent(
  c: HistoryCommit | null,
  date: string,
  action: 'added' | 'removed',
  reason: 'commit' | 'expired',
  row: Row,
  via: string[],
  breakGlass: boolean,
  expires?: string,
): AuditEvent {
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

// --- Finish: the lapses up to the end of the walk, the final model, and the sorted findings.

function finishWalk(state: WalkState, commits: readonly HistoryCommit[]): AuditResult {
  const { options } = state;
  // Lapses through the end of the day the walk ends on are reported (those of today too), but an
  // end time (break-glass) only once it has come.
  const walkEnd = canonicalInstant(options.today);
  emitLapsesBefore(state, expiryEnd(dayOf(options.today)), (expires, end) => !isTimedExpiry(expires) || end <= walkEnd);
  // The model as the last readable commit left it (incremental steps do not rebuild the whole model).
  const final =
    state.lastGood < 0
      ? undefined
      : loadAccessModel(filesAt(commits, state.lastGood, state.blobs, options.dirLabel), {
          validator: options.validator,
          cache: state.cache,
          dirLabel: options.dirLabel,
        }).model;
  const byGroupThenUser = (a: MembershipRecord, b: MembershipRecord): number => cmp(a.group, b.group) || cmp(a.user, b.user);
  return {
    events: state.events.sort(
      (a, b) => cmp(a.date, b.date) || cmp(a.user, b.user) || cmp(a.accountId, b.accountId) || cmp(a.permissionSet, b.permissionSet),
    ),
    unreadable: state.unreadable,
    directPushes: state.directPushes,
    commits: commits.length,
    ...(final ? { model: final } : {}),
    memberships: [...state.memberships.values()].flatMap((m) => [...m.values()]).sort(byGroupThenUser),
    fullLoads: state.fullLoads,
  };
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
    if (m.breakGlass !== true) continue;
    if (m.expires === undefined || (lapse ? expiryEnd(m.expires) >= at : stillActive(m.expires, at))) return true;
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
  for (const m of g.members) {
    members.set(m.key, {
      login: m.login,
      ...(m.expires !== undefined ? { expires: m.expires } : {}),
      ...(m.breakGlass === true ? { breakGlass: true as const } : {}),
    });
  }
  const targets = new Map<string, TargetShape>();
  for (const gr of g.grants) {
    for (const accountId of gr.accountIds) {
      targets.set(`${accountId}|${gr.permissionSet}`, { accountId, account: accountNames.get(accountId) ?? accountId, permissionSet: gr.permissionSet });
    }
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
  return {
    user: m.login,
    account: t.account,
    accountId: t.accountId,
    permissionSet: t.permissionSet,
    ...(m.expires !== undefined ? { expires: m.expires } : {}),
  };
}

/** Memberships by group, then by folded login. */
type MembershipState = Map<string, Map<string, MembershipRecord>>;

/** Brings the membership records of the changed groups up to date with `groups` as the commit `ref` left them. */
function trackMemberships(
  state: MembershipState,
  groups: ReadonlyMap<string, Group>,
  changed: ReadonlySet<string>,
  ref: CommitRef,
  at: string,
): void {
  // A group that disappears while another appears with most of its members was renamed: its members keep their history.
  const gone = new Map([...changed].filter((name) => !groups.has(name) && state.has(name)).map((name) => [name, state.get(name)!]));
  for (const name of gone.keys()) state.delete(name);
  for (const name of changed) {
    const g = groups.get(name);
    if (!g) continue;
    if (!state.has(name) && gone.size > 0) adoptRenamedGroup(state, gone, name, g);
    state.set(name, membershipRecords(state.get(name) ?? new Map<string, MembershipRecord>(), name, g, ref, at));
  }
}

/** Gives the new group `name` the records of the gone group that shares most (at least half) of its members. */
function adoptRenamedGroup(state: MembershipState, gone: MembershipState, name: string, g: Group): void {
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

/** The group's membership records after the commit `ref`, carrying on the history in `before`. */
function membershipRecords(
  before: ReadonlyMap<string, MembershipRecord>,
  name: string,
  g: Group,
  ref: CommitRef,
  at: string,
): Map<string, MembershipRecord> {
  const after = new Map<string, MembershipRecord>();
  for (const m of g.members) {
    const previousRecord = before.get(m.key);
    // A membership that lapsed and was granted again (a new expires) starts anew; one that lapsed
    // and is still in the file as it was keeps its history (the review shows it as expired).
    const lapsed = previousRecord?.expires !== undefined && !stillActive(previousRecord.expires, at);
    const old = lapsed && previousRecord.expires !== m.expires ? undefined : previousRecord;
    const breakGlass = m.breakGlass === true;
    const changed =
      old !== undefined &&
      (old.expires !== m.expires || old.reason !== m.reason || old.user !== m.login || (old.breakGlass === true) !== breakGlass);
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
  return after;
}

/** The access files as commit `upTo` left them, replayed from the first commit. */
function filesAt(commits: readonly HistoryCommit[], upTo: number, blobs: ReadonlyMap<string, Uint8Array>, dirLabel: string): SourceFile[] {
  const files = new Map<string, SourceFile>();
  for (let i = 0; i <= upTo; i++) {
    for (const ch of commits[i].changes) applyFileChange(files, ch, blobs, dirLabel);
  }
  return sortedFiles(files);
}

function sortedFiles(files: ReadonlyMap<string, SourceFile>): SourceFile[] {
  return [...files.values()].sort((a, b) => cmp(a.rel, b.rel));
}

/** A group's or permission set's file, relative to the access directory. */
function relOf(declared: { readonly source: { readonly file: string } }, dirLabel: string): string {
  return declared.source.file.slice(dirLabel.length + 1);
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
