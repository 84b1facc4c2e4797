import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { AuditEvent } from '../src/audit/walk';
import { formatAuditHtml } from '../src/reporters/audit/html';

/** Debian's chromium (apt-get install chromium); .ci/run installs it, and under CI this suite must run. */
const CHROMIUM = process.env.ACCESSCTL_CHROMIUM ?? '/usr/bin/chromium';
const describeBrowser = fs.existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;
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

describeBrowser('the HTML audit report in a real browser', () => {
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
});
