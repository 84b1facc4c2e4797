import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAY_ONCE_DIR } from './say-once';

/**
 * Once per jest run, before any test file: the directory sayOnce marks lines
 * as said in (workers inherit the variable), and the compiled CLI in dist/
 * (incremental: seconds when nothing changed). Suites that spawn bin/accessctl
 * or the workflow scripts use it; none builds it itself, so no two test files
 * ever rewrite dist/ while another reads it.
 */
export default function globalSetup(): void {
  process.env[SAY_ONCE_DIR] = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-jest-'));
  execFileSync('npm', ['run', '-s', 'build'], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
}
