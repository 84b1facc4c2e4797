// How long the real engine takes to plan what accessctl writes, next to how
// long accessctl takes to write it, measured in one run (docs/scale.md).
//
//   npm run bench:engine                 1,000-assignment shard, then the 100,000-assignment org
//   npm run bench:engine -- --small      the 1,000-assignment shard only
//   npm run bench:engine -- --plan-timeout-minutes 30   stop a plan after that long (default 30) and report it unfinished
//   npm run bench:engine -- --no-variants  ours against literal blocks without the variants of ours
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
// applied against moto and planned again twice: with a refresh and no change
// (the daily drift run, a run by hand), and after one grant more with
// -refresh=false (a pull request's plan of a stack the apply record has,
// .github/scripts/plan-stack.sh); the 100,000-assignment org is planned from
// an empty state (the first plan), since applying it would mean 100,000
// creates that each wait 10 s for AWS's asynchronous status.
//
// In the same run the shard's stack is planned against the same 1,000
// assignments written as literal Terraform JSON blocks (one resource per
// assignment, no for_each, locals or preconditions) and in the layout
// before issue 25 (for_each over the assignment objects, each.value): all
// from an empty state, 3 times each, interleaved, with the medians; then
// our stack once each with one feature taken out (preconditions, the
// lookups' for-expressions, depends_on, all three), to see where the
// difference goes. Those variants are measurement only: stacks/ is unchanged.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { actionsOf, findEngine, Moto, Stack, tofuEnv, Workspace, type Engine, type PlanJson } from '../engine/harness';
import { IDENTITY_CENTER_TPS, quotaSeconds, sortedCounts, type ApiCallCount } from '../engine/api-calls';
import { expectedOkta } from '../engine/okta';
import { OktaEmulator } from '../engine/okta-emulator';
import { loadAccessDir } from '../src/model/load';
import { accountName, generateOrg, LARGE, writeOrg, type OrgSize } from './generate';

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

/** What moto.seed() made: the instance, its Identity Store, group name -> id. */
type Seeded = ReturnType<Moto['seed']>;

/** A new workspace with the generated org's files under access/. */
function orgWorkspace(engine: Engine, moto: Moto, name: string, files: ReadonlyMap<string, string>): Workspace {
  const ws = new Workspace(engine, { moto, name: `bench-${name}` });
  fs.mkdirSync(path.join(ws.dir, 'access'), { recursive: true });
  writeOrg(path.join(ws.dir, 'access'), files);
  return ws;
}

