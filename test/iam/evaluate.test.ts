// Who can perform an IAM action where (issue 27): the evaluator core, on the
// shipped AWS managed policy documents and on hand-written documents.
import { evaluate, type PermissionSetPolicies } from '../../src/iam/evaluate';
import { managedPolicyDocument, managedPolicyDocumentNames } from '../../src/aws/managed-policy-documents';

const doc = (...Statement: Record<string, unknown>[]): unknown => ({ Version: '2012-10-17', Statement });
const decide = (action: string, policies: PermissionSetPolicies, resource?: string): string =>
  evaluate({ action, ...(resource !== undefined ? { resource } : {}) }, policies).decision;

describe('AWS managed policies', () => {
  it('AdministratorAccess allows every action, by its statement 0', () => {
    for (const action of ['iam:CreateUser', 's3:PutObject', 'ec2:TerminateInstances', 'organizations:LeaveOrganization', 'made:Up']) {
      expect(evaluate({ action }, { managed: ['AdministratorAccess'] })).toEqual({
        decision: 'allowed',
        by: { policy: 'AdministratorAccess', statement: 0 },
        reason: 'allowed by AdministratorAccess statement 0',
      });
    }
    expect(decide('iam:CreateUser', { managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] }, 'arn:aws:iam::123456789012:user/x')).toBe('allowed');
  });

  it('ReadOnlyAccess allows s3:GetObject (s3:Get* in statement 1) and not s3:PutObject', () => {
    expect(evaluate({ action: 's3:GetObject' }, { managed: ['ReadOnlyAccess'] }).by).toEqual({ policy: 'ReadOnlyAccess', statement: 1 });
    expect(decide('s3:GetObject', { managed: ['ReadOnlyAccess'] })).toBe('allowed');
    expect(decide('s3:PutObject', { managed: ['ReadOnlyAccess'] })).toBe('not-allowed');
  });

  it('ViewOnlyAccess allows neither s3:GetObject nor s3:PutObject, but s3:ListAllMyBuckets', () => {
    expect(decide('s3:GetObject', { managed: ['job-function/ViewOnlyAccess'] })).toBe('not-allowed');
    expect(decide('s3:PutObject', { managed: ['ViewOnlyAccess'] })).toBe('not-allowed');
    expect(decide('s3:ListAllMyBuckets', { managed: ['ViewOnlyAccess'] })).toBe('allowed');
  });

  it('PowerUserAccess: statement 0 is an Allow with NotAction iam:*, organizations:*, account:*', () => {
    expect(managedPolicyDocument('PowerUserAccess')?.[0]).toEqual({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: ['*'] });
    expect(evaluate({ action: 's3:PutObject' }, { managed: ['PowerUserAccess'] })).toEqual({
      decision: 'allowed',
      by: { policy: 'PowerUserAccess', statement: 0 },
      reason: 'allowed by PowerUserAccess statement 0',
    });
    expect(evaluate({ action: 'iam:CreateUser' }, { managed: ['PowerUserAccess'] })).toEqual({
      decision: 'not-allowed',
      reason: 'no policy allows iam:CreateUser on *',
    });
    // Its statement 1 gives back a few iam: actions by name.
    expect(evaluate({ action: 'iam:CreateServiceLinkedRole' }, { managed: ['PowerUserAccess'] }).by).toEqual({ policy: 'PowerUserAccess', statement: 1 });
  });

  it('evaluates every shipped document for a handful of actions without throwing', () => {
    const names = managedPolicyDocumentNames();
    expect(names).toHaveLength(1523);
    const counts: Record<string, number> = {};
    for (const name of names) {
      for (const action of ['s3:GetObject', 'iam:CreateUser', 'ec2:DescribeInstances', 'kms:Decrypt', 'sts:AssumeRole']) {
        for (const resource of ['*', 'arn:aws:s3:::bucket/key']) {
          const d = evaluate({ action, resource }, { managed: [name], boundary: { managed: 'PowerUserAccess' } }).decision;
          counts[d] = (counts[d] ?? 0) + 1;
        }
      }
    }
    expect(counts['unknown']).toBeUndefined();
    expect(counts['allowed']).toBeGreaterThan(0);
    expect(counts['conditional']).toBeGreaterThan(0);
  });
});

