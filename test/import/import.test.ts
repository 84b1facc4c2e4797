// accessctl import on recorded exports (test/fixtures/import/, in the shapes
// the Okta Management API and the AWS CLI v2 return): the files it writes,
// that they validate and synthesize, and that every object gets an import block.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImport } from '../../src/import/build';
import { loadAccessModel } from '../../src/model/load';
import { SKELETON_FILES } from '../../src/cli/commands/init';
import { exampleOrg, REPO_ROOT, run } from '../support/helpers';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'import');

function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-import-'));
  fs.mkdirSync(path.join(root, 'access'));
  for (const f of ['settings.yaml', 'policy.yaml']) fs.copyFileSync(path.join(FIXTURES, f), path.join(root, 'access', f));
  fs.cpSync(path.join(FIXTURES, 'okta'), path.join(root, 'okta'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'aws'), path.join(root, 'aws'), { recursive: true });
  return root;
}

/**
 * Import blocks as instance addresses: the account assignments' single for_each block (over the assignments the plan
 * declares) expands to one entry per key of local.assignment_imports.
 */
function expandImports(tf: { import?: Array<{ to: string; id: string; for_each?: string }>; locals?: Record<string, unknown> }): Array<{ to: string; id: string }> {
  return (tf.import ?? []).flatMap((i) => {
    if (i.for_each === undefined) return [i];
    expect(i).toEqual({
      for_each: '${{ for key, id in local.assignment_imports : key => id if contains(keys(local.planned_assignments), key) }}',
      to: 'aws_ssoadmin_account_assignment.this[each.key]',
      id: '${each.value}',
    });
    return Object.entries(tf.locals!.assignment_imports as Record<string, string>).map(([k, id]) => ({ to: `aws_ssoadmin_account_assignment.this[${JSON.stringify(k)}]`, id }));
  });
}

const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, 'access', rel), 'utf8');
const listing = (root: string): string[] => {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  walk(path.join(root, 'access'), '');
  return out.sort();
};

/** What the import of the fixtures writes, with settings.yaml and policy.yaml. */
const IMPORTED = [
  'accounts.yaml',
  'groups/aws-admins.yaml',
  'groups/aws-developers.yaml',
  'groups/engineering.yaml',
  'imports.yaml',
  'people.yaml',
  'permission-sets/AdministratorAccess.yaml',
  'permission-sets/Deployer.yaml',
  'permission-sets/ReadOnly.yaml',
  'policy.yaml',
  'settings.yaml',
];

/** The example org as a fork has it, with the fixtures' exports beside it. */
function forkWithExports(): string {
  const root = exampleOrg();
  fs.cpSync(path.join(FIXTURES, 'okta'), path.join(root, 'okta'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'aws'), path.join(root, 'aws'), { recursive: true });
  return root;
}

/** Every file under access/ with its content. */
const contents = (root: string): Record<string, string> => Object.fromEntries(listing(root).map((rel) => [rel, read(root, rel)]));

/** The two findings the fixtures' org has under the default policy: standing administrators. */
const STANDING_ADMINS = [
  'validate reports 2 errors, 0 warnings in the imported org: the existing setup breaks these guardrails:',
  'access/groups/aws-admins.yaml:10:5 error high-privilege-expiry ana.silva@example.com has standing access to AdministratorAccess (attaches AdministratorAccess) through "aws-admins": high-privilege membership needs an expires date',
];
const FIX_FIRST = '\nnext: fix those 2 errors first, or waive them with reasons and end dates in access/policy.yaml (docs/rules.md): synth and plan refuse until npx accessctl validate is clean. Then npx accessctl synth and a pull request; the first plan must show imports and no destroy; delete access/imports.yaml after the first apply.\n';

