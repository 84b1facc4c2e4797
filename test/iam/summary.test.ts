import { ACCESS_LEVELS, catalogueServices, catalogueVersion, type AccessLevel } from '../../src/aws/action-catalogue';
import type { PermissionSetPolicies } from '../../src/iam/evaluate';
import { DEFAULT_SENSITIVE_ACTIONS } from '../../src/iam/sensitive';
import { candidateServices, summarize, verdictOf, type LevelCounts, type ServiceSummary } from '../../src/iam/summary';

// accessctl permissions (issue 27): what a permission set can do, by service and access level.

const summary = (policies: PermissionSetPolicies, services?: string[]) =>
  summarize({ permissionSet: 'P', policies, patterns: DEFAULT_SENSITIVE_ACTIONS, ...(services ? { services } : {}) });

const service = (policies: PermissionSetPolicies, name: string): ServiceSummary | undefined =>
  summary(policies).services.find((s) => s.service === name);

/** Level counts in ACCESS_LEVELS order (List, Read, Tagging, Write, Permissions management) as [allowed, conditional, unknown, total]. */
const levels = (...rows: Array<[number, number, number, number]>): Record<AccessLevel, LevelCounts> =>
  Object.fromEntries(ACCESS_LEVELS.map((l, i) => [l, { allowed: rows[i][0], conditional: rows[i][1], unknown: rows[i][2], total: rows[i][3] }])) as Record<AccessLevel, LevelCounts>;

const S3_TOTALS = [18, 66, 12, 57, 27];
const IAM_TOTALS = [40, 37, 16, 74, 23];
const allowedOf = (totals: number[], allowed: number[]) => levels(...totals.map((t, i): [number, number, number, number] => [allowed[i], 0, 0, t]));
const by = (policy: string, statement: number) => ({ policy, statement });

describe('summarize: AWS managed policies', () => {
  it('AdministratorAccess: every catalogue service, each full, and every sensitive pattern allowed on * by its one statement', () => {
    const s = summary({ managed: ['AdministratorAccess'] });
    expect(s.services.map((x) => x.service)).toEqual(catalogueServices());
    expect(s.services.filter((x) => x.verdict !== 'full').map((x) => x.service)).toEqual([]);
    expect(s.services.find((x) => x.service === 's3')).toEqual({ service: 's3', name: 'Amazon S3', verdict: 'full', levels: allowedOf(S3_TOTALS, S3_TOTALS) });
    expect(s.otherServices).toBe('not-allowed');
    expect(s.unknownPolicies).toEqual([]);
    expect(s.catalogueVersion).toBe(catalogueVersion());
    expect(s.sensitive.map((h) => [h.pattern, h.decision, `${h.counts.allowed}/${h.total}`, h.by, h.resources])).toEqual([
      ['iam:PassRole', 'allowed', '1/1', by('AdministratorAccess', 0), ['*']],
      ['iam:Create*', 'allowed', '15/15', by('AdministratorAccess', 0), ['*']],
      ['kms:Decrypt', 'allowed', '1/1', by('AdministratorAccess', 0), ['*']],
      ['s3:GetObject', 'allowed', '1/1', by('AdministratorAccess', 0), ['*']],
      ['sts:AssumeRole', 'allowed', '1/1', by('AdministratorAccess', 0), ['*']],
      ['organizations:*', 'allowed', '63/63', by('AdministratorAccess', 0), ['*']],
    ]);
  });

  it('ReadOnlyAccess: s3 holds List and Read (not all of Read), no Tagging, Write or Permissions management: verdict read', () => {
    expect(service({ managed: ['ReadOnlyAccess'] }, 's3')).toEqual({
      service: 's3', name: 'Amazon S3', verdict: 'read', levels: allowedOf(S3_TOTALS, [18, 64, 0, 0, 0]),
    });
  });

  it('ViewOnlyAccess: s3 lists (3 of 18) and reads nothing: verdict list, and s3:GetObject is not among the sensitive actions', () => {
    const s = summary({ managed: ['ViewOnlyAccess'] });
    expect(s.services.find((x) => x.service === 's3')).toEqual({
      service: 's3', name: 'Amazon S3', verdict: 'list', levels: allowedOf(S3_TOTALS, [3, 0, 0, 0, 0]),
    });
    expect(s.sensitive.map((h) => [h.pattern, h.decision, h.actions.length, h.total, h.by])).toEqual([
      ['organizations:*', 'allowed', 20, 63, by('ViewOnlyAccess', 0)],
    ]);
  });

  it('PowerUserAccess: s3 full; iam only the three actions it grants by name (write); the only services not full are account, iam, organizations', () => {
    const s = summary({ managed: ['PowerUserAccess'] });
    expect(s.services.filter((x) => x.verdict !== 'full').map((x) => `${x.service}: ${x.verdict}`)).toEqual(['account: read', 'iam: write', 'organizations: read']);
    expect(s.services.find((x) => x.service === 's3')?.verdict).toBe('full');
    expect(s.services.find((x) => x.service === 'iam')).toEqual({
      service: 'iam', name: 'AWS Identity and Access Management (IAM)', verdict: 'write', levels: allowedOf(IAM_TOTALS, [1, 0, 0, 2, 0]),
    });
    expect(s.sensitive.find((h) => h.pattern === 'iam:Create*')).toEqual({
      pattern: 'iam:Create*', decision: 'allowed', actions: ['iam:CreateServiceLinkedRole'], total: 15,
      counts: { allowed: 1, conditional: 0, unknown: 0 }, by: by('PowerUserAccess', 1), resources: ['*'],
    });
  });

  it('a Deny of a whole service drops it from the list: nothing in it is held', () => {
    const s = summary({ managed: ['AdministratorAccess'], inline: { Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] } });
    expect(s.services.map((x) => x.service)).toEqual(catalogueServices().filter((x) => x !== 'iam'));
    expect(s.sensitive.map((h) => h.pattern)).toEqual(['kms:Decrypt', 's3:GetObject', 'sts:AssumeRole', 'organizations:*']);
  });
});

