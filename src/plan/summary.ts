import { isDeepStrictEqual } from 'node:util';
import { cmp } from '../diagnostics';
import { isActive } from '../model/access';
import type { SensitiveChange } from '../diff/sensitive';
import type { AccessModel } from '../model/types';
import type { Layout } from '../synth/layout';
import { changeKind, oktaGroupNames, oktaUserLogins, type ChangeKind, type PlanDocument, type ResourceChange } from './plan-json';
import { stackOfPlanFile } from './lapsed-check';
import { SENSITIVE } from './redact';

/** One resource change, in words. */
export interface PlanItem {
  readonly plan: string;
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly words: readonly string[];
  /** Access this change takes away: a revoked assignment, a member removed. */
  readonly revocations: number;
}

export type RailId = 'mass-revocation' | 'replace' | 'unexplained-delete';

export interface Rail {
  readonly id: RailId;
  readonly tripped: boolean;
  /** Tripped but accepted with --allow-revoke. */
  readonly overridden: boolean;
  readonly message: string;
  readonly addresses: readonly string[];
}

export interface PlanSummary {
  readonly plans: readonly string[];
  readonly counts: Readonly<Record<'create' | 'update' | 'delete' | 'replace', number>>;
  readonly items: readonly PlanItem[];
  readonly revocations: number;
  /** Access that exists before the plan: assignments and memberships in the prior state. */
  readonly existing: number;
  readonly limit: number;
  readonly rails: readonly Rail[];
  readonly pendingScimGroups: readonly string[];
  /**
   * An allowlist: true when the plans change something and every change
   * (every managed resource change whose actions are not no-op or read, and
   * every move or import) is one of
   * - a delete of `aws_ssoadmin_account_assignment.this`,
   *   `okta_group_owner.this` or `okta_app_group_assignment.this`;
   * - an update of `okta_group_memberships` whose only changed attribute is
   *   `users`, known before and after (lists of ids, nothing in
   *   `after_unknown`), the new set a strict subset of the old (empty when a
   *   group's last members lapse: the layout keeps the resource).
   * Anything else (a create, replace, forget, move, import, a delete of a
   * group's memberships, another type or attribute, an unknown or masked
   * value) makes it false. The scheduled run applies such a plan (expiries)
   * without a person, still behind the rails.
   */
  readonly removalsOnly: boolean;
  /** False when a rail trips and is not overridden. */
  readonly ok: boolean;
  /** Sensitive actions gained or lost between the base and these files (plan-summary --base), as accessctl diff says them; empty without a base. */
  readonly sensitive: readonly SensitiveChange[];
}

export type RevokeLimit = { readonly kind: 'count'; readonly value: number } | { readonly kind: 'percent'; readonly value: number };

/** Below this many revocations a percentage limit never trips: small orgs must still be able to remove a person. */
export const PERCENT_LIMIT_FLOOR = 3;
export const DEFAULT_REVOKE_LIMIT: RevokeLimit = { kind: 'percent', value: 10 };

/** Resource types whose replacement means access is gone until the new object exists. */
const REPLACE_RAIL_TYPES = new Set(['aws_ssoadmin_account_assignment', 'aws_ssoadmin_permission_set']);

export interface SummaryOptions {
  readonly limit: RevokeLimit;
  readonly allowRevoke: boolean;
  /** The diff's sensitive-action changes (AccessDiff.sensitive), when a base was given. */
  readonly sensitive?: readonly SensitiveChange[];
}

/**
 * Reads plans of the accessctl stacks and says what will change, in the
 * words of `accessctl diff`, then applies the safety rails: mass revocation,
 * replacement of assignments or permission sets, and deletes the YAML does
 * not explain (the current files still declare the object).
 */
