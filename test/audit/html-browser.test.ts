import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { AuditEvent } from '../../src/audit/walk';
import { formatAuditHtml } from '../../src/reporters/audit/html';
import { chromiumBinary, CHROMIUM, describeNeeding } from '../support/required';

/** Where the screenshot goes: CI keeps this directory as an artifact. */
const ARTIFACTS = process.env.ACCESSCTL_ARTIFACTS ?? path.join(os.tmpdir(), 'accessctl-artifacts');

const ev = (date: string, action: 'added' | 'removed', user: string, account: string, accountId: string, permissionSet: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  commit: 'c'.repeat(40), date, author: 'Ada Admin', authorEmail: 'ada@example.com', committer: 'Ada Admin', committerEmail: 'ada@example.com', pr: 12, direct: false, action, reason: 'commit', user, account, accountId, permissionSet, via: ['team'], ...extra,
});

const EVENTS: AuditEvent[] = [
  ev('2026-01-10T09:00:00Z', 'added', 'alice@example.com', 'prod', '111111111111', 'AdministratorAccess'),
  ev('2026-01-10T09:00:00Z', 'added', 'bob@example.com', 'prod', '111111111111', 'ReadOnly'),
  ev('2026-02-01T09:00:00Z', 'added', 'bob@example.com', 'dev', '022222222222', 'PowerUser', { pr: null, direct: true }),
  ev('2026-03-01T09:00:00Z', 'removed', 'alice@example.com', 'prod', '111111111111', 'AdministratorAccess'),
  ev('2026-03-16T00:00:00Z', 'removed', 'bob@example.com', 'dev', '022222222222', 'PowerUser', { commit: null, author: null, authorEmail: null, committer: null, committerEmail: null, pr: null, reason: 'expired' }),
  ev('2026-03-20T09:00:00Z', 'added', '<img src=x onerror=alert(1)>@example.com', 'prod', '111111111111', 'ReadOnly'),
];

