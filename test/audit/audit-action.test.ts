import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { run, tempRepo } from '../support/helpers';
import { chromiumBinary, CHROMIUM, itNeeding } from '../support/required';
import { git as gitIn } from '../support/git';

const NOW = '2026-04-01T00:00:00Z';

/** Commits everything in `root` at `date` as Ada; returns the commit. */
function commit(root: string, date: string, message: string): string {
  const opts = { author: 'Ada Admin', email: 'ada@example.com', date };
  if (!fs.existsSync(path.join(root, '.git'))) gitIn(root, ['init', '-q'], opts);
  gitIn(root, ['add', '-A'], opts);
  gitIn(root, ['commit', '-qm', message], opts);
  return gitIn(root, ['rev-parse', 'HEAD'], opts).trim();
}

function write(root: string, rel: string, text: string): void {
  fs.writeFileSync(path.join(root, 'access', rel), text);
}

const readers = (members: string): string =>
  `name: readers\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n${members}apps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n`;
const READ_ONLY = 'name: ReadOnly\nmanagedPolicies: [ViewOnlyAccess]\n';
const CREATE_USER = `${READ_ONLY}inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - { Sid: MakeUsers, Effect: Allow, Action: iam:CreateUser, Resource: "*" }
`;

/**
 *   #1 2026-01-10  alice in readers (ReadOnly: ViewOnlyAccess) on prod
 *   #2 2026-01-20  ReadOnly's inline policy allows iam:CreateUser
 *   #3 2026-02-01  bob joins
 *   #4 2026-02-10  the inline policy is gone again
 */
function createUserHistory(): { root: string; c: string[] } {
  const root = tempRepo({ 'groups/readers.yaml': readers('  - alice@example.com\n') });
  const c = [commit(root, '2026-01-10T09:00:00Z', 'alice reads (#1)')];
  write(root, 'permission-sets/ReadOnly.yaml', CREATE_USER);
  c.push(commit(root, '2026-01-20T09:00:00Z', 'ReadOnly makes users (#2)'));
  write(root, 'groups/readers.yaml', readers('  - alice@example.com\n  - bob@example.com\n'));
  c.push(commit(root, '2026-02-01T09:00:00Z', 'bob reads (#3)'));
  write(root, 'permission-sets/ReadOnly.yaml', READ_ONLY);
  c.push(commit(root, '2026-02-10T09:00:00Z', 'ReadOnly makes no users (#4)'));
  return { root, c };
}

/** The fields every event of the fixture shares: Ada commits everything, through a PR. */
const byAda = { author: 'Ada Admin', authorEmail: 'ada@example.com', committer: 'Ada Admin', committerEmail: 'ada@example.com', direct: false };
const prodReadOnly = { account: 'prod', accountId: '111111111111', permissionSet: 'ReadOnly', via: ['readers'] };
const MAKE_USERS = { decision: 'allowed', by: { policy: 'inline', statement: 0, sid: 'MakeUsers' }, conditions: [], unknownPolicies: [] };

