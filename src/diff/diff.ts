// The semantic access diff between two models: who gains or loses which
// access where, what objects changed, and which changes a reviewer must look
// at twice. Pure: models in, data out; the reporters put it in words.

import { cmp } from '../diagnostics';
import highPrivilegeExpiry, { highPrivilegeSets } from '../guardrails/rules/high-privilege-expiry';
import { ruleOptions } from '../guardrails/run';
import type { Rule } from '../guardrails/rule';
import { countAccess, effectiveAccess, isActive, provisionedUsers, type AccessRow, type AccessScope } from '../model/access';
import { foldLogin } from '../model/logins';
import { describeSelector } from '../model/selectors';
import type { AccessModel, AccountSelector, Group, Member, PermissionSet } from '../model/types';
import type { Rename } from '../synth/renames';
import { sensitiveChanges, sensitiveWords, type SensitiveChange } from './sensitive';

export type ChangeAction = 'added' | 'removed' | 'changed' | 'renamed';

/** One object-level change. `name` identifies the object; the rest depends on `kind`. */
export interface Change {
  readonly kind: 'group' | 'member' | 'owner' | 'app' | 'provisioning' | 'grant' | 'selector' | 'permission-set' | 'account' | 'policy' | 'waiver' | 'settings';
  readonly action: ChangeAction;
  readonly name: string;
  readonly [detail: string]: unknown;
}

export type RiskFlag = 'prod-access' | 'high-privilege' | 'new-owner' | 'mass-revocation' | 'policy-change' | 'permission-set-replaced' | 'authoritative-mode' | 'settings-change'
  | 'sensitive-actions';

export interface Risk {
  readonly flag: RiskFlag;
  readonly message: string;
}

export interface AccessDiff {
  /** Access the head gives and the base did not, sorted by user, account, permission set. */
  readonly added: readonly AccessRow[];
  readonly removed: readonly AccessRow[];
  readonly changes: readonly Change[];
  readonly risks: readonly Risk[];
  /** Sensitive actions (policy.yaml sensitiveActions) people gain or lose per account: see src/diff/sensitive.ts. */
  readonly sensitive: readonly SensitiveChange[];
}

/** Tag values that mark a production account. */
export const PROD_TAG_VALUES: ReadonlySet<string> = new Set(['prod', 'production']);
/**
 * A mass revocation removes at least MASS_REVOCATION_ROWS access rows, or at least MASS_REVOCATION_MIN rows
 * that are MASS_REVOCATION_SHARE of the base's access.
 */
export const MASS_REVOCATION_ROWS = 25;
export const MASS_REVOCATION_MIN = 5;
export const MASS_REVOCATION_SHARE = 0.2;
/** A sensitive-actions risk names this many people, then says how many more. */
export const SENSITIVE_RISK_NAMES = 10;

/**
 * Compares two models as of `today`. Without a base, everything in the head is
 * new. Renames (see detectRenames) turn a removed and an added group or
 * permission set into one renamed object, whose members and grants are then
 * compared as usual.
 */
export function diffModels(base: AccessModel | undefined, head: AccessModel, today: string, renames: readonly Rename[] = []): AccessDiff {
  const key = (r: AccessRow): string => `${foldLogin(r.user)}|${r.accountId}|${r.permissionSet}`;
  // Only rows of people and targets of groups that changed can differ: build
  // those alone, not every row of both revisions (10^6 rows in a large org).
  const scope = base ? changedScope(base, head, today) : {};
  const before = base ? effectiveAccess(base, today, scope) : [];
  const after = effectiveAccess(head, today, scope);
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  const added = after.filter((r) => !beforeKeys.has(key(r)));
  const removed = before.filter((r) => !afterKeys.has(key(r)));

  const changes = base ? objectChanges(base, head, today, renames) : head.groups.map(
    (g): Change => ({ kind: 'group', action: 'added', name: g.name, mode: g.mode }),
  );
  const sensitive = sensitiveChanges(base, head, today, added, removed);
  const risks = [
    ...assessRisks(base, head, () => (base ? countAccess(base, today) : 0), added, removed, changes),
    ...sensitive.map((c): Risk => ({ flag: 'sensitive-actions', message: sensitiveWords(c, SENSITIVE_RISK_NAMES) })),
  ];
  return { added, removed, changes, risks, sensitive };
}

