// How engine tests declare themselves: with the engine built they run; without
// it they are skipped with one line a run saying how to build it, except under
// CI=true, where a missing engine is a failure.

import { sayOnce } from '../test/say-once';
import { findEngine, HOW_TO_BUILD, type Engine } from './harness';

/** describe() for tests that need the real engine; `body` gets it once it is found. */
export function describeEngine(name: string, body: (engine: () => Engine) => void): void {
  const found = findEngine();
  if ('engine' in found) {
    describe(name, () => body(() => found.engine));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has the engine built (required under CI=true)', () => {
        throw new Error(`the engine is not built: ${found.missing}. Run ${HOW_TO_BUILD}`);
      });
    });
    return;
  }
  sayOnce('engine-skipped', `engine tests skipped: ${found.missing}; to run them: ${HOW_TO_BUILD}`);
  describe.skip(name, () => body(() => found as never));
}
