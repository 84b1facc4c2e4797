// A job of a workflow, for the tests of .github/scripts: a temporary checkout
// (the job's working directory) with the stand-ins of test/stand-ins first on
// PATH (tofu, aws, npm, npx: each records its calls in one log), the compiled
// CLI as ACCESSCTL_BIN, and the job's files (GITHUB_STEP_SUMMARY,
// GITHUB_OUTPUT) outside the checkout. Nothing of the environment the tests
// run in reaches a script but PATH, HOME and the locale: no token, no
// GITHUB_* variable, no ACCESSCTL_* setting.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, sources } from './helpers';
import { compiledCli } from './compiled-cli';
import { git } from './git';

/**
 * The scripts under test: .github/scripts, or the directory SCRIPT_JOB_SCRIPTS names (a copy with a protection
 * switched off, to see the tests of that protection fail without touching the scripts).
 */
export const SCRIPTS = process.env.SCRIPT_JOB_SCRIPTS || path.join(REPO_ROOT, '.github', 'scripts');
export const STAND_INS = path.join(__dirname, '..', 'stand-ins');
export const CLI = compiledCli();

export const sha256 = (bytes: string | Buffer): string => createHash('sha256').update(bytes).digest('hex');

export interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A provider lock file with the two providers the stacks use (the form scripts/lock-providers.sh writes). */
export const LOCK_FILE = `# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/aws" {
  version     = "6.0.0"
  constraints = "6.0.0"
  hashes = [
    "h1:aws=",
  ]
}

provider "registry.opentofu.org/okta/okta" {
  version     = "6.6.0"
  constraints = "6.6.0"
  hashes = [
    "h1:okta=",
  ]
}
`;

/** The provider each stack requires, as cdk.tf.json names it. */
const PROVIDERS: Readonly<Record<string, string>> = { okta: 'okta/okta', 'okta-scim': 'okta/okta' };

export class ScriptJob {
  /** Everything of this job: removed by remove(). */
  readonly root: string;
  /** The job's working directory: its checkout. */
  readonly dir: string;
  /** STANDIN_TOFU_DIR: the tofu stand-in's fixtures, and applied.log. */
  readonly tofuDir: string;
  /** STANDIN_S3_DIR: the aws stand-in's buckets. */
  readonly s3Dir: string;
  /** STANDIN_LOG: every stand-in's calls, in order. */
  readonly log: string;
  readonly summaryFile: string;
  readonly outputFile: string;
  readonly env: Readonly<Record<string, string>>;