/**
 * The people and targets (account and permission set) of every group whose
 * active members or targets differ between the revisions. A row outside
 * them is given by unchanged groups alone, so it is the same in both.
 */
function changedScope(base: AccessModel, head: AccessModel, today: string): AccessScope {
  const shape = (m: AccessModel): Map<string, { users: string[]; targets: string[] }> => {
    const targets = new Map<string, string[]>();
    for (const a of m.assignments) {
      const list = targets.get(a.group);
      const t = `${a.accountId}|${a.permissionSet}`;
      if (list) list.push(t);
      else targets.set(a.group, [t]);
    }
    return new Map(m.groups.map((g) => [g.name, { users: g.members.filter((x) => isActive(x, today)).map((x) => x.key), targets: targets.get(g.name) ?? [] }]));
  };
  const before = shape(base);
  const after = shape(head);
  const users = new Set<string>();
  const targets = new Set<string>();
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(name);
    const a = after.get(name);
    if (a && b && same(a.users, b.users) && same(a.targets, b.targets)) continue;
    for (const s of [a, b]) {
      if (!s) continue;
      for (const u of s.users) users.add(u);
      for (const t of s.targets) targets.add(t);
    }
  }
  return { users, targets };
}

function objectChanges(base: AccessModel, head: AccessModel, today: string, renames: readonly Rename[]): Change[] {
  const psRenames = new Map(renames.filter((r) => r.kind === 'permission-set').map((r) => [r.from, r.to]));
  const psName = (n: string): string => psRenames.get(n) ?? n;
  return [
    ...groupChanges(base, head, today, renames, psName),
    ...provisioningChanges(base, head, today),
    ...permissionSetChangesOf(base, head, psName),
    ...accountChanges(base, head),
    ...policyChanges(base, head),
    ...settingsChanges(base, head),
  ];
}

/** Groups and what hangs off them. */
function groupChanges(base: AccessModel, head: AccessModel, today: string, renames: readonly Rename[], psName: (n: string) => string): Change[] {
  const out: Change[] = [];
  const groupRenames = new Map(renames.filter((r) => r.kind === 'group').map((r) => [r.from, r.to]));
  const awsKey = (head.settings.okta.apps.find((a) => a.kind === 'aws') ?? base.settings.okta.apps.find((a) => a.kind === 'aws'))?.key;
  const names = new Map([...base.accounts, ...head.accounts].map((a) => [a.id, a.name]));
  const accountName = (id: string): string => (names.has(id) ? `${names.get(id)} (${id})` : id);
  const headGroups = new Map(head.groups.map((g) => [g.name, g]));
  const matched = new Set<string>();
  for (const b of base.groups) {
    const newName = groupRenames.get(b.name) ?? b.name;
    const h = headGroups.get(newName);
    if (!h) {
      out.push({ kind: 'group', action: 'removed', name: b.name, members: b.members.filter((m) => isActive(m, today)).length });
      continue;
    }
    matched.add(h.name);
    if (newName !== b.name) out.push({ kind: 'group', action: 'renamed', name: h.name, from: b.name });
    const fields = changedFields({ description: b.description, mode: b.mode }, { description: h.description, mode: h.mode });
    if (Object.keys(fields).length > 0) out.push({ kind: 'group', action: 'changed', name: h.name, fields });
    out.push(...groupContentChanges(b, h, today, psName, awsKey, accountName));
  }
  for (const h of head.groups) {
    if (matched.has(h.name)) continue;
    out.push({ kind: 'group', action: 'added', name: h.name, mode: h.mode });
    out.push(...groupContentChanges(undefined, h, today, psName, awsKey, accountName));
  }
  return out;
}

