// The facts of one change that approval rules judge: which groups and other
// files it touches, whom it gives access or ownership to, what is high
// privilege or production. Pure: two loaded revisions and their diff in.
// Everything that decides who may approve (owners, GitHub handles, policy)
// comes from the base, the revision already on the default branch: a change
// cannot name its own approvers.
import { cmp } from '../diagnostics';
import type { AccessDiff } from '../diff/diff';
import { canonicalJson, PROD_TAG_VALUES } from '../diff/diff';
import type { RevisionDiff } from '../diff/revision-types';
import highPrivilegeExpiry, { highPrivilegeSets } from '../guardrails/rules/high-privilege-expiry';
import type { Rule } from '../guardrails/rule';
import { ruleOptions } from '../guardrails/run';
import { effectiveAccess, isActive, type AccessRow } from '../model/access';
import { expiryEnd } from '../util/dates';
import { isAccessFile, isProtectedPath } from './path-globs';
import { foldLogin } from '../model/logins';
import type { AccessModel, Group, PermissionSet } from '../model/types';
import { policiesOf } from '../iam/permission-set';
import { widens } from '../iam/widening';

/** A group whose file the change touches. */
export interface TouchedGroup {
  /** Its name in the base; a new group's name in the head. */
  readonly name: string;
  readonly isNew: boolean;
  /** The base's owners' GitHub handles (people.yaml of the base), sorted; owners without one are left out. */
  readonly ownerHandles: readonly string[];
}

/** Someone the change gives access or ownership to. */
export interface Grantee {
  readonly login: string;
  /** Their GitHub handle in people.yaml (base or head), when there is one. */
  readonly handle?: string;
  /** What they gain, in words: "joins aws-payments-admins", "AdministratorAccess on payments-prod". */
  readonly gains: readonly string[];
}

/** A permission set the change widens, and why, one line each. */
export interface WidenedPermissionSet {
  readonly name: string;
  readonly reasons: readonly string[];
}

/** A member a break-glass change adds. */
export interface BreakGlassGrant {
  readonly group: string;
  readonly login: string;
  readonly expires: string;
  readonly reason?: string;
}

export interface ChangeFacts {
  /** The revision on the default branch: its policy, owners and handles decide. */
  readonly base: AccessModel;
  readonly head: AccessModel;
  readonly diff: AccessDiff;
  /** Sorted by name. */
  readonly groups: readonly TouchedGroup[];
  /** Changed access files that are not group files (paths relative to the access directory), sorted. */
  readonly sharedFiles: readonly string[];
  /**
   * Access the change grants, for every rule: rows the head gives that the
   * base did not; rows it gives for longer (a later end, or none where the
   * base had one); and every row of a permission set the change widens
   * (`widened`), on every account it is assigned to. Sorted, once each.
   */
  readonly grants: readonly AccessRow[];
  /**
   * Permission sets of both revisions (matched across renames) that the head
   * lets do more: a policy, boundary or statement that allows something new
   * on some resource (src/iam/widening.ts, which answers "widens" when
   * unsure), or a longer session. By head name, sorted.
   */
  readonly widened: readonly WidenedPermissionSet[];
  /** Grants whose permission set is high privilege (high-privilege-expiry's definition). */
  readonly highPrivilege: readonly AccessRow[];
  /** Why the change touches production accounts, one line each; empty when it does not. */
  readonly production: readonly string[];
  /** By folded login. */
  readonly grantees: ReadonlyMap<string, Grantee>;
  /** GitHub handle (lower case) -> folded login, from people.yaml of base and head. */
  readonly loginsByHandle: ReadonlyMap<string, string>;
  /** The members added with breakGlass: true; `breakGlassOnly` when they are all the change does. */
  readonly breakGlass: readonly BreakGlassGrant[];
  readonly breakGlassOnly: boolean;
  /** The instant the change is judged at (break-glass end times are measured from it). */
  readonly now: string;
  /** Every path the pull request changes in the repository (git, base to head): repository-relative, sorted; absent when the caller did not read them. */
  readonly changedPaths?: readonly string[];
  /** The access directory, repository-relative ("access"; "" for the top level), with changedPaths. */
  readonly accessDir?: string;
}

/** What the command reads from git for the paths rule: every path the change touches, and where the access directory is. */
export interface ChangedPaths {
  readonly changedPaths: readonly string[];
  readonly accessDir: string;
}

/** A change whose base and head both loaded. */
type LoadedChange = RevisionDiff & { base: { model: AccessModel }; head: { model: AccessModel } };