async function measure(engine: Engine, moto: Moto, name: string, size: OrgSize, files: ReadonlyMap<string, string>, applyIt: boolean, report: (r: Row) => void, planTimeoutMs: number): Promise<void> {
  const rows = { push: report };
  const ws = orgWorkspace(engine, moto, name, files);
  let okta: OktaEmulator | undefined;
  try {
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
      const pr = await pullRequestPlan(ws, size, step);
      rows.push({ org: name, assignments: pr.assignments, step: 'tofu plan, pull request: one grant added, -refresh=false', seconds: pr.seconds, ...peak(pr), ...awsCounts(pr.calls, pr.assignments) });
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

type TofuStep = (args: string[], timeoutMs?: number) => ReturnType<typeof tofuPeak> & { calls: ApiCallCount };

/**
 * A pull request's plan once the state exists: one group gets one more
 * account in its first grant (exactly one aws_ssoadmin_account_assignment
 * more), accessctl synthesizes again, and the stack is planned with
 * -refresh=false as plan-stack.sh plans a stack the apply record has. The
 * plan must create that one assignment and change nothing else.
 */
async function pullRequestPlan(ws: Workspace, size: OrgSize, step: TofuStep): Promise<ReturnType<TofuStep> & { assignments: number }> {
  const file = 'groups/team-0000.yaml';
  const text = ws.read(file);
  const grant = /^( {4}accounts: \[)([^\]]*)\]$/m.exec(text);
  if (!grant) throw new Error(`${file} has no accounts: [...] line`);
  const accounts = grant[2]!.split(',').map((a) => a.trim());
  const extra = Array.from({ length: size.accounts }, (_, i) => accountName(i)).find((a) => !accounts.includes(a));
  if (!extra) throw new Error(`${file}'s first grant already has every account`);
  ws.write({ [file]: text.replace(grant[0], `${grant[1]}${[...accounts, extra].sort().join(', ')}]`) });
  await ws.synth();
  const assignments = Object.keys(ws.config('aws').locals.account_assignments as object).length;
  const pr = step(['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-detailed-exitcode', '-out=pr.tfplan']);
  if (pr.code !== 2) throw new Error(`the pull request's plan exited ${pr.code}, not 2 (changes):\n${pr.out.slice(-3000)}`);
  const changes = actionsOf(JSON.parse(ws.stack('aws').ok(['show', '-json', '-no-color', 'pr.tfplan']).stdout) as PlanJson);
  const creates = Object.entries(changes);
  if (creates.length !== 1 || creates[0]![1] !== 'create' || !creates[0]![0].startsWith('aws_ssoadmin_account_assignment.')) {
    throw new Error(`the pull request's plan should create one account assignment and nothing else, not: ${JSON.stringify(changes)}`);
  }
  return { ...pr, assignments };
}

/** One plan of ours against literal blocks (or a variant), from an empty state. */
interface LayoutRun {
  readonly layout: string;
  readonly run: number;
  readonly seconds: number;
  readonly peakMb?: number;
  readonly awsCalls: number;
}

export interface LayoutComparison {
  readonly assignments: number;
  readonly runs: readonly LayoutRun[];
  readonly oursMedian: number;
  readonly literalMedian: number;
  /** oursMedian / literalMedian. */
  readonly ratio: number;
  /** The layout before issue 25 (for_each over the assignment objects), planned 3 times with the others. */
  readonly objectsMedian: number;
  /** Our stack with one feature taken out, planned once each. */
  readonly variants: readonly LayoutRun[];
}

type TfJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The synthesized aws stack's resources as literal Terraform JSON: one block
 * per permission set, policy attachment, inline policy and assignment, every
 * attribute a literal (the instance ARN and the group ids as moto.seed() made
 * them; the permission set ARN, unknown until apply, a reference), and the
 * same two lookups (data sources), which nothing refers to. No for_each, no
 * locals, no preconditions, no depends_on, no outputs.
 */
export function literalStack(ours: TfJson, seeded: Seeded): TfJson {
  const resources = ours.resource as TfJson;
  const inst = seeded.instanceArn;
  const psRef = (ps: string): string => `\${aws_ssoadmin_permission_set.${ps}.arn}`;
  const permissionSets: TfJson = {};
  for (const [ps, v] of Object.entries(resources.aws_ssoadmin_permission_set.this.for_each as TfJson)) {
    permissionSets[ps] = { name: ps, description: v.description, instance_arn: inst, session_duration: v.session_duration, relay_state: v.relay_state, tags: v.tags };
  }
  const attachments: TfJson = {};
  for (const v of Object.values(resources.aws_ssoadmin_managed_policy_attachment.this.for_each as TfJson)) {
    attachments[`${v.permission_set}_${String(v.arn).split('/').pop()}`] = { instance_arn: inst, managed_policy_arn: v.arn, permission_set_arn: psRef(v.permission_set) };
  }
  const inline: TfJson = {};
  for (const v of Object.values(resources.aws_ssoadmin_permission_set_inline_policy.this.for_each as TfJson)) {
    inline[v.permission_set] = { instance_arn: inst, inline_policy: v.policy, permission_set_arn: psRef(v.permission_set) };
  }
  const assignments: TfJson = {};
  for (const a of Object.values(ours.locals.account_assignments as TfJson)) {
    const id = seeded.groups[a.group];
    if (!id) throw new Error(`group ${a.group} was not seeded`);
    assignments[`${a.group}_${a.permission_set}_${a.account_id}`] = {
      instance_arn: inst,
      permission_set_arn: psRef(a.permission_set),
      principal_id: id,
      principal_type: 'GROUP',
      target_id: a.account_id,
      target_type: 'AWS_ACCOUNT',
    };
  }
  const { backend: _backend, ...terraform } = ours.terraform as TfJson;
  return {
    terraform,
    provider: ours.provider,
    data: { aws_ssoadmin_instances: { this: {} }, aws_identitystore_groups: { this: { identity_store_id: seeded.identityStoreId } } },
    resource: {
      aws_ssoadmin_permission_set: permissionSets,
      aws_ssoadmin_managed_policy_attachment: attachments,
      aws_ssoadmin_permission_set_inline_policy: inline,
      aws_ssoadmin_account_assignment: assignments,
    },
  };
}

/** The layout before issue 25: each instance read its assignment from each.value, so for_each held the objects. */
const OBJECTS_IN_FOR_EACH: [string, (c: TfJson) => void] = ['ours with for_each over the assignment objects (each.value)', (c) => {
  const r = c.resource.aws_ssoadmin_account_assignment.this as TfJson;
  const { for_each: forEach, ...body } = r;
  Object.assign(r, JSON.parse(JSON.stringify(body).split('local.account_assignments[each.key].').join('each.value.')), { for_each: forEach });
  const l = c.locals as TfJson;
  if (!String(l.planned_assignments).includes(': key => key if ')) throw new Error('planned_assignments is not a map of key => key');
  l.planned_assignments = String(l.planned_assignments).replace(': key => key if ', ': key => a if ');
}];

/** Our stack with one feature taken out (measurement only). */
const VARIANTS: ReadonlyArray<[string, (c: TfJson, seeded: Seeded) => void]> = [
  ['ours without the preconditions', (c) => delete c.resource.aws_ssoadmin_account_assignment.this.lifecycle],
  ['ours with literal lookups (no for-expressions over the data sources)', (c, seeded) => {
    const l = c.locals as TfJson;
    l.instance_arn = seeded.instanceArn;
    l.identity_store_id = seeded.identityStoreId;
    l.identity_store_groups = Object.fromEntries(Object.entries(seeded.groups).map(([n, id]) => [n, [id]]));
    l.group_matches = Object.fromEntries(Object.keys(l.group_lookup as TfJson).map((n) => [n, seeded.groups[n] ? [seeded.groups[n]] : []]));
    l.group_ids = Object.fromEntries(Object.keys(l.group_lookup as TfJson).map((n) => [n, seeded.groups[n] ?? null]));
  }],
  ['ours without depends_on', (c) => delete c.resource.aws_ssoadmin_account_assignment.this.depends_on],
];

/** A directory next to the stack with the given configuration, the stack's lock file and emulator override, initialised. */
function stackDirWith(engine: Engine, from: string, dir: string, config: TfJson): Stack {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['.terraform.lock.hcl', 'emulator_override.tf.json']) fs.copyFileSync(path.join(from, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
  return new Stack(engine, dir).init();
}

/**
 * Ours against literal blocks: the shard's synthesized aws stack and the same
 * resources as literal blocks, each planned from an empty state 3 times,
 * interleaved (ours, literal, the layout before issue 25, ours, ...); then each variant once.
 */
async function oursAgainstLiteral(engine: Engine, moto: Moto, name: string, files: ReadonlyMap<string, string>, seeded: Seeded, variants: boolean): Promise<LayoutComparison> {
  const ws = orgWorkspace(engine, moto, `${name}-layout`, files);
  try {
    await ws.synth();
    const ours = ws.stack('aws').init();
    const config = ws.config('aws');
    const literal = stackDirWith(engine, ours.dir, path.join(ws.dir, 'literal'), literalStack(config, seeded));
    const env = tofuEnv(engine);
    const plan = (layout: string, stack: Stack, run: number): LayoutRun => {
      const mark = moto.callMark();
      const r = tofuPeak(engine, stack.dir, ['plan', '-input=false', '-no-color', '-lock=false', '-out=layout.tfplan'], env);
      if (r.code !== 0) throw new Error(`${layout}: plan exited ${r.code}:\n${r.out.slice(-3000)}`);
      const done = { layout, run, seconds: r.seconds, awsCalls: moto.apiCalls(mark).total, ...(r.peakMb !== undefined ? { peakMb: r.peakMb } : {}) };
      process.stdout.write(`  ${layout.padEnd(72)} run ${run}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.peakMb ?? '-'} MB  ${done.awsCalls} AWS calls\n`);
      return done;
    };
    const objects: TfJson = JSON.parse(JSON.stringify(config));
    delete objects.terraform.backend;
    OBJECTS_IN_FOR_EACH[1](objects);
    const before = stackDirWith(engine, ours.dir, path.join(ws.dir, 'objects'), objects);
    const runs: LayoutRun[] = [];
    for (let run = 1; run <= 3; run++) {
      runs.push(plan('ours (accessctl synth)', ours, run), plan('literal blocks', literal, run), plan(OBJECTS_IN_FOR_EACH[0], before, run));
    }
    const median = (layout: string): number => runs.filter((r) => r.layout === layout).map((r) => r.seconds).sort((a, b) => a - b)[1]!;
    const done: LayoutRun[] = [];
    if (variants) {
      const all: TfJson = JSON.parse(JSON.stringify(config));
      VARIANTS.forEach(([label, change], i) => {
        const c: TfJson = JSON.parse(JSON.stringify(config));
        delete c.terraform.backend;
        change(c, seeded);
        change(all, seeded);
        done.push(plan(label, stackDirWith(engine, ours.dir, path.join(ws.dir, `variant-${i}`), c), 1));
      });
      delete all.terraform.backend;
      done.push(plan('ours with all three taken out', stackDirWith(engine, ours.dir, path.join(ws.dir, 'variant-all'), all), 1));
    }
    const oursMedian = median('ours (accessctl synth)');
    const literalMedian = median('literal blocks');
    const objectsMedian = median(OBJECTS_IN_FOR_EACH[0]);
    const assignments = Object.keys(config.locals.account_assignments as object).length;
    return { assignments, runs, oursMedian, literalMedian, ratio: oursMedian / literalMedian, objectsMedian, variants: done };
  } finally {
    ws.remove();
  }
}

function comparisonText(c: LayoutComparison): string {
  let out = `\nOurs against literal blocks (${num(c.assignments)} assignments, tofu plan from an empty state, 3 runs each, interleaved):\n`;
  out += `  median: ours ${c.oursMedian.toFixed(1)} s, literal ${c.literalMedian.toFixed(1)} s, ours/literal = ${c.ratio.toFixed(2)}x\n`;
  out += `  median: for_each over the assignment objects (before) ${c.objectsMedian.toFixed(1)} s, before/literal = ${(c.objectsMedian / c.literalMedian).toFixed(2)}x\n`;
  for (const v of c.variants) out += `  ${v.layout}: ${v.seconds.toFixed(1)} s (${(v.seconds / c.literalMedian).toFixed(2)}x literal, ${(v.seconds / c.oursMedian).toFixed(2)}x ours)\n`;
  return out;
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
  let layouts: LayoutComparison | undefined;
  for (const [name, size, applyIt] of orgs) {
    // A fresh emulator per org: each starts from an empty Identity Center.
    const moto = await Moto.start(found.engine, { record: true });
    try {
      const files = generateOrg(size);
      const seeded = moto.seed([...files.keys()].filter((f) => f.startsWith('groups/')).map((f) => path.basename(f, '.yaml')));
      await measure(found.engine, moto, name, size, files, applyIt, (r) => {
        rows.push(r);
        process.stdout.write(line(r));
      }, planTimeoutMs);
      if (applyIt) {
        process.stdout.write(`${name}: ours against literal blocks, tofu plan from an empty state:\n`);
        layouts = await oursAgainstLiteral(found.engine, moto, name, files, seeded, !process.argv.includes('--no-variants'));
      }
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
  if (layouts) process.stdout.write(comparisonText(layouts));
  const artifacts = process.env.ACCESSCTL_ARTIFACTS;
  if (artifacts) {
    fs.writeFileSync(path.join(artifacts, 'bench-engine.json'), `${JSON.stringify(rows, null, 2)}\n`);
    if (layouts) fs.writeFileSync(path.join(artifacts, 'bench-engine-layouts.json'), `${JSON.stringify(layouts, null, 2)}\n`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench:engine failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