describe('summarize: inline policies, conditions, unknown policies', () => {
  const MFA = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };

  it('an Allow under a Condition counts as conditional, never as allowed: verdict conditional, the keys named', () => {
    const s = summary({ inline: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*', Condition: MFA }] } });
    expect(s.services).toEqual([{
      service: 's3', name: 'Amazon S3', verdict: 'conditional',
      levels: levels([0, 0, 0, 18], [0, 61, 0, 66], [0, 0, 0, 12], [0, 0, 0, 57], [0, 0, 0, 27]),
    }]);
    expect(s.sensitive).toEqual([{
      pattern: 's3:GetObject', decision: 'conditional', actions: ['s3:GetObject'], total: 1, counts: { allowed: 0, conditional: 1, unknown: 0 },
      by: by('inline', 0), conditions: ['aws:MultiFactorAuthPresent'], resources: ['arn:aws:s3:::b/*'],
    }]);
  });

  it('one statement allowed and one conditional: the allowed one sets the verdict, the conditional one is counted apart', () => {
    const s = summary({ inline: { Statement: [
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', Condition: MFA },
    ] } });
    expect(s.services.map((x) => [x.verdict, x.levels.List, x.levels.Write])).toEqual([
      ['list', { allowed: 1, conditional: 0, unknown: 0, total: 18 }, { allowed: 0, conditional: 1, unknown: 0, total: 57 }],
    ]);
  });

  it('a customer managed policy: every action no known policy decides is unknown, the policy named; services only unknown are not listed', () => {
    const s = summary({ managed: ['ViewOnlyAccess'], customerManaged: [{ name: 'team-policy', path: '/team/' }] }, ['s3', 'braket']);
    expect(s.unknownPolicies).toEqual(['customer-managed:/team/team-policy']);
    expect(s.otherServices).toBe('unknown');
    expect(s.services).toEqual([
      { service: 'braket', name: 'Amazon Braket', verdict: 'unknown', levels: levels([0, 0, 3, 3], [0, 0, 7, 7], [0, 0, 2, 2], [0, 0, 8, 8], [0, 0, 0, 0]) },
      { service: 's3', name: 'Amazon S3', verdict: 'list', levels: levels([3, 0, 15, 18], [0, 0, 66, 66], [0, 0, 12, 12], [0, 0, 57, 57], [0, 0, 27, 27]) },
    ]);
    expect(s.sensitive).toEqual([{ pattern: 's3:GetObject', decision: 'unknown', actions: ['s3:GetObject'], total: 1, counts: { allowed: 0, conditional: 0, unknown: 1 } }]);
    // Unfiltered, a service where nothing is known is left out: it is what otherServices says.
    const all = summary({ managed: ['ViewOnlyAccess'], customerManaged: [{ name: 'team-policy', path: '/team/' }] });
    expect(all.services.some((x) => x.service === 'braket')).toBe(false);
    expect(all.services.find((x) => x.service === 's3')?.verdict).toBe('list');
  });

  it('a customer managed boundary: what the identity policies allow is unknown, other services are not allowed', () => {
    const s = summary({ managed: ['PowerUserAccess'], boundary: { customerManaged: { name: 'workload-boundary', path: '/accessctl/' } } }, ['iam']);
    expect(s.unknownPolicies).toEqual(['boundary:customer-managed:/accessctl/workload-boundary']);
    expect(s.otherServices).toBe('not-allowed');
    expect(s.services).toEqual([{
      service: 'iam', name: 'AWS Identity and Access Management (IAM)', verdict: 'unknown',
      levels: levels([0, 0, 1, 40], [0, 0, 0, 37], [0, 0, 0, 16], [0, 0, 2, 74], [0, 0, 0, 23]),
    }]);
    expect(s.sensitive).toEqual([{
      pattern: 'iam:Create*', decision: 'unknown', actions: ['iam:CreateServiceLinkedRole'], total: 15,
      counts: { allowed: 0, conditional: 0, unknown: 1 }, by: by('PowerUserAccess', 1),
    }]);
  });

  it('sensitive actions scoped to resources: each with its statement and the resources it names', () => {
    const s = summary({ inline: { Statement: [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' },
      { Sid: 'Deploy', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111111111111:role/deployer' },
    ] } });
    expect(s.sensitive).toEqual([
      { pattern: 'iam:PassRole', decision: 'allowed', actions: ['iam:PassRole'], total: 1, counts: { allowed: 1, conditional: 0, unknown: 0 },
        by: { policy: 'inline', statement: 1, sid: 'Deploy' }, resources: ['arn:aws:iam::111111111111:role/deployer'] },
      { pattern: 's3:GetObject', decision: 'allowed', actions: ['s3:GetObject'], total: 1, counts: { allowed: 1, conditional: 0, unknown: 0 },
        by: { policy: 'inline', statement: 0 }, resources: ['arn:aws:s3:::reports/*'] },
    ]);
    expect(s.services.map((x) => `${x.service}: ${x.verdict}`)).toEqual(['iam: write', 's3: read']);
  });

  it('a --service filter lists each service asked, even with nothing held (none), and keeps only the sensitive patterns in them', () => {
    const s = summary({ managed: ['AdministratorAccess'] }, ['kms', 'braket']);
    expect(s.services.map((x) => `${x.service}: ${x.verdict}`)).toEqual(['braket: full', 'kms: full']);
    expect(s.sensitive.map((h) => h.pattern)).toEqual(['kms:Decrypt']);
    const none = summary({ managed: ['ViewOnlyAccess'] }, ['braket']);
    expect(none.services).toEqual([{ service: 'braket', name: 'Amazon Braket', verdict: 'none', levels: levels([0, 0, 0, 3], [0, 0, 0, 7], [0, 0, 0, 2], [0, 0, 0, 8], [0, 0, 0, 0]) }]);
    expect(none.sensitive).toEqual([]);
  });
});

describe('verdictOf', () => {
  const z = [0, 0, 0, 0] as [number, number, number, number];
  it.each([
    ['full', levels([2, 0, 0, 2], z, z, [3, 0, 0, 3], z)],
    ['permissions management', levels([2, 0, 0, 2], [1, 0, 0, 5], [1, 0, 0, 2], [1, 0, 0, 9], [1, 0, 0, 4])],
    ['write', levels([0, 0, 0, 2], [0, 0, 0, 5], [1, 0, 0, 2], [1, 0, 0, 9], [0, 1, 0, 4])],
    ['tagging', levels([0, 0, 0, 2], [5, 0, 0, 5], [1, 0, 0, 2], [0, 9, 0, 9], [0, 0, 0, 4])],
    ['read', levels([2, 0, 0, 2], [1, 0, 0, 5], [0, 0, 0, 2], [0, 0, 9, 9], z)],
    ['list', levels([1, 0, 0, 2], [0, 0, 0, 5], z, z, z)],
    ['conditional', levels([0, 1, 1, 2], z, z, z, z)],
    ['unknown', levels([0, 0, 1, 2], z, z, z, z)],
    ['none', levels([0, 0, 0, 2], z, z, z, z)],
  ])('%s', (verdict, counts) => {
    expect(verdictOf(counts)).toBe(verdict);
  });
});

describe('candidateServices: only services an Allow can name are evaluated, and none is missed', () => {
  it('names the services of the Allow actions, case-folded; Deny statements and unknown services add none', () => {
    expect(candidateServices({ inline: { Statement: [
      { Effect: 'Allow', Action: ['S3:GetObject', 'iam:Pass*', 'made-up:Thing'], Resource: '*' },
      { Effect: 'Deny', Action: 'ec2:*', Resource: '*' },
    ] } })).toEqual(['iam', 's3']);
  });

  it.each([
    ['NotAction', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
    ['a wildcard service', { Effect: 'Allow', Action: 's3*:Get*', Resource: '*' }],
    ['*', { Effect: 'Allow', Action: '*', Resource: '*' }],
  ])('%s: every service', (_, statement) => {
    expect(candidateServices({ inline: { Statement: [statement] } })).toEqual(catalogueServices());
  });

  it.each(['ViewOnlyAccess', 'SecurityAudit', 'ReadOnlyAccess'])('%s: the same services as evaluating every service of the catalogue', (policy) => {
    const everything = summary({ managed: [policy] }, catalogueServices()).services.filter((x) => x.verdict !== 'none');
    expect(summary({ managed: [policy] }).services).toEqual(everything);
  });
});

describe('cost', () => {
  it('AdministratorAccess (every action of every service evaluated) takes well under two seconds', () => {
    summary({ managed: ['AdministratorAccess'] });
    const start = process.hrtime.bigint();
    summary({ managed: ['AdministratorAccess'] });
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
  });
});