export function summarizePlans(
  plans: ReadonlyArray<{ name: string; plan: PlanDocument }>,
  layout: Layout,
  model: AccessModel,
  options: SummaryOptions,
  today: string,
): PlanSummary {
  const declared = declaredKeys(layout);
  const accounts = new Map(model.accounts.map((a) => [a.id, a.name]));
  const groups = new Map(model.groups.map((g) => [g.name, g]));
  const counts = { create: 0, update: 0, delete: 0, replace: 0 };
  const items: PlanItem[] = [];
  const replaced: string[] = [];
  const unexplained: string[] = [];
  const pending = new Set<string>();
  let existing = 0;
  let changes = 0;
  let removals = 0;

  for (const { name, plan } of plans) {
    const logins = oktaUserLogins(plan);
    const person = (id: string): string => logins.get(id) ?? `user ${id}`;
    const groupIds = oktaGroupNames(plan);
    const group = (id: string): string => groupIds.get(id) ?? `group ${id}`;
    const out = plan.planned_values?.outputs?.pending_scim_groups?.value;
    if (Array.isArray(out)) for (const g of out) if (typeof g === 'string') pending.add(g);

    for (const rc of plan.resource_changes) {
      if (rc.mode === 'data') continue;
      const kind = changeKind(rc.change.actions);
      if (rc.change.before !== null) existing += existingAccess(rc);
      if (isChange(rc)) {
        changes++;
        if (isKnownRemoval(rc, kind)) removals++;
      }
      if (kind === 'none') continue;
      counts[kind]++;
      const key = rc.index === undefined ? undefined : String(rc.index);
      const words = describe(rc, kind, key, { accounts, groups, person, group, today, awsApp: layout.okta.awsApp });
      const revocations = revocationsOf(rc, kind);
      items.push({ plan: name, address: rc.address, type: rc.type, kind, words, revocations });
      if (kind === 'replace' && REPLACE_RAIL_TYPES.has(rc.type)) replaced.push(rc.address);
      if (kind === 'delete' && rc.previous_address === undefined && declared.has(rc.address)) unexplained.push(rc.address);
    }
  }

  const revocations = items.reduce((n, i) => n + i.revocations, 0);
  const limit = options.limit.kind === 'count' ? options.limit.value : Math.max(PERCENT_LIMIT_FLOOR, Math.ceil((existing * options.limit.value) / 100));
  const share = options.limit.kind === 'percent' ? Math.ceil((existing * options.limit.value) / 100) : limit;
  const limitText = options.limit.kind === 'count'
    ? `at most ${limit} allowed`
    : `at most ${limit} allowed: ${options.limit.value}% of the ${existing} existing${limit > share ? `, and never fewer than ${PERCENT_LIMIT_FLOOR}` : ''}`;
  const rail = (id: RailId, tripped: boolean, overridable: boolean, message: string, addresses: string[]): Rail => ({
    id, tripped, overridden: tripped && overridable && options.allowRevoke, message, addresses: addresses.sort(cmp),
  });
  const revoking = items.filter((i) => i.revocations > 0).map((i) => i.address);
  const rails = [
    rail(
      'mass-revocation',
      revocations > limit,
      true,
      `${revocations} revocation${revocations === 1 ? '' : 's'}${acrossStacks(plans, items)} (${limitText})`,
      revoking,
    ),
    rail(
      'replace',
      replaced.length > 0,
      true,
      `${replaced.length} account assignment${replaced.length === 1 ? '' : 's'} or permission set${replaced.length === 1 ? '' : 's'} replaced (access is ` +
          `lost until re-created)`,
      replaced,
    ),
    rail(
      'unexplained-delete',
      unexplained.length > 0,
      false,
      `${unexplained.length} delete${unexplained.length === 1 ? '' : 's'} of objects the files still declare (drift, or a lookup that came back empty)`,
      unexplained,
    ),
  ];
  return {
    plans: plans.map((p) => p.name),
    counts,
    items: items.sort((a, b) => cmp(a.plan, b.plan) || cmp(a.address, b.address)),
    revocations,
    existing,
    limit,
    rails,
    pendingScimGroups: [...pending].sort(cmp),
    removalsOnly: changes > 0 && removals === changes,
    ok: rails.every((r) => !r.tripped || r.overridden),
    sensitive: options.sensitive ?? [],
  };
}

/**
 * The rails count every plan of a run together (two shards each under the
 * limit can be over it together); with more than one plan, the words say how
 * many revocations each stack adds: " across aws-prod (4), okta (2)".
 */
function acrossStacks(plans: ReadonlyArray<{ name: string }>, items: readonly PlanItem[]): string {
  if (plans.length < 2) return '';
  const per = new Map<string, number>();
  for (const i of items) if (i.revocations > 0) per.set(stackOfPlanFile(i.plan), (per.get(stackOfPlanFile(i.plan)) ?? 0) + i.revocations);
  if (per.size === 0) return '';
  return ` across ${[...per].sort(([a], [b]) => cmp(a, b)).map(([s, n]) => `${s} (${n})`).join(', ')}`;
}

