import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, tempRepo } from '../support/helpers';

// who-can --action --policy-exports DIR (issue 27): customer managed policy documents and SCPs exported with the AWS CLI,
// evaluated per account. The exports are written here as the AWS CLI v2 prints them (JSON, four-space indent).

const grant = (group: string, member: string, permissionSet: string, accounts: string): string =>
  `name: ${group}\nmode: additive\nmembers: [${member}]\napps: [aws]\naws:\n  - { permissionSet: ${permissionSet}, accounts: ${accounts} }\n`;

/** prod and dev under OU Workloads (its child OUs Prod and Dev); sandbox, the management account, directly under the root. */
const ORG: Record<string, string> = {
  'accounts.yaml': `accounts:
  - { name: prod, id: "111111111111", ou: Workloads/Prod }
  - { name: dev, id: "022222222222", ou: Workloads/Dev }
  - { name: sandbox, id: "033333333333", ou: Root }
`,
  'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\n',
  'permission-sets/Team.yaml': 'name: Team\ncustomerManagedPolicies:\n  - { name: team-policy, path: /teams/ }\n',
  'groups/g-admin.yaml': grant('g-admin', 'admin@example.com', 'Admin', '[prod, dev, sandbox]'),
  'groups/g-team.yaml': grant('g-team', 'team@example.com', 'Team', '[prod, dev, sandbox]'),
};

const cli = (data: unknown): string => `${JSON.stringify(data, null, 4)}\n`;
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const ALL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

/** One entry of get-account-authorization-details' Policies, its versions as [VersionId, Document], the first the default. */
function localPolicy(account: string, name: string, policyPath: string, versions: Array<[string, unknown]>, defaultVersion = versions[0]![0]): unknown {
  return {
    PolicyName: name,
    PolicyId: 'ANPAEXAMPLE0000000001',
    Arn: `arn:aws:iam::${account}:policy${policyPath}${name}`,
    Path: policyPath,
    DefaultVersionId: defaultVersion,
    AttachmentCount: 0,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: '2026-01-05T10:00:00+00:00',
    UpdateDate: '2026-03-01T10:00:00+00:00',
    PolicyVersionList: versions.map(([VersionId, Document]) => ({
      Document, VersionId, IsDefaultVersion: VersionId === defaultVersion, CreateDate: '2026-01-05T10:00:00+00:00',
    })),
  };
}
const authorizationDetails = (...Policies: unknown[]) => ({ UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies });

const scp = (id: string, name: string, document: unknown) => ({
  Policy: {
    PolicySummary: { Id: id, Arn: `arn:aws:organizations::999999999999:policy/o-exampleorg/service_control_policy/${id}`, Name: name, Description: '', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: id === 'p-FullAWSAccess' },
    Content: JSON.stringify(document),
  },
});
const attached = (...ids: string[]) => ({
  Policies: ids.map((Id) => ({ Id, Arn: `arn:aws:organizations::aws:policy/service_control_policy/${Id}`, Name: Id.slice(2), Description: '', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: false })),
});
const parent = (Id: string, Type: 'ROOT' | 'ORGANIZATIONAL_UNIT') => ({ Parents: [{ Id, Type }] });

