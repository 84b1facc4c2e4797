import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../src/cli/commands';
import { outputFormat } from '../../src/cli/main';
import { formatDiagnosticsGithub } from '../../src/reporters/diagnostics/github';
import { diag } from '../../src/diagnostics';
import { sanitizeText, sanitizingWriter, workflowData, workflowProperty } from '../../src/util/sanitize';
import { exampleOrg, REPO_ROOT, run } from '../support/helpers';
import { compiledCli } from '../support/compiled-cli';

const ESC = '\u001b';
/** What a forger puts in a description, a reason, an OU glob or an account reference. */
const FORGED = `ok\n::error file=x::forged\n  ::warning::indented\r::notice::after a lone CR\n\u3000::debug::ideographic space ##[error]legacy ${ESC}[31mred${ESC}[0m\u0000\u007f\u009b`;

/** Every way text can start a workflow command or act on a terminal, as a list of what is wrong. */
function hazards(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (line.trimStart().startsWith('::')) found.push(`command line: ${JSON.stringify(line)}`);
  }
  if (text.includes('##[')) found.push('legacy ##[ command');
  const control = text.replace(/\r\n/g, '\n').match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g);
  if (control) found.push(`control characters: ${JSON.stringify(control.join(''))}`);
  return found;
}

describe('sanitizeText', () => {
  it('shows controls, DEL, C1 and lone CRs as \\xNN, keeps LF, TAB and CRLF', () => {
    expect(sanitizeText(`a${ESC}[31mb${ESC}[0m\u0000\u0007\u0008\u000b\u000c\u007f\u0085\u009b\tc\r\nd\re\r`)).toBe(
      'a\\x1b[31mb\\x1b[0m\\x00\\x07\\x08\\x0b\\x0c\\x7f\\x85\\x9b\tc\r\nd\\x0de\\x0d',
    );
  });

  it('neutralises workflow commands at line starts, after any white space the runner trims, and ##[ anywhere', () => {
    expect(sanitizeText('::error file=a::x\nb ::c\n  ::warning::y\n\t\u00a0\u3000::notice::z\r\n::debug::w\n##[error]v and ##[group]u')).toBe(
      '\\x3a:error file=a::x\nb ::c\n  \\x3a:warning::y\n\t\u00a0\u3000\\x3a:notice::z\r\n\\x3a:debug::w\n##\\x5berror]v and ##\\x5bgroup]u',
    );
    // A lone CR is a line break to the runner: it is escaped, so what follows is not at a line start.
    expect(sanitizeText('a\r::error::x')).toBe('a\\x0d::error::x');
    expect(sanitizeText(': :: :x')).toBe(': :: :x');
  });

  it('neutralises the forged description completely, and is idempotent', () => {
    const out = sanitizeText(FORGED);
    expect(out).toBe(
      'ok\n\\x3a:error file=x::forged\n  \\x3a:warning::indented\\x0d::notice::after a lone CR\n\u3000\\x3a:debug::ideographic space ##\\x5berror]legacy \\x1b[31mred\\x1b[0m\\x00\\x7f\\x9b',
    );
    expect(hazards(out)).toEqual([]);
    expect(sanitizeText(out)).toBe(out);
  });

  it('keeps what the options allow', () => {
    expect(sanitizeText('::error::x\n::y', { workflowCommands: true })).toBe('::error::x\n::y');
    expect(sanitizeText('\rprogress 1/2\rprogress 2/2\n', { carriageReturn: true })).toBe('\rprogress 1/2\rprogress 2/2\n');
    expect(sanitizeText('\r::error::x', { carriageReturn: true })).toBe('\r\\x3a:error::x');
    expect(sanitizeText('::x\n::y', { midLine: true })).toBe('::x\n\\x3a:y');
  });
});

