// What the Terraform stacks hold, as plain data: every resource instance key
// and value is decided here, from the AccessModel alone, so that the rules are
// testable without cdktf. stacks/ only renders a Layout.
//
// Keys are names, never positions (DESIGN decision 1), and every literal
// string that came from a user is escaped so Terraform never evaluates it.

import { cmp } from '../diagnostics';
import { isActive } from '../model/access';
import type { AccessModel, Assignment, AwsApp, Group, ImportEntry } from '../model/types';
import type { Rename } from './renames';
import versions from './versions.json';

/** The engine and provider constraints (versions.json is also what engine/build.sh builds from). */
export const ENGINE_REQUIRED_VERSION = versions.engine.requiredVersion;
/** okta_push_group arrived in okta/okta 6.6.0 (March 2026). */
export const OKTA_PROVIDER_WITH_PUSH = versions.providers.okta.constraint;
/** The release the prebuilt bindings (@cdktf/provider-okta 14) were generated from. */
export const OKTA_PROVIDER_WITHOUT_PUSH = versions.providers.okta.constraintWithoutPush;
/** The release the prebuilt bindings (@cdktf/provider-aws 21) were generated from. */
export const AWS_PROVIDER = versions.providers.aws.constraint;
/** Logins per okta_users search: one API read per 50 people instead of one per person. */
export const USER_LOOKUP_BATCH = 50;

export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

export interface OktaLayout {
  readonly stack: 'okta';
  readonly providerVersion: string;
  readonly provider: { readonly orgName: string; readonly baseUrl: string; readonly maxApiCapacity: number };
  /** data.okta_users.this[key]: a search expression for up to USER_LOOKUP_BATCH logins. */
  readonly userLookups: Readonly<Record<string, { readonly expression: string }>>;
  /** okta_group.this[name] */
  readonly groups: Readonly<Record<string, { readonly description: string | null }>>;
  /**
   * okta_group_memberships.this[group], for every group: lower-cased logins of
   * active members, empty when nobody is active. The resource outlives its
   * last member: an authoritative group (track_all_users) stays enforced (the
   * provider reads Okta's members into an empty set too, so the plan removes
   * whoever was added outside the files), and a last member's expiry is an
   * update that drops them, never a delete.
   */
  readonly memberships: Readonly<Record<string, { readonly logins: readonly string[]; readonly track_all_users: boolean }>>;
  /** okta_group_owner.this["group|login"] */
  readonly owners: Readonly<Record<string, { readonly group: string; readonly login: string }>>;
  /** okta_app_saml.this[key] and what hangs off it; absent when no AWS app is declared. */
  readonly awsApp?: {
    readonly key: string;
    readonly label: string;
    readonly acsUrl: string;
    readonly entityId: string;
    readonly requireMfa: boolean;
    /**
     * okta_group.assignment[key] and okta_group_memberships.assignment[key]:
     * the one group assigned to the app (okta_app_group_assignment.assignment[key],
     * and okta_app_group_assignments.this[key], which also removes any other
     * group assigned to the app). Its members are the active members of every
     * pushed group, so that SCIM creates a user when someone joins their first
     * AWS group and deactivates it when they leave their last.
     */
    readonly assignmentGroup: { readonly name: string; readonly description: string; readonly logins: readonly string[] };
    /** Groups with apps: [aws], sorted: pushed to AWS, never assigned to the app. */
    readonly groups: readonly string[];
    /** okta_push_group.this[group]: empty when group push is off. */
    readonly push: readonly string[];
    /**
     * okta_app_features.this[key]: user provisioning (SCIM) switched on. The
     * connection that holds the SCIM token is not in this stack: it lives in
     * the okta-scim stack (OktaScimLayout), whose state only the apply role
     * may read.
     */
    readonly provisioning: boolean;
  };
  /** okta_app_group_assignment.this["app|group"] for apps managed elsewhere. */
  readonly appAssignments: Readonly<Record<string, { readonly app_id: string; readonly group: string }>>;
  readonly moved: readonly MovedBlock[];
  /** Terraform import blocks for existing objects (imports.yaml). */
  readonly imports: readonly ImportBlock[];
}