/** In prod team-policy's default version (v2) allows s3:GetObject; its old v1 allowed everything. In dev it allows IAM, as the raw API's URL-encoded string. */
const EXPORTS: Record<string, unknown> = {
  'iam/111111111111.json': authorizationDetails(localPolicy('111111111111', 'team-policy', '/teams/', [
    ['v1', ALL],
    ['v2', doc({ Sid: 'ReadData', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })],
  ], 'v2')),
  'iam/022222222222.json': authorizationDetails(localPolicy('022222222222', 'team-policy', '/teams/', [
    ['v1', encodeURIComponent(JSON.stringify(doc({ Sid: 'Iam', Effect: 'Allow', Action: ['iam:CreateUser', 'iam:PassRole'], Resource: '*' })))],
  ])),
  'organizations/organization.json': {
    Organization: {
      Id: 'o-exampleorg', Arn: 'arn:aws:organizations::033333333333:organization/o-exampleorg', FeatureSet: 'ALL',
      MasterAccountArn: 'arn:aws:organizations::033333333333:account/o-exampleorg/033333333333', MasterAccountId: '033333333333', MasterAccountEmail: 'aws@example.com',
    },
  },
  'organizations/roots.json': { Roots: [{ Id: 'r-ab12', Arn: 'arn:aws:organizations::033333333333:root/o-exampleorg/r-ab12', Name: 'Root', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }] },
  'parents/111111111111.json': parent('ou-ab12-prod0001', 'ORGANIZATIONAL_UNIT'),
  'parents/022222222222.json': parent('ou-ab12-dev00001', 'ORGANIZATIONAL_UNIT'),
  'parents/033333333333.json': parent('r-ab12', 'ROOT'),
  'parents/ou-ab12-prod0001.json': parent('ou-ab12-workload', 'ORGANIZATIONAL_UNIT'),
  'parents/ou-ab12-dev00001.json': parent('ou-ab12-workload', 'ORGANIZATIONAL_UNIT'),
  'parents/ou-ab12-workload.json': parent('r-ab12', 'ROOT'),
  'organizations/targets/r-ab12.json': attached('p-FullAWSAccess'),
  'organizations/targets/ou-ab12-workload.json': attached('p-FullAWSAccess', 'p-mfadelete1'),
  'organizations/targets/ou-ab12-prod0001.json': attached('p-FullAWSAccess', 'p-denyiam01'),
  'organizations/targets/ou-ab12-dev00001.json': attached('p-FullAWSAccess'),
  'organizations/targets/111111111111.json': attached('p-FullAWSAccess'),
  'organizations/targets/022222222222.json': attached('p-s3andiam1'),
  // SCPs attached to the management account do not apply to it.
  'organizations/targets/033333333333.json': attached('p-FullAWSAccess', 'p-denyiam01'),
  'organizations/policies/p-FullAWSAccess.json': scp('p-FullAWSAccess', 'FullAWSAccess', ALL),
  'organizations/policies/p-denyiam01.json': scp('p-denyiam01', 'deny-iam', doc({ Effect: 'Deny', Action: 'iam:*', Resource: '*' })),
  'organizations/policies/p-s3andiam1.json': scp('p-s3andiam1', 's3-and-iam-only', doc({ Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: '*' })),
  'organizations/policies/p-mfadelete1.json': scp('p-mfadelete1', 'mfa-to-delete', doc({
    Sid: 'NoDeleteWithoutMfa', Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  })),
};

/** A repository with the org and the exports under exports/aws, changed by `edit` (rel -> JSON, a string as is, null removes). */
function repo(edit: Record<string, unknown> = {}): string {
  const root = tempRepo(ORG);
  for (const [rel, data] of Object.entries({ ...EXPORTS, ...edit })) {
    if (data === null) continue;
    const file = path.join(root, 'exports', 'aws', ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof data === 'string' ? data : cli(data));
  }
  return root;
}

let root: string;
beforeAll(() => {
  root = repo();
});

const whoCan = (at: string, ...args: string[]) => run(['who-can', ...args], at);
const cells = (stdout: string): string[] => stdout.trimEnd().split('\n').map((l) => l.trimEnd().split(/ {2,}/).join(' | '));
const HEAD = 'USER | ACCOUNT | ACCOUNT ID | PERMISSION SET | VIA | UNTIL | DECISION';
const EXPORTED = ['--policy-exports', 'exports/aws'];
const ADMIN = (account: string, id: string, decision = 'allowed by AdministratorAccess statement 0'): string =>
  `admin@example.com | ${account} | ${id} | Admin | g-admin | ${decision}`;
