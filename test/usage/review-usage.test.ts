// review --usage FILE (issue 28): each member's last use, and the memberships unused past policy.yaml's threshold.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatUsageFile, type LastUse, type UsageFile } from '../../src/usage/file';
import { commitAll, initRepo } from '../support/git';
import { run, tempRepo } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';

const group = (name: string, members: string, grant?: string): string =>
  `name: ${name}\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n${members}` +
    (grant === undefined ? '' : `apps: [aws]\naws:\n  - ${grant}\n`);
const READERS = '  - bob@example.com\n  - dan@example.com\n  - { user: gina@example.com, expires: 2026-03-01, reason: INC-7 }\n' +
  '  - hal@example.com\n  - zoe@example.com\n';

/**
 * #1 (2026-01-10): admins hold Admin (AdministratorAccess: high privilege) on prod; readers ReadOnly on prod and dev
 * (gina's membership lapsed on 2026-03-01); wiki is Okta only. #2 (2026-11-01): frank joins readers.
 */
function org(): { root: string; c1: string; c2: string } {
  const root = tempRepo({
    'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\n',
    'groups/admins.yaml': group('admins', '  - alice@example.com\n  - erin@example.com\n', '{ permissionSet: Admin, accounts: [prod] }'),
    'groups/readers.yaml': group('readers', READERS, '{ permissionSet: ReadOnly, accounts: [prod, dev] }'),
    'groups/wiki.yaml': group('wiki', '  - dan@example.com\n'),
  });
  const c1 = initRepo(root, 'access (#1)', { date: '2026-01-10T09:00:00Z' });
  fs.writeFileSync(path.join(root, 'access/groups/readers.yaml'),
    group('readers', `${READERS}  - frank@example.com\n`, '{ permissionSet: ReadOnly, accounts: [prod, dev] }'));
  const c2 = commitAll(root, 'frank joins (#2)', { date: '2026-11-01T09:00:00Z' });
  return { root, c1: c1.slice(0, 8), c2: c2.slice(0, 8) };
}

const use = (user: string, accountId: string, permissionSet: string, lastUsed: string, eventId: string): LastUse =>
  ({ user, accountId, permissionSet, lastUsed, eventId, eventName: 'GetRoleCredentials' });

/** From 2026-06-01: bob's latest is prod (114 days; dev, read first, 145), hal's exactly 90 days ago, zoe, frank and gina never. */
const FILE: UsageFile = {
  version: 1, generatedAt: '2026-11-23T06:00:00Z', since: '2026-06-01', until: '2026-11-22T18:00:00Z', sources: { files: 12, records: 900, used: 7 },
  lastUse: [
    use('alice@example.com', '111111111111', 'Admin', '2026-10-15T10:00:00Z', 'ev-1'),
    use('bob@example.com', '022222222222', 'ReadOnly', '2026-07-01T10:00:00Z', 'ev-3'),
    use('bob@example.com', '111111111111', 'ReadOnly', '2026-08-01T10:00:00Z', 'ev-4'),
    use('dan@example.com', '111111111111', 'ReadOnly', '2026-09-01T00:00:00Z', 'ev-5'),
    use('erin@example.com', '111111111111', 'Admin', '2026-11-20T08:00:00Z', 'ev-2'),
    use('hal@example.com', '022222222222', 'ReadOnly', '2026-08-25T12:00:00Z', 'ev-6'),
  ],
  unmatched: { users: [], roles: [] },
};

const HEADER = (file: string): string => `Last use from ${file}, events from 2026-06-01 up to 2026-11-22T18:00:00Z; a membership is flagged unused after 90 days ` +
  'without use (30 for high privilege).';

let root: string;
let c1: string;
let c2: string;
beforeAll(() => {
  ({ root, c1, c2 } = org());
  fs.writeFileSync(path.join(root, 'usage.json'), formatUsageFile(FILE));
});

const review = (...args: string[]) => run(['review', ...args], root, NOW);

