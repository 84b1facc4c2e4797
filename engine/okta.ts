// The Okta stack under `tofu test`: no Okta API exists here, so the provider
// is mocked (mock_provider "okta", the schema from engine/okta-schema) and the
// user look-ups are overridden; the real engine still evaluates every
// expression, for_each, precondition, moved and import block of the stack.
//
// What the test asserts is computed here from the AccessModel, not read from
// the synthesized JSON: the groups, memberships, owners, app assignments and
// pushes that the files declare must be what the engine applies. mock_provider
// gives all instances of one resource type the same id, so comparisons of ids
// tell resource types apart, not instances: what needs distinct ids (which
// group is pushed, which assigned) is tested against the Okta emulator.

import { isActive } from '../src/model/access';
import type { AccessModel } from '../src/model/types';
import { oktaUserId } from './okta-emulator';
import { nullsFor, overrideData, type CtyType } from './tftest';

export { oktaUserId } from './okta-emulator';

/** What the files say Okta must hold, in the terms of the stack's resources. */
export interface OktaExpectation {
  readonly groups: string[];
  /** group -> lower-cased logins of its active members (empty when none is active). */
  readonly memberships: Record<string, string[]>;
  /** "group|login" */
  readonly owners: string[];
  /** The AWS app's key, its assignment group and that group's members (everyone in a pushed group); absent without the app. */
  readonly awsApp?: { readonly key: string; readonly assignmentGroup: string; readonly logins: string[]; readonly scim: boolean };
  /** Groups with apps: [aws]. */
  readonly awsAppGroups: string[];
  /** Groups pushed to the AWS app. */
  readonly pushed: string[];
  /** app key -> { app id, groups } for apps managed elsewhere. */
  readonly otherApps: Record<string, { id: string; groups: string[] }>;
  /** Every login the stack looks up. */
  readonly logins: string[];
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

export function expectedOkta(model: AccessModel, today: string): OktaExpectation {
  const awsApp = model.settings.okta.apps.find((a) => a.kind === 'aws');
  const memberships: Record<string, string[]> = {};
  const owners: string[] = [];
  const otherApps: Record<string, { id: string; groups: string[] }> = {};
  const logins = new Set<string>();
  for (const g of model.groups) {
    const active = sorted(g.members.filter((m) => isActive(m, today)).map((m) => m.login.toLowerCase()));
    // Every group has its memberships, empty when nobody is active (an authoritative group stays enforced).
    memberships[g.name] = active;
    active.forEach((l) => logins.add(l));
    for (const o of g.owners) {
      owners.push(`${g.name}|${o.login.toLowerCase()}`);
      logins.add(o.login.toLowerCase());
    }
    for (const key of g.apps) {
      const app = model.settings.okta.apps.find((a) => a.key === key);
      if (app && app.kind === 'existing') (otherApps[key] ??= { id: app.id, groups: [] }).groups.push(g.name);
    }
  }
  const awsGroups = awsApp ? model.groups.filter((g) => g.apps.includes(awsApp.key)) : [];
  const awsAppGroups = sorted(awsGroups.map((g) => g.name));
  return {
    ...(awsApp && awsApp.kind === 'aws'
      ? { awsApp: { key: awsApp.key, assignmentGroup: awsApp.assignmentGroup, logins: sorted(awsGroups.flatMap((g) => g.members.filter((m) => isActive(m, today)).map((m) => m.login.toLowerCase()))), scim: awsApp.scim !== undefined } }
      : {}),
    groups: sorted(model.groups.map((g) => g.name)),
    memberships,
    owners: sorted(owners),
    awsAppGroups,
    pushed: model.settings.okta.groupPush ? awsAppGroups : [],
    otherApps,
    logins: sorted(logins),
  };
}

const hcl = (v: unknown): string => JSON.stringify(v);
const set = (xs: readonly string[]): string => `toset(${hcl(xs)})`;
const group = (name: string): string => `okta_group.this[${hcl(name)}].id`;

function assert(condition: string, message: string): string {
  return `  assert {\n    condition     = ${condition}\n    error_message = ${hcl(message)}\n  }\n`;
}

/**
 * A .tftest.hcl for the okta stack: apply with mocks, assert the expectation,
 * then plan again (the harness reads that run's verbose output for "No changes").
 * `usersType` is the element type of data.okta_users' `users` (from `tofu providers schema -json`).
 */
export function oktaTestFile(expect: OktaExpectation, usersType: CtyType): string {
  const blank = nullsFor(usersType);
  const users = expect.logins.map((login) => ({ ...blank, id: oktaUserId(login), login, status: 'ACTIVE' }));
  const asserts: string[] = [];
  asserts.push(assert(`toset(keys(okta_group.this)) == ${set(expect.groups)}`, 'the Okta groups are not the groups the files declare'));
  for (const g of expect.groups) asserts.push(assert(`okta_group.this[${hcl(g)}].name == ${hcl(g)}`, `group ${g} has another name`));
  const withMembers = Object.keys(expect.memberships).sort();
  asserts.push(assert(`toset(keys(try(okta_group_memberships.this, {}))) == ${set(withMembers)}`, 'the memberships are not exactly one per group'));
  for (const g of withMembers) {
    const ids = expect.memberships[g]!.map(oktaUserId);
    asserts.push(assert(`toset(okta_group_memberships.this[${hcl(g)}].users) == ${set(ids)}`, `members of ${g} are not ${expect.memberships[g]!.join(', ')}`));
    asserts.push(assert(`okta_group_memberships.this[${hcl(g)}].group_id == ${group(g)}`, `the memberships of ${g} are not on group ${g}`));
  }
  const ownerPairs = expect.owners.map((o) => {
    const [g, login] = o.split('|') as [string, string];
    return `"\${${group(g)}}|${oktaUserId(login)}"`;
  });
  asserts.push(assert(`toset([for o in try(okta_group_owner.this, {}) : "\${o.group_id}|\${o.id_of_group_owner}"]) == toset([${ownerPairs.join(', ')}])`, `owners are not ${expect.owners.join(', ')}`));
  const app = expect.awsApp;
  if (app) {
    // Assigned: the assignment group alone, by both resources; its members: everyone in a pushed group.
    const ag = `okta_group.assignment[${hcl(app.key)}].id`;
    asserts.push(assert(`okta_group.assignment[${hcl(app.key)}].name == ${hcl(app.assignmentGroup)}`, `the assignment group is not named ${app.assignmentGroup}`));
    asserts.push(assert(`[for g in okta_app_group_assignments.this[${hcl(app.key)}].group : g.id] == [${ag}]`, 'the AWS app is assigned other groups than its assignment group'));
    asserts.push(assert(`okta_app_group_assignment.assignment[${hcl(app.key)}].group_id == ${ag} && okta_app_group_assignment.assignment[${hcl(app.key)}].app_id == okta_app_saml.this[${hcl(app.key)}].id`, 'the assignment group is not assigned to the AWS app'));
    if (app.logins.length > 0) {
      asserts.push(assert(`toset(okta_group_memberships.assignment[${hcl(app.key)}].users) == ${set(app.logins.map(oktaUserId))} && okta_group_memberships.assignment[${hcl(app.key)}].group_id == ${ag} && okta_group_memberships.assignment[${hcl(app.key)}].track_all_users`, `the assignment group's members are not ${app.logins.join(', ')}`));
    }
    // Not asserted here: that no pushed group is assigned. mock_provider gives every instance of a
    // resource type the same id, so ids tell types apart, not instances; the Okta emulator
    // (test/engine/okta-provisioning.test.ts) hands out one id per object and checks it.
    // The SCIM connection is the okta-scim stack's (test/engine/secrets.test.ts applies it against the emulator).
    if (app.scim) {
      asserts.push(assert(`okta_app_features.this[${hcl(app.key)}].app_id == okta_app_saml.this[${hcl(app.key)}].id && okta_app_features.this[${hcl(app.key)}].name == "USER_PROVISIONING" && okta_app_features.this[${hcl(app.key)}].capabilities.update.lifecycle_deactivate.status == "ENABLED"`, 'user provisioning with deactivation is not enabled on the AWS app'));
    }
  }
  asserts.push(assert(`toset([for p in try(okta_push_group.this, {}) : p.source_group_id]) == toset([${expect.pushed.map(group).join(', ')}])`, `the groups pushed to AWS are not ${expect.pushed.join(', ')}`));
  if (expect.pushed.length > 0) {
    asserts.push(assert(`alltrue([for p in okta_push_group.this : p.app_id == one(values(okta_app_saml.this)).id && p.status == "ACTIVE" && p.delete_target_group_on_destroy == false])`, 'a push is not an active push to the AWS app that keeps the AWS group on destroy'));
  }
  const others = Object.values(expect.otherApps).flatMap((app) => app.groups.map((g) => `"${app.id}|\${${group(g)}}"`));
  asserts.push(assert(`toset([for a in try(okta_app_group_assignment.this, {}) : "\${a.app_id}|\${a.group_id}"]) == toset([${others.join(', ')}])`, 'the assignments to other apps are not those the files declare'));

  return `# Written by engine/okta.ts for one test run; not part of the product.
mock_provider "okta" {}

${overrideData('data.okta_users.this', { users })}
run "apply" {
  command = apply
${asserts.join('')}}

run "plan_again" {
  command = plan
}
`;
}
