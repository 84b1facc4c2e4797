import { buildLayout, literal } from '../../src/synth/layout';
import { detectRenames } from '../../src/synth/renames';
import { BASE, load } from '../support/helpers';
import { expectGolden, keysOf, synthOrg } from '../support/synth-helpers';

const group = (name: string, body: string): Record<string, string> => ({ [`groups/${name}.yaml`]: `name: ${name}\nmode: authoritative\napps: [aws]\n${body}` });
const SETTINGS = (extra: { okta?: string; aws?: string; top?: string } = {}): string => `okta:
  org: acme
  orgType: identity-engine
${extra.okta ?? ''}  apps:
    aws: { label: AWS, acsUrl: "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/abc", issuerUrl: "https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890", mfa: required }
aws:
  region: us-east-1
  startUrl: https://d-1234567890.awsapps.com/start
${extra.aws ?? ''}${extra.top ?? 'backend: { type: local }\n'}`;

describe('escaping', () => {
  it('never lets Terraform evaluate text from a user: ${…} and %{…} stay literal', () => {
    expect(literal('a ${file("/etc/passwd")} %{ if x }b')).toBe('a $${file("/etc/passwd")} %%{ if x }b');
    const stacks = synthOrg({
      ...group('g', 'description: "steal ${file(\\"/etc/passwd\\")}"\nmembers: [a@example.com]\naws:\n  - { permissionSet: Self, accounts: [prod] }\n'),
      'permission-sets/Self.yaml': `name: Self
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Action: s3:*
      Resource: "arn:aws:s3:::home/\${aws:username}/*"
`,
    });
    expect(stacks.okta.resource.okta_group.this.for_each.g.description).toBe('steal $${file("/etc/passwd")}');
    expect(stacks.aws.resource.aws_ssoadmin_permission_set_inline_policy.this.for_each.Self.policy).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/$${aws:username}/*"}]}',
    );
  });
});

describe('memberships', () => {
  it('leaves expired members out, and keeps the memberships of a group whose members all expired, empty (still authoritative)', () => {
    const stacks = synthOrg({
      ...group('a', 'members:\n  - x@example.com\n  - { user: y@example.com, expires: 2026-11-22 }\n  - { user: z@example.com, expires: 2026-11-23 }\n'),
      ...group('b', 'members:\n  - { user: y@example.com, expires: 2026-01-01 }\n'),
      'groups/c.yaml': 'name: c\nmode: additive\nowners: [o@example.com]\n',
    });
    expect(stacks.okta.resource.okta_group_memberships.this.for_each).toEqual({
      a: { logins: ['x@example.com', 'z@example.com'], track_all_users: true },
      b: { logins: [], track_all_users: true },
      c: { logins: [], track_all_users: false },
    });
    expect(keysOf(stacks.okta, 'okta_group')).toEqual(['a', 'b', 'c']);
    // Nobody looked up for the empty groups: only the active members and the owner.
    expect(stacks.okta.data.okta_users.this.for_each).toEqual({ '000': { expression: 'profile.login eq "o@example.com" or profile.login eq "x@example.com" or profile.login eq "z@example.com"' } });
  });

  it('keeps the AWS app\'s assignment group authoritative when nobody is left in a pushed group (users empty)', () => {
    const stacks = synthOrg(group('b', 'members:\n  - { user: y@example.com, expires: 2026-01-01 }\n'));
    const assignment = stacks.okta.resource.okta_group_memberships.assignment;
    expect([assignment.for_each, assignment.track_all_users, assignment.group_id]).toEqual([{ aws: { logins: [] } }, true, '${okta_group.assignment[each.key].id}']);
  });

  it('moves the memberships of a renamed group whose members all expired', () => {
    const expired = 'members:\n  - { user: y@example.com, expires: 2026-01-01 }\n';
    const base = load(group('old-name', expired)).model!;
    const head = load(group('new-name', expired)).model!;
    const renames = detectRenames(base, head, new Map([['access/groups/old-name.yaml', 'access/groups/new-name.yaml']]));
    const layout = buildLayout({ model: head, today: '2026-11-23', base: { groups: new Set(['old-name']), permissionSets: new Set(), renames } });
    expect(layout.okta.memberships).toEqual({ 'new-name': { logins: [], track_all_users: true } });
    expect(layout.okta.moved).toEqual([
      { from: 'okta_group.this["old-name"]', to: 'okta_group.this["new-name"]' },
      { from: 'okta_group_memberships.this["old-name"]', to: 'okta_group_memberships.this["new-name"]' },
      { from: 'okta_push_group.this["old-name"]', to: 'okta_push_group.this["new-name"]' },
    ]);
  });

  it('splits user look-ups into batches of 50 logins', () => {
    const members = Array.from({ length: 120 }, (_, i) => `  - u${String(i).padStart(3, '0')}@example.com`).join('\n');
    const stacks = synthOrg(group('a', `members:\n${members}\n`));
    const lookups = stacks.okta.data.okta_users.this.for_each;
    expect(Object.keys(lookups)).toEqual(['000', '001', '002']);
    expect(lookups['002'].expression).toBe(Array.from({ length: 20 }, (_, i) => `profile.login eq "u${100 + i}@example.com"`).join(' or '));
  });
});

describe('settings variants', () => {
  it('with an S3 backend, okta-scim keeps its own key and reads the okta stack\'s outputs from the okta key', () => {
    const settings = SETTINGS({ top: 'backend: { type: s3, bucket: acme-state, region: eu-west-1, keyPrefix: accessctl/ }\n' })
      .replace('mfa: required }', 'mfa: required, scim: { baseUrl: "https://scim.us-east-1.amazonaws.com/abc/scim/v2", tokenIssued: 2026-11-02 } }');
    const stacks = synthOrg({ 'settings.yaml': settings, ...group('a', 'members: [x@example.com]\n') });
    expect(stacks['okta-scim'].terraform.backend.s3).toMatchObject({ bucket: 'acme-state', key: 'accessctl/okta-scim/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true });
    expect(stacks['okta-scim'].data.terraform_remote_state.okta).toEqual({ backend: 's3', config: { bucket: 'acme-state', key: 'accessctl/okta/terraform.tfstate', region: 'eu-west-1' } });
    expect(stacks.okta.terraform.backend.s3.key).toBe('accessctl/okta/terraform.tfstate');
  });

  it('without group push: no okta_push_group and a provider constraint that allows 4.x', () => {
    const stacks = synthOrg({ 'settings.yaml': SETTINGS({ okta: '  groupPush: false\n' }), ...group('a', 'members: [x@example.com]\n') });
    expect(stacks.okta.resource.okta_push_group).toBeUndefined();
    expect(stacks.okta.terraform.required_providers.okta.version).toBe('>= 4.20.0, != 6.14.0, < 7.0.0');
    expect(keysOf(stacks.okta, 'okta_app_group_assignments')).toEqual(['aws']);
  });

  it('without required MFA: no sign-on policy on the app', () => {
    const stacks = synthOrg({ 'settings.yaml': SETTINGS().replace('mfa: required', 'mfa: optional') });
    expect(stacks.okta.resource.okta_app_signon_policy).toBeUndefined();
    expect(stacks.okta.resource.okta_app_saml.this.authentication_policy).toBeUndefined();
  });

  it('uses the instance and identity store from settings instead of looking them up', () => {
    const stacks = synthOrg({
      'settings.yaml': SETTINGS({ aws: '  instanceArn: arn:aws:sso:::instance/ssoins-0123456789abcdef\n  identityStoreId: d-0123456789\n' }),
      ...group('a', 'members: [x@example.com]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n'),
    });
    expect(stacks.aws.data.aws_ssoadmin_instances).toBeUndefined();
    expect(stacks.aws.locals.instance_arn).toBe('arn:aws:sso:::instance/ssoins-0123456789abcdef');
    expect(stacks.aws.locals.identity_store_id).toBe('d-0123456789');
  });

  it('shards AWS assignments into stacks with S3 state, locking and one key per stack', () => {
    const stacks = synthOrg({
      'settings.yaml': SETTINGS({
        top: 'stacks:\n  aws:\n    shards:\n      - { name: prod, accounts: { tags: { env: prod } } }\nbackend: { type: s3, bucket: acme-tf-state, region: eu-west-1, keyPrefix: accessctl/ }\n',
      }),
      ...group('a', 'members: [x@example.com]\naws:\n  - { permissionSet: ReadOnly, accounts: { ou: "**" } }\n'),
    });
    expect(Object.keys(stacks)).toEqual(['okta', 'aws', 'aws-prod']);
    expect(Object.keys(stacks.aws.locals.account_assignments)).toEqual(['a|ReadOnly|022222222222']);
    expect(Object.keys(stacks['aws-prod'].locals.account_assignments)).toEqual(['a|ReadOnly|111111111111']);
    expect(stacks['aws-prod'].resource.aws_ssoadmin_permission_set).toBeUndefined();
    expect(stacks['aws-prod'].resource.aws_ssoadmin_account_assignment.this.permission_set_arn).toBe('${local.permission_set_arns[local.account_assignments[each.key].permission_set]}');
    expect(stacks['aws-prod'].data.terraform_remote_state.aws).toEqual({ backend: 's3', config: { bucket: 'acme-tf-state', key: 'accessctl/aws/terraform.tfstate', region: 'eu-west-1' } });
    expect(stacks['aws-prod'].terraform.backend).toEqual({ s3: { bucket: 'acme-tf-state', key: 'accessctl/aws-prod/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true } });
    expect(stacks.okta.terraform.backend.s3.key).toBe('accessctl/okta/terraform.tfstate');
    expectGolden('fixtures/shard-aws-prod.json', stacks['aws-prod']);
  });

  it('attaches an AWS managed permissions boundary without a customer reference', () => {
    const stacks = synthOrg({ 'permission-sets/ReadOnly.yaml': 'name: ReadOnly\npermissionsBoundary: { managedPolicy: PowerUserAccess }\n' });
    const b = stacks.aws.resource.aws_ssoadmin_permissions_boundary_attachment.this;
    expect(b.for_each).toEqual({ ReadOnly: { permission_set: 'ReadOnly', managed_policy_arn: 'arn:aws:iam::aws:policy/PowerUserAccess', customer_managed_policy: null } });
    expect(b.permission_set_arn).toBe('${aws_ssoadmin_permission_set.this[each.value.permission_set].arn}');
    expect(b.permissions_boundary).toEqual({
      managed_policy_arn: '${each.value.managed_policy_arn}',
      dynamic: {
        customer_managed_policy_reference: {
          for_each: '${each.value.customer_managed_policy == null ? [] : [each.value.customer_managed_policy]}',
          content: { name: '${customer_managed_policy_reference.value.name}', path: '${customer_managed_policy_reference.value.path}' },
        },
      },
    });
  });
});

describe('renames and new groups against a base revision', () => {
  const before: Record<string, string> = {
    'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\ninlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "iam:*", Resource: "*" }] }\n',
    ...group('payments-admins', 'owners: [o@example.com]\nmembers: [x@example.com]\naws:\n  - { permissionSet: Admin, accounts: [prod] }\n  - { permissionSet: ReadOnly, accounts: [dev] }\n'),
  };
  const after = {
    'permission-sets/Admin.yaml': before['permission-sets/Admin.yaml'].replace('name: Admin', 'name: Administrator'),
    'groups/payments-admins.yaml': before['groups/payments-admins.yaml'].replace('name: payments-admins', 'name: pay-admins').replace(/Admin,/g, 'Administrator,'),
    ...group('brand-new', 'members: [y@example.com]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n'),
  };

  function renamed() {
    const base = load(before).model!;
    const head = load(after).model!;
    const renames = detectRenames(base, head);
    return { head, renames, base: { groups: new Set(base.groups.map((g) => g.name)), permissionSets: new Set(base.permissionSets.map((p) => p.name)), renames } };
  }

  it('pairs a changed name with the file that declared it', () => {
    expect(renamed().renames).toEqual([
      { kind: 'group', from: 'payments-admins', to: 'pay-admins', file: 'access/groups/payments-admins.yaml' },
      { kind: 'permission-set', from: 'Admin', to: 'Administrator', file: 'access/permission-sets/Admin.yaml' },
    ]);
  });

  it('pairs a name across a file git reports as renamed', () => {
    const base = load(before).model!;
    const moved = { ...after, 'groups/payments-admins.yaml': null, 'groups/pay-admins.yaml': after['groups/payments-admins.yaml'] };
    const head = load(moved).model!;
    expect(detectRenames(base, head)).toEqual([{ kind: 'permission-set', from: 'Admin', to: 'Administrator', file: 'access/permission-sets/Admin.yaml' }]);
    expect(detectRenames(base, head, new Map([['access/groups/payments-admins.yaml', 'access/groups/pay-admins.yaml']]))[0]).toEqual({
      kind: 'group', from: 'payments-admins', to: 'pay-admins', file: 'access/groups/pay-admins.yaml',
    });
  });

  it('emits moved blocks for every resource a rename re-keys, instead of destroy and create', () => {
    const { head, base } = renamed();
    const layout = buildLayout({ model: head, today: '2026-11-23', base });
    expect(layout.okta.moved).toEqual([
      { from: 'okta_group.this["payments-admins"]', to: 'okta_group.this["pay-admins"]' },
      { from: 'okta_group_memberships.this["payments-admins"]', to: 'okta_group_memberships.this["pay-admins"]' },
      { from: 'okta_group_owner.this["payments-admins|o@example.com"]', to: 'okta_group_owner.this["pay-admins|o@example.com"]' },
      { from: 'okta_push_group.this["payments-admins"]', to: 'okta_push_group.this["pay-admins"]' },
    ]);
    // One source per destination: the key the state has, from the base revision's names (Terraform refuses two sources for one instance).
    expect(layout.aws[0].moved).toEqual([
      { from: 'aws_ssoadmin_account_assignment.this["payments-admins|Admin|111111111111"]', to: 'aws_ssoadmin_account_assignment.this["pay-admins|Administrator|111111111111"]' },
      { from: 'aws_ssoadmin_account_assignment.this["payments-admins|ReadOnly|022222222222"]', to: 'aws_ssoadmin_account_assignment.this["pay-admins|ReadOnly|022222222222"]' },
      { from: 'aws_ssoadmin_managed_policy_attachment.this["Admin|arn:aws:iam::aws:policy/AdministratorAccess"]', to: 'aws_ssoadmin_managed_policy_attachment.this["Administrator|arn:aws:iam::aws:policy/AdministratorAccess"]' },
      { from: 'aws_ssoadmin_permission_set.this["Admin"]', to: 'aws_ssoadmin_permission_set.this["Administrator"]' },
      { from: 'aws_ssoadmin_permission_set_inline_policy.this["Admin"]', to: 'aws_ssoadmin_permission_set_inline_policy.this["Administrator"]' },
    ]);
  });

  it('writes the moved blocks into the stacks and lets a new group wait for its SCIM push', () => {
    const { base } = renamed();
    const stacks = synthOrg(after, { base });
    expect(stacks.okta.moved).toHaveLength(4);
    expect(stacks.aws.moved).toHaveLength(5);
    // The renamed group is looked up by its new name first, then by its old one (SCIM renames in place).
    expect(stacks.aws.locals.group_lookup).toEqual({ 'brand-new': ['brand-new'], 'pay-admins': ['pay-admins', 'payments-admins'] });
    // Only the group created in this change may be missing from the Identity Store.
    expect(stacks.aws.locals.new_groups).toEqual(['brand-new']);
    expect(stacks.aws.output.pending_scim_groups.value).toBe('${[for g in local.new_groups : g if length(local.group_matches[g]) == 0]}');
    expectGolden('fixtures/renames-aws.json', stacks.aws);
  });

  it('without a base revision, treats no group as new: a missing group fails the plan', () => {
    const stacks = synthOrg(after);
    expect(stacks.aws.locals.new_groups).toEqual([]);
    expect(stacks.aws.moved).toBeUndefined();
  });

  it('with an empty base (access/ did not exist), every group may wait for its push', () => {
    const stacks = synthOrg(after, { base: { groups: new Set(), permissionSets: new Set(), renames: [] } });
    expect(stacks.aws.locals.new_groups).toEqual(['brand-new', 'pay-admins']);
  });
});

it('keeps the base fixture valid', () => {
  expect(load({}, BASE).diagnostics).toEqual([]);
});
