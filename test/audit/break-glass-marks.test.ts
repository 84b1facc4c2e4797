// Break-glass grants as `audit` and `review` mark them: the added event and the
// lapse at the exact end time carry breakGlass, in every format; the review
// sheet marks the member; a normal member has no mark; and a member whose
// expiry has passed but whose entry is still in the file is "expired, to remove".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { run, tempRepo } from '../support/helpers';
import { git as gitIn } from '../support/git';
import { chromiumBinary, CHROMIUM, itNeeding } from '../support/required';

function git(cwd: string, date: string, ...args: string[]): string {
  return gitIn(cwd, args, { author: 'Ada Admin', email: 'ada@example.com', date });
}

const PEOPLE = `people:
  - { login: lead@example.com, github: lead }
  - { login: erin@example.com, github: erin }
  - { login: dave@example.com, github: dave }
  - { login: ops@example.com, github: ops }
  - { login: tmp@example.com, github: tmp }
`;
const POLICY = 'breakGlass: { groups: [oncall], users: [erin@example.com, dave@example.com], maxHours: 4, approvers: [lead@example.com] }\n';
const ERIN = '  - { user: erin@example.com, expires: 2026-11-23T15:00Z, reason: INC-42, breakGlass: true }\n';
const oncall = (members: string): string =>
  `name: oncall\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n${members}apps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n`;

/** Commits `members` of the oncall group one after another, at the given dates, as PRs #1, #2, …; returns the root and the commit ids. */
function history(steps: ReadonlyArray<readonly [date: string, members: string]>): { root: string; commits: string[] } {
  const root = tempRepo({ 'people.yaml': PEOPLE, 'policy.yaml': POLICY, 'groups/oncall.yaml': oncall(steps[0][1]) });
  git(root, steps[0][0], 'init', '-q');
  const commits = steps.map(([date, members], i) => {
    fs.writeFileSync(path.join(root, 'access/groups/oncall.yaml'), oncall(members));
    git(root, date, 'add', '-A');
    git(root, date, 'commit', '-qm', `Step ${i + 1} (#${i + 1})`);
    return git(root, date, 'rev-parse', 'HEAD').trim();
  });
  return { root, commits };
}

const NORMAL = '  - ops@example.com\n  - { user: tmp@example.com, expires: 2026-11-20, reason: INC-7 }\n';
const NOW = '2026-11-24T00:00:00Z';
const common = { author: 'Ada Admin', authorEmail: 'ada@example.com', committer: 'Ada Admin', committerEmail: 'ada@example.com', direct: false, user: 'erin@example.com', account: 'prod', accountId: '111111111111', permissionSet: 'ReadOnly', via: ['oncall'] };
const lapse = { commit: null, author: null, authorEmail: null, committer: null, committerEmail: null, pr: null, direct: false, action: 'removed', reason: 'expired' };

