/** Everything a command needs from the outside world, passed in so tests run commands in-process. */
export interface Io {
  /** The working directory paths are resolved against and shown relative to. */
  readonly cwd: string;
  /** The clock: expiry and "today" come from here, never from the global Date. */
  readonly now: () => Date;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stderr is an interactive terminal: progress bars may be drawn there. */
  readonly isTTY?: boolean;
}

export const EXIT_OK = 0;
/** Errors in the input or blocking findings. */
export const EXIT_FINDINGS = 1;
/** Usage error or internal error. */
export const EXIT_USAGE = 2;
