// widens(before, after): does a permission set change allow anything new?
// Sound: every attacker's change below must widen, with the exact reason;
// the narrowing and rewriting changes must not.
import type { PermissionSetPolicies } from '../../src/iam/evaluate';
import { widens } from '../../src/iam/widening';

type Statement = Record<string, unknown>;
const doc = (...statements: Statement[]): unknown => ({ Version: '2012-10-17', Statement: statements });

const READ: Statement = { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: 'arn:aws:s3:::data/a/*' };
const PROTECT: Statement = { Sid: 'Protect', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' };
const EAST: Statement = { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } };
const BASE = [READ, PROTECT, EAST];

/** A permission set with these inline statements (and the other policies given). */
const inline = (statements: Statement[], rest: Partial<PermissionSetPolicies> = {}): PermissionSetPolicies => ({ inline: doc(...statements), ...rest });
const withBase = (...edit: Array<(s: Statement[]) => Statement[]>): PermissionSetPolicies => inline(edit.reduce((s, f) => f(s), BASE));
const replace = (i: number, s: Statement) => (list: Statement[]): Statement[] => list.map((x, j) => (j === i ? s : x));

/** Managed policy documents the tests attach by name (the shipped ones are not consulted). */
const DOCS: Record<string, unknown> = {
  TeamRead: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['*'] }],
  TeamReadPlus: [{ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject', 's3:PutObject'], Resource: ['*'] }],
  TeamReadSplit: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] }, { Effect: 'Allow', Action: ['S3:listbucket'], Resource: ['*'] }],
  S3Boundary: [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] }],
  S3Ec2Boundary: [{ Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: ['*'] }],
};
const documents = (ref: string): unknown => DOCS[ref.slice(ref.lastIndexOf('/') + 1)];
const judge = (before: PermissionSetPolicies, after: PermissionSetPolicies, shipped = false): [boolean, readonly string[]] => {
  const r = widens(before, after, shipped ? {} : { documents });
  return [r.widens, r.reasons];
};