const TEAM = (account: string, id: string, decision: string): string => `team@example.com | ${account} | ${id} | Team | g-team | ${decision}`;
const TEAM_UNKNOWN = (account: string, id: string): string => TEAM(account, id, 'unknown depends on customer-managed:/teams/team-policy');

describe('who-can --action --policy-exports: customer managed policies per account', () => {
  it('the same policy name decides differently per account; an account without an export stays unknown', async () => {
    const plain = await whoCan(root, '--action', 's3:GetObject', '--permission-set', 'Team');
    expect(cells(plain.stdout)).toEqual([HEAD, TEAM_UNKNOWN('dev', '022222222222'), TEAM_UNKNOWN('prod', '111111111111'), TEAM_UNKNOWN('sandbox', '033333333333'), '3 rows']);
    const r = await whoCan(root, '--action', 's3:GetObject', '--permission-set', 'Team', ...EXPORTED);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // prod: the default version v2 (not v1, which allowed everything); dev: its team-policy allows IAM only.
    expect(cells(r.stdout)).toEqual([HEAD, TEAM('prod', '111111111111', 'allowed by customer-managed:/teams/team-policy statement 0 (ReadData)'), TEAM_UNKNOWN('sandbox', '033333333333'), '2 rows']);
    const j = await whoCan(root, '--action', 'iam:PassRole', '--permission-set', 'Team', '--format', 'json', ...EXPORTED);
    expect(JSON.parse(j.stdout)).toEqual({
      access: [
        { user: 'team@example.com', account: 'dev', accountId: '022222222222', permissionSet: 'Team', via: ['g-team'], decision: 'allowed',
          by: { policy: 'customer-managed:/teams/team-policy', statement: 0, sid: 'Iam' }, conditions: [], unknownPolicies: [] },
        { user: 'team@example.com', account: 'sandbox', accountId: '033333333333', permissionSet: 'Team', via: ['g-team'], decision: 'unknown',
          by: null, conditions: [], unknownPolicies: ['customer-managed:/teams/team-policy'] },
      ],
    });
  });
});

