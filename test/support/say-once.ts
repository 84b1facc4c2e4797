// One line per jest run, however many test files say it. Jest loads every
// test file in a fresh module registry (and, with several workers, in another
// process), so module state cannot remember that a line was printed: the
// global setup (test/support/jest-global-setup.ts) makes one directory per run, and
// the first file to create a line's marker in it prints the line.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The variable through which the global setup hands its directory to the test files. */
export const SAY_ONCE_DIR = 'ACCESSCTL_JEST_SAY_ONCE';

/** Writes `line` to stderr unless a test file of this run has already said `key`; without the global setup, every time. */
export function sayOnce(key: string, line: string, env: NodeJS.ProcessEnv = process.env): void {
  const dir = env[SAY_ONCE_DIR];
  if (dir !== undefined) {
    try {
      fs.writeFileSync(path.join(dir, key), '', { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    }
  }
  process.stderr.write(`${line}\n`);
}
