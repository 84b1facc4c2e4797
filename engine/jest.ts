// How engine tests declare themselves: with the engine built they run; without
// it the one rule for required suites decides (test/support/required.ts): a
// failure under CI=true, else skipped with one line a run saying how to build it.

import { describeNeeding } from '../test/support/required';
import { findEngine, HOW_TO_BUILD, type Engine } from './harness';

/** describe() for tests that need the real engine; `body` gets it once it is found. */
export function describeEngine(name: string, body: (engine: () => Engine) => void): void {
  const found = findEngine();
  const missing = 'engine' in found ? undefined : found.missing;
  describeNeeding({ name: 'engine', missing, howTo: HOW_TO_BUILD }, name, () => body(() => {
    if (!('engine' in found)) throw new Error(`no engine: ${found.missing}`);
    return found.engine;
  }));
}