/** The facts of `change`, whose base and head both loaded. */
export function changeFacts(change: LoadedChange, today: string, repo?: ChangedPaths): ChangeFacts {
  const base = change.base.model;
  const head = change.head.model;
  const diff = change.diff;
  const baseHandles = githubHandles(base);
  const headHandles = githubHandles(head);
  const loginsByHandle = new Map<string, string>();
  for (const [login, handle] of [...headHandles, ...baseHandles]) loginsByHandle.set(handle.toLowerCase(), login);

  const { touched, sharedFiles } = touchedFiles(change, baseHandles);
  const widened = widenedSets(change);
  const grants = grantedRows(change, today, new Set(widened.map((w) => w.name)));
  const breakGlass = breakGlassGrants(base, head, today);
  const breakGlassOnly = isBreakGlassOnly(diff, breakGlass, touched, sharedFiles, repo);

  return {
    base, head, diff,
    groups: [...touched.values()].sort((a, b) => cmp(a.name, b.name)),
    sharedFiles: sharedFiles.sort(cmp),
    grants,
    widened,
    highPrivilege: highPrivilegeGrants(base, head, grants),
    production: [...new Set(productionReasons(base, head, diff, grants))],
    grantees: granteesOf(grants, diff, baseHandles, headHandles),
    loginsByHandle,
    breakGlass,
    breakGlassOnly,
    now: today,
    ...(repo !== undefined ? { changedPaths: [...repo.changedPaths].sort(cmp), accessDir: repo.accessDir } : {}),
  };
}

/** Folded login -> GitHub handle, for the people of `m` who have one. */
function githubHandles(m: AccessModel): Map<string, string> {
  return new Map(m.people.filter((p) => p.github !== undefined).map((p) => [foldLogin(p.login), p.github!]));
}

/**
 * The groups whose files the change touches, by file in either revision (a
 * file renamed with its group keeps the base's name and owners), and the
 * changed access files that are no group's.
 */
function touchedFiles(change: LoadedChange, baseHandles: ReadonlyMap<string, string>): { touched: Map<string, TouchedGroup>; sharedFiles: string[] } {
  const base = change.base.model;
  const head = change.head.model;
  const relByFile = new Map([...change.base.sources, ...change.head.sources].map((s) => [s.file, s.rel]));
  const relOf = (g: Group): string => relByFile.get(g.source.file) ?? g.source.file;
  const baseByRel = new Map(base.groups.map((g) => [relOf(g), g]));
  const headByRel = new Map(head.groups.map((g) => [relOf(g), g]));
  const baseByName = new Map(base.groups.map((g) => [g.name, g]));
  const renamedFrom = new Map(change.renames.filter((r) => r.kind === 'group').map((r) => [r.to, r.from]));
  const touched = new Map<string, TouchedGroup>();
  const sharedFiles: string[] = [];
  for (const rel of changedFiles(change)) {
    const b = baseByRel.get(rel);
    const h = headByRel.get(rel);
    if (!b && !h) {
      sharedFiles.push(rel);
      continue;
    }
    for (const g of [b, h]) {
      if (!g) continue;
      const known = g === b ? b : baseByName.get(renamedFrom.get(g.name) ?? g.name);
      const name = known?.name ?? g.name;
      if (touched.has(name)) continue;
      const ownerHandles = known ? ownerHandlesOf(known, baseHandles) : [];
      touched.set(name, { name, isNew: known === undefined, ownerHandles });
    }
  }
  return { touched, sharedFiles };
}

/** The GitHub handles of a group's owners, sorted, once each; owners without one are left out. */
function ownerHandlesOf(group: Group, handles: ReadonlyMap<string, string>): string[] {
  const known = group.owners.map((o) => handles.get(foldLogin(o.login))).filter((x): x is string => x !== undefined);
  return [...new Set(known)].sort(cmp);
}