describe('accessctl import in a fork of the example org', () => {
  it('stops on the untouched example org: its settings.yaml is not the user\'s', async () => {
    const root = forkWithExports();
    const before = contents(root);
    for (const flags of [[], ['--force'], ['--fresh']]) {
      const r = await run(['import', '--okta', 'okta', '--aws', 'aws', ...flags], root);
      expect([r.code, r.stdout]).toEqual([1, '']);
      expect(r.stderr.startsWith('access/settings.yaml:1:1 error ACC121 access/settings.yaml is the example org\'s (Northwind): the import would put your org under its Okta org, app URLs and access portal\n'
        + '  hint: run npx accessctl init with your values first (it replaces the example org), then import\n')).toBe(true);
      expect(r.stderr.endsWith('\nimport stopped: nothing was written\n')).toBe(true);
    }
    expect(contents(root)).toEqual(before);
  });

  it('after init, imports without --force (init\'s empty files are there to be replaced), and says to fix what validate finds before synth', async () => {
    const root = forkWithExports();
    const init = await run(['init', '--okta-org', 'acme', '--org-type', 'identity-engine', '--acs-url', 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/5f0c2b7e-8d4a-4c1e-9b3f-2a6d8e1c7f90',
      '--issuer-url', 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067a1b2c3', '--region', 'us-east-1', '--start-url', 'https://d-9067a1b2c3.awsapps.com/start', '--security-team', '@acme/security'], root);
    expect(init.code).toBe(0);
    const settings = read(root, 'settings.yaml');
    const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')[0]).toBe('imported into access: 3 groups, 3 permission sets, 4 accounts, 5 account assignments, 27 import blocks');
    expect(listing(root)).toEqual(IMPORTED);
    expect(read(root, 'settings.yaml')).toBe(settings);
    expect(read(root, 'policy.yaml')).toBe(SKELETON_FILES.get('policy.yaml'));
    expect(read(root, 'accounts.yaml')).toContain('  - name: payments-prod\n');
    // The default policy.yaml waives nothing: validate fails, and the last line says what to do first, not "synth".
    expect(r.stdout).toContain(STANDING_ADMINS.join('\n'));
    expect(r.stdout.endsWith(FIX_FIRST)).toBe(true);
    expect(r.stdout).not.toContain('next: npx accessctl synth');
    const v = await run(['validate'], root);
    expect([v.code, (v.stdout + v.stderr).split('\n').filter((l) => / error /.test(l)).length]).toEqual([1, 2]);
  });

  it('with the user\'s settings.yaml over the example org: the example\'s files stop it, and --fresh replaces them all', async () => {
    const root = forkWithExports();
    fs.copyFileSync(path.join(FIXTURES, 'settings.yaml'), path.join(root, 'access', 'settings.yaml'));
    // As the README used to say: the example's groups, permission sets and accounts deleted, policy.yaml and people.yaml left.
    for (const rel of ['groups', 'permission-sets', 'accounts.yaml']) fs.rmSync(path.join(root, 'access', rel), { recursive: true });
    const before = contents(root);
    const forced = await run(['import', '--okta', 'okta', '--aws', 'aws', '--force'], root);
    expect(forced.code).toBe(1);
    // The example's policy.yaml names its groups (ACC072), its security team (ACC073) and people (ACC074), which the import does not have.
    const errors = forced.stderr.split('\n').filter((l) => / error /.test(l)).map((l) => l.replace(/:[0-9]+:[0-9]+ error (ACC[0-9]+) .*/, ' $1'));
    expect([...new Set(errors)].sort()).toEqual(['access/policy.yaml ACC072', 'access/policy.yaml ACC073', 'access/policy.yaml ACC074']);
    expect(forced.stderr.endsWith('access/policy.yaml is not from the exports and names what the import does not hold (left from the example org?): edit it, or import --fresh, which keeps only settings.yaml and starts policy.yaml from the defaults\n'
      + `import stopped: the files it would write do not load (${errors.length} errors, 0 warnings); nothing was written\n`)).toBe(true);
    expect(contents(root)).toEqual(before);

    // The whole example org, groups and all, is replaced by --fresh: settings.yaml kept byte for byte, policy.yaml the default.
    const full = forkWithExports();
    fs.copyFileSync(path.join(FIXTURES, 'settings.yaml'), path.join(full, 'access', 'settings.yaml'));
    const stray = await run(['import', '--okta', 'okta', '--aws', 'aws', '--force'], full);
    expect(stray.stderr).toContain('access/groups/aws-payments-admins.yaml:1:1 error ACC093 access/groups/aws-payments-admins.yaml is not from the exports: remove it or import into an empty directory\n  hint: or pass --fresh: it keeps only settings.yaml and replaces the rest\n');
    const r = await run(['import', '--okta', 'okta', '--aws', 'aws', '--fresh'], full);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'imported into access: 3 groups, 3 permission sets, 4 accounts, 5 account assignments, 28 import blocks',
      '--fresh: kept access/settings.yaml, policy.yaml replaced by the defaults, 10 other files removed',
    ]);
    expect(listing(full)).toEqual(IMPORTED);
    expect(read(full, 'settings.yaml')).toBe(fs.readFileSync(path.join(FIXTURES, 'settings.yaml'), 'utf8'));
    expect(read(full, 'policy.yaml')).toBe(SKELETON_FILES.get('policy.yaml'));
    expect(fs.readdirSync(full).sort()).toEqual(['access', 'aws', 'okta']);
    expect(r.stdout).toContain(STANDING_ADMINS.join('\n'));
    expect(r.stdout.endsWith(FIX_FIRST)).toBe(true);
    expect((await run(['import', '--okta', 'okta', '--aws', 'aws', '--fresh', '--force'], full)).code).toBe(2);
    // --fresh replaces the whole of --out: never the working directory.
    const here = await run(['import', '--okta', 'okta', '--aws', 'aws', '--fresh', '--out', '.'], full);
    expect([here.code, here.stderr.split('\n')[0]]).toEqual([2, 'accessctl import: --fresh replaces the whole of --out, and . is the working directory or holds it: name the access directory itself']);
  });
});