describe('sanitizingWriter', () => {
  const through = (pieces: string[], opts = {}): string => {
    let out = '';
    const w = sanitizingWriter((t) => (out += t), opts);
    for (const p of pieces) w.write(p);
    w.flush();
    return out;
  };

  it('knows where lines start across pieces', () => {
    expect(through(['a', '::b\n', '::c', '\n  ', '::d', ' ::e\n'])).toBe('a::b\n\\x3a:c\n  \\x3a:d ::e\n');
    expect(through(['x\n', '', '::y'])).toBe('x\n\\x3a:y');
  });

  it('tells a CRLF split across pieces from a lone CR, and writes a final CR at flush', () => {
    expect(through(['a\r', '\nb\r', '::c\r'])).toBe('a\r\nb\\x0d::c\\x0d');
  });

  it('sees `::` and `##[` split across pieces, and writes what it held at flush', () => {
    expect(through(['x\n  :', ':error::y\n', '#', '#', '[z #', '#'])).toBe('x\n  \\x3a:error::y\n##\\x5bz ##');
    expect(through(['a:', ':b\n:'])).toBe('a::b\n:');
  });

  it('never lets a line start a command, however the forged text is cut into pieces', () => {
    const text = `head\n${FORGED}\n${FORGED}`;
    for (let size = 1; size <= 7; size++) {
      const pieces = text.match(new RegExp(`[^]{1,${size}}`, 'g'))!;
      expect(hazards(through(pieces))).toEqual([]);
    }
  });
});

describe('workflow-command escapes', () => {
  it('percent-encodes data and properties after sanitising them', () => {
    expect(workflowData(`50%\nnext\r\nline\r::error::x ${ESC}[1m`)).toBe('50%25%0Anext%0D%0Aline\\x0d::error::x \\x1b[1m');
    expect(workflowProperty('a: b, c%\n')).toBe('a%3A b%2C c%25%0A');
  });

  it('formats annotations and the plain lines past the limit without a forged command', () => {
    const list = Array.from({ length: 11 }, (_, i) => diag('ACC041', { file: `access/groups/g${i}${ESC}[2J.yaml`, line: 1, column: 2 }, `unknown account "a${FORGED}"`));
    const out = formatDiagnosticsGithub(list);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      '::error file=access/groups/g0\\x1b[2J.yaml,line=1,col=2,title=ACC041 error::unknown account "aok%0A::error file=x::forged%0A  ::warning::indented\\x0d::notice::after a lone CR%0A\u3000::debug::ideographic space ##\\x5berror]legacy \\x1b[31mred\\x1b[0m\\x00\\x7f\\x9b"',
    );
    const plain = out.slice(out.indexOf('1 more not annotated'));
    expect(plain.split('\n')[1]).toBe('access/groups/g10\\x1b[2J.yaml:1:2 error ACC041 unknown account "aok');
    expect(hazards(plain)).toEqual([]);
    expect(out.split('\n').filter((l) => l.startsWith('::')).length).toBe(10);
  });
});

describe('outputFormat', () => {
  it('reads --format as node parseArgs does, else the command default', () => {
    expect(outputFormat(['diff'])).toBe('text');
    expect(outputFormat(['diff', '--format', 'json'])).toBe('json');
    expect(outputFormat(['diff', '--format=markdown'])).toBe('markdown');
    expect(outputFormat(['validate', '-f', 'github'])).toBe('github');
    expect(outputFormat(['validate', '-fjson', '--format', 'text'])).toBe('text');
    expect(outputFormat(['audit'])).toBe('json');
    expect(outputFormat(['review'])).toBe('markdown');
    expect(outputFormat(['retrospective'])).toBe('json');
    expect(outputFormat(['policy-check', '--', '--format', 'json'])).toBe('text');
  });
});

describe('main sanitises what every command prints', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each(COMMANDS.map((c) => c.name))('%s: text output and stderr cannot start a workflow command or reach the terminal raw', async (name) => {
    const command = COMMANDS.find((c) => c.name === name)!;
    jest.spyOn(command, 'run').mockImplementation(async (_args, io) => {
      io.stdout('line one\n');
      io.stdout(FORGED.slice(0, 5));
      io.stdout(FORGED.slice(5));
      io.stdout('\n');
      io.stderr(`warning: ${FORGED}\n`);
      return 0;
    });
    const r = await run([name], REPO_ROOT);
    expect(hazards(r.stderr)).toEqual([]);
    if (outputFormat([name]) === 'text') expect(hazards(r.stdout)).toEqual([]);
    else expect(r.stdout).toBe(`line one\n${FORGED}\n`);
  });

  it('writes machine formats byte-exact', async () => {
    const command = COMMANDS.find((c) => c.name === 'diff')!;
    jest.spyOn(command, 'run').mockImplementation(async (_args, io) => {
      io.stdout(`${FORGED}\r`);
      return 0;
    });
    for (const format of ['json', 'markdown', 'csv', 'html']) expect((await run(['diff', '--format', format], REPO_ROOT)).stdout).toBe(`${FORGED}\r`);
    expect((await run(['diff', '--format', 'github'], REPO_ROOT)).stdout).toBe(sanitizeText(`${FORGED}\r`, { workflowCommands: true }));
  });

  it('sanitises its own messages (an unknown command is user text)', async () => {
    const r = await run([`x\n::error::y${ESC}`], REPO_ROOT);
    expect(r.stderr).toBe('accessctl: unknown command "x\n\\x3a:error::y\\x1b"\nRun accessctl --help for the list of commands.\n');
  });
});