/** Grantees, by folded login: access granted or extended, members added or given a later end, owners added, users SCIM now creates. */
function granteesOf(
  grants: readonly AccessRow[],
  diff: AccessDiff,
  baseHandles: ReadonlyMap<string, string>,
  headHandles: ReadonlyMap<string, string>,
): Map<string, Grantee> {
  const grantees = new Map<string, { login: string; gains: string[] }>();
  const gain = (login: string, what: string): void => {
    const k = foldLogin(login);
    const g = grantees.get(k) ?? { login, gains: [] };
    if (!g.gains.includes(what)) g.gains.push(what);
    grantees.set(k, g);
  };
  for (const r of grants) gain(r.user, `${r.permissionSet} on ${r.account}`);
  for (const c of diff.changes) {
    // An entry written with an expires already past (expired: true) grants nothing.
    if (c.kind === 'member' && c.action === 'added' && c.expired !== true) gain(String(c.user), `joins ${String(c.group)}`);
    if (c.kind === 'member' && c.action === 'changed' && c.expired !== true && endsLater(c.fields)) {
      gain(String(c.user), `keeps ${String(c.group)} longer`);
    }
    if (c.kind === 'owner' && c.action === 'added') gain(String(c.user), `becomes an owner of ${String(c.group)}`);
    if (c.kind === 'provisioning' && c.action === 'added') gain(String(c.user), `an AWS user (${String(c.app)})`);
  }
  const granteeMap = new Map<string, Grantee>();
  for (const [k, g] of [...grantees].sort((a, b) => cmp(a[0], b[0]))) {
    const handle = baseHandles.get(k) ?? headHandles.get(k);
    granteeMap.set(k, { login: g.login, gains: g.gains, ...(handle !== undefined ? { handle } : {}) });
  }
  return granteeMap;
}

/** Grants whose permission set is high privilege, by the base's policy (the head cannot lower the bar for itself). */
function highPrivilegeGrants(base: AccessModel, head: AccessModel, grants: readonly AccessRow[]): AccessRow[] {
  const rule = highPrivilegeExpiry as unknown as Rule<Record<string, unknown>>;
  const options = ruleOptions(rule, base.policy.rules[rule.id]) ?? rule.defaults;
  const hpOptions = options as { permissionSets: string[]; managedPolicies: string[] };
  const high = new Set([...highPrivilegeSets(base, hpOptions).keys(), ...highPrivilegeSets(head, hpOptions).keys()]);
  return grants.filter((r) => high.has(r.permissionSet));
}

/** Why the change touches production accounts, one line each (duplicates possible); empty when it does not. */
function productionReasons(base: AccessModel, head: AccessModel, diff: AccessDiff, grants: readonly AccessRow[]): string[] {
  const accounts = [...base.accounts, ...head.accounts];
  const prodIds = new Set(accounts.filter((a) => Object.values(a.tags).some((v) => PROD_TAG_VALUES.has(v.toLowerCase()))).map((a) => a.id));
  const production: string[] = [];
  const rowsOn = (rows: readonly AccessRow[]): string[] => [...new Set(rows.filter((r) => prodIds.has(r.accountId)).map((r) => r.account))].sort(cmp);
  const gainedOn = rowsOn(grants);
  if (gainedOn.length > 0) production.push(`grants access on ${gainedOn.join(', ')}`);
  const lostOn = rowsOn(diff.removed);
  if (lostOn.length > 0) production.push(`removes access on ${lostOn.join(', ')}`);
  const prodSets = new Set([...base.assignments, ...head.assignments].filter((a) => prodIds.has(a.accountId)).map((a) => a.permissionSet));
  for (const c of diff.changes) {
    if (c.kind === 'permission-set' && (prodSets.has(c.name) || (typeof c.from === 'string' && prodSets.has(c.from)))) {
      production.push(`changes permission set ${c.name}, assigned on production accounts`);
    }
    if (c.kind === 'account' && accounts.some((a) => a.name === c.name && prodIds.has(a.id))) production.push(`changes production account ${c.name}`);
  }
  return production;
}

/**
 * True when the change only adds break-glass members, and touches nothing
 * outside the access files (a workflow, the code): else the usual route,
 * where the paths rule asks for the security team.
 */
function isBreakGlassOnly(
  diff: AccessDiff,
  breakGlass: readonly BreakGlassGrant[],
  touched: ReadonlyMap<string, TouchedGroup>,
  sharedFiles: readonly string[],
  repo: ChangedPaths | undefined,
): boolean {
  const onlyMembers = diff.changes.every((c) => (c.kind === 'member' && c.action === 'added') || (c.kind === 'provisioning' && c.action === 'added'));
  const addedMembers = diff.changes.filter((c) => c.kind === 'member');
  const outside = repo !== undefined && repo.changedPaths.some((p) => isProtectedPath(p) || !isAccessFile(p, repo.accessDir));
  return (
    breakGlass.length > 0 &&
    !outside &&
    sharedFiles.length === 0 &&
    onlyMembers &&
    addedMembers.length === breakGlass.length &&
    diff.removed.length === 0 &&
    [...touched.values()].every((g) => !g.isNew)
  );
}

