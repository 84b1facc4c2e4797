import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { looksLikeDate } from '../../src/util/dates';
import { BASE, exampleOrg, run, tempRepo } from '../support/helpers';
import { git as gitIn } from '../support/git';

// Git runs in the repository that holds --dir, wherever the working directory is.

function git(cwd: string, date: string, ...args: string[]): string {
  return gitIn(cwd, args, { author: 'Ada Admin', email: 'ada@example.com', date });
}

const team = (members: string): string =>
  `name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n${members}apps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n`;

/** The access repository: lead@ on 2026-01-10 (#1), dev@ joins on 2026-02-10 (#2). */
function accessRepo(): string {
  const root = tempRepo({ 'groups/team.yaml': team('  - lead@example.com\n') });
  git(root, '2026-01-10T09:00:00Z', 'init', '-q');
  git(root, '2026-01-10T09:00:00Z', 'add', '-A');
  git(root, '2026-01-10T09:00:00Z', 'commit', '-qm', 'Initial access (#1)');
  fs.writeFileSync(path.join(root, 'access/groups/team.yaml'), team('  - lead@example.com\n  - dev@example.com\n'));
  git(root, '2026-02-10T09:00:00Z', 'commit', '-qam', 'Add dev (#2)');
  return root;
}

/** A working directory in a repository of its own, with no access files. */
function otherRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-other-'));
  fs.writeFileSync(path.join(root, 'README'), 'another project\n');
  git(root, '2026-01-01T00:00:00Z', 'init', '-q');
  git(root, '2026-01-01T00:00:00Z', 'add', '-A');
  git(root, '2026-01-01T00:00:00Z', 'commit', '-qm', 'other');
  return root;
}

function shallowClone(root: string): string {
  const shallow = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-shallow-'));
  gitIn(root, ['clone', '-q', '--depth', '1', `file://${root}`, shallow]);
  return shallow;
}

const NOW = '2026-04-01T00:00:00Z';
const SHALLOW_AT = (at: string): string =>
  `accessctl: this is a shallow clone, so the history is cut short and may not reach ${at}: run git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)\n`;

