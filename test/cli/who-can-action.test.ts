import { run, tempRepo } from '../support/helpers';

// who-can --action (issue 27): the rows whose permission set allows an action, with the statement that decides it.

const grant = (group: string, member: string, permissionSet: string, accounts: string): string =>
  `name: ${group}\nmode: additive\nmembers: [${member}]\napps: [aws]\naws:\n  - { permissionSet: ${permissionSet}, accounts: ${accounts} }\n`;

/** Five permission sets: AWS managed Admin and ReadOnly, Admin with an inline Deny, an Allow under a condition, a customer managed policy. */
const ORG: Record<string, string> = {
  'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\n',
  'permission-sets/ReadOnly.yaml': 'name: ReadOnly\nmanagedPolicies: [ReadOnlyAccess]\n',
  'permission-sets/NoIam.yaml': `name: NoIam
managedPolicies: [AdministratorAccess]
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - { Sid: NoIam, Effect: Deny, Action: "iam:*", Resource: "*" }
`,
  'permission-sets/MfaS3.yaml': `name: MfaS3
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Action: [s3:GetObject, s3:PutObject]
      Resource: arn:aws:s3:::b/*
      Condition: { Bool: { aws:MultiFactorAuthPresent: "true" } }
`,
  'permission-sets/Custom.yaml': 'name: Custom\ncustomerManagedPolicies:\n  - { name: team-policy }\n',
  'groups/g-admin.yaml': grant('g-admin', 'admin@example.com', 'Admin', '[prod]'),
  'groups/g-read.yaml': grant('g-read', 'reader@example.com', 'ReadOnly', '[prod, dev]'),
  'groups/g-noiam.yaml': grant('g-noiam', 'noiam@example.com', 'NoIam', '[dev]'),
  'groups/g-mfa.yaml': grant('g-mfa', 'mfa@example.com', 'MfaS3', '[prod]'),
  'groups/g-custom.yaml': grant('g-custom', 'custom@example.com', 'Custom', '[dev]'),
};

let root: string;
beforeAll(() => {
  root = tempRepo(ORG);
});

const whoCan = (...args: string[]) => run(['who-can', ...args], root);

/** The text table as rows of cells (columns are two or more spaces apart; the empty UNTIL cell drops out). */
const cells = (stdout: string): string[] => stdout.trimEnd().split('\n').map((l) => l.trimEnd().split(/ {2,}/).join(' | '));

const HEAD = 'USER | ACCOUNT | ACCOUNT ID | PERMISSION SET | VIA | UNTIL | DECISION';
const ADMIN = 'admin@example.com | prod | 111111111111 | Admin | g-admin | allowed by AdministratorAccess statement 0';
const CUSTOM = 'custom@example.com | dev | 022222222222 | Custom | g-custom | unknown depends on customer-managed:/team-policy';
const NOIAM = 'noiam@example.com | dev | 022222222222 | NoIam | g-noiam | allowed by AdministratorAccess statement 0';
const MFA = 'mfa@example.com | prod | 111111111111 | MfaS3 | g-mfa | conditional by inline statement 0 if aws:MultiFactorAuthPresent';
const READ = (account: string, id: string): string => `reader@example.com | ${account} | ${id} | ReadOnly | g-read | allowed by ReadOnlyAccess statement 1`;

const row = (user: string, account: string, accountId: string, permissionSet: string, extra: Record<string, unknown>): Record<string, unknown> => ({
  user, account, accountId, permissionSet, via: [`g-${permissionSet === 'Admin' ? 'admin' : permissionSet === 'ReadOnly' ? 'read' : permissionSet === 'NoIam' ? 'noiam' : permissionSet === 'MfaS3' ? 'mfa' : 'custom'}`], ...extra,
});
const allowedBy = (policy: string, statement: number) => ({ decision: 'allowed', by: { policy, statement }, conditions: [], unknownPolicies: [] });
const UNKNOWN = { decision: 'unknown', by: null, conditions: [], unknownPolicies: ['customer-managed:/team-policy'] };

