// npm run bench: accessctl at scale, against two references measured in the
// same run.
//
//   npm run bench [-- --runs 3 --json FILE --check --groups N --accounts N --users N
//                     --permission-sets N --grants-per-group N --accounts-per-grant N]
//
// Generates an org (default: 2,000 groups, 1,000 accounts, 20,000 users, 300
// permission sets, 100,000 account assignments) in a temporary git repository
// with two revisions, then times, each in a fresh process, accessctl validate,
// synth, diff (between the two revisions), who-can and who-can --action, the
// evaluation of one action over every permission set against loading the
// files (in one process, the evaluate task), and two references:
//   floor  parse the same YAML files and JSON.stringify as many bytes as synth
//          writes, nothing else: no tool can do the job faster than this;
//   naive  the same model synthesized the way cdktf examples do it, one
//          construct per resource instance (stacks/tools/naive.ts).
// Tasks run interleaved, round after round, and each figure is the median of
// the rounds, so a slow moment of the machine touches every task alike.
// Prints a table and JSON (also written to --json FILE, default
// $ACCESSCTL_ARTIFACTS/bench.json when that is set). --check exits 1 when a
// target is missed.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateOrg, groupName, parseSize, permissionSetName, userLogin, writeOrg, type OrgSize } from './generate';

interface Sample {
  seconds: number;
  maxRssMb: number;
  outputBytes: number;
  /** The evaluate task's own timings (@@timing). */
  timing?: Timing;
}

interface Timing {
  loadSeconds: number;
  evaluateSeconds: number;
  sensitiveSeconds: number;
  permissionSets: number;
}

interface Row {
  task: string;
  median: number;
  min: number;
  maxRssMb: number;
  samples: number[];
}

const CHILD = path.join(__dirname, 'child.js');

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });
}

/** The org at two revisions: the second changes about 1% of the groups, the way a busy week of pull requests does. */
function buildRepo(size: OrgSize): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-bench-'));
  const files = generateOrg(size);
  writeOrg(path.join(root, 'access'), files);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'generated org');
  const changed = Math.max(1, Math.floor(size.groups / 100));
  for (let i = 0; i < changed; i++) {
    const g = Math.floor((i * size.groups) / changed);
    const rel = `groups/${groupName(g)}.yaml`;
    let text = files.get(rel)!;
    if (i % 3 === 0) {
      // a new member
      text = text.replace('members:\n', `members:\n  - ${userLogin((g * 7919 + 17) % size.users)}\n`);
    } else if (i % 3 === 1) {
      // a grant removed
      text = text.replace(/ {2}- permissionSet: [^\n]+\n {4}accounts: [^\n]+\n/, '');
    } else {
      // a member leaves
      text = text.replace(/\n {2}- user[^\n]+/, '');
    }
    fs.writeFileSync(path.join(root, 'access', ...rel.split('/')), text);
  }
  const ps = `permission-sets/${permissionSetName(1)}.yaml`;
  fs.writeFileSync(path.join(root, 'access', ...ps.split('/')), files.get(ps)!.replace(/sessionDuration: PT[0-9]H/, 'sessionDuration: PT2H'));
  git(root, 'commit', '-q', '-a', '-m', 'a week of changes');
  return root;
}

