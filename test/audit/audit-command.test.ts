import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prNumber } from '../../src/git/history';
import { parseDateArg } from '../../src/util/dates';
import { run, tempRepo } from '../support/helpers';
import { git as gitIn } from '../support/git';

function git(cwd: string, date: string, ...args: string[]): string {
  return gitIn(cwd, args, { author: 'Ada Admin', email: 'ada@example.com', date });
}

const team = (members: string, extra = ''): string =>
  `name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n${members}apps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n${extra}`;
const DEPLOY = { 'permission-sets/Deploy.yaml': 'name: Deploy\nmanagedPolicies: [PowerUserAccess]\n' };

/**
 * A history with known changes, on the first-parent line of main:
 *   #1  2026-01-10  squash-merged: team (lead, dev) gets ReadOnly on prod
 *   #12 2026-02-02  merge commit: new@ joins until 2026-03-15; team gets Deploy on dev
 *       2026-02-20  direct push: dev@ leaves
 *   #14 2026-03-01  breaks the group file (unknown permission set)
 *   #15 2026-03-05  fixes it and renames the group (no access change)
 * and new@'s access lapses on 2026-03-16.
 */
function history(): string {
  const root = tempRepo({ ...DEPLOY, 'groups/team.yaml': team('  - lead@example.com\n  - dev@example.com\n') });
  const file = path.join(root, 'access/groups/team.yaml');
  git(root, '2026-01-10T09:00:00Z', 'init', '-q');
  git(root, '2026-01-10T09:00:00Z', 'add', '-A');
  git(root, '2026-01-10T09:00:00Z', 'commit', '-qm', 'Initial access (#1)');

  git(root, '2026-02-01T10:00:00Z', 'checkout', '-qb', 'add-new');
  fs.writeFileSync(file, team('  - lead@example.com\n  - dev@example.com\n  - { user: new@example.com, expires: 2026-03-15, reason: INC-9 }\n', '  - { permissionSet: Deploy, accounts: [dev] }\n'));
  git(root, '2026-02-01T10:00:00Z', 'commit', '-qam', 'Add new@ for INC-9');
  git(root, '2026-02-02T11:00:00Z', 'checkout', '-q', 'main');
  git(root, '2026-02-02T11:00:00Z', 'merge', '-q', '--no-ff', '-m', 'Merge pull request #12 from example/add-new', 'add-new');

  fs.writeFileSync(file, team('  - lead@example.com\n  - { user: new@example.com, expires: 2026-03-15, reason: INC-9 }\n', '  - { permissionSet: Deploy, accounts: [dev] }\n'));
  git(root, '2026-02-20T08:30:00+01:00', 'commit', '-qam', 'hotfix: remove dev');

  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('permissionSet: Deploy', 'permissionSet: Deplyo'));
  git(root, '2026-03-01T12:00:00Z', 'commit', '-qam', 'Rename the deploy set (#14)');

  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('permissionSet: Deplyo', 'permissionSet: Deploy').replace('name: team', 'name: platform'));
  fs.renameSync(file, path.join(root, 'access/groups/platform.yaml'));
  git(root, '2026-03-05T12:00:00Z', 'add', '-A');
  git(root, '2026-03-05T12:00:00Z', 'commit', '-qm', 'Fix the set and rename the group (#15)');
  return root;
}

const NOW = '2026-04-01T00:00:00Z';
type Event = { date: string; action: string; reason: string; user: string; account: string; permissionSet: string; via: string[]; pr: number | null; direct: boolean; commit: string | null; author: string | null };
const line = (e: Event): string => `${e.date} ${e.action}${e.reason === 'expired' ? '(expired)' : ''} ${e.user} ${e.account} ${e.permissionSet} via ${e.via.join(',')} pr=${e.pr ?? '-'}${e.direct ? ' DIRECT' : ''}`;

