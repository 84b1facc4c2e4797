// How long the real engine takes to plan what accessctl writes, next to how
// long accessctl takes to write it, measured in one run (docs/scale.md).
//
//   npm run bench:engine                 1,000-assignment shard, then the 100,000-assignment org
//   npm run bench:engine -- --small      the 1,000-assignment shard only
//   npm run bench:engine -- --plan-timeout-minutes 30   stop a plan after that long (default 30) and report it unfinished
//
// Needs the engine (bash engine/build.sh). The 1,000-assignment org is
// applied against moto and planned again (the plan a pull request gets once
// the state exists); the 100,000-assignment org is planned from an empty
// state (the first plan), since applying it would mean 100,000 creates that
// each wait 10 s for AWS's asynchronous status.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { findEngine, Moto, tofuEnv, Workspace, type Engine } from '../engine/harness';
import { generateOrg, LARGE, writeOrg, type OrgSize } from './generate';

const SHARD: OrgSize = { groups: 100, accounts: 50, users: 500, permissionSets: 20, grantsPerGroup: 2, accountsPerGrant: 5, membersPerGroup: 5, seed: 1 };

interface Row {
  readonly org: string;
  readonly assignments: number;
  readonly step: string;
  readonly seconds: number;
  readonly peakMb?: number;
  /** The step was stopped at the time limit: `seconds` is a lower bound. */
  readonly unfinished?: boolean;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Runs tofu under /usr/bin/time for its peak memory (when the machine has it). */
function tofuPeak(engine: Engine, dir: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): { seconds: number; peakMb?: number; code: number; out: string; timedOut: boolean } {
  const start = process.hrtime.bigint();
  const hasTime = fs.existsSync('/usr/bin/time');
  const report = path.join(dir, 'time.txt');
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', '-o', report, engine.tofu, ...args], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30, ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}) })
    : spawnSync(engine.tofu, args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30, ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}) });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (timedOut) spawnSync('pkill', ['-KILL', '-f', engine.tofu]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peakMb = hasTime && fs.existsSync(report) ? Math.round(Number(fs.readFileSync(report, 'utf8').trim().split('\n').pop()) / 1024) : undefined;
  return { seconds, code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}`, timedOut, ...(peakMb !== undefined ? { peakMb } : {}) };
}

async function measure(engine: Engine, moto: Moto, name: string, size: OrgSize, applyIt: boolean, report: (r: Row) => void, planTimeoutMs: number): Promise<void> {
  const rows = { push: report };
  const ws = new Workspace(engine, { moto, name: `bench-${name}` });
  try {
    fs.mkdirSync(path.join(ws.dir, 'access'), { recursive: true });
    const files = generateOrg(size);
    writeOrg(path.join(ws.dir, 'access'), files);
    const groups = [...files.keys()].filter((f) => f.startsWith('groups/')).map((f) => path.basename(f, '.yaml'));
    moto.seed(groups);
    const synth = await timed(() => ws.synth());
    const assignments = Object.keys(ws.config('aws').locals.account_assignments as object).length;
    rows.push({ org: name, assignments, step: 'accessctl synth', seconds: synth.seconds });
    const stack = ws.stack('aws');
    stack.init();
    const env = tofuEnv(engine);
    const first = tofuPeak(engine, stack.dir, ['plan', '-input=false', '-no-color', '-lock=false', '-out=first.tfplan'], env, planTimeoutMs);
    rows.push({ org: name, assignments, step: 'tofu plan, empty state (every resource created)', seconds: first.seconds, ...(first.peakMb !== undefined ? { peakMb: first.peakMb } : {}), ...(first.timedOut ? { unfinished: true } : {}) });
    if (first.timedOut) return;
    if (first.code !== 0) throw new Error(`plan failed:\n${first.out.slice(-3000)}`);
    if (applyIt) {
      const apply = tofuPeak(engine, stack.dir, ['apply', '-input=false', '-no-color', '-parallelism=50', 'first.tfplan'], env);
      if (apply.code !== 0) throw new Error(`apply failed:\n${apply.out.slice(-3000)}`);
      rows.push({ org: name, assignments, step: 'tofu apply, -parallelism=50 (each assignment waits 10 s for AWS)', seconds: apply.seconds, ...(apply.peakMb !== undefined ? { peakMb: apply.peakMb } : {}) });
      const again = tofuPeak(engine, stack.dir, ['plan', '-input=false', '-no-color', '-lock=false', '-detailed-exitcode'], env);
      if (again.code !== 0) throw new Error(`the second plan is not empty (exit ${again.code}):\n${again.out.slice(-3000)}`);
      rows.push({ org: name, assignments, step: 'tofu plan, state in place (refresh of every resource, no change)', seconds: again.seconds, ...(again.peakMb !== undefined ? { peakMb: again.peakMb } : {}) });
    }
  } finally {
    ws.remove();
  }
}

async function main(): Promise<void> {
  const found = findEngine();
  if (!('engine' in found)) {
    process.stderr.write(`bench:engine needs the engine: ${found.missing}; run bash engine/build.sh\n`);
    process.exitCode = 2;
    return;
  }
  const small = process.argv.includes('--small');
  const limit = process.argv.indexOf('--plan-timeout-minutes');
  const planTimeoutMs = (limit >= 0 ? Number(process.argv[limit + 1]) : 30) * 60_000;
  if (!Number.isFinite(planTimeoutMs) || planTimeoutMs <= 0) {
    process.stderr.write('bench:engine: --plan-timeout-minutes takes a positive number\n');
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`accessctl bench:engine (OpenTofu ${found.engine.tofuVersion}, hashicorp/aws ${found.engine.providers.aws!.version}, moto; ${new Date().toISOString().slice(0, 10)})\n`);
  const rows: Row[] = [];
  const orgs: Array<[string, OrgSize, boolean]> = [['shard-1k', SHARD, true], ...(small ? [] : [['org-100k', LARGE, false] as [string, OrgSize, boolean]])];
  for (const [name, size, applyIt] of orgs) {
    // A fresh emulator per org: each starts from an empty Identity Center.
    const moto = await Moto.start(found.engine);
    try {
      await measure(found.engine, moto, name, size, applyIt, (r) => {
        rows.push(r);
        process.stdout.write(`${r.org.padEnd(9)} ${String(r.assignments).padStart(7)} assignments  ${r.step.padEnd(66)} ${r.unfinished ? '>' : ' '}${r.seconds.toFixed(1).padStart(7)} s${r.peakMb !== undefined ? `  ${r.peakMb} MB peak` : ''}${r.unfinished ? '  (stopped: did not finish)' : ''}\n`);
      }, planTimeoutMs);
    } finally {
      await moto.stop();
    }
  }
  for (const org of [...new Set(rows.map((r) => r.org))]) {
    const synth = rows.find((r) => r.org === org && r.step === 'accessctl synth')!;
    for (const r of rows.filter((x) => x.org === org && x.step !== 'accessctl synth')) {
      process.stdout.write(`${org}: ${r.step.split(',')[0]} / synth = ${r.unfinished ? 'more than ' : ''}${(r.seconds / synth.seconds).toFixed(1)}x (${r.step})\n`);
    }
  }
  const json = process.env.ACCESSCTL_ARTIFACTS ? path.join(process.env.ACCESSCTL_ARTIFACTS, 'bench-engine.json') : undefined;
  if (json) fs.writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:engine failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