describe('who-can --action --policy-exports: service control policies', () => {
  it('a Deny of iam:* on the Prod OU removes the rows on prod; the management account is exempt from its SCPs', async () => {
    const plain = await whoCan(root, '--action', 'iam:CreateUser');
    expect(cells(plain.stdout)).toEqual([HEAD, ADMIN('dev', '022222222222'), ADMIN('prod', '111111111111'), ADMIN('sandbox', '033333333333'),
      TEAM_UNKNOWN('dev', '022222222222'), TEAM_UNKNOWN('prod', '111111111111'), TEAM_UNKNOWN('sandbox', '033333333333'), '6 rows']);
    const r = await whoCan(root, '--action', 'iam:CreateUser', ...EXPORTED);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(cells(r.stdout)).toEqual([HEAD, ADMIN('dev', '022222222222'), ADMIN('sandbox', '033333333333'),
      TEAM('dev', '022222222222', 'allowed by customer-managed:/teams/team-policy statement 0 (Iam)'), TEAM_UNKNOWN('sandbox', '033333333333'), '4 rows']);
  });

  it('a level whose SCPs do not allow the action removes the rows under it (dev allows only s3 and iam)', async () => {
    const r = await whoCan(root, '--action', 'ec2:RunInstances', ...EXPORTED);
    expect(cells(r.stdout)).toEqual([HEAD, ADMIN('prod', '111111111111'), ADMIN('sandbox', '033333333333'), TEAM_UNKNOWN('sandbox', '033333333333'), '3 rows']);
  });

  it('a Deny under a condition makes the rows conditional, by the SCP', async () => {
    const r = await whoCan(root, '--action', 's3:DeleteBucket', '--permission-set', 'Admin', ...EXPORTED);
    const mfa = 'conditional by scp:mfa-to-delete statement 0 (NoDeleteWithoutMfa) if aws:MultiFactorAuthPresent';
    expect(cells(r.stdout)).toEqual([HEAD, ADMIN('dev', '022222222222', mfa), ADMIN('prod', '111111111111', mfa), ADMIN('sandbox', '033333333333'), '3 rows']);
    const c = await whoCan(root, '--action', 's3:DeleteBucket', '--permission-set', 'Admin', '--account', 'prod', '--format', 'csv', ...EXPORTED);
    expect(c.stdout.split('\r\n')).toEqual([
      'user,account,accountId,permissionSet,via,expires,decision,by,conditions,unknownPolicies',
      'admin@example.com,prod,111111111111,Admin,g-admin,,conditional,scp:mfa-to-delete statement 0 (NoDeleteWithoutMfa),aws:MultiFactorAuthPresent,',
      '',
    ]);
  });

  it('without organizations/ SCPs are not considered; an account the export lacks is named on stderr and evaluated without them', async () => {
    const noOrg = repo(Object.fromEntries(Object.keys(EXPORTS).filter((k) => k.startsWith('organizations/')).map((k) => [k, null])));
    const r = await whoCan(noOrg, '--action', 'ec2:RunInstances', '--permission-set', 'Admin', ...EXPORTED);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(cells(r.stdout)).toEqual([HEAD, ADMIN('dev', '022222222222'), ADMIN('prod', '111111111111'), ADMIN('sandbox', '033333333333'), '3 rows']);
    const noDev = repo({ 'parents/022222222222.json': null });
    const g = await whoCan(noDev, '--action', 'ec2:RunInstances', '--permission-set', 'Admin', ...EXPORTED);
    expect([g.code, g.stderr]).toEqual([0, 'SCPs are not considered on account dev (022222222222): it is not in the organizations export (no exports/aws/parents/022222222222.json)\n']);
    expect(cells(g.stdout)).toEqual([HEAD, ADMIN('dev', '022222222222'), ADMIN('prod', '111111111111'), ADMIN('sandbox', '033333333333'), '3 rows']);
  });

  it('SCPs not enabled on the root do not apply', async () => {
    const off = repo({ 'organizations/roots.json': { Roots: [{ Id: 'r-ab12', Arn: 'arn:aws:organizations::033333333333:root/o-exampleorg/r-ab12', Name: 'Root', PolicyTypes: [] }] } });
    const r = await whoCan(off, '--action', 'iam:CreateUser', '--permission-set', 'Admin', ...EXPORTED);
    expect(cells(r.stdout)).toEqual([HEAD, ADMIN('dev', '022222222222'), ADMIN('prod', '111111111111'), ADMIN('sandbox', '033333333333'), '3 rows']);
  });
});

