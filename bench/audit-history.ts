// Benchmark: the audit's history walk against re-loading the whole tree at
// every commit, on a generated repository (500 groups, 5,000 commits).
//
//   npm run bench:audit [-- --groups 500 --commits 5000 --sample 50]
//
// Both are measured in this one run. Re-loading at every one of 5,000 commits
// would take over an hour, so the baseline is measured on an evenly spaced
// sample of commits and scaled to the whole history; the sample size is
// printed. Exits 1 when the walk misses its targets (under 30 s, and at least
// 10x faster than the baseline).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readAccessHistory } from '../src/audit/history-source';
import { walkHistory } from '../src/audit/walk';
import { Git } from '../src/git/git';
import { effectiveAccess } from '../src/model/access';
import { loadAccessModel } from '../src/model/load';
import { SchemaValidator } from '../src/schema/validate';

export interface Options {
  groups: number;
  commits: number;
  sample: number;
}

function options(argv: string[]): Options {
  const get = (flag: string, fallback: number): number => {
    const i = argv.indexOf(`--${flag}`);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return { groups: get('groups', 500), commits: get('commits', 5000), sample: get('sample', 50) };
}

/** A deterministic pseudo-random sequence, so every run builds the same history. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const PERMISSION_SETS = ['ReadOnly', 'Operator', 'Admin', 'Billing', 'Deployer'];

function settings(): string {
  return `okta:\n  org: bench\n  orgType: identity-engine\n  apps:\n    aws: { label: AWS, acsUrl: "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/x", issuerUrl: "https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890", mfa: required }\naws: { region: us-east-1, startUrl: "https://d-1234567890.awsapps.com/start" }\nbackend: { type: local }\n`;
}

function accounts(n: number): string {
  return `accounts:\n${Array.from({ length: n }, (_, i) => `  - { name: acct-${i}, id: "${String(100000000000 + i)}", ou: ${i % 2 ? 'Workloads/Prod' : 'Workloads/Dev'}, tags: { env: ${i % 2 ? 'prod' : 'dev'} } }`).join('\n')}\n`;
}

function permissionSet(name: string, hours: number): string {
  return `name: ${name}\nsessionDuration: PT${hours}H\nmanagedPolicies: [${name === 'Admin' ? 'AdministratorAccess' : 'ReadOnlyAccess'}]\n`;
}

function group(i: number, members: string[], ps: string): string {
  const list = members.map((m) => `  - ${m}`).join('\n');
  return `name: team-${i}\nmode: authoritative\nowners: [${members[0] ?? 'owner@example.com'}]\nmembers:\n${list || '  []'}\napps: [aws]\naws:\n  - permissionSet: ${ps}\n    accounts: { ou: "Workloads/*", tags: { env: ${i % 3 === 0 ? 'prod' : 'dev'} } }\n`.replace('members:\n  []', 'members: []');
}

/** Builds the repository with git fast-import: one commit per step, a few files each. */
export function buildRepo(opts: Options): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-bench-audit-'));
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const rand = rng(42);
  const members = Array.from({ length: opts.groups }, (_, g) => Array.from({ length: 8 + (g % 12) }, (_, m) => `user${(g * 13 + m * 7) % 3000}@example.com`));
  const hours = new Map(PERMISSION_SETS.map((p) => [p, 1]));
  let accountCount = 40;
  const chunks: string[] = [];
  let t = Date.UTC(2021, 0, 1) / 1000;
  const blob = (file: string, content: string): string => `M 100644 inline access/${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  for (let c = 0; c < opts.commits; c++) {
    t += 3600 + Math.floor(rand() * 36000);
    const files: string[] = [];
    let subject: string;
    if (c === 0) {
      files.push(blob('settings.yaml', settings()), blob('accounts.yaml', accounts(accountCount)));
      for (const p of PERMISSION_SETS) files.push(blob(`permission-sets/${p}.yaml`, permissionSet(p, 1)));
      for (let g = 0; g < opts.groups; g++) files.push(blob(`groups/team-${g}.yaml`, group(g, members[g], PERMISSION_SETS[g % 5])));
      subject = 'Initial import (#1)';
    } else if (c % 50 === 0) {
      // 2% of commits touch a shared file: a new account, or a permission set's session length.
      if (c % 100 === 0) {
        accountCount++;
        files.push(blob('accounts.yaml', accounts(accountCount)));
        subject = `Add account acct-${accountCount - 1} (#${c + 1})`;
      } else {
        const p = PERMISSION_SETS[c % 5];
        hours.set(p, (hours.get(p)! % 4) + 1);
        files.push(blob(`permission-sets/${p}.yaml`, permissionSet(p, hours.get(p)!)));
        subject = `Tune ${p} (#${c + 1})`;
      }
    } else {
      // The rest edit one or two groups: someone joins (sometimes temporarily) or leaves.
      for (let k = 0; k < (rand() < 0.2 ? 2 : 1); k++) {
        const g = Math.floor(rand() * opts.groups);
        const list = members[g];
        if (rand() < 0.45 && list.length > 2) list.splice(1 + Math.floor(rand() * (list.length - 1)), 1);
        else {
          const user = `user${Math.floor(rand() * 4000)}@example.com`;
          if (!list.some((m) => m.includes(user))) list.push(rand() < 0.3 ? `{ user: ${user}, expires: ${new Date((t + 86400 * 30) * 1000).toISOString().slice(0, 10)} }` : user);
        }
        files.push(blob(`groups/team-${g}.yaml`, group(g, list, PERMISSION_SETS[g % 5])));
      }
      subject = c % 10 === 0 ? `hotfix ${c}` : `Change membership (#${c + 1})`;
    }
    const message = `${subject}\n`;
    chunks.push(`commit refs/heads/main\nmark :${c + 1}\ncommitter Bench <bench@example.com> ${t} +0000\ndata ${Buffer.byteLength(message)}\n${message}${c > 0 ? `from :${c}\n` : ''}${files.join('')}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: chunks.join(''), maxBuffer: 1 << 30 });
  execFileSync('git', ['checkout', '-q', 'main'], { cwd: dir });
  return dir;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main(): void {
  const opts = options(process.argv.slice(2));
  process.stdout.write(`building a history: ${opts.groups} groups, ${opts.commits} commits…\n`);
  let start = process.hrtime.bigint();
  const repo = buildRepo(opts);
  process.stdout.write(`  built in ${seconds(start).toFixed(1)} s at ${repo}\n`);
  const git = new Git(repo);
  const today = '2030-01-01';

  // The audit: one git log, one cat-file, incremental walk.
  start = process.hrtime.bigint();
  const history = readAccessHistory(git, 'access');
  const read = seconds(start);
  const walked = walkHistory(history.commits, history.blobs, { dirLabel: 'access', validator: new SchemaValidator(), today });
  const walk = seconds(start);
  const heap = process.memoryUsage().heapUsed / 2 ** 20;

  // The baseline: read and load the whole tree, then compute all access, at a sample of commits.
  const step = Math.max(1, Math.floor(history.commits.length / opts.sample));
  const sample = history.commits.filter((_, i) => i % step === 0).slice(0, opts.sample);
  const validator = new SchemaValidator();
  start = process.hrtime.bigint();
  for (const c of sample) {
    const loaded = loadAccessModel(git.readDirAt(c.commit, 'access'), { validator });
    if (loaded.model) effectiveAccess(loaded.model, c.committerDate.slice(0, 10));
  }
  const perCommit = seconds(start) / sample.length;
  const baseline = perCommit * history.commits.length;
  const ratio = baseline / walk;

  process.stdout.write(
    [
      `audit walk: ${walk.toFixed(2)} s for ${history.commits.length} commits (git log + cat-file ${read.toFixed(2)} s; ${walked.fullLoads} full reloads; ${walked.events.length} events; heap ${heap.toFixed(0)} MiB)`,
      `re-load at every commit: ${perCommit.toFixed(3)} s per commit, measured on ${sample.length} commits, ${baseline.toFixed(0)} s for the whole history`,
      `ratio: ${ratio.toFixed(1)}x faster`,
      '',
    ].join('\n'),
  );
  fs.rmSync(repo, { recursive: true, force: true });
  const ok = walk < 30 && ratio >= 10;
  if (!ok) process.stdout.write('TARGET MISSED: the walk must finish in under 30 s and be at least 10x faster\n');
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) main();