describe('hand-written documents', () => {
  it('a Deny in the inline policy overrides a managed Allow, naming the statement and Sid', () => {
    const inline = doc({ Sid: 'NoUsers', Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' });
    expect(evaluate({ action: 'iam:CreateUser' }, { managed: ['AdministratorAccess'], inline })).toEqual({
      decision: 'denied',
      by: { policy: 'inline', statement: 0, sid: 'NoUsers' },
      reason: 'explicitly denied by inline statement 0 (NoUsers)',
    });
    expect(decide('iam:DeleteUser', { managed: ['AdministratorAccess'], inline })).toBe('allowed');
  });

  it('a permissions boundary that lacks an action removes it', () => {
    const r = evaluate({ action: 'iam:CreateUser' }, { managed: ['AdministratorAccess'], boundary: { managed: 'PowerUserAccess' } });
    expect(r.decision).toBe('not-allowed');
    expect(r.reason).toBe('allowed by AdministratorAccess statement 0, but the permissions boundary boundary:PowerUserAccess does not allow it');
    expect(decide('s3:PutObject', { managed: ['AdministratorAccess'], boundary: { managed: 'PowerUserAccess' } })).toBe('allowed');
    // The boundary alone allows nothing.
    expect(decide('s3:PutObject', { boundary: { managed: 'AdministratorAccess' } })).toBe('not-allowed');
  });

  it('a customer managed boundary makes an allowed action unknown', () => {
    const r = evaluate({ action: 's3:PutObject' }, { managed: ['AdministratorAccess'], boundary: { customerManaged: { name: 'Limits', path: '/team/' } } });
    expect(r.decision).toBe('unknown');
    expect(r.unknownPolicies).toEqual(['boundary:customer-managed:/team/Limits']);
  });

  it('NotAction: an Allow applies to every action not listed, a Deny likewise', () => {
    const allow = doc({ Effect: 'Allow', NotAction: ['s3:*'], Resource: '*' });
    expect(decide('ec2:RunInstances', { inline: allow })).toBe('allowed');
    expect(decide('s3:GetObject', { inline: allow })).toBe('not-allowed');
    const deny = doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: ['s3:GetObject'], Resource: '*' });
    expect(evaluate({ action: 'ec2:RunInstances' }, { inline: deny })).toMatchObject({ decision: 'denied', by: { policy: 'inline', statement: 1 } });
    expect(evaluate({ action: 's3:GetObject' }, { inline: deny })).toMatchObject({ decision: 'allowed', by: { policy: 'inline', statement: 0 } });
  });

  it('NotResource: an Allow applies to every resource not listed, a Deny likewise', () => {
    const allow = doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' });
    expect(decide('s3:GetObject', { inline: allow }, 'arn:aws:s3:::public/a')).toBe('allowed');
    expect(decide('s3:GetObject', { inline: allow }, 'arn:aws:s3:::secret/a')).toBe('not-allowed');
    const deny = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::mine', 'arn:aws:s3:::mine/*'] });
    expect(decide('s3:GetObject', { inline: deny }, 'arn:aws:s3:::mine/a')).toBe('allowed');
    expect(evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::other/a' }, { inline: deny })).toMatchObject({
      decision: 'denied',
      by: { policy: 'inline', statement: 1 },
    });
  });

  it('a Condition on an Allow gives conditional, naming its keys', () => {
    const inline = doc({
      Sid: 'FromOffice',
      Effect: 'Allow',
      Action: 'ec2:*',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
    expect(evaluate({ action: 'ec2:RunInstances' }, { inline })).toEqual({
      decision: 'conditional',
      by: { policy: 'inline', statement: 0, sid: 'FromOffice' },
      conditions: ['aws:MultiFactorAuthPresent', 'aws:SourceIp'],
      conditionalStatements: [{ policy: 'inline', statement: 0, sid: 'FromOffice' }],
      reason: 'allowed only under conditions by inline statement 0 (FromOffice)',
    });
  });

  it('a Deny under a Condition makes an allowed action conditional, and says so', () => {
    const inline = doc({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } });
    const r = evaluate({ action: 's3:PutObject' }, { managed: ['AdministratorAccess'], inline });
    expect(r).toEqual({
      decision: 'conditional',
      by: { policy: 'inline', statement: 0 },
      conditions: ['aws:RequestedRegion'],
      conditionalStatements: [{ policy: 'inline', statement: 0 }],
      reason: 'allowed by AdministratorAccess statement 0; denied under conditions (aws:RequestedRegion) by inline statement 0',
    });
  });

  it('a policy variable in a Resource makes the statement conditional, naming it', () => {
    const inline = doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' });
    expect(evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::home/ana/f' }, { inline })).toMatchObject({
      decision: 'conditional',
      conditions: ['${aws:username}'],
    });
    expect(decide('s3:GetObject', { inline }, 'arn:aws:s3:::other/ana/f')).toBe('not-allowed');
  });

  it('a customer managed policy gives unknown, naming it', () => {
    expect(evaluate({ action: 's3:PutObject' }, { managed: ['ReadOnlyAccess'], customerManaged: [{ name: 'Deploy' }] })).toEqual({
      decision: 'unknown',
      unknownPolicies: ['customer-managed:/Deploy'],
      reason: 'no known policy allows s3:PutObject; it depends on customer-managed:/Deploy, whose document is not known',
    });
    // Known allowed stays allowed; the unknown policy is named as one that could still deny.
    expect(evaluate({ action: 's3:GetObject' }, { managed: ['ReadOnlyAccess'], customerManaged: [{ name: 'Deploy' }] })).toMatchObject({
      decision: 'allowed',
      unknownPolicies: ['customer-managed:/Deploy'],
    });
  });

  it('a resource-scoped Allow matches an object ARN in its bucket and not another bucket, case-sensitively', () => {
    const inline = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' });
    expect(decide('s3:GetObject', { inline }, 'arn:aws:s3:::bucket/path/to/key')).toBe('allowed');
    expect(decide('s3:GetObject', { inline }, 'arn:aws:s3:::other/key')).toBe('not-allowed');
    expect(decide('s3:GetObject', { inline }, 'arn:aws:s3:::Bucket/key')).toBe('not-allowed');
    expect(decide('s3:GetObject', { inline }, 'arn:aws:s3:::bucket')).toBe('not-allowed');
    expect(decide('s3:GetObject', { inline })).toBe('not-allowed');
  });

  it('action wildcards * and ?, matched case-insensitively', () => {
    const inline = doc({ Effect: 'Allow', Action: ['s3:Get*', 'ec2:Describe?pcs', 'sqs:sendmessage'], Resource: ['*'] });
    expect(decide('s3:GetObject', { inline })).toBe('allowed');
    expect(decide('S3:GETOBJECTACL', { inline })).toBe('allowed');
    expect(decide('s3:PutObject', { inline })).toBe('not-allowed');
    expect(decide('ec2:DescribeVpcs', { inline })).toBe('allowed');
    expect(decide('ec2:DescribeVVpcs', { inline })).toBe('not-allowed');
    expect(decide('SQS:SendMessage', { inline })).toBe('allowed');
    expect(decide('iam:CREATEUSER', { managed: ['AdministratorAccess'] })).toBe('allowed');
    expect(decide('S3:getobject', { managed: ['ReadOnlyAccess'] })).toBe('allowed');
  });
});

describe('on some resource (someResource)', () => {
  const some = (action: string, policies: PermissionSetPolicies): ReturnType<typeof evaluate> => evaluate({ action, someResource: true }, policies);

  it('a resource-scoped Allow counts, naming its resources; on every resource it does not', () => {
    const pass = doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: ['arn:aws:iam::*:role/app-*', 'arn:aws:iam::*:role/ci'] });
    expect(decide('iam:PassRole', { inline: pass })).toBe('not-allowed');
    expect(some('iam:PassRole', { inline: pass })).toEqual({
      decision: 'allowed',
      by: { policy: 'inline', statement: 0 },
      resources: ['arn:aws:iam::*:role/app-*', 'arn:aws:iam::*:role/ci'],
      reason: 'allowed by inline statement 0',
    });
  });

  it('an action that takes only Resource "*" is not granted by a scoped Allow (the catalogue says so)', () => {
    const scoped = doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket' });
    expect(some('s3:ListAllMyBuckets', { inline: scoped }).decision).toBe('not-allowed');
    expect(some('s3:ListBucket', { inline: scoped }).decision).toBe('allowed');
  });

  it('a Deny decides only where it covers every resource', () => {
    const allow = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    const scopedDeny = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' });
    expect(some('s3:GetObject', { inline: scopedDeny }).decision).toBe('allowed');
    expect(decide('s3:GetObject', { inline: scopedDeny }, 'arn:aws:s3:::secret/k')).toBe('denied');
    const fullDeny = doc({ Effect: 'Deny', NotResource: 'arn:aws:s3:::public/*', Action: 's3:*' });
    expect(some('s3:GetObject', { inline: allow, managed: [] }).resources).toEqual(['*']);
    expect(evaluate({ action: 's3:GetObject', someResource: true }, { inline: allow, boundary: { managed: 'AmazonS3ReadOnlyAccess' } }).decision).toBe('allowed');
    expect(some('s3:GetObject', { inline: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, ...(fullDeny as { Statement: Record<string, unknown>[] }).Statement) }).decision).toBe('denied');
  });

  it('a NotResource Allow counts unless it excludes everything, and is named as such', () => {
    expect(some('s3:GetObject', { inline: doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }) }).resources)
      .toEqual(['not arn:aws:s3:::secret/*']);
    expect(some('s3:GetObject', { inline: doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: '*' }) }).decision).toBe('not-allowed');
  });
});

describe('customer managed policy documents and service control policies, when exported', () => {
  const cm = { name: 'team-policy', path: '/teams/' };
  const teamDoc = doc({ Sid: 'Buckets', Effect: 'Allow', Action: 's3:PutObject', Resource: '*' });

  it('a known customer managed document is evaluated like any other, by its name', () => {
    const options = { customerManaged: (r: { name: string }) => (r.name === 'team-policy' ? teamDoc : undefined) };
    expect(evaluate({ action: 's3:PutObject' }, { customerManaged: [cm] }, options)).toEqual({
      decision: 'allowed',
      by: { policy: 'customer-managed:/teams/team-policy', statement: 0, sid: 'Buckets' },
      reason: 'allowed by customer-managed:/teams/team-policy statement 0 (Buckets)',
    });
    expect(evaluate({ action: 's3:PutObject' }, { customerManaged: [cm] }).decision).toBe('unknown');
    expect(evaluate({ action: 's3:PutObject' }, { managed: ['PowerUserAccess'], boundary: { customerManaged: cm } }, options).decision).toBe('allowed');
    expect(evaluate({ action: 's3:GetObject' }, { managed: ['PowerUserAccess'], boundary: { customerManaged: cm } }, options).decision).toBe('not-allowed');
  });

  it('every SCP level must allow the action, and an SCP Deny wins', () => {
    const fullAccess = { name: 'FullAWSAccess', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) };
    const noIam = { name: 'deny-iam', document: doc({ Effect: 'Deny', Action: 'iam:*', Resource: '*' }) };
    const s3Only = { name: 's3-only', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) };
    const admin = { managed: ['AdministratorAccess'] };
    expect(evaluate({ action: 'iam:CreateUser' }, admin, { scps: [[fullAccess], [fullAccess, noIam]] })).toEqual({
      decision: 'denied', by: { policy: 'scp:deny-iam', statement: 0 }, reason: 'explicitly denied by scp:deny-iam statement 0',
    });
    expect(evaluate({ action: 'ec2:RunInstances' }, admin, { scps: [[fullAccess], [s3Only]] })).toEqual({
      decision: 'not-allowed',
      by: { policy: 'AdministratorAccess', statement: 0 },
      reason: 'allowed by AdministratorAccess statement 0, but the service control policies at level 1 (scp:s3-only) does not allow it',
    });
    expect(evaluate({ action: 's3:PutObject' }, admin, { scps: [[fullAccess], [s3Only]] }).decision).toBe('allowed');
    // An SCP allows nothing by itself.
    expect(evaluate({ action: 's3:PutObject' }, { managed: ['ReadOnlyAccess'] }, { scps: [[fullAccess]] }).decision).toBe('not-allowed');
  });
});