/**
 * Provisioning: who joins or leaves the AWS app's assignment group, that is
 * whose AWS IAM Identity Center user SCIM creates or deactivates.
 */
function provisioningChanges(base: AccessModel, head: AccessModel, today: string): Change[] {
  const out: Change[] = [];
  const awsApp = head.settings.okta.apps.find((a) => a.kind === 'aws') ?? base.settings.okta.apps.find((a) => a.kind === 'aws');
  if (!awsApp) return out;
  const before = provisionedUsers(base, today);
  const after = provisionedUsers(head, today);
  const group = awsApp.kind === 'aws' ? awsApp.assignmentGroup : awsApp.key;
  for (const [k, u] of after) {
    if (!before.has(k)) out.push(
      { kind: 'provisioning', action: 'added', name: u.login, user: u.login, app: awsApp.label, assignmentGroup: group, groups: u.groups },
    );
  }
  for (const [k, u] of before) {
    if (!after.has(k)) out.push(
      { kind: 'provisioning', action: 'removed', name: u.login, user: u.login, app: awsApp.label, assignmentGroup: group, groups: u.groups },
    );
  }
  return out;
}

/** Permission sets added, removed, renamed or changed. */
function permissionSetChangesOf(base: AccessModel, head: AccessModel, psName: (n: string) => string): Change[] {
  const out: Change[] = [];
  const headPs = new Map(head.permissionSets.map((p) => [p.name, p]));
  const matchedPs = new Set<string>();
  for (const b of base.permissionSets) {
    const h = headPs.get(psName(b.name));
    if (!h) {
      out.push({ kind: 'permission-set', action: 'removed', name: b.name });
      continue;
    }
    matchedPs.add(h.name);
    if (h.name !== b.name) out.push({ kind: 'permission-set', action: 'renamed', name: h.name, from: b.name });
    const diff = permissionSetChanges(b, h);
    if (diff) out.push({ kind: 'permission-set', action: 'changed', name: h.name, ...diff });
  }
  for (const h of head.permissionSets) if (!matchedPs.has(h.name)) out.push({ kind: 'permission-set', action: 'added', name: h.name });
  return out;
}

/** Accounts, by id: a changed name is a change of the same account. */
function accountChanges(base: AccessModel, head: AccessModel): Change[] {
  const out: Change[] = [];
  const headAccounts = new Map(head.accounts.map((a) => [a.id, a]));
  for (const b of base.accounts) {
    const h = headAccounts.get(b.id);
    if (!h) {
      out.push({ kind: 'account', action: 'removed', name: b.name, accountId: b.id });
      continue;
    }
    const fields = changedFields({ name: b.name, ou: b.ou, tags: b.tags }, { name: h.name, ou: h.ou, tags: h.tags });
    if (Object.keys(fields).length > 0) out.push({ kind: 'account', action: 'changed', name: h.name, accountId: h.id, fields });
  }
  const baseIds = new Set(base.accounts.map((a) => a.id));
  for (const h of head.accounts) if (!baseIds.has(h.id)) out.push({ kind: 'account', action: 'added', name: h.name, accountId: h.id, ou: h.ou });
  return out;
}

/** policy.yaml: its rules, and waivers added, changed or removed. */
function policyChanges(base: AccessModel, head: AccessModel): Change[] {
  const out: Change[] = [];
  const rules = changedFields(base.policy.rules, head.policy.rules);
  if (Object.keys(rules).length > 0) out.push({ kind: 'policy', action: 'changed', name: 'rules', fields: rules });
  const waiverKey = (w: { rule: string; subject: string }): string => `${w.rule}|${w.subject}`;
  const baseWaivers = new Map(base.policy.waivers.map((w) => [waiverKey(w), w]));
  const headWaivers = new Map(head.policy.waivers.map((w) => [waiverKey(w), w]));
  for (const [k, w] of headWaivers) {
    const old = baseWaivers.get(k);
    if (!old) out.push({ kind: 'waiver', action: 'added', name: k, reason: w.reason, expires: w.expires });
    else if (old.expires !== w.expires || old.reason !== w.reason) {
      const fields = changedFields({ reason: old.reason, expires: old.expires }, { reason: w.reason, expires: w.expires });
      out.push({ kind: 'waiver', action: 'changed', name: k, fields });
    }
  }
  for (const k of baseWaivers.keys()) if (!headWaivers.has(k)) out.push({ kind: 'waiver', action: 'removed', name: k });
  return out;
}