describe('audit --action iam:CreateUser', () => {
  const { root, c } = createUserHistory();

  it('reports who became able when, through a policy change or a membership, and who stopped being able', async () => {
    const r = await run(['audit', '--action', 'iam:CreateUser', '--format', 'json'], root, NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.question).toEqual({ action: 'iam:CreateUser', resource: '*' });
    expect(out.events).toEqual([
      { commit: c[1], date: '2026-01-20T09:00:00Z', ...byAda, pr: 2, action: 'added', reason: 'commit', user: 'alice@example.com', ...prodReadOnly, ...MAKE_USERS, cause: 'policy' },
      { commit: c[2], date: '2026-02-01T09:00:00Z', ...byAda, pr: 3, action: 'added', reason: 'commit', user: 'bob@example.com', ...prodReadOnly, ...MAKE_USERS, cause: 'access' },
      { commit: c[3], date: '2026-02-10T09:00:00Z', ...byAda, pr: 4, action: 'removed', reason: 'commit', user: 'alice@example.com', ...prodReadOnly, ...MAKE_USERS, cause: 'policy' },
      { commit: c[3], date: '2026-02-10T09:00:00Z', ...byAda, pr: 4, action: 'removed', reason: 'commit', user: 'bob@example.com', ...prodReadOnly, ...MAKE_USERS, cause: 'policy' },
    ]);
  });

  it('answers "when did alice first become able" with --first', async () => {
    const out = JSON.parse((await run(['audit', '--action', 'iam:CreateUser', '--user', 'alice@example.com', '--first'], root, NOW)).stdout);
    expect(out.events.map((e: { date: string; action: string; cause: string }) => `${e.date} ${e.action} ${e.cause}`)).toEqual(['2026-01-20T09:00:00Z added policy']);
  });

  it('keeps plain audit as it was: membership events only, no decision fields', async () => {
    const out = JSON.parse((await run(['audit'], root, NOW)).stdout);
    expect(out.question).toBeUndefined();
    expect(out.events).toEqual([
      { commit: c[0], date: '2026-01-10T09:00:00Z', ...byAda, pr: 1, action: 'added', reason: 'commit', user: 'alice@example.com', ...prodReadOnly },
      { commit: c[2], date: '2026-02-01T09:00:00Z', ...byAda, pr: 3, action: 'added', reason: 'commit', user: 'bob@example.com', ...prodReadOnly },
    ]);
    const csv = (await run(['audit', '--format', 'csv'], root, NOW)).stdout.split('\r\n');
    expect(csv[0]).toBe('date,action,reason,user,account,accountId,permissionSet,via,expires,commit,pr,author,committer,directPush,breakGlass');
  });

  it('adds the decision columns to csv and markdown with --action', async () => {
    const csv = (await run(['audit', '--action', 'iam:CreateUser', '--format', 'csv', '--user', 'bob@example.com'], root, NOW)).stdout;
    expect(csv).toBe([
      'date,action,reason,user,account,accountId,permissionSet,via,expires,commit,pr,author,committer,directPush,breakGlass,decision,by,conditions,unknownPolicies,cause',
      `2026-02-01T09:00:00Z,added,commit,bob@example.com,prod,111111111111,ReadOnly,readers,,${c[2]},3,Ada Admin,Ada Admin,,,allowed,inline statement 0 (MakeUsers),,,access`,
      `2026-02-10T09:00:00Z,removed,commit,bob@example.com,prod,111111111111,ReadOnly,readers,,${c[3]},4,Ada Admin,Ada Admin,,,allowed,inline statement 0 (MakeUsers),,,policy`,
      '',
    ].join('\r\n'));
    const md = (await run(['audit', '--action', 'iam:CreateUser', '--format', 'markdown', '--user', 'alice@example.com'], root, NOW)).stdout;
    expect(md.split('\n').slice(2, 3)).toEqual([
      '2 events in which someone became able, or stopped being able, to perform `iam:CreateUser` on `*` over the whole history, from 4 commits ' +
        `that changed the access files. Generated ${NOW}.`,
    ]);
    expect(md.split('\n').slice(-5)).toEqual([
      '| Date | Action | User | Account | Permission set | Via | Decision | Commit | PR | Author |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| 2026-01-20T09:00:00Z | added (policy change) | alice@example.com | prod \`111111111111\` | ReadOnly | readers | allowed by inline statement 0 (MakeUsers) | \`${c[1].slice(0, 12)}\` | #2 | Ada Admin |`,
      `| 2026-02-10T09:00:00Z | removed (policy change) | alice@example.com | prod \`111111111111\` | ReadOnly | readers | allowed by inline statement 0 (MakeUsers) | \`${c[3].slice(0, 12)}\` | #4 | Ada Admin |`,
      '',
    ]);
  });

  it('refuses a malformed action or a resource without an action (exit 2)', async () => {
    const bad = await run(['audit', '--action', 'iam:Create*'], root, NOW);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([2, '', expect.stringContaining('--action iam:Create*: not an IAM action; give one as service:Name')]);
    const lone = await run(['audit', '--resource', 'arn:aws:s3:::b'], root, NOW);
    expect([lone.code, lone.stdout, lone.stderr]).toEqual([2, '', expect.stringContaining('--resource needs --action')]);
  });
});