describe('accessctl audit', () => {
  const root = history();

  it('turns a history with known changes into exactly the expected events', async () => {
    const r = await run(['audit'], root, NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.events.map(line)).toEqual([
      '2026-01-10T09:00:00Z added dev@example.com prod ReadOnly via team pr=1',
      '2026-01-10T09:00:00Z added lead@example.com prod ReadOnly via team pr=1',
      '2026-02-02T11:00:00Z added dev@example.com dev Deploy via team pr=12',
      '2026-02-02T11:00:00Z added lead@example.com dev Deploy via team pr=12',
      '2026-02-02T11:00:00Z added new@example.com dev Deploy via team pr=12',
      '2026-02-02T11:00:00Z added new@example.com prod ReadOnly via team pr=12',
      '2026-02-20T07:30:00Z removed dev@example.com dev Deploy via team pr=- DIRECT',
      '2026-02-20T07:30:00Z removed dev@example.com prod ReadOnly via team pr=- DIRECT',
      '2026-03-16T00:00:00Z removed(expired) new@example.com dev Deploy via platform pr=-',
      '2026-03-16T00:00:00Z removed(expired) new@example.com prod ReadOnly via platform pr=-',
    ]);
    const added = out.events.find((e: Event) => e.user === 'new@example.com' && e.action === 'added');
    expect(added).toMatchObject({ expires: '2026-03-15', author: 'Ada Admin', authorEmail: 'ada@example.com', committer: 'Ada Admin', committerEmail: 'ada@example.com', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(out.events.find((e: Event) => e.reason === 'expired')).toMatchObject({ commit: null, author: null, pr: null, direct: false });
  });

  it('reports the direct push and the commit whose files did not validate', async () => {
    const out = JSON.parse((await run(['audit'], root, NOW)).stdout);
    expect(out.directPushes.map((d: { subject: string; date: string }) => `${d.date} ${d.subject}`)).toEqual(['2026-02-20T07:30:00Z hotfix: remove dev']);
    expect(out.unreadable).toHaveLength(1);
    expect(out.unreadable[0]).toMatchObject({ date: '2026-03-01T12:00:00Z', subject: 'Rename the deploy set (#14)' });
    expect(out.unreadable[0].diagnostics[0]).toMatch(/^access\/groups\/team.yaml:\d+:\d+ ACC040 unknown permission set "Deplyo"/);
    expect(out.commits).toBe(5);
  });

  it('filters by date range in UTC, by user, account and permission set', async () => {
    const dates = async (...args: string[]): Promise<string[]> => JSON.parse((await run(['audit', ...args], root, NOW)).stdout).events.map(line);
    expect(await dates('--since', '2026-02-20', '--until', '2026-02-20')).toEqual([
      '2026-02-20T07:30:00Z removed dev@example.com dev Deploy via team pr=- DIRECT',
      '2026-02-20T07:30:00Z removed dev@example.com prod ReadOnly via team pr=- DIRECT',
    ]);
    expect(await dates('--since', '2026-02-20T08:00:00+01:00', '--until', '2026-02-20T07:29:59Z')).toEqual([]);
    expect(await dates('--user', 'NEW@example.com', '--permission-set', 'Deploy')).toEqual([
      '2026-02-02T11:00:00Z added new@example.com dev Deploy via team pr=12',
      '2026-03-16T00:00:00Z removed(expired) new@example.com dev Deploy via platform pr=-',
    ]);
    expect(await dates('--account', '111111111111', '--until', '2026-01-31')).toHaveLength(2);
  });

  it('does not report lapses that lie after today', async () => {
    const out = JSON.parse((await run(['audit'], root, '2026-03-10T00:00:00Z')).stdout);
    expect(out.events.filter((e: Event) => e.reason === 'expired')).toEqual([]);
  });

  it('writes CSV and markdown that flag direct pushes', async () => {
    const csv = (await run(['audit', '--format', 'csv', '--user', 'dev@example.com'], root, NOW)).stdout.split('\r\n');
    expect(csv[0]).toBe('date,action,reason,user,account,accountId,permissionSet,via,expires,commit,pr,author,committer,directPush,breakGlass');
    expect(csv[4]).toMatch(/^2026-02-20T07:30:00Z,removed,commit,dev@example.com,prod,111111111111,ReadOnly,team,,[0-9a-f]{40},,Ada Admin,Ada Admin,yes,$/);
    const md = (await run(['audit', '--format', 'markdown'], root, NOW)).stdout;
    expect(md).toContain('## :warning: 1 change without a pull request');
    expect(md).toContain('## :warning: 1 commit whose access files did not validate');
  });

  it('writes the report to a file with --out', async () => {
    const r = await run(['audit', '--format', 'html', '--out', 'reports/audit.html'], root, NOW);
    expect(r.stdout).toBe('wrote reports/audit.html: 10 events, 1 without a PR, 1 unreadable commits\n');
    expect(fs.readFileSync(path.join(root, 'reports/audit.html'), 'utf8')).toMatch(/^<!doctype html>/);
    fs.rmSync(path.join(root, 'reports'), { recursive: true });
  });

  it('refuses bad dates and explains a shallow clone', async () => {
    expect((await run(['audit', '--since', '2026-02-30'], root, NOW)).code).toBe(2);
    const shallow = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-shallow-'));
    gitIn(root, ['clone', '-q', '--depth', '1', `file://${root}`, shallow]);
    const r = await run(['audit'], shallow, NOW);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shallow clone.*git fetch --unshallow/);
  });
});

describe('who-can --at and review from history', () => {
  const root = history();

  it('shows access at a past date, with expiry judged on that date', async () => {
    const at = async (when: string): Promise<string> => (await run(['who-can', '--at', when, '--format', 'csv'], root, NOW)).stdout;
    expect(await at('2026-01-31')).toBe('user,account,accountId,permissionSet,via,expires\r\ndev@example.com,prod,111111111111,ReadOnly,team,\r\nlead@example.com,prod,111111111111,ReadOnly,team,\r\n');
    expect((await at('2026-03-10')).split('\r\n').filter((l) => l.startsWith('new@'))).toEqual([
      'new@example.com,dev,022222222222,Deploy,platform,2026-03-15',
      'new@example.com,prod,111111111111,ReadOnly,platform,2026-03-15',
    ]);
    expect((await at('2026-03-20')).split('\r\n').filter((l) => l.startsWith('new@'))).toEqual([]);
  });

  it('shows access at a git ref', async () => {
    const r = await run(['who-can', '--at', 'HEAD~3', '--user', 'dev@example.com', '--format', 'json'], root, NOW);
    expect(JSON.parse(r.stdout).access.map((a: { permissionSet: string; account: string }) => `${a.account} ${a.permissionSet}`)).toEqual(['dev Deploy', 'prod ReadOnly']);
    expect(r.stderr).toMatch(/^access as of HEAD~3 \([0-9a-f]{12}\): commit [0-9a-f]{12}, expiry judged on 2026-02-02T11:00:00Z\n$/);
  });

  it('lists each member since the commit that granted it, for the owners to review', async () => {
    const r = await run(['review', '--format', 'csv'], root, '2026-03-10T00:00:00Z');
    const rows = r.stdout.split('\r\n').filter(Boolean).map((l) => l.split(','));
    expect(rows[0]).toEqual(['group', 'owners', 'member', 'since', 'sinceCommit', 'sincePr', 'lastChange', 'lastChangeCommit', 'lastChangePr', 'expires', 'reason', 'breakGlass', 'expired', 'sensitiveActions', 'decision']);
    expect(rows.slice(1).map((x) => [x[0], x[1], x[2], x[3], x[5], x[6], x[9], x[10]])).toEqual([
      ['platform', 'lead@example.com', 'lead@example.com', '2026-01-10T09:00:00Z', '1', '2026-01-10T09:00:00Z', '', ''],
      ['platform', 'lead@example.com', 'new@example.com', '2026-02-02T11:00:00Z', '12', '2026-02-02T11:00:00Z', '2026-03-15', 'INC-9'],
    ]);
    expect((await run(['review', '--group', 'platfrom'], root, NOW)).stderr).toMatch(/no group "platfrom" at HEAD \(did you mean "platform"\?\)/);
  });
});

describe('who-can --at with a name the files declare now but did not then', () => {
  const root = history();
  // Now (the working tree) there is also an account that no commit declares.
  fs.writeFileSync(path.join(root, 'access/accounts.yaml'), `${fs.readFileSync(path.join(root, 'access/accounts.yaml'), 'utf8')}  - { name: sandbox, id: "333333333333", ou: Workloads/Dev, tags: {} }\n`);

  it('says plainly that it did not exist at that revision, and exits 0 with no rows', async () => {
    const group = await run(['who-can', '--at', '2026-01-31', '--group', 'platform'], root, NOW);
    expect(group.code).toBe(0);
    expect(group.stdout).toBe('no access matches\n');
    expect(group.stderr.split('\n').slice(1)).toEqual(['group "platform" did not exist at 2026-01-31: no access matches it then', '']);
    const account = await run(['who-can', '--at', 'HEAD', '--account', 'sandbox', '--format', 'json'], root, NOW);
    expect(account.code).toBe(0);
    expect(JSON.parse(account.stdout)).toEqual({ access: [] });
    expect(account.stderr.split('\n').slice(1)).toEqual(['account "sandbox" did not exist at HEAD: no access matches it then', '']);
    const user = await run(['who-can', '--at', '2026-01-31', '--user', 'new@example.com'], root, NOW);
    expect(user.code).toBe(0);
    expect(user.stdout).toBe('no access matches\nnew@example.com: no AWS IAM Identity Center user: in no group pushed to AWS, so not in accessctl-aws-users (SCIM deactivates a user who leaves it)\n');
    expect(user.stderr.split('\n').slice(1)).toEqual(['user "new@example.com" was in no access file at 2026-01-31: no access matches them then', '']);
  });

  it('keeps the values that did exist, and still refuses a typo with a suggestion', async () => {
    const both = await run(['who-can', '--at', '2026-01-31', '--group', 'team', '--group', 'platform', '--format', 'csv'], root, NOW);
    expect(both.code).toBe(0);
    expect(both.stdout).toBe('user,account,accountId,permissionSet,via,expires\r\ndev@example.com,prod,111111111111,ReadOnly,team,\r\nlead@example.com,prod,111111111111,ReadOnly,team,\r\n');
    expect(both.stderr.split('\n').slice(1)).toEqual(['group "platform" did not exist at 2026-01-31: no access matches it then', '']);
    const typo = await run(['who-can', '--at', '2026-01-31', '--group', 'platfrom'], root, NOW);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr.split('\n').slice(1)[0]).toBe('accessctl who-can: --group: no group "platfrom" at 2026-01-31 (did you mean "platform"?)');
  });
});

