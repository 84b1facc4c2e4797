// The unused-access guardrail (issue 28): with validate --usage FILE, a
// high-privilege member unused past highPrivilegeDays is a warning, waivable;
// without --usage the rule says nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatUsageFile } from '../../src/usage/file';
import { run, tempRepo } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';
const POLICY = 'rules:\n  high-privilege-expiry: false\n  unused-access: { highPrivilegeDays: 30 }\n';
const at = (user: string, lastUsed: string) =>
  ({ user, accountId: '111111111111', permissionSet: 'AdministratorAccess', lastUsed, eventId: `e-${user[0]}`, eventName: 'Federate' });

/** admins: dave last used AdministratorAccess 40 days ago, gina 20; viewers: bob never used ReadOnly (not high privilege). No git history. */
function org(): string {
  const root = tempRepo({
    'people.yaml': 'people:\n  - { login: lead@example.com }\n  - { login: dave@example.com }\n  - { login: gina@example.com }\n  - { login: bob@example.com }\n',
    'permission-sets/AdministratorAccess.yaml': 'name: AdministratorAccess\nmanagedPolicies: [AdministratorAccess]\n',
    'policy.yaml': POLICY,
    'groups/admins.yaml': 'name: admins\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n  - dave@example.com\n  - gina@example.com\n' +
        'apps: [aws]\naws:\n  - { permissionSet: AdministratorAccess, accounts: [prod] }\n',
    'groups/viewers.yaml': 'name: viewers\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n  - bob@example.com\n' +
        'apps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n',
  });
  fs.writeFileSync(path.join(root, 'usage.json'), formatUsageFile({
    version: 1, generatedAt: '2026-11-23T06:00:00Z', since: '2026-05-01', until: '2026-11-22T23:59:00Z', sources: { files: 1, records: 2, used: 2 },
    lastUse: [at('dave@example.com', '2026-10-14T09:00:00Z'), at('gina@example.com', '2026-11-03T09:00:00Z')], unmatched: { users: [], roles: [] },
  }));
  return root;
}
const WARNING = [
  'access/groups/admins.yaml:5:5 warning unused-access dave@example.com has AdministratorAccess through "admins" and has not used it in more than 30 days: last used 2026-10-14 (111111111111 AdministratorAccess, 40 days ago)',
  '  subject: admins|dave@example.com',
];

describe('unused-access guardrail', () => {
  it('warns for a high-privilege member unused 40 days with highPrivilegeDays 30, and only with --usage', async () => {
    const root = org();
    const r = await run(['validate', '--usage', 'usage.json'], root, NOW);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${WARNING.join('\n')}
  hint: Remove the membership (accessctl unused --usage FILE --write does it for every unused one), or, when the access must stay for an emergency, a waiver with a reason.
  see docs/rules.md#unused-access
access: valid, 2 groups, 2 permission sets, 2 accounts, 3 account assignments; 1 warning, 0 waived
`);
    const plain = await run(['validate'], root, NOW);
    expect(plain.stdout).toBe('access: valid, 2 groups, 2 permission sets, 2 accounts, 3 account assignments; 0 warnings, 0 waived\n');
  });

  it('follows highPrivilegeDays: 45 days lets a 40-day-old use pass', async () => {
    const root = org();
    fs.writeFileSync(path.join(root, 'access/policy.yaml'), POLICY.replace('highPrivilegeDays: 30', 'highPrivilegeDays: 45'));
    const r = await run(['validate', '--usage', 'usage.json'], root, NOW);
    expect(r.stdout).toBe('access: valid, 2 groups, 2 permission sets, 2 accounts, 3 account assignments; 0 warnings, 0 waived\n');
  });

  it('is waivable by group|login', async () => {
    const root = org();
    fs.writeFileSync(path.join(root, 'access/policy.yaml'), `${POLICY}waivers:
  - { rule: unused-access, subject: "admins|dave@example.com", reason: quarterly DR drill only, expires: 2027-01-31 }
`);
    const r = await run(['validate', '--usage', 'usage.json'], root, NOW);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.includes('unused-access'))).toEqual([]);
    expect(r.stdout.split('\n').at(-2)).toBe('access: valid, 2 groups, 2 permission sets, 2 accounts, 3 account assignments; 0 warnings, 1 waived');
  });

  it('a bad usage file is an error naming the file and the JSON path (exit 1)', async () => {
    const root = org();
    fs.writeFileSync(path.join(root, 'usage.json'), '{"version": 2}');
    const r = await run(['validate', '--usage', 'usage.json'], root, NOW);
    expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([1, '', 'accessctl validate: usage file usage.json: version: is 2, not 1: write it again with this accessctl']);
  });
});
