import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../../src/diagnostics';
import { Git } from '../../src/git/git';
import { readAccessDir } from '../../src/load/source';
import { compileOuGlob } from '../../src/model/selectors';
import { BASE, run, tempRepo } from '../support/helpers';
import { initRepo } from '../support/git';

/** `validate --format json` in `root`: the exit code and every ACC diagnostic (guardrail findings left out). */
async function validate(root: string): Promise<{ code: number; errors: Diagnostic[] }> {
  const r = await run(['validate', '--format', 'json'], root);
  return { code: r.code, errors: (JSON.parse(r.stdout) as { errors: Diagnostic[] }).errors.filter((e) => e.code.startsWith('ACC')) };
}

const at = (errors: readonly Diagnostic[]): string[] => errors.map((e) => `${e.file}:${e.line} ${e.code}`);

/** A group granting ReadOnly on the accounts an OU glob selects. */
function groupWithGlob(name: string, glob: string): string {
  return `name: ${name}\nowners: [x@example.com]\nmode: additive\nmembers: [x@example.com]\napps: [aws]\naws:\n  - permissionSet: ReadOnly\n    accounts: { ou: "${glob}" }\n`;
}

const DEEP_ACCOUNTS = `accounts:
  - { name: prod, id: "111111111111", ou: Workloads/Prod, tags: { env: prod } }
  - { name: dev, id: "022222222222", ou: Workloads/Dev, tags: { env: dev } }
  - { name: deep, id: "033333333333", ou: A/B/C/D/E }
`;

describe('OU globs cannot hang a command', () => {
  beforeAll(async () => {
    await validate(tempRepo({})); // compile the schemas once, outside the timed calls
  });

  it('refuses a 1,000-character glob of "**/" and "*" at its line, well under a second', async () => {
    const glob = `${'**/*/'.repeat(199)}**/*E`;
    expect(glob).toHaveLength(1000);
    const root = tempRepo({ 'accounts.yaml': DEEP_ACCOUNTS, 'groups/g.yaml': groupWithGlob('g', glob) });
    const start = Date.now();
    const r = await validate(root);
    const ms = Date.now() - start;
    expect(ms).toBeLessThan(1000);
    expect(r.code).toBe(1);
    // Both caps fail: the length, and the pattern that allows at most 16 segments.
    expect(at(r.errors)).toEqual(['access/groups/g.yaml:8 ACC023', 'access/groups/g.yaml:8 ACC023']);
    expect(r.errors[0].message).toBe('OU glob must not have more than 256 characters');
  });

  it('evaluates a glob at the caps (16 segments, 256 characters) against a 5-level OU at once', async () => {
    const glob = `${'**/'.repeat(15)}${'*E'.repeat(104)}*`;
    expect(glob.length).toBeLessThanOrEqual(256);
    const root = tempRepo({ 'accounts.yaml': DEEP_ACCOUNTS, 'groups/g.yaml': groupWithGlob('g', glob) });
    const start = Date.now();
    const r = await validate(root);
    expect(Date.now() - start).toBeLessThan(1000);
    expect(at(r.errors)).toEqual(['access/groups/g.yaml:8 ACC044']);
  });

  it('refuses a glob of 17 segments at its line', async () => {
    const r = await validate(tempRepo({ 'accounts.yaml': DEEP_ACCOUNTS, 'groups/g.yaml': groupWithGlob('g', Array(17).fill('*').join('/')) }));
    expect(r.code).toBe(1);
    expect(at(r.errors)).toEqual(['access/groups/g.yaml:8 ACC023']);
    expect(r.errors[0].hint).toContain('at most 16 segments');
  });

  it('matches pathological globs in linear time, outside the schema caps too', () => {
    const cases: [string, string, boolean][] = [
      [`${'**/'.repeat(333)}X`, 'A/B/C/D/E', false],
      [`${'**/'.repeat(333)}E`, 'A/B/C/D/E', true],
      [`${'**/*/'.repeat(200)}`.slice(0, -1), 'A/B/C/D/E', false],
      [`${'a*'.repeat(500)}b`, 'a'.repeat(128), false],
      [`${'a*'.repeat(60)}`, 'a'.repeat(128), true],
    ];
    for (const [glob, ou, expected] of cases) {
      const start = Date.now();
      expect(compileOuGlob(glob)(ou)).toBe(expected);
      expect(Date.now() - start).toBeLessThan(100);
    }
  });

  it.each([
    ['Workloads/*', 'Workloads/Prod', true],
    ['Workloads/*', 'Workloads', false],
    ['Workloads/*', 'Workloads/Prod/Eu', false],
    ['Workloads/**', 'Workloads', true],
    ['Workloads/**', 'Workloads/Prod', true],
    ['Workloads/**', 'Workloads/Prod/Eu', true],
    ['Workloads/**', 'WorkloadsX', false],
    ['**', 'Root', true],
    ['**', 'A/B/C/D/E', true],
    ['**/Prod', 'Prod', true],
    ['**/Prod', 'Workloads/Prod', true],
    ['**/Prod', 'Workloads/Prod/Eu', false],
    ['**/**/Prod', 'Workloads/Prod', true],
    ['A/**/**/B', 'A/B', true],
    ['Sandbox', 'Sandbox', true],
    ['Sandbox', 'SandboxX', false],
    ['Sandbox', 'Workloads/Sandbox', false],
    ['*/*', 'Workloads/Prod', true],
    ['W*s/P*', 'Workloads/Prod', true],
    ['W*s*s/P*', 'Workloads/Prod', false],
    ['Pro*d', 'Prod', true],
    ['a*a', 'a', false],
    ['P.*', 'PX', false],
  ])('%s against %s: %s', (glob, ou, expected) => {
    expect(compileOuGlob(glob)(ou)).toBe(expected);
  });
});