/**
 * The okta-scim stack: okta_app_connection.this[appKey], the SCIM base URL and
 * token of the AWS app, apart from everything else because Terraform keeps
 * the token in state. Only the apply role reads or writes this stack's state;
 * it is planned and applied in the gated apply job alone, never in a pull
 * request or a drift run (docs/ci.md#the-scim-token).
 * terraform_data.scim_token[appKey] holds the day the token was issued: a new
 * day re-creates the connection with the token of that run.
 */
export interface OktaScimLayout {
  readonly stack: 'okta-scim';
  readonly providerVersion: string;
  readonly provider: OktaLayout['provider'];
  readonly appKey: string;
  readonly baseUrl: string;
  readonly tokenIssued: string;
}

/** The stack that holds the SCIM token. */
export const OKTA_SCIM_STACK = 'okta-scim';

export interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

export interface AssignmentValue {
  readonly group: string;
  readonly permission_set: string;
  readonly account_id: string;
}

export interface AwsLayout {
  /** "aws", or "aws-<shard>". */
  readonly stack: string;
  readonly shard?: string;
  readonly region: string;
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
  /** aws_ssoadmin_permission_set.this[name]; only in the "aws" stack. */
  readonly permissionSets: Readonly<Record<string, {
    readonly description: string | null;
    readonly session_duration: string | null;
    readonly relay_state: string | null;
    readonly tags: Readonly<Record<string, string>>;
  }>>;
  /** aws_ssoadmin_managed_policy_attachment.this["ps|arn"] */
  readonly managedPolicyAttachments: Readonly<Record<string, { readonly permission_set: string; readonly arn: string }>>;
  /** aws_ssoadmin_customer_managed_policy_attachment.this["ps|/path/name"] */
  readonly customerManagedPolicyAttachments: Readonly<Record<string, { readonly permission_set: string; readonly name: string; readonly path: string }>>;
  /** aws_ssoadmin_permission_set_inline_policy.this[ps] */
  readonly inlinePolicies: Readonly<Record<string, { readonly permission_set: string; readonly policy: string }>>;
  /** aws_ssoadmin_permissions_boundary_attachment.this[ps] */
  readonly permissionsBoundaries: Readonly<Record<string, {
    readonly permission_set: string;
    readonly managed_policy_arn: string | null;
    readonly customer_managed_policy: { readonly name: string; readonly path: string } | null;
  }>>;
  /** aws_ssoadmin_account_assignment.this["group|permission set|account id"] */
  readonly assignments: Readonly<Record<string, AssignmentValue>>;
  /** Identity Store display names to look each group up by: its name, then names it had in the base revision. */
  readonly groupLookup: Readonly<Record<string, readonly string[]>>;
  /** Groups new in this change: their assignments wait for the SCIM push instead of failing the plan. */
  readonly newGroups: readonly string[];
  /** Shards only: permission sets new in this change, which the aws stack has not created yet. */
  readonly newPermissionSets: readonly string[];
  readonly moved: readonly MovedBlock[];
  /** Terraform import blocks for existing objects (imports.yaml), account assignments apart. */
  readonly imports: readonly ImportBlock[];
  /**
   * Account assignments to import: key -> import id. They become one import
   * block with for_each over the assignments the stack plans, because an
   * assignment whose group waits for its SCIM push is not declared (an import
   * into an undeclared instance fails the whole plan).
   */
  readonly assignmentImports: Readonly<Record<string, string>>;
}

export interface Layout {
  readonly okta: OktaLayout;
  /** Present when the AWS app's SCIM provisioning is code (settings scim). */
  readonly oktaScim?: OktaScimLayout;
  /** The "aws" stack first, then one per shard in declared order. */
  readonly aws: readonly AwsLayout[];
  readonly renames: readonly Rename[];
  /** Entries of imports.yaml that name no resource instance of any stack (left out, reported). */
  readonly unmatchedImports: readonly ImportEntry[];
}

export type StackLayout = OktaLayout | OktaScimLayout | AwsLayout;