/** The types whose delete only takes access away (their instances `this`: see PlanSummary.removalsOnly). */
const REMOVAL_DELETE_TYPES = new Set(['aws_ssoadmin_account_assignment', 'okta_group_owner', 'okta_app_group_assignment']);

const isMove = (rc: ResourceChange): boolean => rc.previous_address !== undefined && rc.previous_address !== rc.address;

/** Whether a resource change does anything: actions other than a no-op or a read, a move, or an import. */
function isChange(rc: ResourceChange): boolean {
  const actions = rc.change.actions.join(',');
  return (actions !== 'no-op' && actions !== 'read') || isMove(rc) || rc.change.importing !== undefined;
}

/** Whether a change is on the allowlist of known removals (see PlanSummary.removalsOnly). */
function isKnownRemoval(rc: ResourceChange, kind: ChangeKind): boolean {
  if (isMove(rc) || rc.change.importing !== undefined) return false;
  // A group's memberships are never deleted by an expiry (the layout keeps them, empty): such a delete
  // ends the enforcement of an authoritative group, and a person must see it.
  if (kind === 'delete') return REMOVAL_DELETE_TYPES.has(rc.type) && rc.name === 'this';
  return kind === 'update' && rc.type === 'okta_group_memberships' && onlyDropsMembers(rc.change);
}

/** An update whose only changed attribute is `users`, both known lists of ids, the new set a strict subset of the old. */
function onlyDropsMembers({ before, after, after_unknown }: ResourceChange['change']): boolean {
  if (!before || !after || !allKnown(after_unknown)) return false;
  const others = new Set([...Object.keys(before), ...Object.keys(after)]);
  others.delete('users');
  for (const k of others) if (masked(before[k]) || !isDeepStrictEqual(before[k], after[k])) return false;
  const was = knownIds(before.users);
  const now = knownIds(after.users);
  if (!was || !now) return false;
  const old = new Set(was);
  const next = new Set(now);
  return next.size < old.size && [...next].every((u) => old.has(u));
}

/** An after_unknown mask that marks nothing: false, or lists and objects of such (`{}` when all is known). Missing or anything else: unknown. */
function allKnown(mask: unknown): boolean {
  if (mask === false) return true;
  return mask !== null && typeof mask === 'object' && Object.values(mask).every(allKnown);
}

/** A value redaction replaced, in part or whole: whether it changed cannot be told. */
function masked(v: unknown): boolean {
  return v === SENSITIVE || (v !== null && typeof v === 'object' && Object.values(v).some(masked));
}

/** A list of user ids, or undefined when the value is anything else (unknown, masked, not strings). */
function knownIds(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== SENSITIVE) ? v : undefined;
}

/** Access an existing object stands for: one per assignment, one per member of a membership. */
function existingAccess(rc: ResourceChange): number {
  if (rc.type === 'aws_ssoadmin_account_assignment') return 1;
  if (rc.type === 'okta_group_memberships') return ids(rc.change.before?.users).length;
  return 0;
}

function revocationsOf(rc: ResourceChange, kind: ChangeKind): number {
  if (rc.type === 'aws_ssoadmin_account_assignment') return kind === 'delete' || kind === 'replace' ? 1 : 0;
  if (rc.type === 'okta_group_memberships') {
    const before = ids(rc.change.before?.users);
    const after = new Set(kind === 'delete' ? [] : ids(rc.change.after?.users));
    return before.filter((u) => !after.has(u)).length;
  }
  return 0;
}

interface Names {
  readonly accounts: Map<string, string>;
  readonly groups: Map<string, AccessModel['groups'][number]>;
  readonly person: (id: string) => string;
  /** An Okta group's name from its id (prior state), or "group <id>". */
  readonly group: (id: string) => string;
  readonly awsApp: Layout['okta']['awsApp'];
  readonly today: string;
}

