import { suggest } from '../util/suggest';
import { UsageError } from './args';
import { COMMANDS } from './commands';
import { EXIT_OK, EXIT_USAGE, type Io } from './io';

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

/** Runs one command line; returns the exit code. Never calls process.exit and never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
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
    if (e instanceof UsageError) {
      io.stderr(`accessctl ${command.name}: ${e.message}\n\nUsage: ${command.usage.split('\n')[0]}\n`);
      return EXIT_USAGE;
    }
    const err = e as Error;
    io.stderr(`accessctl ${command.name}: internal error: ${err.message}\n${io.env.ACCESSCTL_DEBUG ? `${err.stack ?? ''}\n` : 'Set ACCESSCTL_DEBUG=1 for the stack trace, and please report it.\n'}`);
    return EXIT_USAGE;
  }
}