/** Every stack of a layout in synth (and apply) order: okta, okta-scim, aws, then the shards. */
export function stackLayouts(layout: Layout): StackLayout[] {
  return [layout.okta, ...(layout.oktaScim ? [layout.oktaScim] : []), ...layout.aws];
}

export interface LayoutInput {
  readonly model: AccessModel;
  /** YYYY-MM-DD: members whose expires date is before it are not members. */
  readonly today: string;
  /** What the base revision declared and what was renamed since: moved blocks and pending SCIM pushes come from it. */
  readonly base?: BaseRevision;
}

export interface BaseRevision {
  readonly groups: ReadonlySet<string>;
  readonly permissionSets: ReadonlySet<string>;
  readonly renames: readonly Rename[];
  /**
   * Lower-cased logins of the base revision's members and owners. They are
   * looked up too, so that a plan names someone this change removes from
   * every group (plan-summary reads logins from the look-ups).
   */
  readonly logins?: ReadonlySet<string>;
}

/** Escapes what Terraform would read as a template ("${", "%{") in a literal string. */
export function literal(s: string): string {
  // A function replacement: in a replacement string "$$" would itself collapse to "$".
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function literalOrNull(s: string | undefined): string | null {
  return s === undefined ? null : literal(s);
}

function literalRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  // defineProperty: an assignment to out["__proto__"] would set the prototype and drop the tag.
  for (const k of Object.keys(r).sort(cmp)) Object.defineProperty(
    out,
    literal(k),
    { value: literal(r[k]), enumerable: true, writable: true, configurable: true },
  );
  return out;
}

/** `type.this["key"]`, the address of one for_each instance. */
export function address(type: string, key: string): string {
  return `${type}.this[${JSON.stringify(key)}]`;
}

/** The logins a base revision's look-ups held: its members and owners, lower-cased. */
export function baseLogins(model: AccessModel): Set<string> {
  const out = new Set<string>();
  for (const g of model.groups) {
    for (const m of g.members) out.add(m.login.toLowerCase());
    for (const o of g.owners) out.add(o.login.toLowerCase());
  }
  return out;
}

export function buildLayout(input: LayoutInput): Layout {
  const { model, today } = input;
  const renames = input.base?.renames ?? [];
  const oldGroupNames = reverseRenames(renames, 'group');
  const oldPsNames = reverseRenames(renames, 'permission-set');
  const awsApp = model.settings.okta.apps.find((a): a is AwsApp => a.kind === 'aws');

  const okta = oktaLayout(model, today, awsApp, oldGroupNames, input.base?.logins);
  const aws = awsLayouts(input, oldGroupNames, oldPsNames);
  const placed = placeImports(model.imports, okta, aws);
  return {
    okta: { ...okta, imports: placed.okta },
    ...(awsApp?.scim !== undefined
      ? {
        oktaScim: {
          stack: OKTA_SCIM_STACK,
          providerVersion: OKTA_PROVIDER_WITH_PUSH,
          provider: okta.provider,
          appKey: awsApp.key,
          baseUrl: literal(awsApp.scim.baseUrl),
          tokenIssued: awsApp.scim.tokenIssued,
        },
      }
      : {}),
    aws: aws.map((a, i) => ({ ...a, imports: placed.aws[i]!, assignmentImports: placed.awsAssignments[i]! })),
    renames,
    unmatchedImports: placed.unmatched,
  };
}