/** settings.yaml (without positions). */
function settingsChanges(base: AccessModel, head: AccessModel): Change[] {
  const strip = (s: AccessModel['settings']): Record<string, unknown> => ({
    okta: withoutPositions(s.okta),
    aws: s.aws,
    backend: s.backend,
    shards: s.shards.map((x) => ({ name: x.name, accounts: x.accountIds })),
  });
  const settings = changedFields(flatten(strip(base.settings)), flatten(strip(head.settings)));
  return Object.keys(settings).length > 0 ? [{ kind: 'settings', action: 'changed', name: 'settings', fields: settings }] : [];
}

/**
 * A member entry of the head whose expires has passed and that the base does
 * not hold with the same expires: written already past, so it grants
 * nothing, and is almost always a mistyped year. `before` is the base's entry
 * of the same person, when there is one.
 */
export interface PastEntry {
  readonly group: string;
  readonly member: Member & { readonly expires: string };
  readonly before?: Member;
}

/** The past entries of one group as of `at`; `b` is the group at the base (matched across renames), undefined when it is new. */
export function pastEntries(b: Group | undefined, h: Group, at: string): PastEntry[] {
  const before = new Map((b?.members ?? []).map((m) => [m.key, m]));
  const out: PastEntry[] = [];
  for (const m of h.members) {
    if (m.expires === undefined || isActive(m, at)) continue;
    const old = before.get(m.key);
    if (old !== undefined && old.expires === m.expires) continue;
    out.push({ group: h.name, member: m as Member & { expires: string }, ...(old !== undefined ? { before: old } : {}) });
  }
  return out;
}

/**
 * The past entries of every group of the head as of `at`, each group matched
 * to the base's across renames. Without a base model (the access directory
 * did not exist there) every entry is new.
 */
export function newPastEntries(base: AccessModel | undefined, head: AccessModel, at: string, renames: readonly Rename[]): PastEntry[] {
  const groupRenames = renames.filter((r) => r.kind === 'group');
  const from = new Map(groupRenames.map((r) => [r.to, r.from]));
  const renamedAway = new Set(groupRenames.map((r) => r.from));
  const baseGroups = new Map((base?.groups ?? []).map((g) => [g.name, g]));
  return head.groups.flatMap((h) => pastEntries(baseGroups.get(from.get(h.name) ?? (renamedAway.has(h.name) ? '' : h.name)), h, at));
}

