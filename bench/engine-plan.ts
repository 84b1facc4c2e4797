// How long the real engine takes to plan what accessctl writes, next to how
// long accessctl takes to write it, measured in one run (docs/scale.md).
//
//   npm run bench:engine                 1,000-assignment shard, then the 100,000-assignment org
//   npm run bench:engine -- --small      the 1,000-assignment shard only
//   npm run bench:engine -- --plan-timeout-minutes 30   stop a plan after that long (default 30) and report it unfinished
//
// Every tofu step also reports the AWS API calls it made, counted by moto
// (its request recording, engine/api-calls.ts) per operation, and the least
// time IAM Identity Center's quota of 20 requests a second shared by the org
// (IDENTITY_CENTER_TPS, from the IAM Identity Center User Guide's quotas) needs
// for them. The shard's okta stack is planned and applied against the Okta
// emulator too, with the calls the emulator logs (its writes; the stand-in
// logs no reads).
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
import { IDENTITY_CENTER_TPS, quotaSeconds, sortedCounts, type ApiCallCount } from '../engine/api-calls';
import { expectedOkta } from '../engine/okta';
import { OktaEmulator } from '../engine/okta-emulator';
import { loadAccessDir } from '../src/model/load';
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
  /** AWS API calls of the step, counted by moto (absent for steps that make none: synth, the okta stack). */
  readonly awsCalls?: number;
  readonly callsPerAssignment?: number;
  /** awsCalls / IDENTITY_CENTER_TPS: the least seconds the org's quota needs for them. */
  readonly quotaSeconds?: number;
  /** AWS calls by "service:Operation", most first. */
  readonly awsOperations?: Readonly<Record<string, number>>;
  /** Okta calls of an okta-stack step as the emulator logs them ("op type"), most first. */
  readonly oktaCalls?: number;
  readonly oktaOperations?: Readonly<Record<string, number>>;
}

function awsCounts(c: ApiCallCount, assignments: number): Pick<Row, 'awsCalls' | 'callsPerAssignment' | 'quotaSeconds' | 'awsOperations'> {
  if (c.unparsed > 0) process.stderr.write(`bench:engine: ${c.unparsed} line(s) of moto's recording did not parse\n`);
  return { awsCalls: c.total, callsPerAssignment: assignments > 0 ? c.total / assignments : 0, quotaSeconds: quotaSeconds(c.total), awsOperations: c.byOperation };
}

/** The emulator's log of an okta-stack step, counted by operation and resource type. */
function oktaCounts(calls: readonly { op: string; type: string }[]): Pick<Row, 'oktaCalls' | 'oktaOperations'> {
  const by: Record<string, number> = {};
  for (const c of calls) by[`${c.op} ${c.type}`] = (by[`${c.op} ${c.type}`] ?? 0) + 1;
  return { oktaCalls: calls.length, oktaOperations: sortedCounts(by) };
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
  let okta: OktaEmulator | undefined;
  try {
    fs.mkdirSync(path.join(ws.dir, 'access'), { recursive: true });
    const files = generateOrg(size);
    writeOrg(path.join(ws.dir, 'access'), files);
    const groups = [...files.keys()].filter((f) => f.startsWith('groups/')).map((f) => path.basename(f, '.yaml'));
    moto.seed(groups);
    if (applyIt) {
      // The okta stack of the same files, against the Okta emulator (its users are the org's people).
      const model = loadAccessDir('access', ws.dir).model;
      if (!model) throw new Error('the generated org does not load');
      okta = new OktaEmulator(expectedOkta(model, '2026-12-01').logins);
      ws.okta = okta;
    }
    const synth = await timed(() => ws.synth());
    const assignments = Object.keys(ws.config('aws').locals.account_assignments as object).length;
    rows.push({ org: name, assignments, step: 'accessctl synth', seconds: synth.seconds });
    const stack = ws.stack('aws');
    stack.init();
    const env = tofuEnv(engine);
    /** One tofu run of the aws stack, with the AWS calls moto answered during it. */
    const step = (args: string[], timeoutMs?: number): ReturnType<typeof tofuPeak> & { calls: ApiCallCount } => {
      const mark = moto.callMark();
      const r = tofuPeak(engine, stack.dir, args, env, timeoutMs);
      return { ...r, calls: moto.apiCalls(mark) };
    };
    const peak = (r: { peakMb?: number }): { peakMb?: number } => (r.peakMb !== undefined ? { peakMb: r.peakMb } : {});
    const first = step(['plan', '-input=false', '-no-color', '-lock=false', '-out=first.tfplan'], planTimeoutMs);
    rows.push({ org: name, assignments, step: 'tofu plan, empty state (every resource created)', seconds: first.seconds, ...peak(first), ...(first.timedOut ? { unfinished: true } : {}), ...awsCounts(first.calls, assignments) });
    if (first.timedOut) return;
    if (first.code !== 0) throw new Error(`plan failed:\n${first.out.slice(-3000)}`);
    if (applyIt) {
      const apply = step(['apply', '-input=false', '-no-color', '-parallelism=50', 'first.tfplan']);
      if (apply.code !== 0) throw new Error(`apply failed:\n${apply.out.slice(-3000)}`);
      rows.push({ org: name, assignments, step: 'tofu apply, -parallelism=50 (each assignment waits 10 s for AWS)', seconds: apply.seconds, ...peak(apply), ...awsCounts(apply.calls, assignments) });
      const again = step(['plan', '-input=false', '-no-color', '-lock=false', '-detailed-exitcode']);
      if (again.code !== 0) throw new Error(`the second plan is not empty (exit ${again.code}):\n${again.out.slice(-3000)}`);
      rows.push({ org: name, assignments, step: 'tofu plan, state in place (refresh of every resource, no change)', seconds: again.seconds, ...peak(again), ...awsCounts(again.calls, assignments) });
    }
    if (okta) {
      // The okta stack: its calls go to the emulator, none to AWS.
      const o = ws.stack('okta');
      o.init();
      const oenv = tofuEnv(engine, { ...o.env });
      const oktaStep = (stepName: string, args: string[], ok: (code: number) => boolean): void => {
        okta!.clearCalls();
        const r = tofuPeak(engine, o.dir, args, oenv);
        if (!ok(r.code)) throw new Error(`okta stack: ${args.slice(0, 1).join(' ')} exited ${r.code}:\n${r.out.slice(-3000)}`);
        rows.push({ org: name, assignments, step: stepName, seconds: r.seconds, ...peak(r), ...oktaCounts(okta!.calls()) });
      };
      try {
        oktaStep('okta stack: tofu plan, empty state', ['plan', '-input=false', '-no-color', '-lock=false', '-out=first.tfplan'], (c) => c === 0);
        oktaStep('okta stack: tofu apply, -parallelism=50', ['apply', '-input=false', '-no-color', '-parallelism=50', 'first.tfplan'], (c) => c === 0);
        oktaStep('okta stack: tofu plan, state in place', ['plan', '-input=false', '-no-color', '-lock=false', '-detailed-exitcode'], (c) => c === 0);
      } catch (e) {
        // The AWS rows stand without it.
        process.stderr.write(`bench:engine: the okta stack's steps stopped: ${(e as Error).message}\n`);
      }
    }
  } finally {
    ws.remove();
    okta?.remove();
  }
}