function describe(rc: ResourceChange, kind: ChangeKind, key: string | undefined, n: Names): string[] {
  const account = (id: string): string => (n.accounts.has(id) ? `${n.accounts.get(id)} (${id})` : id);
  const verb = { create: 'is created', delete: 'is deleted', update: 'changes', replace: 'is REPLACED', none: '' }[kind];
  switch (rc.type) {
    case 'aws_ssoadmin_account_assignment': {
      const [g, ps, acct] = (key ?? '||').split('|');
      const members = n.groups.get(g)?.members.filter((m) => isActive(m, n.today)).map((m) => m.login) ?? [];
      const who = members.length > 0 ? ` (${members.length} member${members.length === 1 ? '' : 's'}: ` +
          `${members.slice(0, 5).join(', ')}${members.length > 5 ? ', …' : ''})` : '';
      if (kind === 'create') return [`${g} is granted ${ps} on ${account(acct)}${who}`];
      if (kind === 'delete') return [`${g} loses ${ps} on ${account(acct)}${who}`];
      if (kind === 'replace') return [`${g}'s ${ps} on ${account(acct)} is REPLACED: its members lose the access until it is re-created${who}`];
      return [`${g}'s ${ps} on ${account(acct)} changes`];
    }
    case 'okta_group_memberships': {
      if (rc.name === 'assignment') {
        const app = n.awsApp?.label ?? 'AWS IAM Identity Center';
        const ag = n.awsApp?.assignmentGroup.name ?? 'the assignment group';
        const before = new Set(ids(rc.change.before?.users));
        const after = new Set(kind === 'delete' ? [] : ids(rc.change.after?.users));
        const joins = [...after].filter((u) => !before.has(u)).map((u) => `${n.person(u)} joins ${ag}: SCIM creates their ${app} user`);
        const leaves = [...before].filter((u) => !after.has(u)).map((u) => `${n.person(u)} leaves ${ag}: SCIM deactivates their ${app} user (no longer in ` +
            `a group pushed to AWS)`);
        const words = [...joins.sort(cmp), ...leaves.sort(cmp)];
        return words.length > 0 ? words : [`membership settings of ${ag} change`];
      }
      const before = new Set(ids(rc.change.before?.users));
      const after = new Set(kind === 'delete' ? [] : ids(rc.change.after?.users));
      const joins = [...after].filter((u) => !before.has(u)).map((u) => `${n.person(u)} joins ${key}`);
      const leaves = [...before].filter((u) => !after.has(u)).map((u) => `${n.person(u)} leaves ${key}`);
      const words = [...joins.sort(cmp), ...leaves.sort(cmp)];
      return words.length > 0 ? words : [`membership settings of ${key} change`];
    }
    case 'okta_group': {
      if (rc.name === 'assignment' && kind === 'create') return [`the assignment group ${String(rc.change.after?.name ?? n.awsApp?.assignmentGroup.name)} ` +
          `is created: the only group assigned to the app ${key}, holding everyone in a group pushed to AWS`];
      const from = rc.change.before?.name;
      const to = rc.change.after?.name;
      if (kind === 'update' && from !== to) return [`group ${String(from)} is renamed to ${String(to)}`];
      return [`group ${key} ${verb}`];
    }
    case 'okta_group_owner': {
      const [g, login] = (key ?? '|').split('|');
      return [
        kind === 'create'
          ? `${login} becomes an owner of ${g}`
          : kind === 'delete' ? `${login} is no longer an owner of ${g}` : `owner ${login} of ${g} ${verb}`,
      ];
    }
    case 'okta_push_group':
      return [kind === 'create' ? `${key} is pushed to AWS` : kind === 'delete' ? `${key} is no longer pushed to AWS` : `Group Push of ${key} ${verb}`];
    case 'okta_app_group_assignment': {
      if (rc.name === 'assignment') {
        const ag = n.awsApp?.assignmentGroup.name ?? 'the assignment group';
        return [kind === 'create' ? `${ag} is assigned to the app ${key}` : kind === 'delete' ? `${ag} is no longer assigned to the app ${key}: SCIM ` +
            `deactivates every AWS user` : `the assignment of ${ag} to ${key} ${verb}`];
      }
      const [app, g] = (key ?? '|').split('|');
      return [
        kind === 'create'
          ? `${g} is assigned to the app ${app}`
          : kind === 'delete' ? `${g} is no longer assigned to the app ${app}` : `the assignment of ${g} to ${app} ${verb}`,
      ];
    }
    case 'okta_app_group_assignments': {
      const groupIds = (v: Record<string, unknown> | null): string[] => ((v?.group ?? []) as Array<{ id?: unknown }>).map((x) => String(x.id));
      const before = new Set(groupIds(rc.change.before));
      const after = new Set(kind === 'delete' ? [] : groupIds(rc.change.after));
      const plus = [...after].filter((x) => !before.has(x)).length;
      const minus = [...before].filter((x) => !after.has(x)).sort(cmp);
      if (minus.length === 0) return [`the ${key} app: ${plus} group${plus === 1 ? '' : 's'} assigned`];
      const names = minus.map(n.group).sort(cmp).join(', ');
      const pushed = new Set(n.awsApp?.push ?? []);
      const allPushed = minus.every((id) => pushed.has(n.group(id)));
      const ag = n.awsApp?.assignmentGroup.name ?? 'the assignment group';
      return [allPushed
        ? `the ${key} app: ${names} ${minus.length === 1 ? 'is' : 'are'} no longer assigned to it, only pushed (a one-time change: Okta does not support a ` +
            `group both assigned and pushed). Their members stay assigned through ${ag}, which is assigned first`
        : `the ${key} app: ${plus} group${plus === 1 ? '' : 's'} assigned, ${minus.length} unassigned (${names}); every group but ${ag} assigned to the ` +
            `app is removed`];
    }
    case 'okta_app_connection':
      if (kind === 'replace') return [`SCIM provisioning of the ${key} app is re-created with the token of this run (scim.tokenIssued changed)`];
      return [`SCIM provisioning of the ${key} app ` +
          `${kind === 'create' ? 'is connected' : kind === 'delete' ? 'is disconnected: Okta stops creating and deactivating AWS users' : verb}`];
    case 'okta_app_features':
      return [`user provisioning (create, update, deactivate) of the ${key} app ${kind === 'create' ? 'is enabled' : verb}`];
    case 'aws_ssoadmin_permission_set':
      return [`permission set ${key} ${verb}${kind === 'replace' ? ': every assignment of it is re-created, and its holders lose access meanwhile' : ''}`];
    default:
      return [`${rc.type} ${key ?? rc.name} ${verb}`];
  }
}