  constructor(env: Record<string, string> = {}) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-job-'));
    this.dir = path.join(this.root, 'job');
    this.tofuDir = path.join(this.root, 'tofu');
    this.s3Dir = path.join(this.root, 's3');
    for (const d of [this.dir, this.tofuDir, this.s3Dir]) fs.mkdirSync(d);
    this.log = path.join(this.root, 'calls.log');
    this.summaryFile = path.join(this.root, 'step-summary.md');
    this.outputFile = path.join(this.root, 'github-output.txt');
    const inherited = Object.fromEntries(['HOME', 'LANG', 'LC_ALL', 'TMPDIR'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
    this.env = {
      ...inherited,
      PATH: `${STAND_INS}${path.delimiter}${process.env.PATH}`,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      ACCESSCTL_BIN: CLI,
      ACCESSCTL_TOFU: 'tofu',
      STANDIN_LOG: this.log,
      STANDIN_TOFU_DIR: this.tofuDir,
      STANDIN_S3_DIR: this.s3Dir,
      GITHUB_STEP_SUMMARY: this.summaryFile,
      GITHUB_OUTPUT: this.outputFile,
      ...env,
    };
  }

  /** An absolute path in the checkout. */
  path(rel: string): string {
    return path.join(this.dir, rel);
  }

  /** Writes a file of the checkout (an object as JSON), making its directory; returns its path. */
  write(rel: string, content: string | Buffer | object): string {
    const file = this.path(rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
    return file;
  }

  read(rel: string): string {
    return fs.readFileSync(this.path(rel), 'utf8');
  }

  exists(rel: string): boolean {
    return fs.existsSync(this.path(rel));
  }

  /** The names in a directory of the checkout, sorted ([] when it does not exist). */
  list(rel: string): string[] {
    return this.exists(rel) ? fs.readdirSync(this.path(rel)).sort() : [];
  }

  /** The access files: the small org of test/support/helpers.ts (BASE) with these files added, in access/ of the checkout or of its directory UNDER. */
  access(files: Record<string, string | null> = {}, under = '.'): void {
    for (const s of sources(files)) this.write(path.join(under, s.file), s.bytes);
  }

  /** The provider lock file at the checkout's root. */
  lockFile(content = LOCK_FILE): void {
    this.write('.terraform.lock.hcl', content);
  }

  /** A synthesized stack, cdktf.out/stacks/NAME/cdk.tf.json, requiring its provider; returns its directory (relative). */
  stack(name: string): string {
    const dir = `cdktf.out/stacks/${name}`;
    const source = PROVIDERS[name] ?? 'hashicorp/aws';
    this.write(`${dir}/cdk.tf.json`, { terraform: { required_providers: { [source.split('/')[1]!]: { source, version: '1.0.0' } } }, resource: {} });
    return dir;
  }

  /** A file of the tofu stand-in (STANDIN_TOFU_DIR/NAME), an object as JSON; returns the bytes written. */
  tofu(name: string, content: string | object): Buffer {
    const bytes = Buffer.from(typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    fs.writeFileSync(path.join(this.tofuDir, name), bytes);
    return bytes;
  }

  /** Runs .github/scripts/NAME with bash in the checkout, as the job's step does. */
  run(script: string, args: readonly string[] = [], env: Record<string, string> = {}): ScriptRun {
    const r = spawnSync('bash', [path.join(SCRIPTS, script), ...args], { cwd: this.dir, env: { ...this.env, ...env }, encoding: 'utf8' });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** git in the checkout (see gitIn). */
  git(...args: string[]): string {
    return gitIn(this.dir, ...args);
  }

  /** The stand-ins' calls, one a line, in order ([] when none was made). */
  calls(): string[] {
    return fs.existsSync(this.log) ? fs.readFileSync(this.log, 'utf8').split('\n').filter((l) => l !== '') : [];
  }

  /** The stacks the tofu stand-in applied, in order. */
  applied(): string[] {
    const file = path.join(this.tofuDir, 'applied.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
  }

  /** What the scripts appended to GITHUB_STEP_SUMMARY ('' when nothing). */
  summary(): string {
    return fs.existsSync(this.summaryFile) ? fs.readFileSync(this.summaryFile, 'utf8') : '';
  }

  /** What the scripts appended to GITHUB_OUTPUT ('' when nothing). */
  outputs(): string {
    return fs.existsSync(this.outputFile) ? fs.readFileSync(this.outputFile, 'utf8') : '';
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** git in DIR, without the system's or the user's configuration, with a fixed author; its output trimmed. */
export function gitIn(dir: string, ...args: string[]): string {
  return git(dir, args).trim();
}

const open: ScriptJob[] = [];

/** A new job, removed by removeJobs (call it in afterEach). */
export function scriptJob(env: Record<string, string> = {}): ScriptJob {
  const job = new ScriptJob(env);
  open.push(job);
  return job;
}

export function removeJobs(): void {
  for (const job of open.splice(0)) job.remove();
}

// Plan JSON fixtures, in the form `tofu show -json PLANFILE` prints.

export interface Change {
  readonly type?: string;
  readonly name?: string;
  readonly key: string;
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
}

/** A resource change; an account assignment unless a type is given (before and after from the key's account). */
export function change(c: Change): object {
  const type = c.type ?? 'aws_ssoadmin_account_assignment';
  const name = c.name ?? 'this';
  const value = { target_id: c.key.split('|')[2] ?? c.key };
  return {
    address: `${type}.${name}[${JSON.stringify(c.key)}]`,
    mode: 'managed',
    type,
    name,
    index: c.key,
    provider_name: type.startsWith('okta') ? 'registry.opentofu.org/okta/okta' : 'registry.opentofu.org/hashicorp/aws',
    change: {
      actions: c.actions,
      before: c.before !== undefined ? c.before : c.actions[0] === 'create' ? null : value,
      after: c.after !== undefined ? c.after : c.actions.join(',') === 'delete' ? null : value,
      after_unknown: {},
      before_sensitive: {},
      after_sensitive: {},
    },
  };
}

/** A secret the plans carry outside the allowlist of redact-plan: it must never reach plans/. */
export const PLAN_SECRET = 'scim-token-0123456789';

/** A plan: these changes, the output pending_scim_groups, and what redact-plan drops (variables, drift, configuration). */
export function plan(changes: readonly object[], pending: readonly string[] = []): object {
  return {
    format_version: '1.2',
    terraform_version: '1.10.10',
    variables: { okta_aws_scim_token: { value: PLAN_SECRET } },
    planned_values: { outputs: { pending_scim_groups: { sensitive: false, value: pending } }, root_module: {} },
    resource_drift: [{ address: 'okta_app_connection.this["aws"]', change: { actions: ['update'], before: { token: PLAN_SECRET } } }],
    resource_changes: changes,
    configuration: { root_module: { variables: { okta_aws_scim_token: { sensitive: true, default: PLAN_SECRET } } } },
  };
}

/** N account assignments that exist and stay (no-op), on accounts of a group the files do not declare. */
export function kept(n: number, group = 'kept'): object[] {
  return Array.from({ length: n }, (_, i) => change({ key: `${group}|ReadOnly|9${String(i).padStart(11, '0')}`, actions: ['no-op'] }));
}

/** N deletes of account assignments the files no longer declare (revocations, explained). */
export function revoked(n: number, group = 'gone'): object[] {
  return Array.from({ length: n }, (_, i) => change({ key: `${group}|ReadOnly|8${String(i).padStart(11, '0')}`, actions: ['delete'] }));
}
