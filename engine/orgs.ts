// Orgs the engine tests run: the example org of access/, and changes to it
// that exercise every feature the stacks have. Each is a set of file edits
// (rel path under access/ -> text, null deletes) applied on top of a copy of
// the example org in a Workspace.

import * as path from 'node:path';
import { REPO_ROOT } from './harness';

export const EXAMPLE_ORG = path.join(REPO_ROOT, 'access');

export type Edits = Readonly<Record<string, string | null>>;

/** Replaces one exact piece of text, failing loudly when the file no longer has it (the example org changed). */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the file no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/**
 * What the example org lacks for "every feature": an AWS shard (the prod
 * accounts in their own stack), a permission set with an AWS managed
 * permissions boundary, and imports of existing objects. The example org
 * already has inline policies, a customer managed boundary and a customer
 * managed policy.
 */
export function everyFeature(read: (rel: string) => string): Edits {
  return {
    'settings.yaml': edit(read('settings.yaml'), 'backend:\n  type: local', 'stacks:\n  aws:\n    shards:\n      - { name: prod, accounts: { tags: { env: prod } } }\nbackend:\n  type: local'),
    'permission-sets/BoundedOperator.yaml': `name: BoundedOperator
description: Operate sandbox workloads inside an AWS managed boundary.
sessionDuration: PT2H
managedPolicies: [PowerUserAccess]
permissionsBoundary: { managedPolicy: PowerUserAccess }
`,
    'groups/aws-sandbox-users.yaml': edit(read('groups/aws-sandbox-users.yaml'), '  - permissionSet: PowerUser\n', '  - permissionSet: BoundedOperator\n    accounts: [sandbox-shared]\n  - permissionSet: PowerUser\n'),
    'imports.yaml': `imports:
  - resource: okta_group
    key: okta-engineering
    id: 00g3eng0000000000003
  - resource: aws_ssoadmin_permission_set
    key: ReadOnly
    id: arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-2b3c4d5e6f7a8b9c,arn:aws:sso:::instance/ssoins-7223e1b2c3d4e5f6
  - resource: aws_ssoadmin_account_assignment
    key: aws-security-auditors|SecurityAuditor|391847562013
    id: 9067a1b2c3-22222222-aaaa-bbbb-cccc-000000000002,GROUP,391847562013,AWS_ACCOUNT,arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-3c4d5e6f7a8b9c0d,arn:aws:sso:::instance/ssoins-7223e1b2c3d4e5f6
`,
  };
}

/** A group and a permission set renamed in one change (the group file moves with it). */
export function renameGroupAndPermissionSet(read: (rel: string) => string, groupFiles: readonly string[]): Edits {
  const usePs = (text: string): string => text.replace(/permissionSet: PowerUser\b/g, 'permissionSet: PowerOperator');
  const edits: Record<string, string | null> = {
    'groups/aws-payments-admins.yaml': null,
    'groups/aws-payments-oncall.yaml': usePs(edit(read('groups/aws-payments-admins.yaml'), 'name: aws-payments-admins', 'name: aws-payments-oncall')),
    'permission-sets/PowerUser.yaml': null,
    'permission-sets/PowerOperator.yaml': edit(read('permission-sets/PowerUser.yaml'), 'name: PowerUser', 'name: PowerOperator'),
    'policy.yaml': read('policy.yaml').replace(/aws-payments-admins/g, 'aws-payments-oncall'),
  };
  for (const rel of groupFiles) {
    if (rel === 'groups/aws-payments-admins.yaml') continue;
    const text = read(rel);
    if (usePs(text) !== text) edits[rel] = usePs(text);
  }
  return edits;
}

/** A group created in this change, with AWS grants, that SCIM has not pushed yet. */
export function newGroup(): Edits {
  return {
    'groups/aws-data-analysts.yaml': `name: aws-data-analysts
description: Analysts reading the payments data lake
owners: [carol.smith@example.com]
mode: authoritative
members:
  - judy.adams@example.com
apps: [aws]
aws:
  - permissionSet: ReadOnly
    accounts: [payments-staging, platform-dev]
`,
  };
}
