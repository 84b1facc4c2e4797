// The worker half of parse-parallel.ts: parses the files it is given with
// parseDetached and posts the results back, then raises the flag the main
// thread waits on.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { SchemaValidator } from '../schema/validate';
import { classify } from './classify';
import { parseDetached } from './parse';
import type { SourceFile } from './source';

interface Job {
  readonly sources: SourceFile[];
  readonly port: MessagePort;
  readonly flag: Int32Array;
  /** The policy file's schema of the main thread's validator (absent: the schema layer's default). */
  readonly policySchema?: object;
}

const job = workerData as Job;
let results: unknown;
try {
  // Schema validation runs here too, while the main thread parses its share.
  const validator = new SchemaValidator(job.policySchema);
  results = {
    ok: job.sources.map((s) => {
      const kind = classify(s.rel);
      return parseDetached(s, kind === undefined ? undefined : (file) => validator.validate(kind, file));
    }),
  };
} catch (e) {
  results = { error: e instanceof Error ? e.stack ?? e.message : String(e) };
}
job.port.postMessage(results);
Atomics.store(job.flag, 0, 1);
Atomics.notify(job.flag, 0);
parentPort?.close();