describe('git runs in the repository that holds --dir', () => {
  let repo: string;
  let cwd: string;
  let dir: string;
  beforeAll(() => {
    repo = accessRepo();
    cwd = otherRepo();
    dir = path.join(repo, 'access');
  });

  it('diff and affected compare the revisions of that repository', async () => {
    const d = await run(['diff', '--dir', dir, '--format', 'json'], cwd, NOW);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    expect(JSON.stringify(JSON.parse(d.stdout))).toContain('dev@example.com');
    const a = await run(['affected', '--dir', dir, '--base', 'HEAD~1', '--format', 'json'], cwd, NOW);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).base).toBe(git(repo, NOW, 'rev-parse', 'HEAD~1').trim());
  });

  it('audit and review read its history', async () => {
    const r = await run(['audit', '--dir', dir], cwd, NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = (JSON.parse(r.stdout) as { events: { user: string; pr: number }[] }).events.map((e) => `${e.user} #${e.pr}`);
    expect(events).toEqual(['lead@example.com #1', 'dev@example.com #2']);
    const v = await run(['review', '--dir', dir], cwd, NOW);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('dev@example.com');
  });

  it('who-can --at reads a revision or a date of that repository', async () => {
    const at = await run(['who-can', '--dir', dir, '--at', '2026-01-15', '--format', 'json'], cwd, NOW);
    expect(at.code).toBe(0);
    expect(at.stdout).toContain('lead@example.com');
    expect(at.stdout).not.toContain('dev@example.com');
    const ref = await run(['who-can', '--dir', dir, '--at', 'HEAD', '--format', 'json'], cwd, NOW);
    expect(ref.code).toBe(0);
    expect(ref.stdout).toContain('dev@example.com');
  });

  it('synth finds its base there', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-out-'));
    const r = await run(['synth', '--dir', dir, '--out', out], cwd, NOW);
    expect(r.stderr).not.toContain('ACC060');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^base: HEAD\^1 \([0-9a-f]{12}\), no renames$/);
  });

  it('codeowners writes at the top of that repository', async () => {
    const r = await run(['codeowners', '--check', '--dir', dir], cwd, NOW);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(repo, '.github', 'CODEOWNERS')} is missing`);
  });

  it('paths are relative to the top level, also from a subdirectory of the repository', async () => {
    const sub = path.join(repo, 'access', 'groups');
    const d = await run(['diff', '--dir', '..', '--base', 'HEAD~1', '--format', 'json'], sub, NOW);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('dev@example.com');
    const r = await run(['audit', '--dir', '..'], sub, NOW);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { events: unknown[] }).events).toHaveLength(2);
  });

  it('request --branch commits in that repository', async () => {
    const org = exampleOrg(true);
    const r = await run(['request', '--dir', path.join(org, 'access'), '--group', 'aws-sandbox-users', '--user', 'judy.adams@example.com', '--expires', '2w', '--reason', 'SDK', '--branch'], cwd, NOW);
    expect(r.stderr).not.toContain('git failed');
    expect(r.code).toBe(0);
    expect(git(org, NOW, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('access-request/aws-sandbox-users/judy.adams');
    expect(git(org, NOW, 'status', '--porcelain')).toBe('');
    expect(git(cwd, NOW, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
  });

  it('a --dir outside any repository is named in the refusal', async () => {
    const plain = tempRepo({});
    const r = await run(['audit', '--dir', path.join(plain, 'access')], cwd, NOW);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`accessctl audit: ${path.join(plain, 'access')} is not in a git repository: the audit reads its history`);
  });
});

describe('a shallow clone', () => {
  it('who-can --at DATE before the clone says it is shallow, as audit does', async () => {
    const shallow = shallowClone(accessRepo());
    const r = await run(['who-can', '--at', '2026-01-15'], shallow, NOW);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(SHALLOW_AT('2026-01-15'));
    // The same through --dir from another repository.
    const other = await run(['who-can', '--dir', path.join(shallow, 'access'), '--at', '2026-01-15'], otherRepo(), NOW);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(SHALLOW_AT('2026-01-15'));
    const audit = await run(['audit', '--dir', path.join(shallow, 'access')], otherRepo(), NOW);
    expect(audit.code).toBe(1);
    expect(audit.stderr).toMatch(/^accessctl: this is a shallow clone/);
    // A date the clone reaches still works.
    const late = await run(['who-can', '--at', '2026-03-01', '--format', 'json'], shallow, NOW);
    expect(late.code).toBe(0);
    expect(late.stdout).toContain('dev@example.com');
  });

  it('in a full clone, a date before the history is still "the history starts after that date"', async () => {
    const r = await run(['who-can', '--at', '2025-12-01'], accessRepo(), NOW);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('accessctl who-can: --at 2025-12-01: the history starts after that date');
  });
});

describe('audit refuses filters that match nothing by mistake', () => {
  let repo: string;
  beforeAll(() => {
    repo = accessRepo();
  });

  it.each([
    [['--account', 'prdo'], '--account: no account "prdo" in the history (did you mean "prod"?)'],
    [['--account', 'nope'], '--account: no account "nope" in the history'],
    [['--user', 'dve@example.com'], '--user: no user "dve@example.com" in the history (did you mean "dev@example.com"?)'],
    [['--permission-set', 'ReadOnyl'], '--permission-set: no permission set "ReadOnyl" in the history (did you mean "ReadOnly"?)'],
    [['--since', '2026-03-01', '--until', '2026-02-01'], '--since 2026-03-01 is after --until 2026-02-01: no date is in that range'],
  ])('%j', async (args, message) => {
    const r = await run(['audit', ...args], repo, NOW);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`accessctl audit: ${message}`);
  });

  it('known names are kept, folded logins and account ids too', async () => {
    const r = await run(['audit', '--user', 'DEV@example.com', '--account', '111111111111', '--permission-set', 'ReadOnly', '--since', '2026-02-10', '--until', '2026-02-10'], repo, NOW);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { events: { user: string }[] }).events.map((e) => e.user)).toEqual(['dev@example.com']);
  });
});

describe('who-can --at with something that looks like a date', () => {
  it.each(['2026-02-30', '2026-13-01', '2026-02-28T25:00:00Z', '2026-2-3'])('%s is not a date', async (at) => {
    const r = await run(['who-can', '--at', at], accessRepo(), NOW);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`accessctl who-can: --at ${at}: not a date (YYYY-MM-DD or an ISO 8601 date-time such as 2026-03-01T12:00:00Z)`);
  });

  it('refs are still refs', () => {
    expect(['HEAD', 'main', 'v2026.01', 'release-2026-02', 'abc1234'].filter(looksLikeDate)).toEqual([]);
    expect(['2026-02-30', '2026-02-28T12:00'].every(looksLikeDate)).toBe(true);
  });
});

describe('read-only commands count the warnings', () => {
  // A group file whose name differs from its declared name: one ACC037 warning.
  const files = {
    'settings.yaml': `${BASE['settings.yaml']}github: { securityTeam: "@acme/security" }\n`,
    'groups/teamx.yaml': team('  - lead@example.com\n'),
    'people.yaml': 'people:\n  - { login: lead@example.com, github: lead }\n',
  };
  const COUNT = 'access: 1 warning (--verbose lists them)\n';

  it.each([
    ['who-can', []],
    ['aws-config', ['--user', 'lead@example.com', '--out', '-']],
    ['codeowners', ['--out', 'CODEOWNERS']],
  ])('%s', async (command, args) => {
    const root = tempRepo(files);
    const r = await run([command, ...args], root, NOW);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(COUNT);
    const verbose = await run([command, ...args, '--verbose'], root, NOW);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(/^access\/groups\/teamx.yaml:[0-9]+:[0-9]+ warning ACC037 /);
    expect(verbose.stderr).not.toContain('--verbose lists them');
  });
});
