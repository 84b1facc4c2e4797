import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAccessDir, loadAccessModel } from '../../src/model/load';
import { buildLayout } from '../../src/synth/layout';
import type { SourceFile } from '../../src/load/source';
import { REPO_ROOT } from '../support/helpers';
import { expectGolden, keysOf, synthFiles, type TfJson } from '../support/synth-helpers';

function exampleStacks(today = '2026-11-23'): Record<string, string> {
  const r = loadAccessDir('access', REPO_ROOT);
  expect(r.diagnostics).toEqual([]);
  return synthFiles(buildLayout({ model: r.model!, today }), r.model!);
}

describe('synth of the example org', () => {
  const files = exampleStacks();
  const okta = JSON.parse(files.okta) as TfJson;
  const scim = JSON.parse(files['okta-scim']) as TfJson;
  const aws = JSON.parse(files.aws) as TfJson;

  it('produces exactly the okta, okta-scim and aws stacks', () => {
    expect(Object.keys(files)).toEqual(['okta', 'okta-scim', 'aws']);
  });

  it('matches the golden Terraform JSON', () => {
    expectGolden('example/okta.json', okta);
    expectGolden('example/okta-scim.json', scim);
    expectGolden('example/aws.json', aws);
  });

  it('configures the providers to ride out throttling inside the API quota (docs/scale.md#staying-inside-the-api-quota)', () => {
    expect(aws.provider.aws).toEqual([{ region: 'us-east-1', retry_mode: 'adaptive', max_retries: 25 }]);
    for (const stack of [okta, scim]) {
      expect(stack.provider.okta).toEqual([
        { org_name: 'northwind', base_url: 'okta.com', max_api_capacity: 50, backoff: true, max_retries: 10, min_wait_seconds: 30, max_wait_seconds: 120 },
      ]);
    }
  });

  it('keeps the SCIM token out of the okta stack: only okta-scim declares it, with the connection and its token-day trigger', () => {
    expect([okta.resource.okta_app_connection, okta.resource.terraform_data, okta.variable]).toEqual([undefined, undefined, undefined]);
    // The okta stack forgets, never destroys, a connection the layout before this one kept in it.
    expect(okta.removed).toEqual([
      { from: 'okta_app_connection.this', lifecycle: { destroy: false } },
      { from: 'terraform_data.scim_token', lifecycle: { destroy: false } },
    ]);
    expect(okta.output.aws_app_ids.value).toBe('${{ for key, app in okta_app_saml.this : key => app.id }}');
    expect(Object.keys(scim.resource).sort()).toEqual(['okta_app_connection', 'terraform_data']);
    expect(scim.variable.okta_aws_scim_token).toMatchObject({ sensitive: true, nullable: false, type: 'string' });
    const connection = scim.resource.okta_app_connection.this;
    expect([connection.id, connection.profile, connection.lifecycle.ignore_changes, connection.lifecycle.replace_triggered_by]).toEqual([
      '${data.terraform_remote_state.okta.outputs.aws_app_ids[each.key]}',
      { auth_scheme: 'TOKEN', token: '${var.okta_aws_scim_token}' },
      ['profile'],
      ['terraform_data.scim_token[each.key]'],
    ]);
    expect(scim.data.terraform_remote_state.okta).toEqual({ backend: 'local', config: { path: okta.terraform.backend.local.path } });
    expect(scim.terraform.backend.local.path).toMatch(/terraform\.okta-scim\.tfstate$/);
  });

  it('holds every group, membership, owner and app assignment once, keyed by name', () => {
    expect(keysOf(okta, 'okta_group')).toEqual([
      'aws-incident-responders', 'aws-payments-admins', 'aws-payments-developers', 'aws-platform-admins',
      'aws-sandbox-users', 'aws-security-auditors', 'okta-engineering',
    ]);
    const memberships = okta.resource.okta_group_memberships.this.for_each;
    expect(memberships['aws-payments-admins']).toEqual({ logins: ['dave.okafor@example.com', 'erin.kowalski@example.com'], track_all_users: true });
    expect(memberships['aws-sandbox-users'].track_all_users).toBe(false);
    expect(keysOf(okta, 'okta_group_owner')).toContain('aws-security-auditors|carol.smith@example.com');
    expect(keysOf(okta, 'okta_app_group_assignment')).toEqual(['github|okta-engineering']);
    // Only the assignment group is assigned to the AWS app; the groups with AWS grants are pushed, never assigned.
    expect(okta.resource.okta_app_group_assignments.this.group).toEqual([{ id: '${okta_group.assignment[each.key].id}' }]);
    expect(okta.resource.okta_app_group_assignment.assignment).toMatchObject({ group_id: '${okta_group.assignment[each.key].id}', depends_on: ['okta_app_features.this', 'okta_group_memberships.assignment'] });
    expect(okta.resource.okta_group.assignment.for_each).toEqual({ aws: { name: 'aws-iam-identity-center-users', description: expect.stringContaining('Managed by accessctl') } });
    // Its members: everyone in a pushed group, once (ten people in six groups).
    expect(okta.resource.okta_group_memberships.assignment.for_each.aws.logins).toEqual([
      'alice.nguyen@example.com', 'bob.martin@example.com', 'carol.smith@example.com', 'dave.okafor@example.com', 'erin.kowalski@example.com',
      'frank.li@example.com', 'grace.park@example.com', 'heidi.schmidt@example.com', 'ivan.petrov@example.com', 'judy.adams@example.com',
    ]);
    expect(okta.resource.okta_group_memberships.assignment.track_all_users).toBe(true);
    const pushed = (okta.resource.okta_push_group.this.for_each as string).match(/"[^"]+"/g)!.map((x) => JSON.parse(x) as string);
    const assignedAnywhere = [okta.resource.okta_app_group_assignments.this.group[0].id, okta.resource.okta_app_group_assignment.assignment.group_id];
    for (const g of pushed) expect(assignedAnywhere).not.toContain(`\${okta_group.this[${JSON.stringify(g)}].id}`);
  });

  it('creates the AWS IAM Identity Center SAML app with MFA, its metadata output and Group Push', () => {
    const app = okta.resource.okta_app_saml.this;
    expect(app.preconfigured_app).toBe('amazon_aws_sso');
    expect(app.for_each.aws.entity_id).toBe('https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067a1b2c3');
    expect(app.authentication_policy).toBe('${okta_app_signon_policy.this[each.key].id}');
    expect(okta.resource.okta_app_signon_policy_rule.this.factor_mode).toBe('2FA');
    expect(okta.output.aws_idp_metadata.value).toBe('${okta_app_saml.this["aws"].metadata}');
    expect(okta.resource.okta_push_group.this.delete_target_group_on_destroy).toBe(false);
    expect(okta.terraform.required_providers.okta).toEqual({ source: 'okta/okta', version: '>= 6.6.0, != 6.14.0, < 7.0.0' });
  });

  it('looks people up in batches, not one read per person', () => {
    expect(Object.keys(okta.data.okta_users.this.for_each)).toEqual(['000']);
    expect(okta.data.okta_users.this.for_each['000'].expression.split(' or ')).toHaveLength(10);
  });

  it('holds every permission set and attachment once, with resolved ARNs', () => {
    expect(keysOf(aws, 'aws_ssoadmin_permission_set')).toEqual(['AdministratorAccess', 'PaymentsDeployer', 'PowerUser', 'ReadOnly', 'SecurityAuditor']);
    expect(keysOf(aws, 'aws_ssoadmin_managed_policy_attachment')).toEqual([
      'AdministratorAccess|arn:aws:iam::aws:policy/AdministratorAccess',
      'PaymentsDeployer|arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      'PowerUser|arn:aws:iam::aws:policy/PowerUserAccess',
      'ReadOnly|arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      'SecurityAuditor|arn:aws:iam::aws:policy/SecurityAudit',
      'SecurityAuditor|arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
    expect(keysOf(aws, 'aws_ssoadmin_customer_managed_policy_attachment')).toEqual(['PaymentsDeployer|/accessctl/payments-deploy']);
    expect(keysOf(aws, 'aws_ssoadmin_permission_set_inline_policy')).toEqual(['PaymentsDeployer', 'SecurityAuditor']);
    expect(aws.resource.aws_ssoadmin_permissions_boundary_attachment.this.for_each).toEqual({
      PowerUser: { permission_set: 'PowerUser', managed_policy_arn: null, customer_managed_policy: { name: 'workload-boundary', path: '/accessctl/' } },
    });
  });

  it('makes every attachment depend on its permission set, and assignments on the attachments', () => {
    for (const type of ['aws_ssoadmin_managed_policy_attachment', 'aws_ssoadmin_customer_managed_policy_attachment', 'aws_ssoadmin_permission_set_inline_policy', 'aws_ssoadmin_permissions_boundary_attachment']) {
      expect([type, aws.resource[type].this.permission_set_arn]).toEqual([type, '${aws_ssoadmin_permission_set.this[each.value.permission_set].arn}']);
      // each.value.permission_set must exist in every for_each value (the engine fails the plan with "Unsupported attribute" otherwise).
      for (const [key, value] of Object.entries(aws.resource[type].this.for_each as Record<string, { permission_set?: string }>)) {
        expect([type, key, value.permission_set]).toEqual([type, key, key.split('|')[0]]);
      }
    }
    expect(aws.resource.aws_ssoadmin_account_assignment.this.depends_on).toEqual([
      'aws_ssoadmin_managed_policy_attachment.this',
      'aws_ssoadmin_customer_managed_policy_attachment.this',
      'aws_ssoadmin_permission_set_inline_policy.this',
      'aws_ssoadmin_permissions_boundary_attachment.this',
    ]);
  });

  it('holds every account assignment exactly once under "group|permission set|account id"', () => {
    const r = loadAccessDir('access', REPO_ROOT);
    const assignments = aws.locals.account_assignments;
    expect(Object.keys(assignments)).toEqual(r.model!.assignments.map((a) => a.key));
    expect(Object.keys(assignments)).toHaveLength(31);
    expect(assignments['aws-payments-admins|AdministratorAccess|123456789012']).toEqual({ group: 'aws-payments-admins', permission_set: 'AdministratorAccess', account_id: '123456789012' });
    const a = aws.resource.aws_ssoadmin_account_assignment.this;
    expect(aws.locals.planned_assignments).toBe('${{ for key, a in local.account_assignments : key => key if length(local.group_matches[a.group]) > 0 || !contains(local.new_groups, a.group) }}');
    expect(a.for_each).toBe('${local.planned_assignments}');
    expect([a.principal_type, a.target_type, a.principal_id]).toEqual(['GROUP', 'AWS_ACCOUNT', '${local.group_ids[local.account_assignments[each.key].group]}']);
  });

  it('finds Identity Store groups with one list lookup and never plans an assignment without its group', () => {
    expect(Object.keys(aws.data)).toEqual(['aws_identitystore_groups', 'aws_ssoadmin_instances']);
    // Grouped by display name ("..."): two groups with one name make the precondition say so, never "Duplicate object key".
    expect(aws.locals.identity_store_groups).toBe('${{ for g in data.aws_identitystore_groups.this.groups : g.display_name => g.group_id... }}');
    expect(aws.locals.group_ids).toBe('${{ for name, ids in local.group_matches : name => length(ids) == 1 ? ids[0] : null }}');
    expect(aws.resource.aws_ssoadmin_account_assignment.this.lifecycle.precondition.map((p: { condition: string }) => p.condition)).toEqual([
      '${length(local.group_matches[local.account_assignments[each.key].group]) > 0}',
      '${length(local.group_matches[local.account_assignments[each.key].group]) < 2}',
    ]);
    expect(aws.locals.new_groups).toEqual([]);
  });

  it('keeps local state next to the repository, outside the output directory', () => {
    expect(okta.terraform.backend).toEqual({ local: { path: '../../../terraform.okta.tfstate' } });
    expect(aws.terraform.backend).toEqual({ local: { path: '../../../terraform.aws.tfstate' } });
    expect(aws.terraform.required_providers.aws).toEqual({ source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' });
  });
});

describe('determinism', () => {
  function readExample(): SourceFile[] {
    const out: SourceFile[] = [];
    const walk = (dir: string, rel: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(path.join(dir, e.name), r);
        else out.push({ file: `access/${r}`, rel: r, bytes: fs.readFileSync(path.join(dir, e.name)) });
      }
    };
    walk(path.join(REPO_ROOT, 'access'), '');
    return out;
  }

  const reverseList = (yaml: string, key: string): string => {
    // Reverses the items of a top-level block list `key:` written one "- " item per entry.
    const lines = yaml.split('\n');
    const start = lines.findIndex((l) => l === `${key}:`);
    if (start < 0) return yaml;
    let end = start + 1;
    while (end < lines.length && (lines[end].startsWith('  ') || lines[end] === '')) end++;
    const items: string[][] = [];
    for (const l of lines.slice(start + 1, end)) {
      if (l.startsWith('  - ')) items.push([l]);
      else if (items.length > 0) items[items.length - 1].push(l);
    }
    return [...lines.slice(0, start + 1), ...items.reverse().flat(), ...lines.slice(end)].join('\n');
  };

  it('gives byte-identical JSON for reordered members, grants and accounts, split files and moved group files', () => {
    const original = readExample();
    const shuffled: SourceFile[] = [];
    for (const s of [...original].reverse()) {
      let text = Buffer.from(s.bytes).toString('utf8');
      if (s.rel.startsWith('groups/')) {
        text = reverseList(reverseList(reverseList(text, 'members'), 'aws'), 'owners');
        shuffled.push({ file: `access/groups/nested/${s.rel.slice(7)}`, rel: `groups/nested/${s.rel.slice(7)}`, bytes: Buffer.from(text) });
      } else if (s.rel === 'accounts.yaml') {
        const reversed = reverseList(text, 'accounts').split('\n');
        const entries = reversed.filter((l) => l.startsWith('  '));
        const half = entries.findIndex((l, i) => i > 8 && l.startsWith('  - '));
        shuffled.push({ file: 'access/accounts/b.yaml', rel: 'accounts/b.yaml', bytes: Buffer.from(`accounts:\n${entries.slice(0, half).join('\n')}\n`) });
        shuffled.push({ file: 'access/accounts/a.yaml', rel: 'accounts/a.yaml', bytes: Buffer.from(`accounts:\n${entries.slice(half).join('\n')}\n`) });
      } else shuffled.push(s);
    }
    const a = loadAccessModel(original);
    const b = loadAccessModel(shuffled);
    expect(a.diagnostics).toEqual([]);
    expect(b.diagnostics.filter((d) => d.code !== 'ACC037')).toEqual([]);
    // The shuffle really changed the input.
    expect(b.model!.groups.find((g) => g.name === 'aws-platform-admins')!.grants[0].permissionSet).toBe('ReadOnly');
    const fa = synthFiles(buildLayout({ model: a.model!, today: '2026-11-23' }), a.model!);
    const fb = synthFiles(buildLayout({ model: b.model!, today: '2026-11-23' }), b.model!);
    expect(fb.okta).toBe(fa.okta);
    expect(fb.aws).toBe(fa.aws);
  });

  it('changes memberships and user look-ups, and nothing else, when a member expires', () => {
    const before = exampleStacks('2027-01-15');
    const after = exampleStacks('2027-01-16');
    expect(after.aws).toBe(before.aws);
    const m = (s: string): Record<string, { logins: string[] }> => JSON.parse(s).resource.okta_group_memberships.this.for_each;
    expect(m(before.okta)['aws-payments-admins'].logins).toEqual(['dave.okafor@example.com', 'erin.kowalski@example.com']);
    expect(m(after.okta)['aws-payments-admins'].logins).toEqual(['dave.okafor@example.com']);
    const rest = (s: string): unknown => ({ ...JSON.parse(s), data: null, resource: { ...JSON.parse(s).resource, okta_group_memberships: null } });
    expect(rest(after.okta)).toEqual(rest(before.okta));
  });
});