describe('who-can --policy-exports: bad exports', () => {
  const see = '  see docs/errors.md#acc137\n';
  const cm = (versions: Array<[string, unknown]>) => authorizationDetails(localPolicy('111111111111', 'team-policy', '/teams/', versions));
  it.each<[string, Record<string, unknown>, string]>([
    ['a file that is not JSON', { 'iam/111111111111.json': '{"Policies": [' },
      'exports/aws/iam/111111111111.json:1:1 error ACC137 not JSON: Unexpected end of JSON input\n'],
    ['a field missing', { 'iam/111111111111.json': { Policies: [{ PolicyName: 'team-policy', Arn: 'arn:aws:iam::111111111111:policy/team-policy' }] } },
      'exports/aws/iam/111111111111.json:1:1 error ACC137 Policies[0].Path: missing (a string)\n'],
    ['a document that is not a policy', { 'iam/111111111111.json': cm([['v1', doc({ Effect: 'Permit', Action: '*', Resource: '*' })]]) },
      'exports/aws/iam/111111111111.json:1:1 error ACC137 Policies[0].PolicyVersionList[0].Document.Statement[0].Effect: not a policy: Effect must be "Allow" or "Deny", not "Permit"\n'],
    ['a URL-encoded document that is not JSON', { 'iam/111111111111.json': cm([['v1', '%7B%22Version%22']]) },
      'exports/aws/iam/111111111111.json:1:1 error ACC137 Policies[0].PolicyVersionList[0].Document: not a JSON policy document: Expected \':\' after property name in JSON at position 10\n'],
    ['a default version the list lacks', { 'iam/111111111111.json': authorizationDetails(localPolicy('111111111111', 'team-policy', '/teams/', [['v1', ALL]], 'v3')) },
      'exports/aws/iam/111111111111.json:1:1 error ACC137 Policies[0].PolicyVersionList: no version v3, the DefaultVersionId: export with get-account-authorization-details, which lists every version\n'],
    ['another account\'s export under this account\'s name', { 'iam/111111111111.json': EXPORTS['iam/022222222222.json'] },
      'exports/aws/iam/111111111111.json:1:1 error ACC137 Policies[0].Arn: arn:aws:iam::022222222222:policy/teams/team-policy is a policy of account 022222222222, not of 111111111111 (the file\'s name): export each account into its own file\n'],
    ['a file not named for an account', { 'iam/prod.json': EXPORTS['iam/111111111111.json'] },
      'exports/aws/iam/prod.json:1:1 error ACC137 not an account\'s export: name each file iam/<12-digit account id>.json\n'],
    ['an SCP whose Content is not JSON', { 'organizations/policies/p-denyiam01.json': { Policy: { PolicySummary: { Id: 'p-denyiam01', Name: 'deny-iam', Type: 'SERVICE_CONTROL_POLICY' }, Content: '{' } } },
      'exports/aws/organizations/policies/p-denyiam01.json:1:1 error ACC137 Policy.Content: not a JSON policy document: Expected property name or \'}\' in JSON at position 1\n'],
    ['policies of another type than SCP', { 'organizations/targets/111111111111.json': { Policies: [{ Id: 'p-tags0001', Name: 'tags', Type: 'TAG_POLICY' }] } },
      'exports/aws/organizations/targets/111111111111.json:1:1 error ACC137 Policies[0].Type: is TAG_POLICY, not SERVICE_CONTROL_POLICY: export with --filter SERVICE_CONTROL_POLICY\n'],
    ['a missing target export', { 'organizations/targets/ou-ab12-dev00001.json': null },
      'exports/aws/organizations/targets/ou-ab12-dev00001.json:1:1 error ACC137 missing: produce it as docs/import.md shows\n'],
    ['parents that do not reach the root', { 'parents/ou-ab12-workload.json': null },
      'exports/aws/parents/ou-ab12-workload.json:1:1 error ACC137 missing: the parents of account 022222222222 stop at ou-ab12-workload and do not reach the root r-ab12\n'
        + '  hint: export aws organizations list-parents --child-id ou-ab12-workload (docs/import.md)\n'],
    ['parents that reach another root', { 'parents/ou-ab12-workload.json': parent('r-zz99', 'ROOT') },
      'exports/aws/parents/ou-ab12-workload.json:1:1 error ACC137 Parents[0].Id: the root r-zz99 is not the one organizations/roots.json lists (r-ab12)\n'],
  ])('%s: exit 1, the file and the JSON path', async (_name, edit, message) => {
    const r = await whoCan(repo(edit), '--action', 's3:GetObject', ...EXPORTED);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `${message}${see}`]);
  });

  it('--policy-exports needs --action and a directory (exit 2)', async () => {
    const r = await whoCan(root, ...EXPORTED);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'accessctl who-can: --policy-exports needs --action (the action to evaluate with the exported policies)']);
    const d = await whoCan(root, '--action', 's3:GetObject', '--policy-exports', 'nope');
    expect([d.code, d.stderr.split('\n')[0]]).toEqual([2, 'accessctl who-can: --policy-exports: nope is not a directory']);
  });
});
