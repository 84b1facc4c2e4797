import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAY_ONCE_DIR } from './say-once';
import { buildDist, DIST_BUILT } from './compiled-cli';

/**
 * Once per jest run, before any test file: the directory sayOnce marks lines
 * as said in (workers inherit the variable), and the compiled CLI in dist/
 * (incremental: seconds when nothing changed). Suites that spawn bin/accessctl
 * or the workflow scripts use it through compiledCli (test/support/compiled-cli.ts),
 * which builds it only when this setup did not run, so no two test files ever
 * rewrite dist/ while another reads it.
 */
export default function globalSetup(): void {
  process.env[SAY_ONCE_DIR] = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-jest-'));
  buildDist();
  process.env[DIST_BUILT] = '1';
}
