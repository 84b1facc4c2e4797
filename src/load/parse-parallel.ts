// Parsing YAML is most of the time a large org takes to load (the profile of
// validate at 100,000 assignments: 1.6 s of 3.2 s in the yaml package). On a
// machine with more than one core, a worker thread parses about half of the
// files while this thread parses the rest. The loader's API stays synchronous:
// the worker answers through a MessageChannel read with receiveMessageOnPort,
// after this thread blocks on a shared flag with Atomics.wait.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics';
import { attachParsed, parseYaml, type DetachedParse, type YamlFile } from './parse';
import type { SourceFile } from './source';

/**
 * The worker's share of the bytes. It starts later, compiles the schemas and
 * validates its files too, while this thread compiles them after its share.
 * Over interleaved runs of validate at 100,000 assignments, 0.38, 0.44 and
 * 0.50 were within noise of each other (medians 2.70, 2.79, 2.74 s) and
 * better than 0.32 or sharing out the compile later.
 */
const WORKER_SHARE = 0.38;

/** Below this many bytes a worker costs more (start-up, copying) than it saves. */
export const PARALLEL_MIN_BYTES = 1_000_000;

/** A parse result; `validated` holds the schema diagnostics when the worker already validated the file. */
export type Parsed = { file?: YamlFile; diagnostics: Diagnostic[]; validated?: Diagnostic[] };

const WORKER = path.join(__dirname, 'parse-worker.js');

/** Whether parseMany will use a worker for these sources (ACCESSCTL_PARSE_THREADS=1 turns it off). */
export function useWorker(sources: readonly SourceFile[]): boolean {
  if (process.env.ACCESSCTL_PARSE_THREADS === '1') return false;
  // Only the compiled package ships the worker script (tests run the TypeScript sources in-process).
  if (!__filename.endsWith('.js') || !fs.existsSync(WORKER)) return false;
  if ((os.availableParallelism?.() ?? os.cpus().length) < 2) return false;
  return sources.reduce((n, s) => n + s.bytes.length, 0) >= PARALLEL_MIN_BYTES;
}

/**
 * Parses every source (like parseYaml, one by one), using a worker thread for part of the bytes when it pays;
 * `whileWaiting` runs after this thread's share, before it waits for the worker's.
 * The worker validates its files against the same schemas as this thread: `policySchema` is the policy file's schema of
 * the loader's validator (plain JSON, copied to the worker).
 */
export function parseMany(sources: readonly SourceFile[], whileWaiting?: () => void, policySchema?: object): Map<SourceFile, Parsed> {
  const out = new Map<SourceFile, Parsed>();
  if (!useWorker(sources)) {
    for (const s of sources) out.set(s, parseYaml(s));
    whileWaiting?.();
    return out;
  }
  // The worker takes the files from the end until it has WORKER_SHARE of the
  // bytes: it starts later than this thread and also compiles the schemas.
  const total = sources.reduce((n, s) => n + s.bytes.length, 0);
  let split = sources.length;
  for (let taken = 0; split > 0 && taken + sources[split - 1]!.bytes.length <= total * WORKER_SHARE; split--) taken += sources[split - 1]!.bytes.length;
  const mine = sources.slice(0, split);
  const theirs = sources.slice(split).map((s) => ({ file: s.file, rel: s.rel, bytes: s.bytes }));
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(
    WORKER,
    { workerData: { sources: theirs, port: port2, flag, ...(policySchema !== undefined ? { policySchema } : {}) }, transferList: [port2] },
  );
  worker.unref();
  try {
    for (const s of mine) out.set(s, parseYaml(s));
    whileWaiting?.();
    // Bounded: a worker that cannot start or crashed must not hang the CLI;
    // its files are then parsed here, so the result never depends on it.
    const answered = Atomics.wait(flag, 0, 0, 60_000) !== 'timed-out';
    const message = answered ? (receiveMessageOnPort(port1)?.message as { ok?: DetachedParse[] } | undefined) : undefined;
    if (process.env.ACCESSCTL_PARSE_TRACE === '1') process.stderr.write(`parse: ${mine.length} files here, ${theirs.length} in a ` +
        `worker${message?.ok ? '' : ' (no answer: parsed here)'}\n`);
    sources.slice(split).forEach((s, i) => {
      const r = message?.ok?.[i];
      if (r === undefined) out.set(s, parseYaml(s));
      else out.set(
        s,
        r.diagnostics !== undefined ? { diagnostics: r.diagnostics } : {
          file: attachParsed(s, r),
          diagnostics: [],
          ...(r.validated !== undefined ? { validated: r.validated } : {}),
        },
      );
    });
  } finally {
    port1.close();
    void worker.terminate();
  }
  return out;
}
