import { sanitizingWriter } from '../util/sanitize';
import { suggest } from '../util/suggest';
import { RevisionError } from '../diff/revisions';
import { UsageError } from './args';
import { UsageFileError } from '../usage/file';
import { COMMANDS } from './commands';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Io } from './io';

const VERSION = '0.1.0';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `accessctl: Okta and AWS IAM Identity Center access as reviewed, tested YAML

Usage: accessctl <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Commands that read the access files take --dir DIR (default: access); every command takes --help.
Exit codes: 0 clean, 1 errors or blocking findings, 2 usage or internal error.
`;
}

/** Formats written byte-exact: each escapes user text in its own terms (JSON.stringify, CSV quoting, …). */
const MACHINE_FORMATS: ReadonlySet<string> = new Set(['json', 'csv', 'markdown', 'html']);

/** The --format a command line asks for (`--format X`, `--format=X`, `-f X`, `-fX`; the last wins), else the command's default. */
export function outputFormat(argv: readonly string[]): string {
  const [name = '', ...rest] = argv;
  let format: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--') break;
    if (a === '--format' || a === '-f') format = rest[++i];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a.startsWith('-f') && !a.startsWith('--')) format = a.slice(2);
  }
  return format ?? COMMANDS.find((c) => c.name === name)?.defaultFormat ?? 'text';
}

/**
 * Runs one command line; returns the exit code. Never calls process.exit and never throws.
 *
 * Everything a command prints passes here, so this is where text is sanitised (src/util/sanitize.ts): stderr
 * always; stdout unless it is a machine format, which must stay byte-exact. `--format github` is sanitised but
 * keeps its `::` lines: its reporter writes them, escaping user text in them, and sanitises its plain lines.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const format = outputFormat(argv);
  const stdout = MACHINE_FORMATS.has(format) ? undefined : sanitizingWriter(io.stdout, { workflowCommands: format === 'github' });
  // On an interactive terminal (never a CI log) a lone carriage return redraws a progress line.
  const stderr = sanitizingWriter(io.stderr, { carriageReturn: io.isTTY === true && !io.env.CI });
  try {
    return await runCommandLine(argv, { ...io, stdout: stdout?.write ?? io.stdout, stderr: stderr.write });
  } finally {
    stdout?.flush();
    stderr.flush();
  }
}

async function runCommandLine(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(overview());
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const [best] = suggest(name, COMMANDS.map((c) => c.name));
    io.stderr(`accessctl: unknown command "${name}"${best ? ` (did you mean "${best}"?)` : ''}\nRun accessctl --help for the list of commands.\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run([...rest], io);
  } catch (e) {
    if (e instanceof RevisionError) {
      // A git failure, not a finding in a file (no position) nor a misuse (no usage text).
      io.stderr(`accessctl ${command.name}: error ${e.code} ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof UsageFileError) {
      // Bad input, not a misuse: the file and the JSON path of the first bad field.
      io.stderr(`accessctl ${command.name}: usage file ${e.file}: ${e.message}\n`);
      return EXIT_FINDINGS;
    }
    if (e instanceof UsageError) {
      io.stderr(`accessctl ${command.name}: ${e.message}\n\nUsage: ${command.usage.split('\n')[0]}\n`);
      return EXIT_USAGE;
    }
    const err = e as Error;
    io.stderr(`accessctl ${command.name}: internal error: ` +
        `${err.message}\n${io.env.ACCESSCTL_DEBUG ? `${err.stack ?? ''}\n` : 'Set ACCESSCTL_DEBUG=1 for the stack trace, and please report it.\n'}`);
    return EXIT_USAGE;
  }
}