function groupContentChanges(
  b: Group | undefined,
  h: Group,
  today: string,
  psName: (n: string) => string,
  awsKey: string | undefined,
  accountName: (id: string) => string,
): Change[] {
  const out: Change[] = [];
  const g = h.name;
  const baseMembers = new Map((b?.members ?? []).filter((m) => isActive(m, today)).map((m) => [m.key, m]));
  const headMembers = new Map(h.members.filter((m) => isActive(m, today)).map((m) => [m.key, m]));
  const detailOf = (m: Member): Record<string, unknown> => ({
    group: g,
    user: m.login,
    ...(m.expires !== undefined ? { expires: m.expires } : {}),
    ...(m.reason !== undefined ? { reason: m.reason } : {}),
  });
  for (const [k, m] of headMembers) {
    const old = baseMembers.get(k);
    const detail = detailOf(m);
    if (!old) out.push({ kind: 'member', action: 'added', name: `${g}|${m.login}`, ...detail });
    else if (old.expires !== m.expires) out.push(
      { kind: 'member', action: 'changed', name: `${g}|${m.login}`, ...detail, fields: { expires: { before: old.expires ?? null, after: m.expires ?? null } } },
    );
  }
  // An entry written already past is named for what it is, not as someone who leaves while the line is still in the file.
  const past = new Set<string>();
  for (const { member: m, before } of pastEntries(b, h, today)) {
    past.add(m.key);
    const detail = { ...detailOf(m), expired: true };
    if (before === undefined) out.push({ kind: 'member', action: 'added', name: `${g}|${m.login}`, ...detail });
    else if (isActive(before, today)) out.push({ kind: 'member', action: 'removed', name: `${g}|${m.login}`, ...detail });
    else out.push(
      { kind: 'member', action: 'changed', name: `${g}|${m.login}`, ...detail, fields: { expires: { before: before.expires ?? null, after: m.expires } } },
    );
  }
  for (const [k, m] of baseMembers) if (!headMembers.has(k) && !past.has(k)) out.push(
    { kind: 'member', action: 'removed', name: `${g}|${m.login}`, group: g, user: m.login },
  );

  const baseOwners = new Set((b?.owners ?? []).map((o) => foldLogin(o.login)));
  const headOwners = new Set(h.owners.map((o) => foldLogin(o.login)));
  for (const o of h.owners) if (!baseOwners.has(foldLogin(o.login))) out.push(
    { kind: 'owner', action: 'added', name: `${g}|${o.login}`, group: g, user: o.login },
  );
  for (const o of b?.owners ?? []) if (!headOwners.has(foldLogin(o.login))) out.push(
    { kind: 'owner', action: 'removed', name: `${g}|${o.login}`, group: g, user: o.login },
  );

  const baseApps = new Set(b?.apps ?? []);
  for (const a of h.apps) if (!baseApps.has(a)) out.push({ kind: 'app', action: 'added', name: `${g}|${a}`, group: g, app: a, pushed: a === awsKey });
  for (const a of b?.apps ?? []) if (!h.apps.includes(a)) out.push(
    { kind: 'app', action: 'removed', name: `${g}|${a}`, group: g, app: a, pushed: a === awsKey },
  );

  // Grants: the same permission set and selector is the same grant; a grant whose accounts changed without an edit is a selector change.
  const grantKey = (ps: string, s: AccountSelector): string => `${ps}|${describeSelector(s)}`;
  const baseGrants = new Map((b?.grants ?? []).map((gr) => [grantKey(psName(gr.permissionSet), gr.selector), gr]));
  const headGrants = new Map(h.grants.map((gr) => [grantKey(gr.permissionSet, gr.selector), gr]));
  for (const [k, gr] of headGrants) {
    const old = baseGrants.get(k);
    if (!old) {
      out.push(
        {
          kind: 'grant',
          action: 'added',
          name: `${g}|${k}`,
          group: g,
          permissionSet: gr.permissionSet,
          selector: describeSelector(gr.selector),
          accounts: gr.accountIds.length,
        },
      );
      continue;
    }
    const gained = gr.accountIds.filter((id) => !old.accountIds.includes(id));
    const lost = old.accountIds.filter((id) => !gr.accountIds.includes(id));
    if (gained.length > 0 || lost.length > 0) out.push(selectorChange(g, k, gr.permissionSet, gr.selector, undefined, gained, lost, accountName));
  }
  for (const [k, gr] of baseGrants) {
    if (!headGrants.has(k)) out.push(
      {
        kind: 'grant',
        action: 'removed',
        name: `${g}|${k}`,
        group: g,
        permissionSet: gr.permissionSet,
        selector: describeSelector(gr.selector),
        accounts: gr.accountIds.length,
      },
    );
  }
  // A list of accounts edited (accessctl request adds one) is one grant whose accounts changed, not a grant lost and another granted.
  for (const removed of out.filter((c) => c.kind === 'grant' && c.action === 'removed')) {
    const before = b?.grants.find((gr) => `${g}|${grantKey(psName(gr.permissionSet), gr.selector)}` === removed.name);
    const added = out.find((c) => c.kind === 'grant' && c.action === 'added' && c.permissionSet === psName(String(removed.permissionSet)));
    const after = added && h.grants.find((gr) => `${g}|${grantKey(gr.permissionSet, gr.selector)}` === added.name);
    if (!before || !after || before.selector.kind !== 'list' || after.selector.kind !== 'list') continue;
    const gained = after.accountIds.filter((id) => !before.accountIds.includes(id));
    const lost = before.accountIds.filter((id) => !after.accountIds.includes(id));
    out.splice(out.indexOf(removed), 1);
    out.splice(
      out.indexOf(added!),
      1,
      selectorChange(g, added!.name.slice(g.length + 1), after.permissionSet, after.selector, describeSelector(before.selector), gained, lost, accountName),
    );
  }
  return out;
}