describeNeeding(chromiumBinary(), 'the HTML audit report in a real browser', () => {
  let browser: Browser;
  let file: string;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-html-'));
    file = path.join(dir, 'audit.html');
    fs.writeFileSync(
      file,
      formatAuditHtml({
        events: EVENTS,
        unreadable: [],
        directPushes: [{ commit: 'd'.repeat(40), date: '2026-02-01T09:00:00Z', author: 'Bob', subject: 'hotfix', pr: null }],
        commits: 4,
        range: {},
        repoUrl: 'https://github.com/example/access',
        generated: '2026-04-01T00:00:00Z',
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads offline, filters events, draws timelines, and never runs markup from the data', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#count')).toBe('6 of 6 events');
    expect(await page.textContent('#direct-pushes')).toContain('1 change(s) without a pull request');

    await page.fill('#filter-user', 'bob');
    expect(await page.textContent('#count')).toBe('3 of 6 events');
    await page.selectOption('#filter-action', 'removed');
    expect(await page.textContent('#count')).toBe('1 of 6 events');
    expect(await page.textContent('#events tbody tr td.action')).toBe('removed (expired)');
    await page.fill('#filter-user', '');
    await page.selectOption('#filter-action', '');
    await page.fill('#filter-since', '2026-03-01');
    expect(await page.textContent('#count')).toBe('3 of 6 events');
    await page.fill('#filter-since', '');
    await page.check('#filter-direct');
    expect(await page.textContent('#count')).toBe('1 of 6 events');
    await page.uncheck('#filter-direct');

    const link = page.locator('#events tbody tr').first().locator('a').first();
    expect(await link.getAttribute('href')).toBe(`https://github.com/example/access/commit/${'c'.repeat(40)}`);

    await page.selectOption('#timeline-kind', 'user');
    await page.selectOption('#timeline-subject', 'bob@example.com');
    expect(await page.locator('#timeline .lane').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-lane')))).toEqual(['dev (022222222222) PowerUser', 'prod (111111111111) ReadOnly']);
    expect(await page.locator('#timeline .lane[data-lane="dev (022222222222) PowerUser"] .bar').getAttribute('title')).toBe('2026-02-01 to 2026-03-16');
    await page.selectOption('#timeline-kind', 'account');
    await page.selectOption('#timeline-subject', 'prod (111111111111)');
    expect(await page.locator('#timeline .lane').count()).toBe(3);

    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'audit-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  }, 60_000);

  it('draws the timeline with every filter the page and the report apply', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]');
    const subjects = (): Promise<string[]> => page.locator('#timeline-subject option').evaluateAll((os) => os.map((o) => o.textContent ?? ''));
    const lanes = (): Promise<Array<string | null>> => page.locator('#timeline .lane').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-lane')));
    const bars = (): Promise<Array<string | null>> => page.locator('#timeline .bar').evaluateAll((bs) => bs.map((b) => b.getAttribute('title')));
    const axis = (): Promise<string[]> => page.locator('#timeline .axis span').evaluateAll((ss) => ss.map((x) => x.textContent ?? ''));

    // The user filter: only the people it matches, and in an account's timeline only their lanes.
    await page.fill('#filter-user', 'alice');
    expect(await subjects()).toEqual(['alice@example.com']);
    expect(await lanes()).toEqual(['prod (111111111111) AdministratorAccess']);
    await page.selectOption('#timeline-kind', 'account');
    expect(await subjects()).toEqual(['prod (111111111111)']);
    expect(await lanes()).toEqual(['alice@example.com AdministratorAccess']);
    await page.fill('#filter-user', '');
    expect(await lanes()).toHaveLength(3);

    // Permission set, and the account filter in a person's timeline.
    await page.fill('#filter-ps', 'readonly');
    expect(await lanes()).toEqual(['<img src=x onerror=alert(1)>@example.com ReadOnly', 'bob@example.com ReadOnly']);
    await page.fill('#filter-ps', '');
    await page.selectOption('#timeline-kind', 'user');
    await page.selectOption('#timeline-subject', 'bob@example.com');
    await page.fill('#filter-account', 'dev');
    expect(await subjects()).toEqual(['bob@example.com']);
    expect(await lanes()).toEqual(['dev (022222222222) PowerUser']);
    await page.fill('#filter-account', '');

    // Dates: access that overlaps them, cut to them.
    await page.fill('#filter-since', '2026-03-02');
    expect(await subjects()).toEqual(['<img src=x onerror=alert(1)>@example.com', 'bob@example.com']);
    expect(await page.inputValue('#timeline-subject')).toBe('bob@example.com');
    expect(await lanes()).toEqual(['dev (022222222222) PowerUser', 'prod (111111111111) ReadOnly']);
    expect(await axis()).toEqual(['2026-03-02', '2026-04-01']);
    await page.fill('#filter-since', '');

    // Action, direct pushes and break-glass: the access an event that passes them opens or ends.
    await page.check('#filter-direct');
    expect(await subjects()).toEqual(['bob@example.com']);
    expect(await lanes()).toEqual(['dev (022222222222) PowerUser']);
    await page.uncheck('#filter-direct');
    await page.selectOption('#filter-action', 'removed');
    expect(await subjects()).toEqual(['alice@example.com', 'bob@example.com']);
    expect(await lanes()).toEqual(['dev (022222222222) PowerUser']);
    expect(await bars()).toEqual(['2026-02-01 to 2026-03-16']);
    await page.close();

    // The report's own range (audit --since): access it starts in is drawn from its first day.
    const ranged = path.join(path.dirname(file), 'ranged.html');
    fs.writeFileSync(ranged, formatAuditHtml({ events: EVENTS.filter((e) => e.date >= '2026-02-15'), unreadable: [], directPushes: [], commits: 4, range: { since: '2026-02-15T00:00:00Z', until: '2026-03-31T23:59:59Z' }, generated: '2026-04-01T00:00:00Z' }));
    const page2 = await browser.newPage();
    await page2.goto(`file://${ranged}`);
    await page2.waitForSelector('body[data-ready="true"]');
    await page2.selectOption('#timeline-subject', 'alice@example.com');
    expect(await page2.locator('#timeline .bar').evaluateAll((bs) => bs.map((b) => b.getAttribute('title')))).toEqual(['before 2026-02-15 to 2026-03-01']);
    await page2.selectOption('#timeline-subject', '<img src=x onerror=alert(1)>@example.com');
    expect(await page2.locator('#timeline .bar').evaluateAll((bs) => bs.map((b) => b.getAttribute('title')))).toEqual(['2026-03-20 to after 2026-03-31']);
    expect(await page2.locator('#timeline .axis span').evaluateAll((ss) => ss.map((x) => x.textContent))).toEqual(['2026-02-15', '2026-03-31']);
    await page2.close();
  }, 60_000);
});
