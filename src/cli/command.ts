import type { Io } from './io';

/** One CLI command: one file under src/cli/commands/. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** The --format used when none is given, when it is not text (main() writes machine formats byte-exact). */
  readonly defaultFormat?: string;
  run(args: string[], io: Io): Promise<number>;
}
