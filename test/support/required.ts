// The one rule for suites that need something the repository does not hold
// (the engine, a browser): with it they run. Without it, under CI=true, the
// suite FAILS, saying what is missing and how to get it (CI=true means every
// suite is required); anywhere else it is skipped, with one line a jest run
// saying the same (sayOnce). The compiled CLI is not such a prerequisite: the
// jest global setup builds dist/ (test/support/compiled-cli.ts).

import * as fs from 'node:fs';
import { sayOnce } from './say-once';

export interface Prerequisite {
  /** A short name for what the suites need ("engine", "browser"): the sayOnce key and the start of the lines. */
  readonly name: string;
  /** Why it is missing, or undefined when it is there. */
  readonly missing: string | undefined;
  /** How to get it, as a person would type it. */
  readonly howTo: string;
}

/** True when every suite is required: CI=true (what .ci/run and the workflows export). */
export function required(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true';
}

/** The error a required suite fails with when `p` is missing. */
export function missingError(p: Prerequisite): Error {
  return new Error(`${p.name} tests are required under CI=true, and the ${p.name} is missing: ${p.missing}. To get it: ${p.howTo}`);
}

/** What happens to a suite or test that needs `p`: run it, fail it (CI=true) or skip it (said once). */
export function decide(p: Prerequisite, env: NodeJS.ProcessEnv = process.env): 'run' | 'fail' | 'skip' {
  if (p.missing === undefined) return 'run';
  if (required(env)) return 'fail';
  sayOnce(`${p.name}-skipped`, `${p.name} tests skipped: ${p.missing}; to run them: ${p.howTo}`, env);
  return 'skip';
}

/** describe() for a suite that needs `p`. */
export function describeNeeding(p: Prerequisite, name: string, body: () => void): void {
  switch (decide(p)) {
    case 'run':
      describe(name, body);
      return;
    case 'fail':
      describe(name, () => {
        it(`has the ${p.name} (required under CI=true)`, () => {
          throw missingError(p);
        });
      });
      return;
    case 'skip':
      describe.skip(name, body);
  }
}

/** it() for one test that needs `p` in a suite that does not. */
export function itNeeding(p: Prerequisite, name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  switch (decide(p)) {
    case 'run':
      it(name, fn, timeout);
      return;
    case 'fail':
      it(`${name} (needs the ${p.name}, required under CI=true)`, () => {
        throw missingError(p);
      });
      return;
    case 'skip':
      it.skip(name, fn, timeout);
  }
}

/** The Chromium the browser suites drive: ACCESSCTL_CHROMIUM, or Debian's (apt-get install chromium; .ci/run installs it). */
export const CHROMIUM = process.env.ACCESSCTL_CHROMIUM ?? '/usr/bin/chromium';

/** A Chromium binary to launch. */
export function chromiumBinary(executable: string = CHROMIUM): Prerequisite {
  return {
    name: 'browser',
    missing: fs.existsSync(executable) ? undefined : `no Chromium at ${executable}`,
    howTo: 'sudo apt-get install chromium, or set ACCESSCTL_CHROMIUM to a Chromium binary',
  };
}