describe('OU depth', () => {
  it('refuses an account six levels below the root at its line', async () => {
    const accounts = `${DEEP_ACCOUNTS}  - { name: deeper, id: "044444444444", ou: A/B/C/D/E/F }\n`;
    const r = await validate(tempRepo({ 'accounts.yaml': accounts }));
    expect(r.code).toBe(1);
    expect(at(r.errors)).toEqual(['access/accounts.yaml:5 ACC023']);
    expect(r.errors[0].hint).toContain('at most 5 levels');
  });

  it('accepts five levels and "Root"', async () => {
    const accounts = `${DEEP_ACCOUNTS}  - { name: mgmt, id: "055555555555", ou: Root }\n`;
    const r = await validate(tempRepo({ 'accounts.yaml': accounts }));
    expect(r).toEqual({ code: 0, errors: [] });
  });
});

const GROUP = 'name: admins\nowners: [x@example.com]\nmode: additive\nmembers: [x@example.com]\napps: [aws]\naws:\n  - permissionSet: ReadOnly\n    accounts: [prod]\n';

describe('no file is skipped in silence', () => {
  it.each([
    ['groups/admins.YAML', 'rename it to admins.yaml'],
    ['groups/admins.Yml', 'rename it to admins.yml'],
    ['groups/admins.json', 'convert it to admins.yaml or move it out of access/'],
    ['groups/admins', 'rename it to admins.yaml if it holds YAML, or move it out of access/'],
    ['groups/admins.txt', 'rename it to admins.yaml if it holds YAML, or move it out of access/'],
    ['notes.json', 'convert it to notes.yaml or move it out of access/'],
  ])('refuses %s', async (rel, hint) => {
    const r = await validate(tempRepo({ [rel]: GROUP }));
    expect(r.code).toBe(1);
    expect(at(r.errors)).toEqual([`access/${rel}:1 ACC008`]);
    expect(r.errors[0].hint).toBe(hint);
  });

  it('reports a Markdown file as not read, with a warning only', async () => {
    const r = await validate(tempRepo({ 'README.md': '# access\n', 'groups/.gitkeep': '' }));
    expect(r.code).toBe(0);
    expect(r.errors.map((e) => `${e.file}:${e.line} ${e.severity} ${e.code} ${e.message}`)).toEqual(['access/README.md:1 warning ACC009 "access/README.md" is not read (Markdown)']);
  });

  it('follows a symbolic link to a folder inside the access directory', async () => {
    const root = tempRepo({ 'teams/groups/admins.yaml': GROUP });
    fs.rmSync(path.join(root, 'access/teams'), { recursive: true });
    fs.mkdirSync(path.join(root, 'access/shared'));
    fs.mkdirSync(path.join(root, 'access/shared/groups'));
    fs.writeFileSync(path.join(root, 'access/shared/groups/admins.yaml'), GROUP);
    fs.symlinkSync('shared/groups', path.join(root, 'access/groups'));
    const { sources, diagnostics } = readAccessDir('access', root);
    expect(diagnostics).toEqual([]);
    expect(sources.map((s) => s.rel)).toContain('groups/admins.yaml');
    // shared/groups/admins.yaml itself is in no place accessctl reads: that is ACC003, not silence.
    const r = await validate(root);
    expect(at(r.errors)).toEqual(['access/shared/groups/admins.yaml:1 ACC003']);
  });

  it('refuses a symbolic link to a folder outside the access directory at the link', async () => {
    const root = tempRepo({});
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-outside-'));
    fs.writeFileSync(path.join(outside, 'admins.yaml'), GROUP);
    fs.symlinkSync(outside, path.join(root, 'access/groups'));
    const r = await validate(root);
    expect(r.code).toBe(1);
    expect(at(r.errors)).toEqual(['access/groups:1 ACC017']);
  });

  it('refuses a symbolic link to a file outside the access directory', async () => {
    const root = tempRepo({});
    fs.mkdirSync(path.join(root, 'access/groups'));
    fs.writeFileSync(path.join(root, 'admins.yaml'), GROUP);
    fs.symlinkSync('../../admins.yaml', path.join(root, 'access/groups/admins.yaml'));
    const r = await validate(root);
    expect(at(r.errors)).toEqual(['access/groups/admins.yaml:1 ACC017']);
  });

  it('refuses a symbolic link loop at the link, and reads the rest once', async () => {
    const root = tempRepo({ 'groups/admins.yaml': GROUP });
    fs.symlinkSync('..', path.join(root, 'access/groups/up'));
    fs.symlinkSync('.', path.join(root, 'access/groups/self'));
    const r = await validate(root);
    expect(r.code).toBe(1);
    expect(at(r.errors)).toEqual(['access/groups/self:1 ACC018', 'access/groups/up:1 ACC018']);
  });

  it('reports a broken symbolic link', async () => {
    const root = tempRepo({});
    fs.symlinkSync('nowhere.yaml', path.join(root, 'access/gone.yaml'));
    const r = await validate(root);
    expect(at(r.errors)).toEqual(['access/gone.yaml:1 ACC007']);
  });

  it('reads the same files from git at a commit as from the working tree', () => {
    const root = tempRepo({ 'shared/groups/admins.yaml': GROUP, 'groups-notes.md': '# notes\n', 'accounts.yaml': BASE['accounts.yaml'], 'x.YAML': GROUP });
    fs.symlinkSync('shared/groups', path.join(root, 'access/groups'));
    fs.symlinkSync('..', path.join(root, 'access/shared/up'));
    initRepo(root, 'org');
    const onDisk = readAccessDir('access', root).sources.map((s) => `${s.file} ${Buffer.from(s.bytes).toString('utf8').length}`);
    const atCommit = new Git(root).readDirAt('HEAD', 'access').map((s) => `${s.file} ${Buffer.from(s.bytes).toString('utf8').length}`);
    expect(atCommit).toEqual(onDisk);
    expect(atCommit.map((s) => s.split(' ')[0])).toEqual([
      'access/accounts.yaml',
      'access/groups/admins.yaml',
      'access/permission-sets/ReadOnly.yaml',
      'access/settings.yaml',
      'access/shared/groups/admins.yaml',
    ]);
  });
});
