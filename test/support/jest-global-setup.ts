import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAY_ONCE_DIR } from './say-once';
import { buildDist, DIST_BUILT } from './compiled-cli';

/** The run's temporary directory: TMPDIR of every test, removed by the global teardown. */
export const RUN_TMP = 'ACCESSCTL_JEST_TMP';

/**
 * Once per jest run, before any test file: one temporary directory that every
 * test's temporary files land in (TMPDIR, which os.tmpdir() and the tools the
 * tests spawn read; workers inherit it), so no test leaves work behind; the
 * directory sayOnce marks lines as said in; and the compiled CLI in dist/
 * (incremental: seconds when nothing changed). Suites that spawn bin/accessctl
 * or the workflow scripts use it through compiledCli (test/support/compiled-cli.ts),
 * which builds it only when this setup did not run, so no two test files ever
 * rewrite dist/ while another reads it.
 */
export default function globalSetup(): void {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-jest-'));
  process.env[RUN_TMP] = run;
  process.env.TMPDIR = run;
  process.env[SAY_ONCE_DIR] = fs.mkdtempSync(path.join(run, 'say-once-'));
  buildDist();
  process.env[DIST_BUILT] = '1';
}