/** Which stack declares each imported instance; entries no stack declares are returned apart. */
function placeImports(
  entries: readonly ImportEntry[],
  okta: OktaLayout,
  aws: readonly AwsLayout[],
): { okta: ImportBlock[]; aws: ImportBlock[][]; awsAssignments: Record<string, string>[]; unmatched: ImportEntry[] } {
  const out = {
    okta: [] as ImportBlock[],
    aws: aws.map((): ImportBlock[] => []),
    awsAssignments: aws.map((): Record<string, string> => ({})),
    unmatched: [] as ImportEntry[],
  };
  const app = okta.awsApp;
  const inOkta = (e: ImportEntry): boolean => {
    switch (e.resource) {
      case 'okta_group': return e.key in okta.groups;
      case 'okta_group_memberships': return e.key in okta.memberships;
      case 'okta_group_owner': return e.key in okta.owners;
      case 'okta_app_saml': return app?.key === e.key;
      case 'okta_app_group_assignments': return app?.key === e.key && app.groups.length > 0;
      case 'okta_push_group': return app?.push.includes(e.key) ?? false;
      case 'okta_app_group_assignment': return e.key in okta.appAssignments;
      default: return false;
    }
  };
  const inAws = (e: ImportEntry, a: AwsLayout): boolean => {
    switch (e.resource) {
      case 'aws_ssoadmin_permission_set': return e.key in a.permissionSets;
      case 'aws_ssoadmin_managed_policy_attachment': return e.key in a.managedPolicyAttachments;
      case 'aws_ssoadmin_customer_managed_policy_attachment': return e.key in a.customerManagedPolicyAttachments;
      case 'aws_ssoadmin_permission_set_inline_policy': return e.key in a.inlinePolicies;
      case 'aws_ssoadmin_permissions_boundary_attachment': return e.key in a.permissionsBoundaries;
      case 'aws_ssoadmin_account_assignment': return e.key in a.assignments;
      default: return false;
    }
  };
  for (const e of entries) {
    const block = { to: address(e.resource, e.key), id: literal(e.id) };
    if (inOkta(e)) {
      out.okta.push(block);
      continue;
    }
    const i = aws.findIndex((a) => inAws(e, a));
    if (i < 0) out.unmatched.push(e);
    else if (e.resource === 'aws_ssoadmin_account_assignment') out.awsAssignments[i]![e.key] = literal(e.id);
    else out.aws[i]!.push(block);
  }
  for (const list of [out.okta, ...out.aws]) list.sort((x, y) => cmp(x.to, y.to));
  out.awsAssignments = out.awsAssignments.map((m) => Object.fromEntries(Object.keys(m).sort(cmp).map((k) => [k, m[k]!])));
  return out;
}

/** An Okta app of settings.yaml. */
type OktaApp = AccessModel['settings']['okta']['apps'][number];

/** What the okta stack declares for the groups, gathered group by group (oktaGroupParts). */
interface OktaGroupParts {
  readonly groups: Record<string, { description: string | null }>;
  readonly memberships: Record<string, { logins: string[]; track_all_users: boolean }>;
  readonly owners: Record<string, { group: string; login: string }>;
  readonly appAssignments: Record<string, { app_id: string; group: string }>;
  /** Lower-cased logins the stack looks up. */
  readonly lookups: Set<string>;
  readonly moved: MovedBlock[];
  /** Groups assigned to the AWS app. */
  readonly awsGroups: string[];
  /** Lower-cased logins of their active members. */
  readonly provisioned: Set<string>;
}

function oktaLayout(
  model: AccessModel,
  today: string,
  awsApp: AwsApp | undefined,
  oldGroupNames: Map<string, string[]>,
  baseLogins: ReadonlySet<string> = new Set(),
): OktaLayout {
  const pushEnabled = model.settings.okta.groupPush;
  const parts = oktaGroupParts(model, today, awsApp, oldGroupNames);
  for (const l of baseLogins) parts.lookups.add(l);
  const { groups, memberships, owners, appAssignments } = parts;
  return {
    stack: 'okta',
    providerVersion: pushEnabled || awsApp?.scim !== undefined ? OKTA_PROVIDER_WITH_PUSH : OKTA_PROVIDER_WITHOUT_PUSH,
    provider: { orgName: model.settings.okta.org, baseUrl: model.settings.okta.baseUrl, maxApiCapacity: model.settings.okta.maxApiCapacity },
    userLookups: userLookupsOf(parts.lookups),
    groups,
    memberships,
    owners,
    ...(awsApp ? { awsApp: awsAppLayout(awsApp, parts.awsGroups, parts.provisioned, pushEnabled) } : {}),
    appAssignments,
    moved: sortMoved(parts.moved),
    imports: [],
  };
}