/** Access files whose bytes differ between the revisions, relative to the access directory, sorted. */
function changedFiles(change: RevisionDiff): string[] {
  const before = new Map(change.base.sources.map((s) => [s.rel, s.bytes]));
  const after = new Map(change.head.sources.map((s) => [s.rel, s.bytes]));
  const out = new Set<string>();
  for (const [rel, bytes] of after) {
    const old = before.get(rel);
    if (old === undefined || Buffer.compare(old, bytes) !== 0) out.add(rel);
  }
  for (const rel of before.keys()) if (!after.has(rel)) out.add(rel);
  return [...out].sort(cmp);
}

/** Members of the head marked breakGlass that the base does not have as active members. */
function breakGlassGrants(base: AccessModel, head: AccessModel, today: string): BreakGlassGrant[] {
  const baseMembers = new Map(base.groups.map((g) => [g.name, new Set(g.members.filter((m) => isActive(m, today)).map((m) => m.key))]));
  const out: BreakGlassGrant[] = [];
  for (const g of head.groups) {
    for (const m of g.members) {
      if (m.breakGlass !== true || baseMembers.get(g.name)?.has(m.key)) continue;
      out.push({ group: g.name, login: m.login, expires: m.expires ?? '', ...(m.reason !== undefined ? { reason: m.reason } : {}) });
    }
  }
  return out;
}

/** Why the head's permission set lets its holders do more than the base's: what its policies newly allow, a longer session. */
function wideningReasons(b: PermissionSet, h: PermissionSet): string[] {
  const before = policiesOf(b);
  const after = policiesOf(h);
  const reasons = canonicalJson(before) === canonicalJson(after) ? [] : [...widens(before, after).reasons];
  // Absent, a session lasts an hour (the AWS default).
  const [was, is] = [b.sessionSeconds ?? 3600, h.sessionSeconds ?? 3600];
  if (is > was) reasons.push(`sessions last ${h.sessionDuration ?? 'PT1H'}, not ${b.sessionDuration ?? 'PT1H'}`);
  return reasons;
}

/** The permission sets of both revisions, matched across renames, that the change widens; by head name, sorted. */
function widenedSets(change: LoadedChange): WidenedPermissionSet[] {
  const renamedFrom = new Map(change.renames.filter((r) => r.kind === 'permission-set').map((r) => [r.to, r.from]));
  const base = new Map(change.base.model.permissionSets.map((p) => [p.name, p]));
  const out: WidenedPermissionSet[] = [];
  for (const h of change.head.model.permissionSets) {
    const b = base.get(renamedFrom.get(h.name) ?? h.name);
    if (b === undefined) continue;
    const reasons = wideningReasons(b, h);
    if (reasons.length > 0) out.push({ name: h.name, reasons });
  }
  return out.sort((x, y) => cmp(x.name, y.name));
}

/** An end moved later, or removed: {expires: {before, after}} with after null (no end) or after a non-null before. */
function endsLater(fields: unknown): boolean {
  const e = (fields as { expires?: { before: string | null; after: string | null } } | undefined)?.expires;
  if (e === undefined) return false;
  if (e.after === null) return e.before !== null;
  return e.before !== null && expiryEnd(e.after) > expiryEnd(e.before);
}

/** What the change grants (ChangeFacts.grants): new rows, rows that last longer, rows of the permission sets it widens (by head name). */
function grantedRows(change: LoadedChange, today: string, widened: ReadonlySet<string>): AccessRow[] {
  const renamed = new Map(change.renames.filter((r) => r.kind === 'permission-set').map((r) => [r.from, r.to]));
  const key = (r: AccessRow, ps: string): string => `${foldLogin(r.user)}|${r.accountId}|${ps}`;
  const before = new Map(effectiveAccess(change.base.model, today).map((r) => [key(r, renamed.get(r.permissionSet) ?? r.permissionSet), r]));
  const out = new Map(change.diff.added.map((r) => [key(r, r.permissionSet), r]));
  for (const r of effectiveAccess(change.head.model, today)) {
    const b = before.get(key(r, r.permissionSet));
    if (b === undefined) continue;
    const longer = b.expires !== undefined && (r.expires === undefined || expiryEnd(r.expires) > expiryEnd(b.expires));
    if (longer || widened.has(r.permissionSet)) out.set(key(r, r.permissionSet), r);
  }
  return [...out.values()].sort((a, b) => cmp(a.user, b.user) || cmp(a.account, b.account) || cmp(a.permissionSet, b.permissionSet));
}
