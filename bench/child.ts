// One measured task of npm run bench, in a process of its own so that its
// wall time and peak RSS are its own. Reports on stderr as a last line:
//   @@bench {"code":0,"maxRssKb":123456,"outputBytes":789}
//
//   node dist-tools/bench/child.js cli ARGS…        accessctl ARGS… (stdout counted, not kept)
//   node dist-tools/bench/child.js floor DIR BYTES  parse every YAML file under DIR, then
//                                             JSON.stringify that data until BYTES are written
//   node dist-tools/bench/child.js naive DIR OUT    load DIR, then the naive cdktf synth into OUT

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { main } from '../src/cli/main';
import { readAccessDir } from '../src/load/source';
import { loadAccessDir } from '../src/model/load';

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
  throw new Error(`unknown task ${task}`);
}

const [task, ...args] = process.argv.slice(2);
run(task ?? '', args).then(
  (r) => process.stderr.write(`\n@@bench ${JSON.stringify({ ...r, maxRssKb: process.resourceUsage().maxRSS })}\n`),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n@@bench ${JSON.stringify({ code: 2, maxRssKb: process.resourceUsage().maxRSS, outputBytes: 0 })}\n`);
  },
);