/** Every group's okta resources, and the moved blocks of groups renamed from `oldGroupNames`. */
function oktaGroupParts(model: AccessModel, today: string, awsApp: AwsApp | undefined, oldGroupNames: Map<string, string[]>): OktaGroupParts {
  const parts: OktaGroupParts = {
    groups: {},
    memberships: {},
    owners: {},
    appAssignments: {},
    lookups: new Set<string>(),
    moved: [],
    awsGroups: [],
    provisioned: new Set<string>(),
  };
  const existingApps = new Map(model.settings.okta.apps.filter((a) => a.kind === 'existing').map((a) => [a.key, a]));
  const pushEnabled = model.settings.okta.groupPush;
  for (const g of model.groups) {
    addOktaGroup(parts, g, today, awsApp, existingApps);
    const pushed = pushEnabled && awsApp !== undefined && g.apps.includes(awsApp.key);
    for (const old of oldGroupNames.get(g.name) ?? []) parts.moved.push(...movedOktaGroup(g, old, pushed, existingApps));
  }
  return parts;
}

/** Adds one group's okta resources to `parts`. */
function addOktaGroup(parts: OktaGroupParts, g: Group, today: string, awsApp: AwsApp | undefined, existingApps: ReadonlyMap<string, OktaApp>): void {
  parts.groups[g.name] = { description: literalOrNull(g.description) };
  const active = [...new Set(g.members.filter((m) => isActive(m, today)).map((m) => m.login.toLowerCase()))].sort(cmp);
  // Kept with no active member: deleting it would stop enforcing an authoritative group.
  parts.memberships[g.name] = { logins: active, track_all_users: g.mode === 'authoritative' };
  active.forEach((l) => parts.lookups.add(l));
  for (const o of g.owners) {
    const login = o.login.toLowerCase();
    parts.owners[`${g.name}|${login}`] = { group: g.name, login };
    parts.lookups.add(login);
  }
  for (const key of g.apps) {
    const app = existingApps.get(key);
    if (app && app.kind === 'existing') parts.appAssignments[`${key}|${g.name}`] = { app_id: literal(app.id), group: g.name };
  }
  if (awsApp && g.apps.includes(awsApp.key)) {
    parts.awsGroups.push(g.name);
    active.forEach((l) => parts.provisioned.add(l));
  }
}

/** The moved blocks that carry group `g`'s resources over from its old name; `pushed` when it is pushed to the AWS app. */
function movedOktaGroup(g: Group, old: string, pushed: boolean, existingApps: ReadonlyMap<string, OktaApp>): MovedBlock[] {
  const moved: MovedBlock[] = [];
  const move = (resource: string, from: string, to: string): void => {
    moved.push({ from: address(resource, from), to: address(resource, to) });
  };
  move('okta_group', old, g.name);
  move('okta_group_memberships', old, g.name);
  if (pushed) move('okta_push_group', old, g.name);
  for (const o of g.owners) {
    const login = o.login.toLowerCase();
    move('okta_group_owner', `${old}|${login}`, `${g.name}|${login}`);
  }
  for (const key of g.apps) {
    if (existingApps.has(key)) move('okta_app_group_assignment', `${key}|${old}`, `${key}|${g.name}`);
  }
  return moved;
}

/** data.okta_users lookups: the logins in batches of USER_LOOKUP_BATCH, keyed by zero-padded batch number. */
function userLookupsOf(lookups: ReadonlySet<string>): Record<string, { expression: string }> {
  const userLookups: Record<string, { expression: string }> = {};
  const sorted = [...lookups].sort(cmp);
  const width = String(Math.max(0, Math.ceil(sorted.length / USER_LOOKUP_BATCH) - 1)).length;
  for (let i = 0; i < sorted.length; i += USER_LOOKUP_BATCH) {
    const batch = sorted.slice(i, i + USER_LOOKUP_BATCH);
    userLookups[String(i / USER_LOOKUP_BATCH).padStart(Math.max(3, width), '0')] = {
      expression: literal(batch.map((l) => `profile.login eq "${l}"`).join(' or ')),
    };
  }
  return userLookups;
}

