import * as fs from 'node:fs';
import { RUN_TMP } from './jest-global-setup';

/** Removes the run's temporary directory (the tests' TMPDIR, sayOnce's marks among it): no test leaves work behind. */
export default function globalTeardown(): void {
  const dir = process.env[RUN_TMP];
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
}