describe('break-glass marks', () => {
  // #1 2026-11-01: ops@ (standing) and tmp@ (until 2026-11-20) join oncall.
  // #2 2026-11-23 11:00: erin@ joins as break-glass until 15:00 UTC.
  const { root, commits: [c1, c2] } = history([
    ['2026-11-01T09:00:00Z', NORMAL],
    ['2026-11-23T11:00:00Z', `${NORMAL}${ERIN}`],
  ]);

  it('marks the break-glass grant and its lapse at the exact end time in the JSON events, and nothing else', async () => {
    const r = await run(['audit'], root, NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { events } = JSON.parse(r.stdout);
    expect(events).toEqual([
      { commit: c1, date: '2026-11-01T09:00:00Z', pr: 1, action: 'added', reason: 'commit', ...common, user: 'ops@example.com' },
      { commit: c1, date: '2026-11-01T09:00:00Z', pr: 1, action: 'added', reason: 'commit', ...common, user: 'tmp@example.com', expires: '2026-11-20' },
      { date: '2026-11-21T00:00:00Z', ...common, ...lapse, user: 'tmp@example.com' },
      { commit: c2, date: '2026-11-23T11:00:00Z', pr: 2, action: 'added', reason: 'commit', ...common, expires: '2026-11-23T15:00Z', breakGlass: true },
      { date: '2026-11-23T15:00:00Z', ...common, ...lapse, breakGlass: true },
    ]);
    // Only present when true.
    expect(events.filter((e: object) => 'breakGlass' in e)).toHaveLength(2);
  });

  it('reports the lapse from its instant on, not earlier that day', async () => {
    const at = async (now: string): Promise<string[]> => JSON.parse((await run(['audit', '--user', 'erin@example.com'], root, now)).stdout).events.map((e: { date: string; action: string }) => `${e.date} ${e.action}`);
    expect(await at('2026-11-23T14:59:59Z')).toEqual(['2026-11-23T11:00:00Z added']);
    expect(await at('2026-11-23T15:00:00Z')).toEqual(['2026-11-23T11:00:00Z added', '2026-11-23T15:00:00Z removed']);
  });

  it('writes a breakGlass column in CSV', async () => {
    const csv = (await run(['audit', '--format', 'csv'], root, NOW)).stdout;
    expect(csv).toBe(
      [
        'date,action,reason,user,account,accountId,permissionSet,via,expires,commit,pr,author,committer,directPush,breakGlass',
        `2026-11-01T09:00:00Z,added,commit,ops@example.com,prod,111111111111,ReadOnly,oncall,,${c1},1,Ada Admin,Ada Admin,,`,
        `2026-11-01T09:00:00Z,added,commit,tmp@example.com,prod,111111111111,ReadOnly,oncall,2026-11-20,${c1},1,Ada Admin,Ada Admin,,`,
        '2026-11-21T00:00:00Z,removed,expired,tmp@example.com,prod,111111111111,ReadOnly,oncall,,,,,,,',
        `2026-11-23T11:00:00Z,added,commit,erin@example.com,prod,111111111111,ReadOnly,oncall,2026-11-23T15:00Z,${c2},2,Ada Admin,Ada Admin,,yes`,
        '2026-11-23T15:00:00Z,removed,expired,erin@example.com,prod,111111111111,ReadOnly,oncall,,,,,,,yes',
        '',
      ].join('\r\n'),
    );
  });

  it('marks the action in markdown and counts the grants in the summary', async () => {
    const md = (await run(['audit', '--format', 'markdown'], root, NOW)).stdout;
    expect(md).toContain('\n5 access events over the whole history, from 2 commits that changed the access files. 1 break-glass grant. Generated 2026-11-24T00:00:00Z.\n');
    const rows = md.split('\n').filter((l) => l.startsWith('| 2026-'));
    expect(rows).toEqual([
      `| 2026-11-01T09:00:00Z | added | ops@example.com | prod \`111111111111\` | ReadOnly | oncall | \`${c1.slice(0, 12)}\` | #1 | Ada Admin |`,
      `| 2026-11-01T09:00:00Z | added | tmp@example.com | prod \`111111111111\` | ReadOnly | oncall | \`${c1.slice(0, 12)}\` | #1 | Ada Admin |`,
      '| 2026-11-21T00:00:00Z | removed (expired) | tmp@example.com | prod `111111111111` | ReadOnly | oncall |  |  |  |',
      `| 2026-11-23T11:00:00Z | added (break-glass) | erin@example.com | prod \`111111111111\` | ReadOnly | oncall | \`${c2.slice(0, 12)}\` | #2 | Ada Admin |`,
      '| 2026-11-23T15:00:00Z | removed (expired, break-glass) | erin@example.com | prod `111111111111` | ReadOnly | oncall |  |  |  |',
    ]);
    const none = (await run(['audit', '--format', 'markdown', '--user', 'ops@example.com'], root, NOW)).stdout;
    expect(none).toContain('\n1 access event over the whole history, from 2 commits that changed the access files. Generated 2026-11-24T00:00:00Z.\n');
  });

  it('puts the break-glass filter, badge and count on the HTML page', async () => {
    const html = (await run(['audit', '--format', 'html'], root, NOW)).stdout;
    expect(html).toContain('<label><input id="filter-break-glass" type="checkbox"> only break-glass access</label>');
    expect(html).toContain('"breakGlassSummary":"1 break-glass grant. "');
    expect(html).not.toMatch(/<(link|img|iframe)\b|src="http/);
  });

  const review = async (format: string, now: string): Promise<string[]> => (await run(['review', '--format', format], root, now)).stdout.split(format === 'csv' ? '\r\n' : '\n');

  it('marks the break-glass member on the review sheet, and shows expired entries as to remove', async () => {
    const member = (md: string[]): string[] => md.filter((l) => /^\| [a-z]+@example\.com \|/.test(l));
    const erin = `| erin@example.com | 2026-11-23 \`${c2.slice(0, 8)}\` #2 | 2026-11-23 \`${c2.slice(0, 8)}\` #2 |`;
    const ops = `| ops@example.com | 2026-11-01 \`${c1.slice(0, 8)}\` #1 | 2026-11-01 \`${c1.slice(0, 8)}\` #1 | standing |  | [ ] | [ ] |`;
    const tmp = `| tmp@example.com | 2026-11-01 \`${c1.slice(0, 8)}\` #1 | 2026-11-01 \`${c1.slice(0, 8)}\` #1 | 2026-11-20 (expired, to remove) | INC-7 | [ ] | [ ] |`;
    expect(member(await review('markdown', '2026-11-23T12:00:00Z'))).toEqual([`${erin} break-glass until 2026-11-23T15:00Z | INC-42 | [ ] | [ ] |`, ops, tmp]);
    expect(member(await review('markdown', NOW))).toEqual([`${erin} break-glass until 2026-11-23T15:00Z (expired, to remove) | INC-42 | [ ] | [ ] |`, ops, tmp]);
  });

  it('writes breakGlass and expired columns in the review CSV and marks the HTML cell', async () => {
    expect(await review('csv', '2026-11-23T12:00:00Z')).toEqual([
      'group,owners,member,since,sinceCommit,sincePr,lastChange,lastChangeCommit,lastChangePr,expires,reason,breakGlass,expired,sensitiveActions,decision',
      `oncall,lead@example.com,erin@example.com,2026-11-23T11:00:00Z,${c2},2,2026-11-23T11:00:00Z,${c2},2,2026-11-23T15:00Z,INC-42,yes,,ReadOnly: organizations:* (20 of 63),`,
      `oncall,lead@example.com,ops@example.com,2026-11-01T09:00:00Z,${c1},1,2026-11-01T09:00:00Z,${c1},1,,,,,ReadOnly: organizations:* (20 of 63),`,
      `oncall,lead@example.com,tmp@example.com,2026-11-01T09:00:00Z,${c1},1,2026-11-01T09:00:00Z,${c1},1,2026-11-20,INC-7,,yes,,`,
      '',
    ]);
    const html = (await review('html', NOW)).join('\n');
    expect(html).toContain('<td class="mark">break-glass until 2026-11-23T15:00Z (expired, to remove)</td><td>INC-42</td>');
    expect(html).toContain('<td class="mark">2026-11-20 (expired, to remove)</td><td>INC-7</td>');
    expect(html).toContain(`<td>2026-11-01 <code>${c1.slice(0, 8)}</code></td><td>standing</td><td></td>`);
  });

  itNeeding(chromiumBinary(), 'filters the HTML page to break-glass events and shows their badge', async () => {
    const file = path.join(root, 'audit.html');
    fs.writeFileSync(file, (await run(['audit', '--format', 'html'], root, NOW)).stdout);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${file}`);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.textContent('#summary')).toBe('5 access events from 2 commits that changed the access files. 1 break-glass grant. Generated 2026-11-24T00:00:00Z.');
      await page.check('#filter-break-glass');
      expect(await page.textContent('#count')).toBe('2 of 5 events');
      expect(await page.$$eval('#events tbody tr', (trs) => trs.map((tr) => `${tr.className}: ${tr.children[1].textContent}`))).toEqual(['added break-glass: added break-glass', 'removed break-glass: removed (expired) break-glass']);
      expect(await page.$$eval('#events tbody .badge', (b) => b.map((x) => x.textContent))).toEqual(['break-glass', 'break-glass']);
      await page.uncheck('#filter-break-glass');
      expect(await page.textContent('#count')).toBe('5 of 5 events');
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('a break-glass membership that changes', () => {
  // #1 11:00: erin@ and dave@ join as break-glass until 15:00.
  // #2 12:00: erin@'s entry stays but is no longer break-glass; dave@ is removed early.
  const DAVE = '  - { user: dave@example.com, expires: 2026-11-23T15:00Z, reason: INC-42, breakGlass: true }\n';
  const { root, commits: [c1, c2] } = history([
    ['2026-11-23T11:00:00Z', `${DAVE}${ERIN}`],
    ['2026-11-23T12:00:00Z', ERIN.replace(', breakGlass: true', '')],
  ]);

  it('marks the early removal, and not a lapse that no break-glass membership gives any more', async () => {
    const { events } = JSON.parse((await run(['audit'], root, NOW)).stdout);
    expect(events).toEqual([
      { commit: c1, date: '2026-11-23T11:00:00Z', pr: 1, action: 'added', reason: 'commit', ...common, user: 'dave@example.com', expires: '2026-11-23T15:00Z', breakGlass: true },
      { commit: c1, date: '2026-11-23T11:00:00Z', pr: 1, action: 'added', reason: 'commit', ...common, expires: '2026-11-23T15:00Z', breakGlass: true },
      { commit: c2, date: '2026-11-23T12:00:00Z', pr: 2, action: 'removed', reason: 'commit', ...common, user: 'dave@example.com', breakGlass: true },
      { date: '2026-11-23T15:00:00Z', ...common, ...lapse },
    ]);
  });

  it('counts the flag change as the last change of the membership', async () => {
    const md = (await run(['review'], root, '2026-11-23T13:00:00Z')).stdout;
    expect(md.split('\n').filter((l) => l.startsWith('| erin@'))).toEqual([`| erin@example.com | 2026-11-23 \`${c1.slice(0, 8)}\` #1 | 2026-11-23 \`${c2.slice(0, 8)}\` #2 | 2026-11-23T15:00Z | INC-42 | [ ] | [ ] |`]);
  });
});