const reader = (managed: string, inline = ''): string => `name: Reader\nmanagedPolicies: [${managed}]\n${inline}`;
const DENY_SECRETS = `inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - { Effect: Deny, Action: "s3:*", Resource: "arn:aws:s3:::secrets/*" }
`;
const team = (members: string): string =>
  `name: analysts\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n${members}apps: [aws]\naws:\n  - { permissionSet: Reader, accounts: [dev] }\n`;

/**
 *   #1 2026-01-10  carol in analysts, Reader is ViewOnlyAccess on dev
 *   #2 2026-01-15  Reader becomes ReadOnlyAccess
 *   #3 2026-01-20  dave joins until 2026-02-28
 *   #4 2026-02-01  Reader denies s3:* on the secrets bucket
 * and dave's access lapses on 2026-03-01.
 */
function getObjectHistory(): { root: string; c: string[] } {
  const root = tempRepo({ 'permission-sets/Reader.yaml': reader('ViewOnlyAccess'), 'groups/analysts.yaml': team('  - carol@example.com\n') });
  const c = [commit(root, '2026-01-10T09:00:00Z', 'carol (#1)')];
  write(root, 'permission-sets/Reader.yaml', reader('ReadOnlyAccess'));
  c.push(commit(root, '2026-01-15T09:00:00Z', 'Reader reads data (#2)'));
  write(root, 'groups/analysts.yaml', team('  - carol@example.com\n  - { user: dave@example.com, expires: 2026-02-28, reason: INC-1 }\n'));
  c.push(commit(root, '2026-01-20T09:00:00Z', 'dave for a month (#3)'));
  write(root, 'permission-sets/Reader.yaml', reader('ReadOnlyAccess', DENY_SECRETS));
  c.push(commit(root, '2026-02-01T09:00:00Z', 'Reader keeps out of secrets (#4)'));
  return { root, c };
}

type Ev = { date: string; action: string; reason: string; user: string; cause: string; decision: string; by: { policy: string; statement: number } | null; pr: number | null; expires?: string };
const brief = (e: Ev): string =>
  `${e.date} ${e.action}${e.reason === 'expired' ? '(expired)' : ''} ${e.user} ${e.cause} ${e.decision} ${e.by ? `${e.by.policy}#${e.by.statement}` : '-'} pr=${e.pr ?? '-'}${e.expires ? ` until ${e.expires}` : ''}`;

describe('audit --action s3:GetObject over a ReadOnlyAccess history', () => {
  const { root } = getObjectHistory();

  it('on every resource: carol from the switch to ReadOnlyAccess, dave from joining until his access lapsed', async () => {
    const out = JSON.parse((await run(['audit', '--action', 's3:GetObject'], root, NOW)).stdout);
    expect(out.events.map(brief)).toEqual([
      '2026-01-15T09:00:00Z added carol@example.com policy allowed ReadOnlyAccess#1 pr=2',
      '2026-01-20T09:00:00Z added dave@example.com access allowed ReadOnlyAccess#1 pr=3 until 2026-02-28',
      '2026-03-01T00:00:00Z removed(expired) dave@example.com access allowed ReadOnlyAccess#1 pr=-',
    ]);
  });

  it('on the secrets bucket: both stop being able when the Deny arrives', async () => {
    const out = JSON.parse((await run(['audit', '--action', 's3:GetObject', '--resource', 'arn:aws:s3:::secrets/key'], root, NOW)).stdout);
    expect(out.question).toEqual({ action: 's3:GetObject', resource: 'arn:aws:s3:::secrets/key' });
    expect(out.events.map(brief)).toEqual([
      '2026-01-15T09:00:00Z added carol@example.com policy allowed ReadOnlyAccess#1 pr=2',
      '2026-01-20T09:00:00Z added dave@example.com access allowed ReadOnlyAccess#1 pr=3 until 2026-02-28',
      '2026-02-01T09:00:00Z removed carol@example.com policy allowed ReadOnlyAccess#1 pr=4',
      '2026-02-01T09:00:00Z removed dave@example.com policy allowed ReadOnlyAccess#1 pr=4',
    ]);
  });

  it('s3:PutObject: ReadOnlyAccess never allowed it, so no event at all', async () => {
    const out = JSON.parse((await run(['audit', '--action', 's3:PutObject'], root, NOW)).stdout);
    expect(out.events).toEqual([]);
  });
});