/** The AWS app, its assignment group (everyone provisioned) and the groups assigned and pushed to it. */
function awsAppLayout(awsApp: AwsApp, awsGroups: string[], provisioned: ReadonlySet<string>, pushEnabled: boolean): NonNullable<OktaLayout['awsApp']> {
  return {
    key: awsApp.key,
    label: literal(awsApp.label),
    acsUrl: literal(awsApp.acsUrl),
    entityId: literal(awsApp.issuerUrl),
    requireMfa: awsApp.mfa === 'required',
    assignmentGroup: {
      name: literal(awsApp.assignmentGroup),
      description: literal(
        `Managed by accessctl: everyone in a group pushed to ${awsApp.label}. ` +
          'The only group assigned to the app, so that SCIM creates and deactivates their users.',
      ),
      logins: [...provisioned].sort(cmp),
    },
    groups: awsGroups,
    push: pushEnabled ? awsGroups : [],
    provisioning: awsApp.scim !== undefined,
  };
}

function awsLayouts(input: LayoutInput, oldGroupNames: Map<string, string[]>, oldPsNames: Map<string, string[]>): AwsLayout[] {
  const { model } = input;
  const shardOf = new Map<string, string>();
  for (const s of model.settings.shards) for (const id of s.accountIds) shardOf.set(id, s.name);

  const baseGroups = input.base?.groups;
  const basePs = input.base?.permissionSets;
  const isNewGroup = (g: string): boolean => baseGroups !== undefined && !baseGroups.has(g) && !oldGroupNames.has(g);
  const isNewPs = (p: string): boolean => basePs !== undefined && !basePs.has(p) && !oldPsNames.has(p);
  const groupsByName = new Map<string, Group>(model.groups.map((g) => [g.name, g]));

  const stacks = new Map<string, { shard?: string; assignments: Assignment[] }>([['aws', { assignments: [] }]]);
  for (const s of model.settings.shards) stacks.set(`aws-${s.name}`, { shard: s.name, assignments: [] });
  for (const a of model.assignments) {
    const shard = shardOf.get(a.accountId);
    stacks.get(shard === undefined ? 'aws' : `aws-${shard}`)!.assignments.push(a);
  }

  const out: AwsLayout[] = [];
  for (const [stack, { shard, assignments }] of stacks) {
    const isBase = shard === undefined;
    const values: Record<string, AssignmentValue> = {};
    const groupLookup: Record<string, string[]> = {};
    const moved: MovedBlock[] = [];
    for (const a of assignments) {
      values[a.key] = { group: a.group, permission_set: a.permissionSet, account_id: a.accountId };
      groupLookup[a.group] ??= [a.group, ...(oldGroupNames.get(a.group) ?? [])];
      // The state holds the key the base revision had: the old group name and the old permission set name, where renamed.
      // Exactly one moved block per destination; Terraform refuses two sources for one instance ("Ambiguous move statements").
      const oldGroup = oldGroupNames.get(a.group)?.[0] ?? a.group;
      const oldPs = oldPsNames.get(a.permissionSet)?.[0] ?? a.permissionSet;
      const from = `${oldGroup}|${oldPs}|${a.accountId}`;
      if (from !== a.key) moved.push({ from: address('aws_ssoadmin_account_assignment', from), to: address('aws_ssoadmin_account_assignment', a.key) });
    }
    const usedGroups = Object.keys(groupLookup).sort(cmp);
    const usedPs = [...new Set(assignments.map((a) => a.permissionSet))].sort(cmp);
    const layout: AwsLayout = {
      stack,
      ...(shard !== undefined ? { shard } : {}),
      region: model.settings.aws.region,
      ...(model.settings.aws.instanceArn !== undefined ? { instanceArn: model.settings.aws.instanceArn } : {}),
      ...(model.settings.aws.identityStoreId !== undefined ? { identityStoreId: model.settings.aws.identityStoreId } : {}),
      ...(isBase ? permissionSetResources(model, oldPsNames, moved) : emptyPermissionSetResources()),
      assignments: values,
      groupLookup,
      newGroups: usedGroups.filter((g) => isNewGroup(g) && groupsByName.has(g)),
      newPermissionSets: isBase ? [] : usedPs.filter(isNewPs),
      moved: sortMoved(moved),
      imports: [],
      assignmentImports: {},
    };
    out.push(layout);
  }
  return out;
}