/** A grant whose accounts changed: by an edited account list (`from` is the old one) or because accounts or their tags changed. */
function selectorChange(
  g: string,
  key: string,
  permissionSet: string,
  selector: AccountSelector,
  from: string | undefined,
  gained: readonly string[],
  lost: readonly string[],
  accountName: (id: string) => string,
): Change {
  return {
    kind: 'selector', action: 'changed', name: `${g}|${key}`, group: g, permissionSet, selector: describeSelector(selector),
    ...(from !== undefined ? { from } : {}),
    accountsAdded: gained, accountsRemoved: lost,
    accountNamesAdded: gained.map(accountName), accountNamesRemoved: lost.map(accountName),
  };
}

/** What changed in a permission set: plain fields, attached policies, and the inline policy by statement. */
function permissionSetChanges(b: PermissionSet, h: PermissionSet): Record<string, unknown> | undefined {
  const fields = changedFields(
    { description: b.description, sessionDuration: b.sessionDuration, relayState: b.relayState, tags: b.tags, permissionsBoundary: b.permissionsBoundary },
    { description: h.description, sessionDuration: h.sessionDuration, relayState: h.relayState, tags: h.tags, permissionsBoundary: h.permissionsBoundary },
  );
  const arns = (p: PermissionSet): string[] => [...p.managedPolicies.map((m) => m.arn), ...p.customerManagedPolicies.map((c) => `customer:${c.path}${c.name}`)];
  const policiesAdded = arns(h).filter((a) => !arns(b).includes(a));
  const policiesRemoved = arns(b).filter((a) => !arns(h).includes(a));
  const before = statements(b);
  const after = statements(h);
  const statementsAdded = after.filter((s) => !before.includes(s));
  const statementsRemoved = before.filter((s) => !after.includes(s));
  const out: Record<string, unknown> = {};
  if (Object.keys(fields).length > 0) out.fields = fields;
  if (policiesAdded.length > 0) out.policiesAdded = policiesAdded;
  if (policiesRemoved.length > 0) out.policiesRemoved = policiesRemoved;
  if (statementsAdded.length > 0 || statementsRemoved.length > 0) out.inlinePolicy = { statementsAdded, statementsRemoved };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Inline policy statements as canonical JSON (keys sorted), so a reformatted policy compares equal. */
function statements(p: PermissionSet): string[] {
  if (!p.inlinePolicy) return [];
  const list = Array.isArray(p.inlinePolicy.Statement) ? p.inlinePolicy.Statement : [p.inlinePolicy.Statement];
  return list.map((s) => canonicalJson(s));
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A value without the positions the model keeps for diagnostics (keys source and …Source): where a setting is written is not a change of it. */
function withoutPositions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutPositions);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter(([k]) => k !== 'source' && !k.endsWith('Source')).map(([k, x]) => [k, withoutPositions(x)]),
  );
}

/** Fields whose canonical JSON differs: name -> {before, after} (null where absent). */
function changedFields(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(cmp)) {
    if (canonicalJson(before[k] ?? null) !== canonicalJson(after[k] ?? null)) out[k] = { before: before[k] ?? null, after: after[k] ?? null };
  }
  return out;
}