const num = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** One line of the table: org, assignments, step, time, peak, AWS calls, calls/assignment, quota s. */
function line(r: Row): string {
  const calls = r.awsCalls !== undefined
    ? `${num(r.awsCalls).padStart(9)} ${r.callsPerAssignment!.toFixed(2).padStart(16)} ${r.quotaSeconds!.toFixed(1).padStart(8)}`
    : `${'-'.padStart(9)} ${'-'.padStart(16)} ${'-'.padStart(8)}`;
  const peak = r.peakMb !== undefined ? `${num(r.peakMb)} MB` : '';
  return `${r.org.padEnd(9)} ${String(r.assignments).padStart(7)}  ${r.step.padEnd(66)} ${r.unfinished ? '>' : ' '}${r.seconds.toFixed(1).padStart(7)} s ${peak.padStart(9)}  ${calls}${r.unfinished ? '  (stopped: did not finish)' : ''}${r.oktaCalls !== undefined ? `  Okta calls logged: ${r.oktaCalls}` : ''}\n`;
}

const HEADER = `${'org'.padEnd(9)} ${'assign.'.padStart(7)}  ${'step'.padEnd(66)} ${'wall time'.padStart(10)} ${'tofu peak'.padStart(9)}  ${'AWS calls'.padStart(9)} ${'calls/assignment'.padStart(16)} ${'quota s'.padStart(8)}\n`;

/** The calls of each step by operation, after the table. */
function breakdown(rows: readonly Row[], top: number): string {
  let out = `\nAPI calls by operation (top ${top} per step; AWS counted by moto, quota s = calls / ${IDENTITY_CENTER_TPS} per second, IAM Identity Center's throttle shared by the org):\n`;
  for (const r of rows) {
    const ops = r.awsOperations ?? r.oktaOperations;
    if (!ops) continue;
    const total = r.awsCalls ?? r.oktaCalls ?? 0;
    const entries = Object.entries(ops);
    out += `${r.org} ${r.step}: ${num(total)} ${r.awsCalls !== undefined ? 'AWS calls' : 'Okta calls logged by the emulator'}\n`;
    for (const [op, n] of entries.slice(0, top)) out += `  ${num(n).padStart(9)}  ${op}${r.assignments > 0 && r.awsCalls !== undefined ? `  (${(n / r.assignments).toFixed(2)}/assignment)` : ''}\n`;
    if (entries.length > top) out += `  ${num(entries.slice(top).reduce((a, [, n]) => a + n, 0)).padStart(9)}  ${entries.length - top} other operations\n`;
  }
  return out;
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
  process.stdout.write(HEADER);
  const orgs: Array<[string, OrgSize, boolean]> = [['shard-1k', SHARD, true], ...(small ? [] : [['org-100k', LARGE, false] as [string, OrgSize, boolean]])];
  for (const [name, size, applyIt] of orgs) {
    // A fresh emulator per org: each starts from an empty Identity Center.
    const moto = await Moto.start(found.engine, { record: true });
    try {
      await measure(found.engine, moto, name, size, applyIt, (r) => {
        rows.push(r);
        process.stdout.write(line(r));
      }, planTimeoutMs);
    } finally {
      await moto.stop();
    }
  }
  for (const org of [...new Set(rows.map((r) => r.org))]) {
    const synth = rows.find((r) => r.org === org && r.step === 'accessctl synth')!;
    for (const r of rows.filter((x) => x.org === org && x.step !== 'accessctl synth' && !x.step.startsWith('okta stack'))) {
      process.stdout.write(`${org}: ${r.step.split(',')[0]} / synth = ${r.unfinished ? 'more than ' : ''}${(r.seconds / synth.seconds).toFixed(1)}x (${r.step})\n`);
    }
  }
  process.stdout.write(breakdown(rows, 8));
  const json = process.env.ACCESSCTL_ARTIFACTS ? path.join(process.env.ACCESSCTL_ARTIFACTS, 'bench-engine.json') : undefined;
  if (json) fs.writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:engine failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