function ids(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The addresses of the instances the current files declare. */
function declaredKeys(layout: Layout): Set<string> {
  const out = new Set<string>();
  const add = (type: string, keys: Iterable<string>, name = 'this'): void => {
    for (const k of keys) out.add(`${type}.${name}[${JSON.stringify(k)}]`);
  };
  const o = layout.okta;
  add('okta_group', Object.keys(o.groups));
  add('okta_group_memberships', Object.keys(o.memberships));
  add('okta_group_owner', Object.keys(o.owners));
  add('okta_app_group_assignment', Object.keys(o.appAssignments));
  if (o.awsApp) {
    const app = [o.awsApp.key];
    for (const t of ['okta_app_saml', 'okta_app_group_assignments']) add(t, app);
    if (o.awsApp.requireMfa) for (const t of ['okta_app_signon_policy', 'okta_app_signon_policy_rule']) add(t, app);
    if (o.awsApp.provisioning) add('okta_app_features', app);
    if (layout.oktaScim) add('okta_app_connection', [layout.oktaScim.appKey]);
    add('okta_group', app, 'assignment');
    add('okta_app_group_assignment', app, 'assignment');
    if (o.awsApp.assignmentGroup.logins.length > 0) add('okta_group_memberships', app, 'assignment');
    add('okta_push_group', o.awsApp.push);
  }
  for (const a of layout.aws) {
    add('aws_ssoadmin_permission_set', Object.keys(a.permissionSets));
    add('aws_ssoadmin_managed_policy_attachment', Object.keys(a.managedPolicyAttachments));
    add('aws_ssoadmin_customer_managed_policy_attachment', Object.keys(a.customerManagedPolicyAttachments));
    add('aws_ssoadmin_permission_set_inline_policy', Object.keys(a.inlinePolicies));
    add('aws_ssoadmin_permissions_boundary_attachment', Object.keys(a.permissionsBoundaries));
    add('aws_ssoadmin_account_assignment', Object.keys(a.assignments));
  }
  return out;
}