describe('accessctl import', () => {
  it('without the push mappings, says the pushes would be created anew rather than claim they link to the AWS groups', async () => {
    const root = workspace();
    fs.rmSync(path.join(root, 'okta', 'apps', '0oa1aws5so0000000001', 'push-mappings.json'));
    const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('  - no apps/0oa1aws5so0000000001/push-mappings.json in the Okta export: the first apply creates a Group Push for every group with apps: [aws], and nothing documents that IAM Identity Center links a new push to the AWS group that already has its name (it may fail or make a second group). Export the mappings (docs/import.md) so the existing pushes are adopted\n');
    expect(read(root, 'imports.yaml')).not.toContain('okta_push_group');
  });

  it('writes the org, reports what it leaves out, and the result validates', async () => {
    const root = workspace();
    const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('imported into access: 3 groups, 3 permission sets, 4 accounts, 5 account assignments, 28 import blocks');
    // The AWS app's group assignments are one authoritative resource: a group it cannot import loses the app.
    expect(r.stdout).toContain([
      'the first apply removes this access (1): decide before applying, and say so in the pull request:',
      '  - "aws_imported_group" (00g5appgroup00000005) is assigned to the Okta app "AWS IAM Identity Center" but is not imported: okta_app_group_assignments holds every group of that app, so the first apply removes this assignment (and SCIM then deprovisions what only it brought to AWS)',
    ].join('\n'));
    expect(r.stdout).toContain([
      'not imported as is (13):',
      '  - account retired (555555555555) is SUSPENDED: not imported (AWS suspended it and nobody can sign in to it)',
      '  - account old sandbox (666666666666) is CLOSED: not imported (it is closed)',
      '  - account data-platform (777777777777) is PENDING_ACTIVATION: not imported (its sign-up is not complete and nobody can use it yet; add it to accounts.yaml once it is ACTIVE)',
      '  - account "Payments Prod" (222222222222) is named payments-prod, with "Payments Prod" as its description',
      '  - an assignment of ReadOnly on 222222222222 to a user (9067a1b2c3-user-0000-0000-000000000009) is not imported: accessctl assigns groups only',
      '  - dee.kaur@example.com in "aws-developers" is SUSPENDED: kept as a member (remove them in a reviewed change)',
      '  - group "aws-developers" is owned by a group (00g3eng0000000000003): accessctl owners are people, not imported',
      '  - group "engineering" is filled by the group rule "Engineering department": imported in additive mode without members, so Terraform leaves the rule\'s members alone (list members to manage them too)',
      '  - group "Everyone" (00g4every00000000004) is of type BUILT_IN: only Okta groups (OKTA_GROUP) are imported',
      '  - group "aws_imported_group" (00g5appgroup00000005) is of type APP_GROUP: only Okta groups (OKTA_GROUP) are imported',
      '  - "engineering" is assigned to the Okta app "Slack" (0oa2slack00000000002), which settings.yaml does not declare: that assignment is not imported',
      '  - the Identity Store group "legacy-admins" holds AdministratorAccess on 222222222222 but is not an Okta group in the export: not imported',
      '  - 3 groups are assigned to the AWS app "AWS IAM Identity Center": accessctl assigns only its assignment group accessctl-aws-users and pushes the groups with AWS grants. The first apply creates that group with everyone in a pushed group, assigns it, and only then unassigns the others (a one-time change, which plan-summary describes)',
    ].join('\n'));
    expect(listing(root)).toEqual(IMPORTED);
    // validate finds nothing (policy.yaml waives the standing administrators): the next step is synth.
    expect(r.stdout).not.toContain('validate reports');
    expect(r.stdout.endsWith('\nnext: npx accessctl synth, then a pull request. The first plan must show imports and no destroy; delete access/imports.yaml after the first apply.\n')).toBe(true);
    expect(read(root, 'groups/aws-developers.yaml')).toBe(`# yaml-language-server: $schema=../../schemas/group.schema.json
# Imported by accessctl import: every current member, authoritative.
name: aws-developers
owners:
  - cy.wu@example.com
mode: authoritative
members:
  - ben.ode@example.com
  - cy.wu@example.com
  - dee.kaur@example.com
  - gus.park@example.com
apps:
  - aws
aws:
  - permissionSet: Deployer
    accounts:
      - payments-staging
      - sandbox
  - permissionSet: ReadOnly
    accounts:
      - payments-prod
`);
    // gus.park is PROVISIONED (an SSO-only user who never set an Okta password): a member like any other, without a note.
    expect(r.stdout).not.toContain('gus.park');
    expect(read(root, 'permission-sets/ReadOnly.yaml')).toBe(`# yaml-language-server: $schema=../../schemas/permission-set.schema.json
# Imported by accessctl import.
name: ReadOnly
description: Read-only access
sessionDuration: PT4H
relayState: https://console.aws.amazon.com/
managedPolicies:
  - ViewOnlyAccess
customerManagedPolicies:
  - name: deny-secrets
    path: /guardrails/
tags:
  cost-center: "1234"
  owner: platform
`);
    // An active group rule fills engineering (the inactive one on aws-developers does not count).
    expect(read(root, 'groups/engineering.yaml')).toBe(`# yaml-language-server: $schema=../../schemas/group.schema.json
# Imported by accessctl import: members come from a group rule, additive.
name: engineering
description: All engineers
owners:
  - eli.mora@example.com
mode: additive
apps:
  - github
`);
    expect(read(root, 'accounts.yaml')).toBe(`# yaml-language-server: $schema=../schemas/accounts.schema.json
# Imported by accessctl import from organizations list-accounts and list-parents.
accounts:
  - name: management
    id: "111111111111"
    ou: Root
  - name: payments-prod
    description: Payments Prod
    id: "222222222222"
    ou: Workloads/Prod
    tags:
      env: prod
      team: payments
  - name: payments-staging
    id: "333333333333"
    ou: Workloads/NonProd
    tags:
      env: staging
  - name: sandbox
    id: "044444444444"
    ou: Sandbox
`);
    const v = await run(['validate'], root);
    expect(v.stdout).toBe('access: valid, 3 groups, 3 permission sets, 4 accounts, 5 account assignments; 0 warnings, 2 waived\n');
  });

  it('synthesizes import blocks for every object it found, and only for those', async () => {
    const root = workspace();
    expect((await run(['import', '--okta', 'okta', '--aws', 'aws'], root)).code).toBe(0);
    const s = await run(['synth', '--no-base'], root);
    expect(s.code).toBe(0);
    const stack = (name: string) => {
      const tf = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, { for_each?: unknown }>>; locals?: Record<string, unknown>; import: Array<{ to: string; id: string }> };
      return { ...tf, import: expandImports(tf) };
    };
    const instances = (tf: ReturnType<typeof stack>): string[] =>
      Object.entries(tf.resource).flatMap(([type, byName]) => Object.entries(byName).flatMap(([name, r]) => {
        // A for_each expression over a local map (the assignments are filtered for groups SCIM has not pushed).
        const local = r.for_each === '${local.planned_assignments}' ? 'account_assignments' : undefined;
        const set = typeof r.for_each === 'string' ? /^\$\{toset\((\[.*\])\)\}$/.exec(r.for_each)?.[1] : undefined;
        const each = local !== undefined ? tf.locals![local] : set !== undefined ? (JSON.parse(set) as string[]) : r.for_each;
        if (Array.isArray(each)) return (each as string[]).map((k) => `${type}.${name}[${JSON.stringify(k)}]`);
        if (each && typeof each === 'object') return Object.keys(each).map((k) => `${type}.${name}[${JSON.stringify(k)}]`);
        return [`${type}.${name}`];
      }));
    const okta = stack('okta');
    const aws = stack('aws');
    // AWS: every resource instance is adopted.
    expect(aws.import.map((i) => i.to).sort()).toEqual(instances(aws).sort());
    // Okta: everything but what the exports do not hold and the first apply
    // creates: the sign-on policy and its rule, the assignment group with
    // its members and its assignment to the app, and the empty memberships of
    // engineering (additive, filled by a group rule: no member listed; the
    // provider creates an empty set without a call to Okta).
    expect(instances(okta).filter((a) => !okta.import.some((i) => i.to === a)).sort()).toEqual([
      'okta_app_group_assignment.assignment["aws"]',
      'okta_app_signon_policy.this["aws"]',
      'okta_app_signon_policy_rule.this["aws"]',
      'okta_group.assignment["aws"]',
      'okta_group_memberships.assignment["aws"]',
      'okta_group_memberships.this["engineering"]',
    ]);
    expect((okta.resource.okta_group_memberships.this.for_each as Record<string, unknown>).engineering).toEqual({ logins: [], track_all_users: false });
    expect(okta.import.length).toBe(14);
    // No group both assigned to the AWS app and pushed: only the assignment group is assigned.
    expect((okta.resource.okta_app_group_assignments.this as unknown as { group: unknown }).group).toEqual([{ id: '${okta_group.assignment[each.key].id}' }]);
    expect(Object.keys((okta.resource.okta_app_group_assignment.this?.for_each ?? {}) as object).filter((k) => k.startsWith('aws|'))).toEqual([]);
    expect(okta.import.some((i) => i.to === 'okta_group_memberships.this["engineering"]')).toBe(false);
    expect(okta.import).toContainEqual({ to: 'okta_group_memberships.this["aws-admins"]', id: '00g1admins0000000001/true' });
    expect(okta.import).toContainEqual({ to: 'okta_group_owner.this["aws-developers|cy.wu@example.com"]', id: '00g2devs000000000002/00u3cy000000000000003' });
    expect(okta.import).toContainEqual({ to: 'okta_push_group.this["aws-admins"]', id: '0oa1aws5so0000000001/gPm00admins000000001' });
    expect(okta.import).toContainEqual({ to: 'okta_app_group_assignment.this["github|engineering"]', id: '0oa8f3k2m9QxT4vW5y7z/00g3eng0000000000003' });
    expect(okta.import).toContainEqual({ to: 'okta_group.this["engineering"]', id: '00g3eng0000000000003' });
    expect(okta.import).toContainEqual({ to: 'okta_app_saml.this["aws"]', id: '0oa1aws5so0000000001' });
    expect(okta.import).toContainEqual({ to: 'okta_app_group_assignments.this["aws"]', id: '0oa1aws5so0000000001' });
    const ins = 'arn:aws:sso:::instance/ssoins-7223e1b2c3d4e5f6';
    const readOnly = 'arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-2b3c4d5e6f7a8b9c';
    expect(aws.import).toContainEqual({ to: 'aws_ssoadmin_permission_set.this["ReadOnly"]', id: `${readOnly},${ins}` });
    expect(aws.import).toContainEqual({
      to: 'aws_ssoadmin_managed_policy_attachment.this["ReadOnly|arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]',
      id: `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess,${readOnly},${ins}`,
    });
    // AdministratorAccess has no inline policy: get-inline-policy-for-permission-set answers "".
    expect(aws.import.filter((i) => i.to.startsWith('aws_ssoadmin_permission_set_inline_policy.') || i.to.startsWith('aws_ssoadmin_permissions_boundary_attachment.'))).toEqual([
      { to: 'aws_ssoadmin_permission_set_inline_policy.this["Deployer"]', id: `arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-3c4d5e6f7a8b9c0d,${ins}` },
      { to: 'aws_ssoadmin_permissions_boundary_attachment.this["Deployer"]', id: `arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-3c4d5e6f7a8b9c0d,${ins}` },
    ]);
    expect(aws.import.length).toBe(14);
    expect(aws.import).toContainEqual({
      to: 'aws_ssoadmin_account_assignment.this["aws-developers|Deployer|044444444444"]',
      id: '9067a1b2c3-22222222-aaaa-bbbb-cccc-000000000002,GROUP,044444444444,AWS_ACCOUNT,arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-3c4d5e6f7a8b9c0d,arn:aws:sso:::instance/ssoins-7223e1b2c3d4e5f6',
    });
    expect(aws.import).toContainEqual({
      to: 'aws_ssoadmin_customer_managed_policy_attachment.this["ReadOnly|/guardrails/deny-secrets"]',
      id: 'deny-secrets,/guardrails/,arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-2b3c4d5e6f7a8b9c,arn:aws:sso:::instance/ssoins-7223e1b2c3d4e5f6',
    });
  });

  it('refuses to overwrite, and an import entry that matches nothing is a warning at synth', async () => {
    const root = workspace();
    expect((await run(['import', '--okta', 'okta', '--aws', 'aws'], root)).code).toBe(0);
    const before = read(root, 'groups/aws-admins.yaml');
    fs.writeFileSync(path.join(root, 'access', 'groups', 'aws-admins.yaml'), `${before}# edited\n`);
    const again = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('access/groups/aws-admins.yaml:1:1 error ACC093 access/groups/aws-admins.yaml exists: import does not merge into existing files\n');
    expect(read(root, 'groups/aws-admins.yaml')).toBe(`${before}# edited\n`);
    expect((await run(['import', '--okta', 'okta', '--aws', 'aws', '--force'], root)).code).toBe(0);
    expect(read(root, 'groups/aws-admins.yaml')).toBe(before);
    fs.rmSync(path.join(root, 'access', 'groups', 'engineering.yaml'));
    const s = await run(['synth', '--no-base'], root);
    expect(s.code).toBe(0);
    expect(s.stdout + s.stderr).toMatch(/access\/imports.yaml:[0-9]+:5 warning ACC091 import of okta_app_group_assignment "github\|engineering" matches no resource the files declare; it is left out/);
  });

  it.each([
    ['aws/accounts.json', '{"Accounts": [{"Id": "111111111111", "Status": "ACTIVE"}]}', 'aws/accounts.json:1:1 error ACC092 Accounts[0].Name: missing (a string)'],
    ['okta/groups.json', '{"not": "a list"}', 'okta/groups.json:1:1 error ACC092 (top): expected a list, found an object'],
    ['aws/instances.json', 'not json', 'aws/instances.json:1:1 error ACC092 not JSON: Unexpected token'],
    ['aws/groups.json', null, 'aws/groups.json:1:1 error ACC092 missing: produce it as docs/import.md shows'],
    ['aws/permission-sets.json', '{"PermissionSets": ["arn:aws:sso:::permissionSet/../../etc"]}',
      'aws/permission-sets.json:1:1 error ACC092 PermissionSets[0]: "arn:aws:sso:::permissionSet/../../etc" is not a permission set ARN'],
    ['aws/permission-sets/ps-2b3c4d5e6f7a8b9c/tags.json', '{"Tags": [{"Key": "owner"}]}',
      'aws/permission-sets/ps-2b3c4d5e6f7a8b9c/tags.json:1:1 error ACC092 Tags[0].Value: missing (a string)'],
    ['aws/account-assignments/044444444444/ps-3c4d5e6f7a8b9c0d.json',
      '{"AccountAssignments": [{"AccountId": "044444444444", "PermissionSetArn": "arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-3c4d5e6f7a8b9c0d", "PrincipalType": "GROUP", "PrincipalId": "9067a1b2c3-99999999"}]}',
      'aws/account-assignments/044444444444/ps-3c4d5e6f7a8b9c0d.json:1:1 error ACC092 AccountAssignments[0].PrincipalId: group 9067a1b2c3-99999999 is not in aws/groups.json'],
    ['okta/groups/00g1admins0000000001/users.json', '[{"id": "00u1ana00000000000001", "status": "ACTIVE", "profile": {"email": "ana.silva@example.com"}}]',
      'okta/groups/00g1admins0000000001/users.json:1:1 error ACC092 [0].profile.login: missing (a string)'],
    ['okta/group-rules.json', '[{"id": "0pr1", "name": "r", "status": "ACTIVE", "actions": {}}]',
      'okta/group-rules.json:1:1 error ACC092 [0].actions.assignUserToGroups: expected an object, found nothing'],
  ])('a broken export (%s) stops the import with the file and field, writing nothing', async (rel, content, message) => {
    const root = workspace();
    if (content === null) fs.rmSync(path.join(root, rel));
    else fs.writeFileSync(path.join(root, rel), content);
    const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]!.startsWith(message)).toBe(true);
    expect(r.stderr).toContain('import stopped: nothing was written\n');
    expect(listing(root)).toEqual(['policy.yaml', 'settings.yaml']);
  });

  it('adopts an assignment listed in two export files once', async () => {
    const root = workspace();
    fs.copyFileSync(path.join(root, 'aws', 'account-assignments', '044444444444', 'ps-3c4d5e6f7a8b9c0d.json'), path.join(root, 'aws', 'account-assignments', 'again.json'));
    const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('imported into access: 3 groups, 3 permission sets, 4 accounts, 5 account assignments, 28 import blocks');
    expect(read(root, 'imports.yaml').split('aws-developers|Deployer|044444444444').length).toBe(2);
  });

  it('splits a large import into files under imports/, which load and synthesize like one file', async () => {
    const root = workspace();
    const settings = loadAccessModel([
      { file: 'access/settings.yaml', rel: 'settings.yaml', bytes: fs.readFileSync(path.join(root, 'access', 'settings.yaml')) },
      { file: 'access/accounts.yaml', rel: 'accounts.yaml', bytes: Buffer.from('accounts: []\n') },
    ]).model!.settings;
    const result = buildImport({ oktaDir: path.join(root, 'okta'), awsDir: path.join(root, 'aws'), oktaLabel: 'okta', awsLabel: 'aws', settings, maxImportsFileBytes: 2048 });
    const parts = [...result.files.keys()].filter((rel) => rel.startsWith('imports'));
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((rel) => /^imports\/[0-9]{4}\.yaml$/.test(rel))).toBe(true);
    for (const [rel, text] of result.files) {
      fs.mkdirSync(path.dirname(path.join(root, 'access', rel)), { recursive: true });
      fs.writeFileSync(path.join(root, 'access', rel), text);
    }
    expect((await run(['synth', '--no-base'], root)).code).toBe(0);
    const blocks = ['okta', 'aws'].flatMap((stack) => expandImports(JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'))));
    expect(blocks.length).toBe(28);

    // A second import refuses to mix its imports with old ones, even with --force.
    const again = await run(['import', '--okta', 'okta', '--aws', 'aws', '--force'], root);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('access/imports/0001.yaml:1:1 error ACC093 access/imports/0001.yaml is not from the exports: remove it or import into an empty directory\n');

    // The same instance imported in two files is an error.
    const first = fs.readFileSync(path.join(root, 'access', 'imports', '0001.yaml'), 'utf8');
    fs.writeFileSync(path.join(root, 'access', 'imports', 'again.yaml'), first);
    const v = await run(['validate'], root);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toContain('access/imports/again.yaml:6:10 error ACC090 aws_ssoadmin_account_assignment "aws-admins|AdministratorAccess|222222222222" is already imported at access/imports/0001.yaml:5\n');
  });

  describe('on the exports as the AWS CLI and the Okta API return them today', () => {
    const INSTANCE = 'arn:aws:sso:::instance/ssoins-7223e1b2c3d4e5f6';
    const jsonAt = (root: string, rel: string): any => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8'));
    const writeJson = (root: string, rel: string, data: unknown): void => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), `${JSON.stringify(data, null, 2)}\n`);
    };
    const stopped = async (root: string, args: string[] = []): Promise<string> => {
      const r = await run(['import', '--okta', 'okta', '--aws', 'aws', ...args], root);
      expect([r.code, r.stdout]).toEqual([1, '']);
      expect(r.stderr.endsWith('import stopped: nothing was written\n')).toBe(true);
      expect(listing(root)).toEqual(['policy.yaml', 'settings.yaml']);
      return r.stderr;
    };

    it('reads State, falls back to the retired Status, and lets State win when an export has both', async () => {
      const root = workspace();
      const accounts = jsonAt(root, 'aws/accounts.json');
      // An export from before 2026-09-09: Status only (it never had CLOSED or PENDING_ACTIVATION).
      writeJson(root, 'aws/accounts.json', {
        Accounts: accounts.Accounts.filter((a: { State: string }) => ['ACTIVE', 'SUSPENDED'].includes(a.State)).map(({ State, ...a }: { State: string }) => ({ ...a, Status: State })),
      });
      const old = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
      expect(old.code).toBe(0);
      expect(old.stdout.split('\n')[0]).toBe('imported into access: 3 groups, 3 permission sets, 4 accounts, 5 account assignments, 28 import blocks');
      expect(old.stdout).toContain('  - account retired (555555555555) is SUSPENDED: not imported (AWS suspended it and nobody can sign in to it)\n');

      // Both fields: State is today's truth (Status cannot say CLOSED).
      const both = workspace();
      writeJson(both, 'aws/accounts.json', { Accounts: accounts.Accounts.map((a: { Id: string; State: string }) => (a.Id === '044444444444' ? { ...a, Status: 'ACTIVE', State: 'CLOSED' } : { ...a, Status: 'ACTIVE' })) });
      // An assignment export left for an account that is no longer active is reported with the account's state.
      writeJson(both, 'aws/account-assignments/666666666666/ps-2b3c4d5e6f7a8b9c.json', { AccountAssignments: [{ AccountId: '666666666666', PermissionSetArn: `arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-2b3c4d5e6f7a8b9c`, PrincipalType: 'GROUP', PrincipalId: '9067a1b2c3-22222222-aaaa-bbbb-cccc-000000000002' }] });
      const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], both);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('imported into access: 3 groups, 3 permission sets, 3 accounts, 4 account assignments, 27 import blocks');
      expect(r.stdout).toContain('  - account sandbox (044444444444) is CLOSED: not imported (it is closed)\n');
      expect(r.stdout).toContain('  - an assignment of Deployer to aws-developers on account sandbox (044444444444), which is CLOSED, is not imported\n');
      expect(r.stdout).toContain('  - an assignment of ReadOnly to aws-developers on account old sandbox (666666666666), which is CLOSED, is not imported\n');
      expect(read(both, 'accounts.yaml')).not.toContain('044444444444');

      // Neither field: refused, never taken for ACTIVE.
      const neither = workspace();
      writeJson(neither, 'aws/accounts.json', { Accounts: [{ Id: '111111111111', Name: 'management' }] });
      expect((await stopped(neither)).split('\n')[0]).toBe('aws/accounts.json:1:1 error ACC092 Accounts[0].State: missing (a string; exports from before 2026-09-09 have Status instead)');
    });

    it('refuses an ACTIVE account whose assignments were not exported, rather than import it with no grants', async () => {
      const root = workspace();
      fs.rmSync(path.join(root, 'aws', 'account-assignments', '222222222222', 'ps-2b3c4d5e6f7a8b9c.json'));
      fs.rmSync(path.join(root, 'aws', 'account-assignments', '111111111111'), { recursive: true });
      const err = await stopped(root);
      expect(err).toBe([
        'aws/account-assignments/111111111111/ps-1a2b3c4d5e6f7a8b.json:1:1 error ACC095 missing: account management (111111111111) is ACTIVE, and without sso-admin list-account-assignments for it and AdministratorAccess its assignments would not be imported (3 more account and permission set pairs are missing too)',
        '  hint: export the assignments of every ACTIVE account and permission set (docs/import.md), then import again',
        '  see docs/errors.md#acc095',
        'import stopped: nothing was written',
        '',
      ].join('\n'));
      // The whole directory missing (the recipe's old Status filter on a State-only export) is the same refusal.
      fs.rmSync(path.join(root, 'aws', 'account-assignments'), { recursive: true });
      expect((await stopped(root)).split('\n')[0]).toMatch(/^aws\/account-assignments\/111111111111\/ps-1a2b3c4d5e6f7a8b.json:1:1 error ACC095 missing: .* \(11 more account and permission set pairs are missing too\)$/);
    });

    it('says an empty export is a failed call, not "not JSON"', async () => {
      const root = workspace();
      fs.writeFileSync(path.join(root, 'aws', 'account-assignments', '333333333333', 'ps-2b3c4d5e6f7a8b9c.json'), '');
      expect((await stopped(root)).split('\n')[0]).toBe('aws/account-assignments/333333333333/ps-2b3c4d5e6f7a8b9c.json:1:1 error ACC092 empty: the call that writes it failed; run it again (docs/import.md writes each export to a .tmp file and moves it only on success)');
      // What the recipe leaves after a failed call (f.tmp beside no f) is not read as an export.
      fs.renameSync(path.join(root, 'aws', 'account-assignments', '333333333333', 'ps-2b3c4d5e6f7a8b9c.json'), path.join(root, 'aws', 'account-assignments', '333333333333', 'ps-2b3c4d5e6f7a8b9c.json.tmp'));
      expect((await stopped(root)).split('\n')[0]).toMatch(/^aws\/account-assignments\/333333333333\/ps-2b3c4d5e6f7a8b9c.json:1:1 error ACC095 missing: account payments-staging \(333333333333\) is ACTIVE/);
    });

    it('with several IAM Identity Center instances, imports only the one --instance names', async () => {
      const root = workspace();
      const instances = jsonAt(root, 'aws/instances.json');
      const other = 'arn:aws:sso:::instance/ssoins-66841d7d0a6b4c21';
      instances.Instances.push({ InstanceArn: other, IdentityStoreId: 'd-90679aaaaa', OwnerAccountId: '333333333333', Name: 'staging-app', CreatedDate: '2025-03-01T10:00:00.000000+00:00', Status: 'ACTIVE' });
      writeJson(root, 'aws/instances.json', instances);
      expect(await stopped(root)).toBe([
        `aws/instances.json:1:1 error ACC094 Instances: 2 IAM Identity Center instances; pass --instance with the one the exports were taken from: ${INSTANCE}, ${other}`,
        '  hint: accessctl import --okta DIR --aws DIR --instance ARN',
        '  see docs/errors.md#acc094',
        'import stopped: nothing was written',
        '',
      ].join('\n'));
      expect((await stopped(root, ['--instance', 'arn:aws:sso:::instance/ssoins-0000000000000000'])).split('\n')[0])
        .toBe(`aws/instances.json:1:1 error ACC094 Instances: --instance arn:aws:sso:::instance/ssoins-0000000000000000 is not among the 2 listed: ${INSTANCE}, ${other}`);
      // The permission sets were exported from the first instance: naming the other is refused too.
      expect((await stopped(root, ['--instance', other])).split('\n')[0])
        .toBe(`aws/permission-sets.json:1:1 error ACC094 PermissionSets[0]: arn:aws:sso:::permissionSet/ssoins-7223e1b2c3d4e5f6/ps-1a2b3c4d5e6f7a8b belongs to another instance than ${other}: export again with --instance-arn $I`);
      const r = await run(['import', '--okta', 'okta', '--aws', 'aws', '--instance', INSTANCE], root);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('imported into access: 3 groups, 3 permission sets, 4 accounts, 5 account assignments, 28 import blocks');
      expect(read(root, 'imports.yaml')).not.toContain('ssoins-66841d7d0a6b4c21');
    });

    it('does not resume a paused Group Push, and says a failed one is pushed again', async () => {
      const rel = 'okta/apps/0oa1aws5so0000000001/push-mappings.json';
      const paused = workspace();
      const mappings = jsonAt(paused, rel);
      writeJson(paused, rel, mappings.map((m: { id: string }) => (m.id === 'gPm00devs0000000002' ? { ...m, status: 'INACTIVE' } : m)));
      expect(await stopped(paused)).toBe([
        'okta/apps/0oa1aws5so0000000001/push-mappings.json:1:1 error ACC096 the Group Push of "aws-developers" is INACTIVE (paused), and accessctl declares every push ACTIVE: the first apply would resume it',
        '  hint: activate the push in Okta, or delete the mapping, or set okta.groupPush: false in settings.yaml; then export the mappings again',
        '  see docs/errors.md#acc096',
        'import stopped: nothing was written',
        '',
      ].join('\n'));
      // With groupPush: false accessctl leaves pushes alone: the paused one stays paused.
      fs.writeFileSync(path.join(paused, 'access', 'settings.yaml'), fs.readFileSync(path.join(paused, 'access', 'settings.yaml'), 'utf8').replace('groupPush: true', 'groupPush: false'));
      const byHand = await run(['import', '--okta', 'okta', '--aws', 'aws'], paused);
      expect(byHand.code).toBe(0);
      expect(read(paused, 'imports.yaml')).not.toContain('okta_push_group');

      const failed = workspace();
      writeJson(failed, rel, mappings.map((m: { id: string }) => (m.id === 'gPm00devs0000000002' ? { ...m, status: 'ERROR', errorSummary: 'Group already exists in target application' } : m)));
      const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], failed);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('  - the Group Push of "aws-developers" is ERROR (Group already exists in target application): adopted, and the first apply sets it ACTIVE, which pushes the group again; fix the cause in Okta before applying\n');
      expect(read(failed, 'imports.yaml')).toContain('okta_push_group');
      expect(read(failed, 'imports.yaml')).toContain('0oa1aws5so0000000001/gPm00devs0000000002');
    });

    it('keeps an owner who is in no exported group from users.json, and says why one is dropped without it', async () => {
      const root = workspace();
      expect((await run(['import', '--okta', 'okta', '--aws', 'aws'], root)).code).toBe(0);
      expect(read(root, 'groups/aws-admins.yaml')).toContain('owners:\n  - ana.silva@example.com\n  - fay.lund@example.com\nmode: authoritative\n');
      expect(read(root, 'imports.yaml')).toContain('id: 00g1admins0000000001/00u6fay00000000000006');
      expect(read(root, 'people.yaml')).toContain('  - login: fay.lund@example.com\n    name: Fay Lund\n');

      const without = workspace();
      fs.rmSync(path.join(without, 'okta', 'users.json'));
      const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], without);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('  - owner 00u6fay00000000000006 of "aws-admins" is in no exported group, and there is no okta/users.json (GET /api/v1/users) to find them in: not imported\n');
      expect(read(without, 'groups/aws-admins.yaml')).not.toContain('fay.lund');
    });

    it('quotes what YAML 1.1 reads as a date, and gives account names with spaces a slug', async () => {
      const root = workspace();
      const accounts = jsonAt(root, 'aws/accounts.json');
      // A slug never takes a name AWS gives another account: that one keeps it.
      accounts.Accounts.push({ ...accounts.Accounts[2], Id: '888888888888', Arn: 'arn:aws:organizations::111111111111:account/o-abc/888888888888', Name: 'payments-prod' });
      writeJson(root, 'aws/accounts.json', accounts);
      writeJson(root, 'aws/parents/888888888888.json', jsonAt(root, 'aws/parents/333333333333.json'));
      for (const ps of ['ps-1a2b3c4d5e6f7a8b', 'ps-2b3c4d5e6f7a8b9c', 'ps-3c4d5e6f7a8b9c0d']) writeJson(root, `aws/account-assignments/888888888888/${ps}.json`, { AccountAssignments: [] });
      const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('  - account "Payments Prod" (222222222222) is named account-222222222222, with "Payments Prod" as its description\n');
      expect(read(root, 'accounts.yaml')).toContain('  - name: account-222222222222\n    description: Payments Prod\n    id: "222222222222"\n');
      expect(read(root, 'accounts.yaml')).toContain('  - name: payments-prod\n    id: "888888888888"\n');
      expect(read(root, 'permission-sets/Deployer.yaml')).toBe(`# yaml-language-server: $schema=../../schemas/permission-set.schema.json
# Imported by accessctl import.
name: Deployer
sessionDuration: PT2H
managedPolicies:
  - ReadOnlyAccess
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - Sid: Deploy
      Effect: Allow
      Action:
        - cloudformation:CreateStack
        - cloudformation:UpdateStack
      Resource: arn:aws:cloudformation:*:*:stack/app-*/*
permissionsBoundary:
  customerManagedPolicy:
    name: deploy-boundary
`);
      expect((await run(['validate'], root)).code).toBe(0);
    });

    /** get-account-authorization-details --filter LocalManagedPolicy for one account, holding the policies named [path, name]. */
    const localPolicies = (account: string, ...names: Array<[string, string]>) => ({
      UserDetailList: [], GroupDetailList: [], RoleDetailList: [],
      Policies: names.map(([p, name]) => ({
        PolicyName: name, Path: p, Arn: `arn:aws:iam::${account}:policy${p}${name}`, DefaultVersionId: 'v1',
        PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] } }],
      })),
    });

    it('with iam/ exports, lists the customer managed policies an account a permission set is assigned to lacks', async () => {
      const root = workspace();
      // ReadOnly (deny-secrets) is assigned on 222222222222; Deployer (boundary deploy-boundary) on 333333333333 and 044444444444.
      writeJson(root, 'aws/iam/222222222222.json', localPolicies('222222222222', ['/', 'deny-secrets']));
      writeJson(root, 'aws/iam/333333333333.json', localPolicies('333333333333', ['/', 'deploy-boundary']));
      writeJson(root, 'aws/iam/044444444444.json', localPolicies('044444444444'));
      const r = await run(['import', '--okta', 'okta', '--aws', 'aws'], root);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const section = r.stdout.split('\n\n').filter((p) => p.startsWith('customer managed policies missing'));
      expect(section).toEqual([[
        'customer managed policies missing from accounts a permission set is assigned to (2): '
          + 'IAM Identity Center cannot provision the permission set there until the policy exists in the account:',
        '  - Deployer on sandbox (044444444444): permissions boundary /deploy-boundary is not in aws/iam/044444444444.json',
        '  - ReadOnly on payments-prod (222222222222): customer managed policy /guardrails/deny-secrets is not in aws/iam/222222222222.json',
      ].join('\n')]);
      // Without iam/ exports nothing is judged; a bad one stops the import with the file and the JSON path.
      const plain = await run(['import', '--okta', 'okta', '--aws', 'aws'], workspace());
      expect([plain.code, plain.stdout.split('\n\n').filter((p) => p.startsWith('customer managed policies missing'))]).toEqual([0, []]);
      const bad = workspace();
      writeJson(bad, 'aws/iam/222222222222.json', { Policies: [{ PolicyName: 'deny-secrets' }] });
      expect((await stopped(bad)).split('\n')[0]).toBe('aws/iam/222222222222.json:1:1 error ACC137 Policies[0].Path: missing (a string)');
    });
  });

  it('needs settings.yaml and both export directories', async () => {
    const root = workspace();
    fs.rmSync(path.join(root, 'access', 'settings.yaml'));
    expect(await run(['import', '--okta', 'okta', '--aws', 'aws'], root)).toEqual({ code: 1, stdout: '', stderr: 'access/settings.yaml is missing: write it first (npx accessctl init writes one to fill in; README, "Adopting it for a real org"); import fills in everything else\n' });
    expect((await run(['import', '--okta', 'okta'], root)).stderr.split('\n')[0]).toBe('accessctl import: --okta DIR and --aws DIR are both required');
    expect((await run(['import', '--okta', 'nope', '--aws', 'aws'], root)).stderr.split('\n')[0]).toBe('accessctl import: --okta: nope is not a directory');
  });
});
