// The compiled CLI (bin/accessctl -> dist/) for suites that spawn it or the
// workflow scripts. The jest global setup builds dist/ once per run, before any
// test file, and says so in ACCESSCTL_JEST_DIST; a suite never skips for a
// missing dist/ and never runs a stale one: loaded without that setup (another
// runner, --globalSetup overridden), it builds dist/ itself first.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The variable the global setup sets once dist/ is built for this run. */
export const DIST_BUILT = 'ACCESSCTL_JEST_DIST';

/** Builds dist/ (incremental: seconds when nothing changed). */
export function buildDist(): void {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** bin/accessctl, with dist/ built by this run. */
export function compiledCli(env: NodeJS.ProcessEnv = process.env): string {
  if (env[DIST_BUILT] !== '1') {
    buildDist();
    env[DIST_BUILT] = '1';
  }
  return path.join(REPO_ROOT, 'bin', 'accessctl');
}