function measure(cwd: string, args: string[]): Sample {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CHILD, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, BENCH_TMP: cwd } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const line = (r.stderr ?? '').split('\n').reverse().find((l) => l.startsWith('@@bench '));
  if (!line) throw new Error(`bench task ${args.join(' ')} failed:\n${r.stderr}`);
  const report = JSON.parse(line.slice('@@bench '.length)) as { code: number; maxRssKb: number; outputBytes: number };
  if (report.code !== 0) throw new Error(`bench task ${args.join(' ')} exited ${report.code}:\n${r.stderr.slice(0, 4000)}`);
  const timing = (r.stderr ?? '').split('\n').reverse().find((l) => l.startsWith('@@timing '));
  return { seconds, maxRssMb: report.maxRssKb / 1024, outputBytes: report.outputBytes, ...(timing ? { timing: JSON.parse(timing.slice('@@timing '.length)) as Timing } : {}) };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function main(): number {
  const argv = process.argv.slice(2);
  const size = parseSize(argv);
  const runs = Number(flag(argv, 'runs') ?? 3);
  const assignments = size.groups * size.grantsPerGroup * size.accountsPerGrant;
  process.stdout.write(`generating ${size.groups} groups, ${size.accounts} accounts, ${size.users} users, ${size.permissionSets} permission sets, ${assignments} account assignments…\n`);
  const root = buildRepo(size);
  try {
    const out = path.join(root, 'out');
    const synthBytes = (): number =>
      fs.readdirSync(path.join(out, 'stacks')).reduce((n, s) => n + fs.statSync(path.join(out, 'stacks', s, 'cdk.tf.json')).size, 0);
    // One synth first: it tells the floor how many bytes to write, and warms the file cache.
    measure(root, ['cli', 'synth', '--no-base', '--out', out]);
    const bytes = synthBytes();
    const tasks: Record<string, string[]> = {
      validate: ['cli', 'validate'],
      synth: ['cli', 'synth', '--no-base', '--out', out],
      diff: ['cli', 'diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'],
      'who-can': ['cli', 'who-can', '--account', 'acct-0001', '--format', 'json'],
      // The same rows asked about one action: evaluated once per permission set (issue 27).
      'who-can --action': ['cli', 'who-can', '--account', 'acct-0001', '--action', 's3:GetObject', '--format', 'json'],
      // Loading the files against evaluating one action over all permission sets, in one process.
      evaluate: ['evaluate', 'access', 's3:GetObject'],
      floor: ['floor', 'access', String(bytes)],
      naive: ['naive', 'access', path.join(root, 'naive-out')],
    };
    const samples = new Map<string, Sample[]>(Object.keys(tasks).map((t) => [t, []]));
    for (let r = 1; r <= runs; r++) {
      for (const [task, args] of Object.entries(tasks)) {
        const s = measure(root, args);
        samples.get(task)!.push(s);
        process.stdout.write(`round ${r}/${runs} ${task}: ${s.seconds.toFixed(2)} s, ${s.maxRssMb.toFixed(0)} MB\n`);
      }
    }
    const rows: Row[] = [...samples].map(([task, ss]) => ({
      task,
      median: median(ss.map((s) => s.seconds)),
      min: Math.min(...ss.map((s) => s.seconds)),
      maxRssMb: Math.max(...ss.map((s) => s.maxRssMb)),
      samples: ss.map((s) => Number(s.seconds.toFixed(3))),
    }));
    const get = (t: string): Row => rows.find((r) => r.task === t)!;
    const timings = samples.get('evaluate')!.map((x) => x.timing!);
    const evaluation = {
      permissionSets: timings[0]!.permissionSets,
      loadSeconds: median(timings.map((t) => t.loadSeconds)),
      evaluateSeconds: median(timings.map((t) => t.evaluateSeconds)),
      sensitiveSeconds: median(timings.map((t) => t.sensitiveSeconds)),
    };
    const floor = get('floor').median;
    const naive = get('naive').median;
    const synth = get('synth');
    const targets = [
      { target: 'synth at least 5x faster than the naive cdktf synth', value: naive / synth.median, limit: 5, ok: naive / synth.median >= 5, unit: 'x' },
      { target: 'synth within 4x of the floor', value: synth.median / floor, limit: 4, ok: synth.median / floor <= 4, unit: 'x' },
      { target: 'synth peak RSS under 1 GB', value: synth.maxRssMb, limit: 1024, ok: synth.maxRssMb < 1024, unit: 'MB' },
      { target: 'validate under 3 s', value: get('validate').median, limit: 3, ok: get('validate').median < 3, unit: 's' },
      { target: 'diff under 5 s', value: get('diff').median, limit: 5, ok: get('diff').median < 5, unit: 's' },
      {
        target: 'one action over every permission set costs less than loading the files',
        value: evaluation.evaluateSeconds / evaluation.loadSeconds,
        limit: 1,
        ok: evaluation.evaluateSeconds < evaluation.loadSeconds,
        unit: 'x',
      },
    ];

    const lines = [
      '',
      `accessctl bench: ${assignments} account assignments, ${size.groups} groups, ${size.users} users; median of ${runs} runs; synth writes ${(bytes / 1e6).toFixed(1)} MB`,
      '',
      '| task | median s | min s | peak RSS MB | / floor | naive / task |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.task} | ${r.median.toFixed(2)} | ${r.min.toFixed(2)} | ${r.maxRssMb.toFixed(0)} | ${(r.median / floor).toFixed(2)} | ${(naive / r.median).toFixed(2)} |`),
      '',
      `who-can --action / who-can (same rows): ${(get('who-can --action').median / get('who-can').median).toFixed(2)}x time, ` +
        `${(get('who-can --action').maxRssMb / get('who-can').maxRssMb).toFixed(2)}x peak RSS`,
      `in one process: loading the files ${evaluation.loadSeconds.toFixed(2)} s; s3:GetObject over ${evaluation.permissionSets} permission sets ` +
        `${(evaluation.evaluateSeconds * 1000).toFixed(1)} ms; the sensitive actions of every permission set ${(evaluation.sensitiveSeconds * 1000).toFixed(0)} ms`,
      '',
      ...(assignments === 100_000 ? [] : ['(the targets are set for the 100,000-assignment org; this org is smaller, so the lines below are for information)']),
      ...targets.map((t) => `${t.ok ? 'met   ' : 'MISSED'} ${t.target}: ${t.value.toFixed(2)} ${t.unit} (limit ${t.limit} ${t.unit})`),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    const json = {
      size,
      assignments,
      runs,
      synthOutputBytes: bytes,
      node: process.version,
      cpus: os.cpus().length,
      rows: rows.map((r) => ({ ...r, vsFloor: r.median / floor, naiveOverTask: naive / r.median })),
      evaluation,
      targets,
    };
    const text = `${JSON.stringify(json, null, 2)}\n`;
    process.stdout.write(text);
    const jsonFile = flag(argv, 'json') ?? (process.env.ACCESSCTL_ARTIFACTS ? path.join(process.env.ACCESSCTL_ARTIFACTS, 'bench.json') : undefined);
    if (jsonFile) {
      fs.mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
      fs.writeFileSync(jsonFile, text);
      process.stdout.write(`wrote ${jsonFile}\n`);
    }
    return argv.includes('--check') && assignments === 100_000 && targets.some((t) => !t.ok) ? 1 : 0;
  } finally {
    if (!argv.includes('--keep')) fs.rmSync(root, { recursive: true, force: true });
    else process.stdout.write(`kept ${root}\n`);
  }
}

try {
  process.exitCode = main();
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