function flatten(v: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) Object.assign(out, flatten(x as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = x;
  }
  return out;
}

function assessRisks(
  base: AccessModel | undefined,
  head: AccessModel,
  countBefore: () => number,
  added: readonly AccessRow[],
  removed: readonly AccessRow[],
  changes: readonly Change[],
): Risk[] {
  const risks: Risk[] = [];
  const prodIds = new Set(head.accounts.filter((a) => Object.values(a.tags).some((v) => PROD_TAG_VALUES.has(v.toLowerCase()))).map((a) => a.id));
  const prod = added.filter((r) => prodIds.has(r.accountId));
  if (prod.length > 0) {
    risks.push({ flag: 'prod-access', message: `${prod.length} new grant${prod.length === 1 ? '' : 's'} on production accounts ` +
        `(${[...new Set(prod.map((r) => r.account))].sort(cmp).join(', ')})` });
  }
  const rule = highPrivilegeExpiry as unknown as Rule<Record<string, unknown>>;
  const options = (ruleOptions(rule, head.policy.rules[rule.id]) ?? rule.defaults) as { permissionSets: string[]; managedPolicies: string[] };
  const high = highPrivilegeSets(head, options);
  const privileged = added.filter((r) => high.has(r.permissionSet));
  if (privileged.length > 0) {
    risks.push({ flag: 'high-privilege', message: `${privileged.length} new high-privilege grant${privileged.length === 1 ? '' : 's'}: ` +
        `${[...new Set(privileged.map((r) => `${r.user} ${r.permissionSet} on ${r.account}`))].slice(0, 5).join('; ')}${privileged.length > 5 ? '; …' : ''}` });
  }
  const owners = changes.filter((c) => c.kind === 'owner' && c.action === 'added');
  if (owners.length > 0) risks.push({ flag: 'new-owner', message: `new owner${owners.length === 1 ? '' : 's'}: ` +
      `${owners.map((c) => `${String(c.user)} of ${String(c.group)}`).join(', ')}` });
  // Counting every row of the base is the costly part: only when the share decides.
  const beforeCount = removed.length >= MASS_REVOCATION_MIN ? countBefore() : 0;
  if (removed.length >= MASS_REVOCATION_ROWS || (removed.length >= MASS_REVOCATION_MIN && removed.length / Math.max(beforeCount, 1) >= MASS_REVOCATION_SHARE)) {
    risks.push({ flag: 'mass-revocation', message: `${removed.length} of ${beforeCount} access rows are revoked` });
  }
  if (changes.some((c) => c.kind === 'policy' || c.kind === 'waiver')) {
    const n = changes.filter((c) => c.kind === 'waiver').length;
    risks.push({ flag: 'policy-change', message: `policy.yaml changes${n > 0 ? ` (${n} waiver change${n === 1 ? '' : 's'})` : ''}: guardrails decide what ` +
        `the rest of this review can trust` });
  }
  for (const c of changes.filter((x) => x.kind === 'permission-set' && x.action === 'renamed')) {
    risks.push({ flag: 'permission-set-replaced', message: `permission set ${String(c.from)} is renamed to ${c.name}: AWS replaces it, and its holders ` +
        `lose access until the new one is provisioned` });
  }
  for (const c of changes.filter(
    (x) => (x.kind === 'group' && x.action === 'changed' && (x.fields as Record<string, { after: unknown }>).mode?.after === 'authoritative'),
  )) {
    risks.push({ flag: 'authoritative-mode', message: `group ${c.name} becomes authoritative: members Okta holds that the file does not list will be ` +
        `removed` });
  }
  if (base && changes.some((c) => c.kind === 'settings')) risks.push({ flag: 'settings-change', message: 'settings.yaml changes (Okta org, apps, AWS ' +
      'instance, backend or shards)' });
  return risks;
}