describe('audit --action across an unreadable commit', () => {
  /**
   *   #1 2026-01-10  alice in readers
   *   #2 2026-01-20  ReadOnly allows iam:CreateUser, but the group file breaks (unknown permission set): unreadable
   *   #3 2026-01-25  the group file is fixed, and bob joins in the same commit
   */
  function history(): { root: string; c: string[] } {
    const root = tempRepo({ 'groups/readers.yaml': readers('  - alice@example.com\n') });
    const c = [commit(root, '2026-01-10T09:00:00Z', 'alice reads (#1)')];
    write(root, 'permission-sets/ReadOnly.yaml', CREATE_USER);
    write(root, 'groups/readers.yaml', readers('  - alice@example.com\n').replace('permissionSet: ReadOnly', 'permissionSet: ReadOnyl'));
    c.push(commit(root, '2026-01-20T09:00:00Z', 'ReadOnly makes users, typo (#2)'));
    write(root, 'groups/readers.yaml', readers('  - alice@example.com\n  - bob@example.com\n'));
    c.push(commit(root, '2026-01-25T09:00:00Z', 'fix, and bob (#3)'));
    return { root, c };
  }
  const { root } = history();

  it('sees the policy change at the next readable commit, and gives a holder who arrives with it one event', async () => {
    const out = JSON.parse((await run(['audit', '--action', 'iam:CreateUser'], root, NOW)).stdout);
    expect(out.unreadable.map((u: { date: string }) => u.date)).toEqual(['2026-01-20T09:00:00Z']);
    expect(out.events.map(brief)).toEqual([
      '2026-01-25T09:00:00Z added alice@example.com policy allowed inline#0 pr=3',
      '2026-01-25T09:00:00Z added bob@example.com access allowed inline#0 pr=3',
    ]);
  });
});

describe('audit --action --format html', () => {
  const { root, c } = createUserHistory();

  itNeeding(chromiumBinary(), 'shows the question, a Decision column and the policy changes', async () => {
    const file = path.join(root, 'audit.html');
    const r = await run(['audit', '--action', 'iam:CreateUser', '--format', 'html', '--out', 'audit.html'], root, NOW);
    expect(r.stdout).toBe('wrote audit.html: 4 events, 0 without a PR, 0 unreadable commits\n');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${file}`);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.textContent('#summary')).toBe(
        'Who became able, or stopped being able, to perform iam:CreateUser on *: 4 access events from 4 commits that changed the access files. Generated 2026-04-01T00:00:00Z.',
      );
      expect(await page.$$eval('#events thead th', (th) => th.map((x) => x.textContent))).toEqual(['Date (UTC)', 'Action', 'User', 'Account', 'Permission set', 'Via', 'Decision', 'Commit', 'PR', 'Author']);
      expect(await page.$$eval('#events tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)))).toEqual([
        ['2026-01-20 09:00:00', 'added (policy change)', 'alice@example.com', 'prod (111111111111)', 'ReadOnly', 'readers', 'allowed by inline statement 0 (MakeUsers)', c[1].slice(0, 12), '#2', 'Ada Admin'],
        ['2026-02-01 09:00:00', 'added', 'bob@example.com', 'prod (111111111111)', 'ReadOnly', 'readers', 'allowed by inline statement 0 (MakeUsers)', c[2].slice(0, 12), '#3', 'Ada Admin'],
        ['2026-02-10 09:00:00', 'removed (policy change)', 'alice@example.com', 'prod (111111111111)', 'ReadOnly', 'readers', 'allowed by inline statement 0 (MakeUsers)', c[3].slice(0, 12), '#4', 'Ada Admin'],
        ['2026-02-10 09:00:00', 'removed (policy change)', 'bob@example.com', 'prod (111111111111)', 'ReadOnly', 'readers', 'allowed by inline statement 0 (MakeUsers)', c[3].slice(0, 12), '#4', 'Ada Admin'],
      ]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
