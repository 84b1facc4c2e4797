import * as fs from 'node:fs';
import { SAY_ONCE_DIR } from './say-once';

/** Removes the global setup's directory: no test leaves work behind. */
export default function globalTeardown(): void {
  const dir = process.env[SAY_ONCE_DIR];
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
}
