import type { Io } from './io';

/** One CLI command: one file under src/cli/commands/. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: string[], io: Io): Promise<number>;
}