describe('accessctl who-can --action', () => {
  it('s3:GetObject on every resource: the AWS managed Allows and the unknown customer managed policy; the Allow scoped to a bucket does not apply', async () => {
    const r = await whoCan('--action', 's3:GetObject');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(cells(r.stdout)).toEqual([HEAD, ADMIN, CUSTOM, NOIAM, READ('dev', '022222222222'), READ('prod', '111111111111'), '5 rows']);
    const j = await whoCan('--action', 's3:GetObject', '--format', 'json');
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual({
      access: [
        row('admin@example.com', 'prod', '111111111111', 'Admin', allowedBy('AdministratorAccess', 0)),
        row('custom@example.com', 'dev', '022222222222', 'Custom', UNKNOWN),
        row('noiam@example.com', 'dev', '022222222222', 'NoIam', allowedBy('AdministratorAccess', 0)),
        row('reader@example.com', 'dev', '022222222222', 'ReadOnly', allowedBy('ReadOnlyAccess', 1)),
        row('reader@example.com', 'prod', '111111111111', 'ReadOnly', allowedBy('ReadOnlyAccess', 1)),
      ],
    });
    // The ACCESS fields keep their order; the decision fields follow.
    expect(Object.keys(JSON.parse(j.stdout).access[0])).toEqual(['user', 'account', 'accountId', 'permissionSet', 'via', 'decision', 'by', 'conditions', 'unknownPolicies']);
  });

  it('iam:CreateUser: the inline Deny drops NoIam, ReadOnly and the conditional S3 Allow do not allow it', async () => {
    const r = await whoCan('--action', 'iam:CreateUser');
    expect(r.code).toBe(0);
    expect(cells(r.stdout)).toEqual([HEAD, ADMIN, CUSTOM, '2 rows']);
    const j = await whoCan('--action', 'iam:CreateUser', '--format', 'json');
    expect(JSON.parse(j.stdout)).toEqual({
      access: [
        row('admin@example.com', 'prod', '111111111111', 'Admin', allowedBy('AdministratorAccess', 0)),
        row('custom@example.com', 'dev', '022222222222', 'Custom', UNKNOWN),
      ],
    });
  });

  it('s3:PutObject on arn:aws:s3:::b/k: the Allow under a condition is conditional, with its condition key', async () => {
    const r = await whoCan('--action', 's3:PutObject', '--resource', 'arn:aws:s3:::b/k');
    expect(r.code).toBe(0);
    expect(cells(r.stdout)).toEqual([HEAD, ADMIN, CUSTOM, MFA, NOIAM, '4 rows']);
    const j = await whoCan('--action', 's3:PutObject', '--resource', 'arn:aws:s3:::b/k', '--format', 'json');
    expect(JSON.parse(j.stdout)).toEqual({
      access: [
        row('admin@example.com', 'prod', '111111111111', 'Admin', allowedBy('AdministratorAccess', 0)),
        row('custom@example.com', 'dev', '022222222222', 'Custom', UNKNOWN),
        row('mfa@example.com', 'prod', '111111111111', 'MfaS3', { decision: 'conditional', by: { policy: 'inline', statement: 0 }, conditions: ['aws:MultiFactorAuthPresent'], unknownPolicies: [] }),
        row('noiam@example.com', 'dev', '022222222222', 'NoIam', allowedBy('AdministratorAccess', 0)),
      ],
    });
    const c = await whoCan('--action', 's3:PutObject', '--resource', 'arn:aws:s3:::b/k', '--format', 'csv');
    expect(c.stdout.split('\r\n')).toEqual([
      'user,account,accountId,permissionSet,via,expires,decision,by,conditions,unknownPolicies',
      'admin@example.com,prod,111111111111,Admin,g-admin,,allowed,AdministratorAccess statement 0,,',
      'custom@example.com,dev,022222222222,Custom,g-custom,,unknown,,,customer-managed:/team-policy',
      'mfa@example.com,prod,111111111111,MfaS3,g-mfa,,conditional,inline statement 0,aws:MultiFactorAuthPresent,',
      'noiam@example.com,dev,022222222222,NoIam,g-noiam,,allowed,AdministratorAccess statement 0,,',
      '',
    ]);
  });

  it('combines with the other filters', async () => {
    const r = await whoCan('--action', 's3:GetObject', '--account', 'dev', '--user', 'reader@example.com');
    expect(cells(r.stdout)).toEqual([
      HEAD,
      READ('dev', '022222222222'),
      '1 row',
      'reader@example.com: has an AWS IAM Identity Center user (SCIM), as a member of accessctl-aws-users through g-read',
    ]);
    const g = await whoCan('--action', 'iam:CreateUser', '--group', 'g-noiam');
    expect(g.stdout).toBe('no access matches\n');
    expect(g.code).toBe(0);
  });

  it('leaves plain who-can output as it was (no decision fields or columns)', async () => {
    const j = await whoCan('--permission-set', 'Admin', '--format', 'json');
    expect(JSON.parse(j.stdout)).toEqual({ access: [{ user: 'admin@example.com', account: 'prod', accountId: '111111111111', permissionSet: 'Admin', via: ['g-admin'] }] });
    const t = await whoCan('--permission-set', 'Admin');
    expect(cells(t.stdout)[0]).toBe('USER | ACCOUNT | ACCOUNT ID | PERMISSION SET | VIA | UNTIL');
  });

  it.each([
    ['s3:Get*'],
    ['GetObject'],
    ['s3:Get Object'],
    ['s3:'],
  ])('refuses a malformed action %j with exit 2', async (action) => {
    const r = await whoCan('--action', action);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      `accessctl who-can: --action ${action}: not an IAM action; give one as service:Name, such as s3:GetObject (letters and digits, no wildcards)`,
    );
  });

  it('refuses --resource without --action with exit 2', async () => {
    const r = await whoCan('--resource', 'arn:aws:s3:::b/k');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('accessctl who-can: --resource needs --action (the action to ask about on that resource)');
  });

  it('refuses a --resource that is not an ARN with exit 2', async () => {
    const r = await whoCan('--action', 's3:GetObject', '--resource', 'b/k');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('accessctl who-can: --resource b/k: not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) or *');
  });

  it('answers for an action the catalogue does not know, with a warning naming the nearest one', async () => {
    const typo = await whoCan('--action', 's3:GetObjekt');
    expect(typo.code).toBe(0);
    expect(typo.stderr).toMatch(/^warning: --action s3:GetObjekt is not in the IAM action catalogue \(0\.21\.\d+\), answered as written \(did you mean "s3:GetObject"\?\)\n$/);
    const service = await whoCan('--action', 'nosuch:Thing');
    expect(service.stderr).toMatch(/answered as written; no service "nosuch" is known\n$/);
    expect((await whoCan('--action', 's3:GetObject')).stderr).toBe('');
  });
});
