// accessctl unused (issue 28): the memberships whose every row went unused,
// judged against a usage file the test writes, in an org with git history
// (a member added 5 days ago is too new to judge); --write removes exactly
// them in place, comments kept, and prints the access diff; --branch commits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatUsageFile, type LastUse } from '../../src/usage/file';
import { git, commitAll, initRepo } from '../support/git';
import { run, tempRepo } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';
const PROD = '111111111111';
const DEV = '022222222222';

const TEAM = `# The product team: read-only everywhere.
name: team
mode: authoritative
owners: [lead@example.com]
members:
  - alice@example.com # on call
  # bob moved to sales; nobody took his access away
  - bob@example.com
  - carol@example.com # contractor
apps: [aws]
aws:
  - { permissionSet: ReadOnly, accounts: [prod, dev] }
`;
const ADMINS = `name: admins
mode: authoritative
owners: [lead@example.com]
members:
  - dave@example.com
  - { user: erin@example.com, expires: 2026-11-23T14:00Z, reason: INC-1 outage, breakGlass: true }
  - gina@example.com
apps: [aws]
aws:
  - { permissionSet: AdministratorAccess, accounts: [prod] }
`;
const POLICY = `rules:
  high-privilege-expiry: false
  unused-access: { days: 90, highPrivilegeDays: 30 }
breakGlass:
  groups: [admins]
  users: [erin@example.com]
  maxHours: 4
  approvers: [lead@example.com]
`;

const use = (user: string, accountId: string, permissionSet: string, lastUsed: string): LastUse =>
  ({ user, accountId, permissionSet, lastUsed, eventId: `ev-${user.split('@')[0]}-${accountId.slice(0, 3)}`, eventName: 'GetRoleCredentials' });

const USES: LastUse[] = [
  use('alice@example.com', PROD, 'ReadOnly', '2026-11-13T09:00:00Z'),
  use('carol@example.com', PROD, 'ReadOnly', '2026-08-01T09:00:00Z'),
  use('carol@example.com', DEV, 'ReadOnly', '2026-08-20T09:00:00Z'),
  use('dave@example.com', PROD, 'AdministratorAccess', '2026-10-14T09:00:00Z'),
  use('gina@example.com', PROD, 'AdministratorAccess', '2026-11-03T09:00:00Z'),
];

function writeUsage(root: string, lastUse: LastUse[] = USES, since: string | null = '2026-05-01'): void {
  fs.writeFileSync(path.join(root, 'usage.json'), formatUsageFile({
    version: 1, generatedAt: '2026-11-23T06:00:00Z', since, until: '2026-11-22T23:59:00Z',
    sources: { files: 3, records: 10, used: 5 }, lastUse, unmatched: { users: [], roles: [] },
  }));
}

/** The org as committed on 2026-01-10, then frank joins team on 2026-11-18 (5 days before NOW). */
function usageOrg(): string {
  const root = tempRepo({
    'permission-sets/AdministratorAccess.yaml': 'name: AdministratorAccess\nmanagedPolicies: [AdministratorAccess]\n',
    'policy.yaml': POLICY,
    'people.yaml': `people:\n${['lead', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'].map((p) => `  - { login: ${p}@example.com, github: ${p}-gh }\n`).join('')}`,
    'groups/team.yaml': TEAM,
    'groups/admins.yaml': ADMINS,
  });
  initRepo(root, 'access (#1)', { date: '2026-01-10T09:00:00Z' });
  const team = path.join(root, 'access/groups/team.yaml');
  fs.writeFileSync(team, TEAM.replace('  - carol@example.com # contractor\n', '  - carol@example.com # contractor\n  - frank@example.com\n'));
  commitAll(root, 'frank joins team (#2)', { date: '2026-11-18T09:00:00Z' });
  writeUsage(root);
  return root;
}

const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, 'access', rel), 'utf8');

const LISTING = [
  'access/groups/admins.yaml:5: dave@example.com in admins, unused for more than 30 days: last used 2026-10-14 (111111111111 AdministratorAccess, 40 days ago)',
  'access/groups/team.yaml:8: bob@example.com in team, unused for more than 90 days: never used in the usage file\'s window (since 2026-05-01)',
  'access/groups/team.yaml:9: carol@example.com in team, unused for more than 90 days: last used 2026-08-20 (022222222222 ReadOnly, 95 days ago)',
];

