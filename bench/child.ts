// One measured task of npm run bench, in a process of its own so that its
// wall time and peak RSS are its own. Reports on stderr as a last line:
//   @@bench {"code":0,"maxRssKb":123456,"outputBytes":789}
//
//   node dist-tools/bench/child.js cli ARGS…        accessctl ARGS… (stdout counted, not kept)
//   node dist-tools/bench/child.js floor DIR BYTES  parse every YAML file under DIR, then
//                                             JSON.stringify that data until BYTES are written
//   node dist-tools/bench/child.js naive DIR OUT    load DIR, then the naive cdktf synth into OUT
//   node dist-tools/bench/child.js evaluate DIR ACTION
//                                             load DIR, then evaluate ACTION over every
//                                             permission set, then the sensitive actions of
//                                             every permission set; reports the three times
//                                             on stderr as @@timing {"loadSeconds":…}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { main } from '../src/cli/main';
import { readAccessDir } from '../src/load/source';
import { loadAccessDir } from '../src/model/load';
import { evaluate } from '../src/iam/evaluate';
import { policiesOf } from '../src/iam/permission-set';
import { SensitiveIndex } from '../src/iam/sensitive';

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** Loading the files against evaluating one action, and every sensitive action, over all permission sets (issue 27's measure). */
function evaluateTask(dir: string, action: string): { code: number; outputBytes: number } {
  let start = process.hrtime.bigint();
  const loaded = loadAccessDir(dir, process.cwd());
  const loadSeconds = seconds(start);
  if (!loaded.model) return { code: 1, outputBytes: 0 };
  const sets = loaded.model.permissionSets;
  start = process.hrtime.bigint();
  const decisions: Record<string, number> = {};
  for (const ps of sets) {
    const d = evaluate({ action }, policiesOf(ps)).decision;
    decisions[d] = (decisions[d] ?? 0) + 1;
  }
  const evaluateSeconds = seconds(start);
  start = process.hrtime.bigint();
  const index = new SensitiveIndex(loaded.model);
  let hits = 0;
  for (const ps of sets) hits += index.of(ps.name).length;
  const sensitiveSeconds = seconds(start);
  const timing = { loadSeconds, evaluateSeconds, sensitiveSeconds, permissionSets: sets.length, action, decisions, sensitiveHits: hits };
  process.stderr.write(`\n@@timing ${JSON.stringify(timing)}\n`);
  return { code: 0, outputBytes: 0 };
}

async function run(task: string, args: string[]): Promise<{ code: number; outputBytes: number }> {
  if (task === 'cli') {
    let outputBytes = 0;
    const code = await main(args, {
      cwd: process.cwd(),
      now: () => new Date(process.env.BENCH_NOW ?? '2026-11-23T12:00:00Z'),
      env: {},
      stdout: (t) => {
        outputBytes += Buffer.byteLength(t);
      },
      stderr: (t) => process.stderr.write(t),
    });
    return { code, outputBytes };
  }
  if (task === 'floor') {
    const [dir, bytes] = args as [string, string];
    const data = readAccessDir(dir, process.cwd()).sources.map((f) => parse(Buffer.from(f.bytes).toString('utf8')) as unknown);
    const target = Number(bytes);
    let outputBytes = 0;
    const out = path.join(process.env.BENCH_TMP ?? '/tmp', `floor-${process.pid}.json`);
    const fd = fs.openSync(out, 'w');
    while (outputBytes < target) {
      const s = JSON.stringify(data, null, 2);
      fs.writeSync(fd, s);
      outputBytes += Buffer.byteLength(s);
    }
    fs.closeSync(fd);
    fs.rmSync(out);
    return { code: 0, outputBytes };
  }
  if (task === 'naive') {
    const [dir, out] = args as [string, string];
    const loaded = loadAccessDir(dir, process.cwd());
    if (!loaded.model) return { code: 1, outputBytes: 0 };
    // Required here so that the other tasks never load cdktf.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { naiveSynth } = require('../stacks/tools/naive') as typeof import('../stacks/tools/naive');
    naiveSynth(loaded.model, out);
    let outputBytes = 0;
    for (const s of ['okta', 'aws']) outputBytes += fs.statSync(path.join(out, 'stacks', s, 'cdk.tf.json')).size;
    return { code: 0, outputBytes };
  }
  if (task === 'evaluate') return evaluateTask(args[0] ?? 'access', args[1] ?? 's3:GetObject');
  throw new Error(`unknown task ${task}`);
}

const [task, ...args] = process.argv.slice(2);
run(task ?? '', args).then(
  (r) => process.stderr.write(`\n@@bench ${JSON.stringify({ ...r, maxRssKb: process.resourceUsage().maxRSS })}\n`),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n@@bench ${JSON.stringify({ code: 2, maxRssKb: process.resourceUsage().maxRSS, outputBytes: 0 })}\n`);
  },
);