type PermissionSetResources = Pick<AwsLayout, 'permissionSets' | 'managedPolicyAttachments' | 'customerManagedPolicyAttachments' | 'inlinePolicies' | 'permissionsBoundaries'>;

function emptyPermissionSetResources(): PermissionSetResources {
  return { permissionSets: {}, managedPolicyAttachments: {}, customerManagedPolicyAttachments: {}, inlinePolicies: {}, permissionsBoundaries: {} };
}

function permissionSetResources(model: AccessModel, oldPsNames: Map<string, string[]>, moved: MovedBlock[]): PermissionSetResources {
  const r = emptyPermissionSetResources() as { -readonly [K in keyof PermissionSetResources]: Record<string, unknown> };
  for (const ps of model.permissionSets) {
    const olds = oldPsNames.get(ps.name) ?? [];
    const move = (type: string, suffix = ''): void => {
      for (const old of olds) moved.push({ from: address(type, `${old}${suffix}`), to: address(type, `${ps.name}${suffix}`) });
    };
    r.permissionSets[ps.name] = {
      description: literalOrNull(ps.description),
      session_duration: ps.sessionDuration ?? null,
      relay_state: literalOrNull(ps.relayState),
      tags: literalRecord(ps.tags),
    };
    move('aws_ssoadmin_permission_set');
    for (const m of ps.managedPolicies) {
      r.managedPolicyAttachments[`${ps.name}|${m.arn}`] = { permission_set: ps.name, arn: m.arn };
      move('aws_ssoadmin_managed_policy_attachment', `|${m.arn}`);
    }
    for (const c of ps.customerManagedPolicies) {
      r.customerManagedPolicyAttachments[`${ps.name}|${c.path}${c.name}`] = { permission_set: ps.name, name: c.name, path: c.path };
      move('aws_ssoadmin_customer_managed_policy_attachment', `|${c.path}${c.name}`);
    }
    if (ps.inlinePolicyJson !== undefined) {
      r.inlinePolicies[ps.name] = { permission_set: ps.name, policy: literal(ps.inlinePolicyJson) };
      move('aws_ssoadmin_permission_set_inline_policy');
    }
    if (ps.permissionsBoundary !== undefined) {
      const b = ps.permissionsBoundary;
      r.permissionsBoundaries[ps.name] =
        'managedPolicyArn' in b
          ? { permission_set: ps.name, managed_policy_arn: b.managedPolicyArn, customer_managed_policy: null }
          : {
            permission_set: ps.name,
            managed_policy_arn: null,
            customer_managed_policy: { name: b.customerManagedPolicy.name, path: b.customerManagedPolicy.path },
          };
      move('aws_ssoadmin_permissions_boundary_attachment');
    }
  }
  return r as PermissionSetResources;
}

/** new name -> the names it had before (a chain of renames within one change has one entry). */
function reverseRenames(renames: readonly Rename[], kind: Rename['kind']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of renames) if (r.kind === kind) out.set(r.to, [...(out.get(r.to) ?? []), r.from].sort(cmp));
  return out;
}

/**
 * Sorted moved blocks with at most one per source and one per destination:
 * Terraform refuses a source moved twice and two sources moved into one
 * instance ("Ambiguous move statements"). The first in sorted order wins.
 */
function sortMoved(list: MovedBlock[]): MovedBlock[] {
  const froms = new Set<string>();
  const tos = new Set<string>();
  return [...list]
    .sort((a, b) => cmp(a.to, b.to) || cmp(a.from, b.from))
    .filter((m) => {
      if (froms.has(m.from) || tos.has(m.to)) return false;
      froms.add(m.from);
      tos.add(m.to);
      return true;
    });
}
