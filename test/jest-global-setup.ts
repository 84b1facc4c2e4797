import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAY_ONCE_DIR } from './say-once';

/** Once per jest run, before any test file: the directory sayOnce marks lines as said in (workers inherit the variable). */
export default function globalSetup(): void {
  process.env[SAY_ONCE_DIR] = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-jest-'));
}
