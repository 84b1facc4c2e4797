// Sensitive actions (issue 27): which of policy.yaml's sensitiveActions (or the
// default list) a permission set's policies can perform on some resource.
import { DEFAULT_SENSITIVE_ACTIONS, sensitiveHits, sensitiveLabel } from '../../src/iam/sensitive';
import { expandActions } from '../../src/aws/action-catalogue';
import { sensitivePatterns } from '../../src/iam/sensitive';
import { load, where } from '../support/helpers';

const doc = (...Statement: Record<string, unknown>[]): unknown => ({ Version: '2012-10-17', Statement });
const labels = (policies: Parameters<typeof sensitiveHits>[0]): string[] => sensitiveHits(policies, DEFAULT_SENSITIVE_ACTIONS).map(sensitiveLabel);

describe('sensitive actions of a permission set', () => {
  it('AdministratorAccess holds every default pattern whole', () => {
    expect(labels({ managed: ['AdministratorAccess'] })).toEqual([...DEFAULT_SENSITIVE_ACTIONS]);
  });

  it('ReadOnlyAccess reads objects but passes no role and creates nothing; ViewOnlyAccess holds none', () => {
    const ro = sensitiveHits({ managed: ['ReadOnlyAccess'] }, DEFAULT_SENSITIVE_ACTIONS);
    expect(ro.map((h) => h.pattern)).toEqual(['s3:GetObject', 'organizations:*']);
    const orgs = ro.find((h) => h.pattern === 'organizations:*')!;
    expect(orgs.actions.length).toBeLessThan(orgs.total);
    expect(orgs.actions.every((a) => /^organizations:(Describe|List)/.test(a))).toBe(true);
    expect(labels({ managed: ['job-function/ViewOnlyAccess'] })).toEqual([`organizations:* (${sensitiveHits({ managed: ['ViewOnlyAccess'] }, ['organizations:*'])[0]!.actions.length} of ${expandActions('organizations:*').length})`]);
  });

  it('PowerUserAccess: no iam:PassRole, of iam:Create* only service-linked roles, of organizations:* two reads', () => {
    const hits = sensitiveHits({ managed: ['PowerUserAccess'] }, DEFAULT_SENSITIVE_ACTIONS);
    expect(hits.map((h) => h.pattern)).toEqual(['iam:Create*', 'kms:Decrypt', 's3:GetObject', 'sts:AssumeRole', 'organizations:*']);
    expect(hits[0]!.actions).toEqual(['iam:CreateServiceLinkedRole']);
    // Its statement 1 gives back two organizations: reads by name.
    expect(hits[4]!.actions).toEqual(['organizations:DescribeEffectivePolicy', 'organizations:DescribeOrganization']);
  });

  it('a PassRole scoped to some roles counts, and a condition makes it conditional', () => {
    expect(labels({ inline: doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/app-*' }) })).toEqual(['iam:PassRole']);
    expect(labels({ inline: doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }) }))
      .toEqual(['iam:PassRole, conditional']);
    expect(labels({ managed: ['AdministratorAccess'], inline: doc({ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }) })).not.toContain('iam:PassRole');
    expect(labels({ customerManaged: [{ name: 'x' }] })).toEqual(DEFAULT_SENSITIVE_ACTIONS.map((p) => `${p}, unknown`));
  });
});

describe('policy.yaml sensitiveActions', () => {
  it('replaces the default list, and the model carries it with its line', () => {
    const r = load({ 'policy.yaml': 'sensitiveActions:\n  - iam:PassRole\n  - ec2:Terminate*\n' });
    expect(where(r)).toEqual([]);
    expect(r.model!.policy.sensitiveActions?.actions).toEqual(['iam:PassRole', 'ec2:Terminate*']);
    expect(sensitivePatterns(r.model!)).toEqual(['iam:PassRole', 'ec2:Terminate*']);
    expect(sensitivePatterns(load({}).model!)).toEqual(DEFAULT_SENSITIVE_ACTIONS);
  });

  it('an entry that names no IAM action is ACC136 at its line; a malformed one a schema error', () => {
    const r = load({ 'policy.yaml': 'sensitiveActions:\n  - iam:PassRole\n  - iam:PasRole\n  - nosuch:*\n' });
    expect(where(r)).toEqual(['access/policy.yaml:3:5 ACC136', 'access/policy.yaml:4:5 ACC136']);
    expect(r.diagnostics[0]!.message).toMatch(/^sensitiveActions: "iam:PasRole" names no IAM action \(action catalogue 0\.21\.\d+\)$/);
    const bad = load({ 'policy.yaml': 'sensitiveActions: [iam]\n' });
    expect(where(bad).map((w) => w.split(' ')[0])).toEqual(['access/policy.yaml:1:20']);
  });
});
