import type { AuditEvent } from '../../src/audit/walk';
import { ActionLens } from '../../src/audit/lens';
import { firstGains } from '../../src/cli/commands/audit';
import { load } from '../support/helpers';

const ev = (date: string, action: 'added' | 'removed', user: string, account: string): AuditEvent => ({
  commit: 'c'.repeat(40), date, author: 'A', authorEmail: 'a@example.com', committer: 'A', committerEmail: 'a@example.com', pr: 1, direct: false,
  action, reason: 'commit', user, account, accountId: account === 'prod' ? '111111111111' : '022222222222', permissionSet: 'ReadOnly', via: ['g'],
});

describe('audit --first', () => {
  it('keeps, per user (logins folded), the added events at their first instant', () => {
    const events = [
      ev('2026-01-01T00:00:00Z', 'removed', 'alice@example.com', 'dev'),
      ev('2026-01-05T00:00:00Z', 'added', 'bob@example.com', 'dev'),
      ev('2026-01-05T00:00:00Z', 'added', 'bob@example.com', 'prod'),
      ev('2026-01-10T00:00:00Z', 'added', 'Alice@example.com', 'prod'),
      ev('2026-01-12T00:00:00Z', 'removed', 'bob@example.com', 'dev'),
      ev('2026-01-20T00:00:00Z', 'added', 'alice@example.com', 'dev'),
      ev('2026-01-21T00:00:00Z', 'added', 'bob@example.com', 'dev'),
    ];
    expect(firstGains(events)).toEqual([events[1], events[2], events[3]]);
  });
});

describe('ActionLens', () => {
  const sets = (inline: string): ReturnType<typeof load>['model'] =>
    load({ 'permission-sets/ReadOnly.yaml': `name: ReadOnly\nmanagedPolicies: [ViewOnlyAccess]\n${inline}`, 'permission-sets/Copy.yaml': `name: Copy\nmanagedPolicies: [ViewOnlyAccess]\n${inline}` }).model;

  it('evaluates each distinct version of a permission set\'s policies once', () => {
    const lens = new ActionLens({ action: 'iam:CreateUser', resource: '*' });
    const a = sets('');
    const b = sets('inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "iam:CreateUser", Resource: "*" }] }\n');
    lens.commit(() => a!.permissionSets, true);
    lens.commit(() => b!.permissionSets, true);
    lens.commit(() => a!.permissionSets, true);
    expect([lens.evaluations, lens.policyChanged(), lens.policyChange('ReadOnly'), lens.policyChange('Copy')]).toEqual([2, true, 'removed', 'removed']);
  });
});