describe('accessctl unused', () => {
  it('lists exactly the memberships whose every row is unused past its threshold', async () => {
    const root = usageOrg();
    const r = await run(['unused', '--usage', 'usage.json'], root, NOW);
    expect(r).toEqual({ code: 0, stderr: '', stdout: `${LISTING.join('\n')}\n3 unused as of 2026-11-23; run with --write to remove them\n` });
    expect(read(root, 'groups/team.yaml')).toBe(TEAM.replace('  - carol@example.com # contractor\n', '  - carol@example.com # contractor\n  - frank@example.com\n'));
  });

  it('json: each membership with its rows and last uses', async () => {
    const root = usageOrg();
    const r = await run(['unused', '--usage', 'usage.json', '--format', 'json'], root, NOW);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.unused.map((u: { group: string; user: string; days: number; highPrivilege: boolean }) => [u.group, u.user, u.days, u.highPrivilege])).toEqual([
      ['admins', 'dave@example.com', 30, true], ['team', 'bob@example.com', 90, false], ['team', 'carol@example.com', 90, false],
    ]);
    expect(out.unused[2]).toEqual({
      group: 'team', user: 'carol@example.com', file: 'access/groups/team.yaml', line: 9, days: 90, highPrivilege: false, lastUse: USES[2],
      rows: [{ accountId: DEV, permissionSet: 'ReadOnly', lastUsed: '2026-08-20T09:00:00Z' }, { accountId: PROD, permissionSet: 'ReadOnly', lastUsed: '2026-08-01T09:00:00Z' }],
    });
    expect([out.today, out.since, out.until, out.written]).toEqual(['2026-11-23', '2026-05-01', '2026-11-22T23:59:00Z', []]);
  });

  it('--days overrides both thresholds', async () => {
    const root = usageOrg();
    const r = await run(['unused', '--usage', 'usage.json', '--days', '15'], root, NOW);
    expect(r.stdout.split('\n')).toEqual([
      'access/groups/admins.yaml:5: dave@example.com in admins, unused for more than 15 days: last used 2026-10-14 (111111111111 AdministratorAccess, 40 days ago)',
      'access/groups/admins.yaml:7: gina@example.com in admins, unused for more than 15 days: last used 2026-11-03 (111111111111 AdministratorAccess, 20 days ago)',
      'access/groups/team.yaml:8: bob@example.com in team, unused for more than 15 days: never used in the usage file\'s window (since 2026-05-01)',
      'access/groups/team.yaml:9: carol@example.com in team, unused for more than 15 days: last used 2026-08-20 (022222222222 ReadOnly, 95 days ago)',
      '4 unused as of 2026-11-23; run with --write to remove them',
      '',
    ]);
  });

  it('--write removes exactly them, keeps the comments, and prints the access diff', async () => {
    const root = usageOrg();
    const r = await run(['unused', '--usage', 'usage.json', '--write'], root, NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(read(root, 'groups/team.yaml')).toBe(`# The product team: read-only everywhere.
name: team
mode: authoritative
owners: [lead@example.com]
members:
  - alice@example.com # on call
  - frank@example.com
apps: [aws]
aws:
  - { permissionSet: ReadOnly, accounts: [prod, dev] }
`);
    expect(read(root, 'groups/admins.yaml')).toBe(ADMINS.replace('  - dave@example.com\n', ''));
    expect(r.stdout.split('\n')).toEqual([
      ...LISTING,
      'removed 3 unused memberships from access/groups/admins.yaml, access/groups/team.yaml',
      '',
      'access diff before -> after: +0 / -5 access, 6 changes',
      '  ! mass-revocation: 5 of 11 access rows are revoked',
      '  ! sensitive-actions: -2 people can no longer organizations:* (20 of 63 actions) on dev (bob@example.com, carol@example.com)',
      '  ! sensitive-actions: -1 person can no longer iam:PassRole on prod (dave@example.com)',
      '  ! sensitive-actions: -1 person can no longer iam:Create* on prod (dave@example.com)',
      '  ! sensitive-actions: -1 person can no longer kms:Decrypt on prod (dave@example.com)',
      '  ! sensitive-actions: -1 person can no longer s3:GetObject on prod (dave@example.com)',
      '  ! sensitive-actions: -1 person can no longer sts:AssumeRole on prod (dave@example.com)',
      '  ! sensitive-actions: -3 people can no longer organizations:* on prod (bob@example.com, carol@example.com, dave@example.com)',
      'access removed:',
      '  bob@example.com',
      '    - dev (022222222222) ReadOnly via team',
      '    - prod (111111111111) ReadOnly via team',
      '  carol@example.com',
      '    - dev (022222222222) ReadOnly via team',
      '    - prod (111111111111) ReadOnly via team',
      '  dave@example.com',
      '    - prod (111111111111) AdministratorAccess via admins',
      'by account:',
      '  dev (022222222222): +0 / -2',
      '  prod (111111111111): +0 / -3',
      'changes:',
      '  - dave@example.com leaves admins',
      '  - bob@example.com leaves team',
      '  - carol@example.com leaves team',
      '  - dave@example.com leaves accessctl-aws-users: SCIM deactivates their AWS user (no longer in a group pushed to AWS)',
      '  - bob@example.com leaves accessctl-aws-users: SCIM deactivates their AWS user (no longer in a group pushed to AWS)',
      '  - carol@example.com leaves accessctl-aws-users: SCIM deactivates their AWS user (no longer in a group pushed to AWS)',
      '',
    ]);
    // Written: nothing is left to remove.
    expect((await run(['unused', '--usage', 'usage.json'], root, NOW)).stdout).toBe('no unused membership as of 2026-11-23\n');
  });

  it('--write --branch commits on a new branch; markdown is the pull request body with each last use', async () => {
    const root = usageOrg();
    const r = await run(['unused', '--usage', 'usage.json', '--write', '--branch', '--format', 'markdown'], root, NOW);
    expect(r.stderr).toBe('committed on branch accessctl/unused-2026-11-23: push it and open a pull request\n');
    expect(r.stdout.split('\n').slice(0, 9)).toEqual([
      '### Unused access',
      '',
      '3 memberships unused as of 2026-11-23. Usage file: CloudTrail from 2026-05-01 to 2026-11-22T23:59:00Z.',
      '',
      '| Group | Member | Threshold (days) | Last use |',
      '| --- | --- | --- | --- |',
      '| `admins` | `dave@example.com` | 30 | last used 2026-10-14 (111111111111 AdministratorAccess, 40 days ago) |',
      '| `team` | `bob@example.com` | 90 | never used in the usage file\'s window (since 2026-05-01) |',
      '| `team` | `carol@example.com` | 90 | last used 2026-08-20 (022222222222 ReadOnly, 95 days ago) |',
    ]);
    expect(git(root, ['rev-parse', '--abbrev-ref', 'HEAD']).trim()).toBe('accessctl/unused-2026-11-23');
    expect(git(root, ['log', '-1', '--format=%B']).trim()).toBe(`Remove unused access (2026-11-23)\n\n${LISTING.join('\n')}`);
    expect(git(root, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n')).toEqual(['access/groups/admins.yaml', 'access/groups/team.yaml']);
    expect(git(root, ['status', '--porcelain']).trim()).toBe('?? usage.json');
    const again = await run(['unused', '--usage', 'usage.json', '--write', '--branch'], root, NOW);
    expect(again).toEqual({ code: 0, stdout: 'no unused membership as of 2026-11-23\n', stderr: '' });
  });

  it('a file whose window is shorter than the threshold cannot make a never-used membership unused', async () => {
    const root = usageOrg();
    // 40 days of events (since 2026-10-14): only the high-privilege threshold (30 days) is reached.
    writeUsage(root, [], '2026-10-14');
    const short = await run(['unused', '--usage', 'usage.json', '--format', 'json'], root, NOW);
    const all = (r: { stdout: string }): Array<[string, number]> => JSON.parse(r.stdout).unused.map((u: { user: string; days: number }) => [u.user, u.days]);
    expect(all(short).length).toBeGreaterThan(0);
    expect(all(short).every(([, days]) => days === 30)).toBe(true);
    // No since and no events: nothing says how far the file reaches, so nothing is unused.
    writeUsage(root, [], null);
    expect(all(await run(['unused', '--usage', 'usage.json', '--format', 'json'], root, NOW))).toEqual([]);
  });

  it('never removes a break-glass member or one who joined within the threshold, even never used', async () => {
    const root = usageOrg();
    writeUsage(root, []);
    const r = await run(['unused', '--usage', 'usage.json', '--format', 'json'], root, NOW);
    expect(JSON.parse(r.stdout).unused.map((u: { user: string }) => u.user)).toEqual(['dave@example.com', 'gina@example.com', 'alice@example.com', 'bob@example.com', 'carol@example.com']);
  });

  it.each([
    [['--usage', 'missing.json'], 'accessctl unused: usage file missing.json: no such file: write it with accessctl usage', 1],
    [['--usage', 'bad.json'], 'accessctl unused: usage file bad.json: lastUse[0].accountId: "12" is not valid', 1],
    [['--usage', 'usage.json', '--days', '0'], 'accessctl unused: --days: "0" is not a whole number of days (1-9999)', 2],
    [['--usage', 'usage.json', '--branch'], 'accessctl unused: --branch commits what --write removes: give --write too', 2],
    [[], 'accessctl unused: --usage FILE is required: write it with accessctl usage', 2],
  ])('a bad usage file (exit 1) or a usage error (exit 2): %j', async (args, message, code) => {
    const root = usageOrg();
    fs.writeFileSync(path.join(root, 'bad.json'), JSON.stringify({ version: 1, generatedAt: '2026-11-23T06:00:00Z', lastUse: [{ ...USES[0], accountId: '12' }] }));
    const r = await run(['unused', ...args], root, NOW);
    expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([code, '', message]);
  });
});