describe('the compiled CLI', () => {
  const group = (name: string, accounts = '{ ou: "Workloads/*" }') => `name: ${name}
description: "Forged\\n::error file=x::forged\\n  ::warning::indented ##[error]legacy"
owners: [alice.nguyen@example.com]
mode: additive
members:
  - user: bob.martin@example.com
    reason: "because\\n::error file=r::reason"
apps: [aws]
aws:
  - permissionSet: ReadOnly
    accounts: ${accounts}
`;
  /** The example org committed to git, with a working tree that adds the forged groups (and, when `broken`, a forged account reference). */
  const repo = (broken: boolean): string => {
    const root = exampleOrg(true);
    fs.writeFileSync(path.join(root, 'access/groups/forged.yaml'), group('forged'));
    // A file name is user text too, and the one place an ESC can come from: the loader refuses controls in values.
    // ESC c resets a terminal (ESC [ sequences would need a [, which a file name may not hold: ACC097).
    fs.writeFileSync(path.join(root, `access/groups/esc${ESC}cred.yaml`), group('esc-red'));
    if (broken) fs.writeFileSync(path.join(root, 'access/groups/bad.yaml'), group('bad', '["prod\\n::error file=z::account"]'));
    return root;
  };
  let valid: string;
  let broken: string;

  beforeAll(() => {
    valid = repo(false);
    broken = repo(true);
  }, 120_000);

  const cli = (root: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [compiledCli(), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it.each([['validate'], ['synth', '--no-base'], ['diff', '--base', 'HEAD']])('%s %s: text on stdout and stderr is inert', (...args) => {
    for (const root of [valid, broken]) {
      const r = cli(root, ...args);
      expect(`${r.stdout}${r.stderr}`).toMatch(/\\x3a:error file=|\\x1bc/);
      expect(hazards(r.stdout)).toEqual([]);
      expect(hazards(r.stderr)).toEqual([]);
    }
  });

  it('diff and validate show the forged text escaped', () => {
    const diff = cli(valid, 'diff', '--base', 'HEAD');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('  + bob.martin@example.com joins forged (because\n\\x3a:error file=r::reason)\n');
    expect(cli(valid, 'validate').stdout).toContain(`access/groups/esc\\x1bcred.yaml:1:7 warning ACC037 group "esc-red" is declared in esc\\x1bcred.yaml\n`);
    expect(cli(broken, 'validate').stdout).toContain('access/groups/bad.yaml:11:16 error ACC041 unknown account "prod\n\\x3a:error file=z::account"\n');
  });

  it('validate --format github: well-formed commands, user text escaped inside them', () => {
    const r = cli(broken, 'validate', '--format', 'github');
    const lines = r.stdout.trimEnd().split('\n');
    const commands = lines.filter((l) => l.startsWith('::'));
    for (const l of commands) expect(l).toMatch(/^::(error|warning) file=[^,:]*,line=\d+,col=\d+,title=[^,:]*::[^\u0000-\u001f\u007f-\u009f]*$/);
    expect(commands).toContain('::error file=access/groups/bad.yaml,line=11,col=16,title=ACC041 error::unknown account "prod%0A::error file=z::account"');
    expect(commands).toContain('::warning file=access/groups/esc\\x1bcred.yaml,line=1,col=7,title=ACC037 warning::group "esc-red" is declared in esc\\x1bcred.yaml%0Ahint: rename the file to esc-red.yaml');
    expect(hazards(lines.filter((l) => !l.startsWith('::')).join('\n'))).toEqual([]);
    expect(r.stdout).not.toContain(ESC);
  });

  it('JSON stays byte-exact JSON', () => {
    const r = cli(broken, 'validate', '--format', 'json');
    const parsed = JSON.parse(r.stdout) as { errors: Array<{ message: string; file: string }> };
    expect(`${JSON.stringify(parsed, null, 2)}\n`).toBe(r.stdout);
    expect(parsed.errors.map((e) => e.message)).toContain('unknown account "prod\n::error file=z::account"');
    expect(parsed.errors.map((e) => e.file)).toContain(`access/groups/esc${ESC}cred.yaml`);
  });
});