describe('history helpers', () => {
  it.each([
    ['Merge pull request #123 from org/branch', 123],
    ['Add payments admins (#45)', 45],
    ['Add payments admins (#45) ', 45],
    ['Revert "Add x (#45)"', null],
    ['hotfix', null],
  ])('finds the PR number in %j', (subject, n) => {
    expect(prNumber(subject)).toBe(n);
  });

  it('reads dates as UTC days or ISO date-times', () => {
    expect(parseDateArg('2026-03-01')).toEqual({ start: '2026-03-01T00:00:00Z', end: '2026-03-01T23:59:59Z' });
    expect(parseDateArg('2026-03-01T10:00:00+02:00')).toEqual({ start: '2026-03-01T08:00:00Z', end: '2026-03-01T08:00:00Z' });
    expect(parseDateArg('2026-03-01T10:00')).toEqual({ start: '2026-03-01T10:00:00Z', end: '2026-03-01T10:00:00Z' });
    expect(parseDateArg('2026-02-30')).toBeUndefined();
    expect(parseDateArg('March 1')).toBeUndefined();
  });
});

describe('the incremental walk', () => {
  it('ends with exactly the access a from-scratch load computes, over a random history', async () => {
    const { buildRepo } = await import('../../bench/audit-history');
    const { readAccessHistory } = await import('../../src/audit/history-source');
    const { walkHistory } = await import('../../src/audit/walk');
    const { Git } = await import('../../src/git/git');
    const { SchemaValidator } = await import('../../src/schema/validate');
    const { effectiveAccess } = await import('../../src/model/access');
    const { loadAccessModel } = await import('../../src/model/load');
    const repo = buildRepo({ groups: 40, commits: 400, sample: 1 });
    const git = new Git(repo);
    const h = readAccessHistory(git, 'access');
    const today = '2021-06-01';
    const walked = walkHistory(h.commits, h.blobs, { dirLabel: 'access', validator: new SchemaValidator(), today });
    expect(walked.fullLoads).toBeGreaterThan(1);
    expect(walked.fullLoads).toBeLessThan(h.commits.length / 10);
    // Replay the events: what is active at the end.
    const active = new Set<string>();
    for (const e of walked.events) {
      const k = `${e.user.toLowerCase()}|${e.accountId}|${e.permissionSet}`;
      if (e.action === 'added') active.add(k);
      else active.delete(k);
    }
    const scratch = loadAccessModel(git.readDirAt('HEAD', 'access'), { validator: new SchemaValidator() });
    const expected = new Set(effectiveAccess(scratch.model!, today).map((r) => `${r.user.toLowerCase()}|${r.accountId}|${r.permissionSet}`));
    expect(active.size).toBeGreaterThan(100);
    expect([...active].sort()).toEqual([...expected].sort());
    fs.rmSync(repo, { recursive: true, force: true });
  }, 60_000);
});