describe('an attacker\'s change widens, and the reason says what it newly allows', () => {
  it.each<[string, PermissionSetPolicies, PermissionSetPolicies, string[]]>([
    ['a new statement: an action allowed on one bucket, now on another', withBase(), withBase((s) => [...s, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::payroll/*' }]),
      ['inline statement 3 allows s3:GetObject on arn:aws:s3:::payroll/*']],
    ['a resource widened: data/a/* to data/*', withBase(), withBase(replace(0, { ...READ, Resource: 'arn:aws:s3:::data/*' })),
      ['inline statement 0 (Read) allows s3:GetObject on arn:aws:s3:::data/*, s3:ListBucket on arn:aws:s3:::data/*']],
    ['a ? widened to a *', inline([{ ...READ, Resource: 'arn:aws:s3:::data/a/?' }]), inline([{ ...READ, Resource: 'arn:aws:s3:::data/a/*' }]),
      ['inline statement 0 (Read) allows s3:GetObject on arn:aws:s3:::data/a/*, s3:ListBucket on arn:aws:s3:::data/a/*']],
    ['an action widened to a pattern', withBase(), withBase(replace(0, { ...READ, Action: ['s3:GetObject*', 's3:ListBucket'] })),
      ['inline statement 0 (Read) allows s3:GetObject* on arn:aws:s3:::data/a/*']],
    ['a Deny removed', withBase(), withBase((s) => s.filter((x) => x !== PROTECT)),
      ['inline statement 1 (Protect) denied kms:ScheduleKeyDeletion on *, and nothing denies it now']],
    ['a Deny\'s resource narrowed', withBase(), withBase(replace(1, { ...PROTECT, Resource: 'arn:aws:kms:*:*:key/prod-*' })),
      ['inline statement 1 (Protect) denied kms:ScheduleKeyDeletion on *, and nothing denies it now']],
    ['a Deny given a condition', withBase(), withBase(replace(1, { ...PROTECT, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })),
      ['inline statement 1 (Protect) denied kms:ScheduleKeyDeletion on *, and nothing denies it now']],
    ['a condition removed', withBase(), withBase(replace(2, { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' })),
      ['inline statement 2 allows ec2:RunInstances on *']],
    ['a condition\'s value changed: us-east-1 to eu-west-1', withBase(), withBase(replace(2, { ...EAST, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })),
      ['inline statement 2 allows ec2:RunInstances on * if StringEquals aws:RequestedRegion eu-west-1']],
    ['a condition\'s operator changed', withBase(), withBase(replace(2, { ...EAST, Condition: { StringLike: { 'aws:RequestedRegion': 'us-east-1' } } })),
      ['inline statement 2 allows ec2:RunInstances on * if StringLike aws:RequestedRegion us-east-1']],
    ['a NotAction excluding less', inline([{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }]), inline([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
      ['inline statement 0 allows every action but iam:* on *']],
    ['a NotResource excluding less', inline([{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secrets/*' }]), inline([{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secrets/keys/*' }]),
      ['inline statement 0 allows s3:* on every resource but arn:aws:s3:::secrets/keys/*']],
    ['a Deny\'s NotResource excluding more', inline([READ, { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::data/*' }]),
      inline([READ, { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::data/*', 'arn:aws:s3:::payroll/*'] }]),
      ['inline statement 1 denied s3:* on every resource but arn:aws:s3:::data/*, and nothing denies it now']],
    ['a Deny\'s NotAction excluding more', inline([{ Effect: 'Deny', NotAction: 's3:*', Resource: '*' }]), inline([{ Effect: 'Deny', NotAction: ['s3:*', 'kms:*'], Resource: '*' }]),
      ['inline statement 0 denied every action but s3:* on *, and nothing denies it now']],
    ['a managed policy swapped for one that allows the same and one more action', { managed: ['TeamRead'] }, { managed: ['TeamReadPlus'] },
      ['TeamReadPlus statement 0 allows s3:PutObject on *']],
    ['a customer managed policy attached', withBase(), inline(BASE, { customerManaged: [{ name: 'extra', path: '/accessctl/' }] }),
      ['attaches the customer managed policy /accessctl/extra, whose document is in the account, not the files: it may allow anything']],
    ['a customer managed policy detached (it may have held a Deny)', inline(BASE, { customerManaged: [{ name: 'guard', path: '/' }] }), withBase(),
      ['detaches the customer managed policy /guard, whose document is in the account, not the files: a Deny in it would no longer apply']],
    ['an AWS managed policy accessctl has no document for', { managed: ['TeamRead'] }, { managed: ['TeamRead', 'arn:aws:iam::aws:policy/BrandNewAccess'] },
      ['attaches the AWS managed policy BrandNewAccess, whose document accessctl does not ship: it may allow anything']],
    ['the permissions boundary removed', inline(BASE, { boundary: { managed: 'S3Boundary' } }), withBase(),
      ['removes the permissions boundary S3Boundary']],
    ['the permissions boundary changed to a wider one', inline(BASE, { boundary: { managed: 'S3Boundary' } }), inline(BASE, { boundary: { managed: 'S3Ec2Boundary' } }),
      ['the permissions boundary: boundary:S3Ec2Boundary statement 0 allows ec2:* on *']],
    ['a customer managed boundary changed', inline(BASE, { boundary: { customerManaged: { name: 'workload-boundary', path: '/accessctl/' } } }),
      inline(BASE, { boundary: { customerManaged: { name: 'workload-boundary-v2', path: '/accessctl/' } } }),
      ['changes the permissions boundary from customer managed policy /accessctl/workload-boundary to customer managed policy /accessctl/workload-boundary-v2, whose documents cannot be compared']],
    ['a policy variable made live: version 2008-10-17 (text) to 2012-10-17', { inline: { Version: '2008-10-17', Statement: [{ ...READ, Resource: 'arn:aws:s3:::home/${aws:username}/*' }] } },
      { inline: { Version: '2012-10-17', Statement: [{ ...READ, Resource: 'arn:aws:s3:::home/${aws:username}/*' }] } },
      ['inline statement 0 (Read) allows s3:GetObject on arn:aws:s3:::home/${aws:username}/*, s3:ListBucket on arn:aws:s3:::home/${aws:username}/*']],
    ['a variable replaced by a wildcard', inline([{ ...READ, Resource: 'arn:aws:s3:::home/${aws:username}/*' }]), inline([{ ...READ, Resource: 'arn:aws:s3:::home/*/*' }]),
      ['inline statement 0 (Read) allows s3:GetObject on arn:aws:s3:::home/*/*, s3:ListBucket on arn:aws:s3:::home/*/*']],
    ['an Allow of named actions turned into a NotAction', inline([{ Effect: 'Allow', Action: ['s3:GetObject', 'ec2:Describe*'], Resource: '*' }]), inline([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
      ['inline statement 0 allows every action but iam:* on *']],
    ['an action the base\'s NotAction excluded', inline([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]), inline([{ Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' }]),
      ['inline statement 0 allows iam:CreateUser on *']],
    ['an Action the base named with a NotAction beside it (that statement covers nothing)', inline([{ Effect: 'Allow', Action: 's3:*', NotAction: 's3:GetObject', Resource: '*' }]),
      inline([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]), ['inline statement 0 allows s3:GetObject on *']],
    ['a resource the base\'s * would have to span a ":" for', inline([{ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: 'arn:aws:logs:*:123456789012:log-group:app-*' }]),
      inline([{ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: 'arn:aws:logs:*:123456789012:log-group:app-x:log-stream:*' }]),
      ['inline statement 0 allows logs:GetLogEvents on arn:aws:logs:*:123456789012:log-group:app-x:log-stream:*']],
    ['many new actions: the first three are named', inline([]), inline([{ Effect: 'Allow', Action: ['a:A', 'b:B', 'c:C', 'd:D', 'e:E'], Resource: '*' }]),
      ['inline statement 0 allows a:A on *, b:B on *, c:C on * and 2 more']],
  ])('%s', (_name, before, after, reasons) => {
    expect(judge(before, after)).toEqual([true, reasons]);
  });

  it('AdministratorAccess added to ViewOnlyAccess, with the shipped documents', () => {
    expect(judge({ managed: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'] }, { managed: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'] }, true))
      .toEqual([true, ['AdministratorAccess statement 0 allows * on *']]);
  });

  it('ReadOnlyAccess replaced by ViewOnlyAccess widens: ViewOnlyAccess allows four actions ReadOnlyAccess does not', () => {
    expect(judge({ managed: ['ReadOnlyAccess'] }, { managed: ['ViewOnlyAccess'] }, true)).toEqual([true, [
      'ViewOnlyAccess statement 0 allows aws-marketplace:ViewSubscriptions on *, bedrock:ListTagsForResource on *, profile:ListDomains on * and 1 more',
    ]]);
  });

  it('AWSDenyAll detached: its Deny no longer applies', () => {
    expect(judge({ managed: ['ReadOnlyAccess', 'AWSDenyAll'] }, { managed: ['ReadOnlyAccess'] }, true)).toEqual([true, ['AWSDenyAll statement 0 denied * on *, and nothing denies it now']]);
  });
});

describe('a change that allows nothing new does not widen', () => {
  it.each<[string, PermissionSetPolicies, PermissionSetPolicies]>([
    ['nothing changed', withBase(), withBase()],
    ['a statement removed', withBase(), withBase((s) => s.filter((x) => x !== READ))],
    ['an action removed', withBase(), withBase(replace(0, { ...READ, Action: 's3:GetObject' }))],
    ['a resource narrowed: data/a/* to data/a/x*', withBase(), withBase(replace(0, { ...READ, Resource: 'arn:aws:s3:::data/a/x*' }))],
    ['a * narrowed to a ?', withBase(), withBase(replace(0, { ...READ, Resource: 'arn:aws:s3:::data/a/?' }))],
    ['reformatted: statements and actions reordered, a string for a one-element list, action case, a Sid renamed', withBase(),
      inline([{ ...EAST, Action: ['EC2:runinstances'], Resource: ['*'] }, { ...PROTECT, Sid: 'KeepKeys', Action: ['kms:ScheduleKeyDeletion'] }, { ...READ, Action: ['s3:listbucket', 'S3:GetObject'], Resource: ['arn:aws:s3:::data/a/*'] }])],
    ['a statement split in two', withBase(), withBase((s) => [{ ...READ, Action: 's3:GetObject' }, { ...READ, Sid: 'List', Action: 's3:ListBucket' }, ...s.slice(1)])],
    ['a Deny added', withBase(), withBase((s) => [...s, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }])],
    ['a Deny widened: more actions and every resource', withBase(), withBase(replace(1, { ...PROTECT, Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey'], Resource: '*' }))],
    ['a condition added to an Allow', withBase(), withBase(replace(0, { ...READ, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))],
    ['another condition added to a conditional Allow', withBase(), withBase(replace(2, { ...EAST, Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))],
    ['a NotAction excluding more', inline([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]), inline([{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }])],
    ['a NotAction Allow narrowed to actions it did not exclude', inline([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]), inline([{ Effect: 'Allow', Action: ['s3:Get*', 'ec2:RunInstances'], Resource: 'arn:aws:s3:::data/*' }])],
    ['a * of the base standing for a run without ":"', inline([{ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: 'arn:aws:logs:*:123456789012:log-group:app-*' }]),
      inline([{ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:app-x*' }])],
    ['a policy variable kept, its resource narrowed', inline([{ ...READ, Resource: 'arn:aws:s3:::home/${aws:username}/*' }]), inline([{ ...READ, Resource: 'arn:aws:s3:::home/${aws:username}/docs/*' }])],
    ['a managed policy swapped for one that allows the same, written as two statements', { managed: ['TeamReadPlus'] }, { managed: ['TeamReadSplit'] }],
    ['a managed policy detached', { managed: ['TeamRead', 'TeamReadPlus'] }, { managed: ['TeamReadPlus'] }],
    ['a permissions boundary added', withBase(), inline(BASE, { boundary: { managed: 'S3Boundary' } })],
    ['the permissions boundary changed to a narrower one', inline(BASE, { boundary: { managed: 'S3Ec2Boundary' } }), inline(BASE, { boundary: { managed: 'S3Boundary' } })],
    ['a customer managed policy kept while the inline policy narrows', inline(BASE, { customerManaged: [{ name: 'guard', path: '/' }] }), inline([READ, PROTECT], { customerManaged: [{ name: 'guard', path: '/' }] })],
  ])('%s', (_name, before, after) => {
    expect(judge(before, after)).toEqual([false, []]);
  });

  it.each<[string, string]>([
    ['AdministratorAccess', 'PowerUserAccess'],
    ['ReadOnlyAccess', 'AWSCloudTrail_ReadOnlyAccess'],
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
  ])('%s replaced by %s, with the shipped documents', (before, after) => {
    expect(judge({ managed: [before] }, { managed: [after] }, true)).toEqual([false, []]);
  });
});