describe('review --usage', () => {
  it('markdown: the header names the file and how far it reaches; Last used and Unused columns, flagged past 90 days or 30 for high privilege', async () => {
    const r = await review('--usage', 'usage.json');
    expect(r.code).toBe(0);
    const md = r.stdout.split('\n');
    expect(md.slice(0, 6)).toEqual([
      '# Access review',
      '',
      `Generated ${NOW}. For each member, the owners tick **keep** or **remove**; a removal is a pull request that deletes the entry.`,
      '',
      HEADER('`usage.json`'),
      '',
    ]);
    /** The header and member lines of a group's table. */
    const table = (g: string): string[] => {
      const at = md.indexOf(`## ${g}`);
      const end = md.findIndex((l, i) => i > at && l.startsWith('## '));
      return md.slice(at, end < 0 ? undefined : end).filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    };
    const first = (user: string, c = c1, day = '2026-01-10', pr = 1) => `| ${user} | ${day} \`${c}\` #${pr} | ${day} \`${c}\` #${pr} |`;
    expect(table('admins')).toEqual([
      '| Member | Since | Last change | Expires | Last used | Unused | Reason | Keep | Remove |',
      `${first('alice@example.com')} standing | 2026-10-15 (39 days) | **unused 39 days (threshold 30, high privilege)** |  | [ ] | [ ] |`,
      `${first('erin@example.com')} standing | 2026-11-20 (3 days) |  |  | [ ] | [ ] |`,
    ]);
    expect(table('readers').slice(1)).toEqual([
      `${first('bob@example.com')} standing | 2026-08-01 (114 days) | **unused 114 days (threshold 90)** |  | [ ] | [ ] |`,
      `${first('dan@example.com')} standing | 2026-09-01 (83 days) |  |  | [ ] | [ ] |`,
      `${first('frank@example.com', c2, '2026-11-01', 2)} standing | never since 2026-06-01 |  |  | [ ] | [ ] |`,
      `${first('gina@example.com')} 2026-03-01 (expired, to remove) | never since 2026-06-01 |  | INC-7 | [ ] | [ ] |`,
      `${first('hal@example.com')} standing | 2026-08-25 (90 days) |  |  | [ ] | [ ] |`,
      `${first('zoe@example.com')} standing | never since 2026-06-01 | **unused 175 days (threshold 90)** |  | [ ] | [ ] |`,
    ]);
    expect(table('wiki').slice(1)).toEqual([`${first('dan@example.com')} standing | Okta only |  |  | [ ] | [ ] |`]);
  });

  it('csv: lastUsed, unusedDays and unused (true or false) before decision', async () => {
    const r = await review('--usage', 'usage.json', '--format', 'csv');
    expect(r.code).toBe(0);
    const cols = r.stdout.split('\r\n').map((l) => { const c = l.split(','); return [c[0], c[2], ...c.slice(14)].join(','); });
    expect(cols).toEqual([
      'group,member,lastUsed,unusedDays,unused,decision',
      'admins,alice@example.com,2026-10-15T10:00:00Z,39,true,',
      'admins,erin@example.com,2026-11-20T08:00:00Z,3,false,',
      'readers,bob@example.com,2026-08-01T10:00:00Z,114,true,',
      'readers,dan@example.com,2026-09-01T00:00:00Z,83,false,',
      'readers,frank@example.com,,22,false,',
      'readers,gina@example.com,,175,false,',
      'readers,hal@example.com,2026-08-25T12:00:00Z,90,false,',
      'readers,zoe@example.com,,175,true,',
      'wiki,dan@example.com,,,false,',
      ',',
    ]);
  });

  it('html: the header, and the unused first within each group, then the others by login', async () => {
    const r = await review('--usage', 'usage.json', '--format', 'html');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.includes('<h1>'))).toEqual([`</head><body><h1>Access review</h1><p>Generated ${NOW}.</p><p>${HEADER('usage.json')}</p>`]);
    const rows = lines.filter((l) => l.startsWith('<tr><td>')).map((l) => [...l.matchAll(/<td[^>]*>([^<]*)/g)].map((m) => m[1]).filter((_, i) => i === 0 || i === 4 || i === 5).join(' | '));
    expect(rows).toEqual([
      'alice@example.com | 2026-10-15 (39 days) | unused 39 days (threshold 30, high privilege)',
      'erin@example.com | 2026-11-20 (3 days) | ',
      'bob@example.com | 2026-08-01 (114 days) | unused 114 days (threshold 90)',
      'zoe@example.com | never since 2026-06-01 | unused 175 days (threshold 90)',
      'dan@example.com | 2026-09-01 (83 days) | ',
      'frank@example.com | never since 2026-06-01 | ',
      'gina@example.com | never since 2026-06-01 | ',
      'hal@example.com | 2026-08-25 (90 days) | ',
      'dan@example.com | Okta only | ',
    ]);
    expect(lines.filter((l) => l.includes('class="mark">unused')).map((l) => /^<tr><td>([^<]*)/.exec(l)![1]))
      .toEqual(['alice@example.com', 'bob@example.com', 'zoe@example.com']);
    expect(r.stdout).toContain('<th>Expires</th><th>Last used</th><th>Unused</th><th>Reason</th>');
  });

  it('follows policy.yaml rules.unused-access days and highPrivilegeDays, and high-privilege-expiry\'s high-privilege sets', async () => {
    const r2 = org().root;
    fs.writeFileSync(path.join(r2, 'usage.json'), formatUsageFile(FILE));
    const flagged = async (policy: string, date: string): Promise<string[]> => {
      fs.writeFileSync(path.join(r2, 'access/policy.yaml'), policy);
      commitAll(r2, 'policy', { date });
      const md = (await run(['review', '--usage', 'usage.json'], r2, NOW)).stdout.split('\n');
      return [md[4]!, ...md.filter((l) => l.includes('**unused')).map((l) => `${l.split(' | ')[0]} ${l.split(' | ')[5]}`)];
    };
    const policy = 'rules:\n  unused-access: { days: 100, highPrivilegeDays: 40 }\n';
    const header = 'Last use from `usage.json`, events from 2026-06-01 up to 2026-11-22T18:00:00Z; a membership is flagged unused after 100 days ' +
      'without use (40 for high privilege).';
    expect(await flagged(policy, '2026-11-02T09:00:00Z')).toEqual([
      header,
      '| bob@example.com **unused 114 days (threshold 100)**',
      '| zoe@example.com **unused 175 days (threshold 100)**',
    ]);
    // ReadOnly made high privilege: readers are judged at 40 days too.
    expect(await flagged(`${policy}  high-privilege-expiry: { permissionSets: [ReadOnly] }\n`, '2026-11-03T09:00:00Z')).toEqual([
      header,
      '| bob@example.com **unused 114 days (threshold 40, high privilege)**',
      '| dan@example.com **unused 83 days (threshold 40, high privilege)**',
      '| hal@example.com **unused 90 days (threshold 40, high privilege)**',
      '| zoe@example.com **unused 175 days (threshold 40, high privilege)**',
    ]);
  });

  it('without --usage the sheet is as before', async () => {
    const md = (await review()).stdout;
    expect(md.split('\n').filter((l) => l.startsWith('| Member') || l.startsWith('| bob'))).toEqual([
      '| Member | Since | Last change | Expires | Reason | Keep | Remove |',
      '| Member | Since | Last change | Expires | Reason | Keep | Remove |',
      `| bob@example.com | 2026-01-10 \`${c1}\` #1 | 2026-01-10 \`${c1}\` #1 | standing |  | [ ] | [ ] |`,
      '| Member | Since | Last change | Expires | Reason | Keep | Remove |',
    ]);
    expect(md).not.toContain('Last use from');
    expect((await review('--format', 'csv')).stdout.split('\r\n')[0].split(',').slice(12)).toEqual(['expired', 'sensitiveActions', 'decision']);
    const html = (await review('--format', 'html')).stdout;
    expect(html.split('\n').filter((l) => l.startsWith('<tr><td>')).map((l) => /^<tr><td>([^<]*)/.exec(l)![1])).toEqual([
      'alice@example.com', 'erin@example.com', 'bob@example.com', 'dan@example.com', 'frank@example.com', 'gina@example.com', 'hal@example.com',
      'zoe@example.com', 'dan@example.com',
    ]);
  });

  it('a bad usage file is an error naming the file and the JSON path, exit 1, and nothing is written', async () => {
    const bad = JSON.parse(formatUsageFile(FILE)) as Record<string, unknown>;
    bad.version = 0;
    fs.writeFileSync(path.join(root, 'old.json'), JSON.stringify(bad));
    expect(await review('--usage', 'old.json', '--format', 'html', '--out', 'sheet.html')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'accessctl: usage file old.json: version: is 0, not 1: write it again with this accessctl\n',
    });
    expect(fs.existsSync(path.join(root, 'sheet.html'))).toBe(false);
  });
});
