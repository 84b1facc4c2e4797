// Skip lines (engine, browser) are printed once per jest run: each test file
// loads test/support/say-once.ts in a fresh module registry, so what is said is
// remembered in the run's directory, not in the module.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAY_ONCE_DIR } from './say-once';

/** sayOnce as a fresh test file loads it. */
function freshSayOnce(): typeof import('./say-once').sayOnce {
  let fn: typeof import('./say-once').sayOnce | undefined;
  jest.isolateModules(() => {
    fn = (jest.requireActual('./say-once') as typeof import('./say-once')).sayOnce;
  });
  return fn!;
}

describe('sayOnce', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('says a line once for all the test files of a run, and each line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-say-once-'));
    const env = { [SAY_ONCE_DIR]: dir };
    for (let file = 0; file < 3; file++) freshSayOnce()('engine-skipped', 'engine tests skipped: no engine', env);
    freshSayOnce()('browser-skipped', 'browser tests skipped: no Chromium', env);
    expect(written).toEqual(['engine tests skipped: no engine\n', 'browser tests skipped: no Chromium\n']);
    fs.rmSync(dir, { recursive: true });
  });

  it('says it every time without the global setup, rather than never', () => {
    const say = freshSayOnce();
    say('engine-skipped', 'engine tests skipped', {});
    say('engine-skipped', 'engine tests skipped', {});
    expect(written).toHaveLength(2);
  });

  it('runs under the global setup in this run', () => {
    expect(process.env[SAY_ONCE_DIR]).toBeDefined();
    expect(fs.statSync(process.env[SAY_ONCE_DIR]!).isDirectory()).toBe(true);
  });
});
