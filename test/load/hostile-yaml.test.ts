// Files that show one thing in review and mean another (issue 22, item 4):
// bytes YAML forbids (in comments too), escaped surrogates, directives other
// than %YAML 1.2, keys that become one key once read as text, and a SCIM token
// "issued" in the future. Every case runs the compiled CLI, as CI does.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_FORBIDDEN_LINES } from '../../src/load/parse';
import { BASE, run, tempRepo } from '../support/helpers';
import { compiledCli } from '../support/compiled-cli';

interface Reported {
  code: string;
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The compiled CLI, run in `root`. */
function cli(root: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [compiledCli(), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `validate --format json` through the compiled CLI: the exit code and the ACC diagnostics. */
function validate(files: Record<string, string | Uint8Array>): { code: number | null; list: Reported[] } {
  const r = cli(tempRepo({ ...PEOPLE, ...files }), 'validate', '--format', 'json');
  return { code: r.code, list: (JSON.parse(r.stdout) as { errors: Reported[] }).errors.filter((d) => d.code.startsWith('ACC')) };
}

/** "file:line:col CODE" of each diagnostic. */
const at = (list: readonly Reported[]): string[] => list.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);

const GROUP = 'name: g\nmode: additive\nowners: [alice@example.com]\n';
const PEOPLE = { 'people.yaml': 'people:\n  - login: alice@example.com\n' };

/** Every file and folder below `dir` with its content: what "nothing changed" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) {
        out[`${path.relative(dir, abs)}/`] = '';
        walk(abs);
      } else out[path.relative(dir, abs)] = fs.readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('characters YAML forbids, anywhere in a file (ACC110)', () => {
  const NUL_IN_COMMENT = `name: g\n# reviewed by alice\u0000\n${GROUP.slice('name: g\n'.length)}`;

  it('refuses a NUL in a comment at its line and column, and synth writes nothing', () => {
    const root = tempRepo({ ...PEOPLE, 'groups/g.yaml': NUL_IN_COMMENT });
    // Why it matters: git shows the whole file as binary, so review sees none of its lines.
    expect(spawnSync('git', ['diff', '--no-index', '--numstat', '/dev/null', 'access/groups/g.yaml'], { cwd: root, encoding: 'utf8' }).stdout).toMatch(/^-\t-\t/);

    const v = cli(root, 'validate');
    expect(v.code).toBe(1);
    expect(v.stdout.split('\n')).toContain('access/groups/g.yaml:2:20 error ACC110 control character U+0000 (NUL): YAML allows it nowhere in a file, comments included');

    const out = path.join(root, 'out');
    const s = cli(root, 'synth', '--no-base', '--out', 'out');
    expect(s.code).toBe(1);
    expect(`${s.stdout}${s.stderr}`).toContain('access/groups/g.yaml:2:20 error ACC110');
    expect(fs.existsSync(out)).toBe(false);

    // An earlier synth's output stays as it was.
    fs.mkdirSync(path.join(out, 'stacks/okta'), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks/okta/cdk.tf.json'), '{"earlier":true}\n');
    const before = snapshot(out);
    expect(cli(root, 'synth', '--no-base', '--out', 'out').code).toBe(1);
    expect(snapshot(out)).toEqual(before);

    // The same file without the NUL synthesizes: the check, not the setup, is what keeps out/ untouched.
    const clean = tempRepo({ ...PEOPLE, 'groups/g.yaml': NUL_IN_COMMENT.replace('\u0000', '') });
    expect(cli(clean, 'synth', '--no-base', '--out', 'out').code).toBe(0);
    expect(fs.existsSync(path.join(clean, 'out/stacks/okta/cdk.tf.json'))).toBe(true);
  });

  it.each([
    ['ESC in a comment', `name: g\n# ok \u001b[8mhidden\nmode: additive\n`, 2, 6, 'control character U+001B (ESC)'],
    ['DEL in a comment', `name: g\nmode: additive # x\u007f\n`, 2, 19, 'control character U+007F (DEL)'],
    ['a C1 control (NEL) in a comment', `# \u0085\n${GROUP}`, 1, 3, 'C1 control character U+0085'],
    ['U+FFFE in a comment', `${GROUP}# \ufffe\n`, 4, 3, 'noncharacter U+FFFE'],
    ['U+FFFF in a value', `name: g\nmode: additive\ndescription: a\uffffb\n`, 3, 15, 'noncharacter U+FFFF'],
    ['a lone CR in a comment, which a terminal shows as a line of its own', `${GROUP}# note\rmembers: [mallory@example.com]\n`, 4, 7, 'carriage return U+000D with no line feed after it'],
    ['a NUL in a key', `name: g\nmode: additive\ndescr\u0000iption: x\n`, 3, 6, 'control character U+0000 (NUL)'],
  ])('refuses %s', (_name, text, line, column, what) => {
    const r = validate({ 'groups/g.yaml': text });
    expect(r.code).toBe(1);
    expect(at(r.list)).toEqual([`access/groups/g.yaml:${line}:${column} ACC110`]);
    expect(r.list[0]!.message).toBe(`${what}: YAML allows it nowhere in a file, comments included`);
  });

  it('accepts CRLF line endings and tabs', () => {
    const r = validate({ 'groups/g.yaml': `${GROUP.replace(/\n/g, '\r\n')}# a\tcomment\r\ndescription: "a\tb"\r\n` });
    expect(r).toEqual({ code: 0, list: [] });
  });

  it(`reports one diagnostic a line, ${MAX_FORBIDDEN_LINES} lines a file, and counts the rest`, () => {
    const lines = Array.from({ length: 15 }, (_, i) => `# ${i}\u0000 and \u0001\n`).join('');
    const r = validate({ 'groups/g.yaml': `${GROUP}${lines}` });
    expect(r.code).toBe(1);
    expect(at(r.list)).toEqual(Array.from({ length: MAX_FORBIDDEN_LINES + 1 }, (_, i) => `access/groups/g.yaml:${i + 4}:${i < 10 ? 4 : 5} ACC110`));
    expect(r.list[MAX_FORBIDDEN_LINES]!.message).toBe('5 more lines, from this one on, hold characters YAML forbids');
  });
});

describe('escaped surrogates in double-quoted strings (ACC111)', () => {
  it.each([
    ['a lone surrogate', 'description: "caf\\ud800e"', 4, 18, 'surrogate escape \\ud800 in a value'],
    ['a pair of surrogate escapes', 'description: "smile \\ud83d\\ude00"', 4, 21, 'surrogate escape \\ud83d in a value'],
    ['a surrogate written with \\U', '"t\\U0000DC00": x', 4, 3, 'surrogate escape \\U0000DC00 in a key'],
  ])('refuses %s at the escape', (_name, added, line, column, message) => {
    const r = validate({ 'groups/g.yaml': `${GROUP}${added}\n` });
    expect(r.code).toBe(1);
    expect(at(r.list)).toEqual([`access/groups/g.yaml:${line}:${column} ACC111`]);
    expect(r.list[0]!.message).toBe(message);
  });

  it('accepts a character escaped by its code point', () => {
    expect(validate({ 'groups/g.yaml': `${GROUP}description: "smile \\U0001F600"\n` })).toEqual({ code: 0, list: [] });
  });
});

describe('YAML directives (ACC112)', () => {
  it.each([
    ['%YAML 1.1', 'YAML directive "%YAML 1.1" is not accepted: access files are YAML 1.2, and accessctl reads them as 1.2 whatever the directive says'],
    ['%TAG !e! tag:example.com,2000:', 'YAML directive "%TAG !e! tag:example.com,2000:" is not accepted: access files use no tags'],
    ['%FOO bar', 'YAML directive "%FOO bar" is not accepted: YAML 1.2 knows only %YAML and %TAG'],
  ])('refuses %s at its line', (directive, message) => {
    const r = validate({ 'groups/g.yaml': `# a group\n${directive}\n---\n${GROUP}` });
    expect(r.code).toBe(1);
    expect(at(r.list)).toEqual(['access/groups/g.yaml:2:1 ACC112']);
    expect(r.list[0]!.message).toBe(message);
  });

  it('accepts %YAML 1.2', () => {
    expect(validate({ 'groups/g.yaml': `%YAML 1.2 # the version\n---\n${GROUP}` })).toEqual({ code: 0, list: [] });
  });
});

describe('keys that become one key once read as text (ACC113)', () => {
  const tags = (first: string, second: string): Record<string, string> => ({
    'permission-sets/ReadOnly.yaml': `name: ReadOnly\nmanagedPolicies: [ViewOnlyAccess]\ntags:\n  ${first}: a\n  ${second} : b\n`,
  });

  it.each([
    ['2024', '"2024"', '2024'],
    ['"true"', 'true', 'true'],
    ['.nan', '.NaN', 'NaN'],
    ['null', '""', ''],
    ['&k team', '*k', 'team'],
  ])('refuses %s and then %s at the second, naming the first', (first, second, text) => {
    const r = validate(tags(first, second));
    expect(r.code).toBe(1);
    expect(at(r.list)).toEqual(['access/permission-sets/ReadOnly.yaml:5:3 ACC113']);
    expect(r.list[0]!.message).toBe(`key ${second} and the key ${first.replace('&k ', '')} at line 4 are both read as ${JSON.stringify(text)}: one of the two values would be lost`);
  });

  it('leaves keys that are the same value to ACC012 (1.0 and 1)', () => {
    const r = validate(tags('1.0', '1'));
    expect(at(r.list)).toEqual(['access/permission-sets/ReadOnly.yaml:5:3 ACC012']);
  });
});

describe('a SCIM token issued in the future (ACC114)', () => {
  const settings = (day: string): Record<string, string> => ({
    'settings.yaml': BASE['settings.yaml']!.replace('      mfa: required\n', `      mfa: required\n      scim:\n        baseUrl: https://scim.us-east-1.amazonaws.com/abc/scim/v2\n        tokenIssued: ${day}\n`),
  });

  it('is an error at its line, through the compiled CLI and its clock', () => {
    const r = validate(settings('2999-01-01'));
    expect(r.code).toBe(1);
    expect(at(r.list)).toEqual(['access/settings.yaml:12:22 ACC114']);
    expect(r.list[0]!.message).toMatch(/^the SCIM token of the AWS app "aws" is issued 2999-01-01, after today \(\d{4}-\d\d-\d\d, UTC\): scim-token-age would not warn before it expires$/);
  });

  it('is an error from the day after today, whatever policy.yaml says about scim-token-age', async () => {
    const now = '2026-11-23T12:00:00Z';
    const validateAt = async (files: Record<string, string>) => {
      const r = await run(['validate', '--format', 'json'], tempRepo(files), now);
      return { code: r.code, list: at((JSON.parse(r.stdout) as { errors: Reported[] }).errors.filter((d) => d.code.startsWith('ACC'))) };
    };
    expect(await validateAt(settings('2026-11-23'))).toEqual({ code: 0, list: [] });
    expect(await validateAt(settings('2026-11-24'))).toEqual({ code: 1, list: ['access/settings.yaml:12:22 ACC114'] });
    expect(await validateAt({ ...settings('2046-11-24'), 'policy.yaml': 'rules:\n  scim-token-age: false\n' })).toEqual({ code: 1, list: ['access/settings.yaml:12:22 ACC114'] });
  });
});
