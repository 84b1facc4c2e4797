// The engine harness: the real OpenTofu and providers that engine/build.sh
// builds, the emulated AWS (moto), and workspaces in which an org's files are
// synthesized by the accessctl CLI and then initialised, validated, planned
// and applied by the engine. Every engine test goes through this file; none
// spawns tofu or moto itself.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { main } from '../src/cli/main';
import type { Io } from '../src/cli/io';
import type { OktaEmulator } from './okta-emulator';
import { countRecording, type ApiCallCount } from './api-calls';

/** The repository root, from engine/ under ts-jest or dist-tools/engine/ when compiled (bench:engine). */
export const REPO_ROOT = ((): string => {
  const up = path.resolve(__dirname, '..');
  return path.basename(up) === 'dist-tools' ? path.dirname(up) : up;
})();

export interface EngineProvider {
  readonly source: string;
  readonly version: string;
  /** "built": the real provider from the Go module proxy; "standin": engine/okta-schema (schema only, for mock_provider). */
  readonly kind: 'built' | 'standin';
  readonly binary: string;
}

export interface Engine {
  readonly tofu: string;
  readonly tofuVersion: string;
  readonly cliConfig: string;
  readonly python: string;
  readonly providers: Readonly<Record<string, EngineProvider>>;
}

/** Where engine/build.sh keeps what it builds (outside any clone). */
export function engineCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.ACCESSCTL_ENGINE_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'accessctl', 'engine');
}

export const HOW_TO_BUILD = 'bash engine/build.sh (builds OpenTofu and the providers from the Go module proxy and installs moto; about 35 minutes the first time, seconds after)';

/** The engine if it is built and current, or why not. */
export function findEngine(env: NodeJS.ProcessEnv = process.env): { engine: Engine } | { missing: string } {
  const manifest = path.join(engineCache(env), 'engine.json');
  if (!fs.existsSync(manifest)) return { missing: `no engine at ${manifest}` };
  const check = spawnSync('bash', [path.join(REPO_ROOT, 'engine', 'build.sh'), '--check'], { encoding: 'utf8', env: { ...env } });
  if (check.status !== 0) return { missing: (check.stderr || check.stdout).trim() || 'engine/build.sh --check failed' };
  const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { tofu: { binary: string; version: string }; cliConfig: string; python: string; providers: Record<string, EngineProvider> };
  return { engine: { tofu: m.tofu.binary, tofuVersion: m.tofu.version, cliConfig: m.cliConfig, python: m.python, providers: m.providers } };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let lockFile: string | undefined;

/**
 * The provider lock file an adopting org commits, made once per process by
 * the project's own scripts/lock-providers.sh from the engine's mirror. Every
 * workspace stack is initialised with it and -lockfile=readonly, as CI does.
 */
export function engineLockFile(engine: Engine): string {
  if (lockFile && fs.existsSync(lockFile)) return lockFile;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-lock-')), '.terraform.lock.hcl');
  const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'lock-providers.sh'), `-fs-mirror=${path.join(engineCache(), 'mirror')}`, '-platform=linux_amd64'], {
    encoding: 'utf8',
    env: tofuEnv(engine, { ACCESSCTL_TOFU: engine.tofu, ACCESSCTL_LOCK_FILE: file }),
  });
  if (r.status !== 0) throw new Error(`scripts/lock-providers.sh failed:\n${r.stderr}${r.stdout}`);
  lockFile = file;
  return file;
}

/** Writes DIR/.terraform.lock.hcl from a lock file as CI does: the workflows' own stack_lock (.github/scripts/engine.sh). */
export function stackLock(lock: string, dir: string): void {
  const r = spawnSync('bash', ['-c', '. "$0" && stack_lock "$1" "$2"', path.join(REPO_ROOT, '.github', 'scripts', 'engine.sh'), lock, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`stack_lock failed:\n${r.stderr}`);
}

/** The environment every tofu run gets: the mirror-only CLI config, no inherited TF_/AWS_/OKTA_ variables, emulator-only credentials. */
export function tofuEnv(engine: Engine, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('TF_') || k.startsWith('AWS_') || k.startsWith('OKTA_')) delete env[k];
  // The Okta emulator only where a test asks for it (Workspace okta option): otherwise the stand-in is schema-only.
  delete env.ACCESSCTL_OKTA_EMULATOR;
  return {
    ...env,
    TF_CLI_CONFIG_FILE: engine.cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    // Never a real AWS: credentials and region that only the emulator accepts.
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** moto in server mode on a free port of 127.0.0.1, with the additions of engine/emulator/server.py. */
export class Moto {
  private constructor(
    private readonly engine: Engine,
    private readonly child: ChildProcess,
    readonly endpoint: string,
    private readonly logFile: string,
    /** moto's request recording (engine/api-calls.ts), when started with record. */
    private readonly recording?: string,
  ) {}

  /** opts.record: moto records every request it answers, for apiCalls() (bench:engine's call counts). */
  static async start(engine: Engine, opts: { record?: boolean } = {}): Promise<Moto> {
    // The request log goes to a file, never a pipe: tests block in spawnSync while tofu talks to moto, and a full
    // pipe nobody drains would stall moto's request threads.
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-moto-')), 'requests.log');
    const log = fs.openSync(logFile, 'w');
    const recording = opts.record ? path.join(path.dirname(logFile), 'recording.jsonl') : undefined;
    if (recording) fs.writeFileSync(recording, '');
    const child = spawn(engine.python, [path.join(REPO_ROOT, 'engine', 'emulator', 'server.py')], {
      stdio: ['pipe', 'pipe', log],
      env: { ...process.env, PYTHONUNBUFFERED: '1', ...(recording ? { MOTO_ENABLE_RECORDING: 'True', MOTO_RECORDER_FILEPATH: recording } : {}) },
    });
    fs.closeSync(log);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`moto did not start within 60 s:\n${fs.readFileSync(logFile, 'utf8')}`)), 60_000);
      child.once('exit', (code) => reject(new Error(`moto exited (${code}) before it started:\n${fs.readFileSync(logFile, 'utf8')}`)));
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      });
    });
    child.stdout!.resume();
    return new Moto(engine, child, `http://127.0.0.1:${port}`, logFile, recording);
  }

  private call<T>(command: 'seed' | 'read' | 'groups' | 'scim', input: unknown): T {
    const r = spawnSync(this.engine.python, [path.join(REPO_ROOT, 'engine', 'emulator', 'aws.py'), command, this.endpoint], { input: JSON.stringify(input), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`emulator ${command} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  /** The Identity Store groups Group Push would have created. */
  seed(groups: readonly string[]): { instanceArn: string; identityStoreId: string; groups: Record<string, string> } {
    return this.call('seed', { groups });
  }

  /** Groups appearing in (a push done) or vanishing from (deleted in AWS) the Identity Store. */
  changeGroups(ops: { create?: readonly string[]; delete?: readonly string[] }): void {
    this.call('groups', ops);
  }

  /** What SCIM from Okta does to the Identity Store: exactly these users, and these members in each pushed group. */
  scim(view: { users: readonly string[]; members: Readonly<Record<string, readonly string[]>> }): void {
    this.call('scim', view);
  }

  /** What IAM Identity Center holds, read through the AWS API. */
  read(accountIds: readonly string[]): LiveAws {
    return this.call('read', { accountIds });
  }

  /** moto's request log so far. */
  requests(): string {
    return fs.readFileSync(this.logFile, 'utf8');
  }

  /** Where the recording stands now: pass it to apiCalls() to count only the calls made after. */
  callMark(): number {
    if (!this.recording) throw new Error('moto was started without record: true');
    return fs.statSync(this.recording).size;
  }

  /** The AWS API calls moto answered since a callMark() (or since it started), by operation. */
  apiCalls(since = 0): ApiCallCount {
    if (!this.recording) throw new Error('moto was started without record: true');
    const all = fs.readFileSync(this.recording);
    return countRecording(all.subarray(since).toString('utf8'));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(path.dirname(this.logFile), { recursive: true, force: true });
  }
}

export interface LivePermissionSet {
  readonly description: string | null;
  readonly sessionDuration: string | null;
  readonly relayState: string | null;
  readonly tags: Record<string, string>;
  readonly managedPolicies: string[];
  readonly customerManagedPolicies: string[];
  readonly inlinePolicy: unknown;
  readonly permissionsBoundary: unknown;
}

export interface LiveAws {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly groups: string[];
  readonly permissionSets: Record<string, LivePermissionSet>;
  readonly assignments: { group: string | null; principalType: string; permissionSet: string; accountId: string }[];
  /** Identity Store group -> user names of its members. */
  readonly members: Record<string, string[]>;
}

/** One resource change of `tofu show -json PLAN`. */
export interface PlanChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly type: string;
  readonly index?: string | number;
  readonly change: { readonly actions: readonly string[]; readonly before: unknown; readonly after: unknown; readonly importing?: unknown };
}

export interface PlanJson {
  readonly format_version: string;
  readonly resource_changes?: readonly PlanChange[];
  readonly output_changes?: Readonly<Record<string, { actions: string[]; after: unknown }>>;
  readonly planned_values?: { outputs?: Record<string, { value: unknown }> };
  readonly errored?: boolean;
}

/** The changes of a plan that do something: every action but no-op (and read, for data sources). */
export function actionsOf(plan: PlanJson): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of plan.resource_changes ?? []) {
    const a = c.change.actions.join(',');
    const moved = c.previous_address !== undefined && c.previous_address !== c.address;
    if (a === 'no-op' && !moved && !c.change.importing) continue;
    if (a === 'read') continue;
    out[c.address] = `${a}${moved ? ` (moved from ${c.previous_address})` : ''}${c.change.importing ? ' (import)' : ''}`;
  }
  return out;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Engine Test',
  GIT_AUTHOR_EMAIL: 'engine@example.com',
  GIT_COMMITTER_NAME: 'Engine Test',
  GIT_COMMITTER_EMAIL: 'engine@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/**
 * A repository made from the template: access/ files committed to git, the
 * stacks synthesized by `accessctl synth` into cdktf.out/, local state next
 * to access/. Stacks are run by the real engine; AWS stacks talk to moto
 * through an override file, never to a real endpoint.
 */
export class Workspace {
  readonly dir: string;
  private now: Date;

  constructor(
    readonly engine: Engine,
    opts: { moto?: Moto; okta?: OktaEmulator; today?: string; name?: string } = {},
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `accessctl-engine-${opts.name ?? 'ws'}-`));
    this.now = new Date(`${opts.today ?? '2026-12-01'}T12:00:00Z`);
    this.moto = opts.moto;
    this.okta = opts.okta;
    this.git(['init', '-q', '-b', 'main']);
    // As in a repository made from the template: generated output and state are never committed.
    fs.writeFileSync(path.join(this.dir, '.gitignore'), 'cdktf.out/\n*.tfstate\n*.tfstate.*\n.terraform/\n');
  }

  moto: Moto | undefined;
  /** The emulated Okta the okta stack plans and applies against; without it only `tofu test` with mocks can run it. */
  okta: OktaEmulator | undefined;

  /** Moves the workspace's clock (what accessctl commands take as today), as a scheduled run days later sees it. */
  setToday(today: string): this {
    this.now = new Date(`${today}T12:00:00Z`);
    return this;
  }

  /** Writes files under access/ (rel path -> text; null deletes). */
  write(files: Readonly<Record<string, string | null>>): this {
    for (const [rel, text] of Object.entries(files)) {
      const file = path.join(this.dir, 'access', rel);
      if (text === null) fs.rmSync(file, { force: true });
      else {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
      }
    }
    return this;
  }

  /** Replaces access/ with a copy of a directory (the example org, a fixture). */
  copyFrom(dir: string): this {
    fs.rmSync(path.join(this.dir, 'access'), { recursive: true, force: true });
    fs.cpSync(dir, path.join(this.dir, 'access'), { recursive: true });
    return this;
  }

  read(rel: string): string {
    return fs.readFileSync(path.join(this.dir, 'access', rel), 'utf8');
  }

  git(args: readonly string[]): string {
    const r = spawnSync('git', args, { cwd: this.dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim();
  }

  /** Commits access/ (only: state and output stay out of git) and returns the commit. */
  commit(message: string): string {
    this.git(['add', '-A', '.gitignore', 'access']);
    this.git(['commit', '-q', '--allow-empty', '-m', message]);
    return this.git(['rev-parse', 'HEAD']);
  }

  /** Runs an accessctl command in-process with this workspace as the working directory. */
  async accessctl(argv: readonly string[]): Promise<RunResult> {
    let stdout = '';
    let stderr = '';
    const io: Io = { cwd: this.dir, now: () => this.now, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  /** `accessctl synth` against a base revision (default: none), then the emulator endpoints for every AWS stack. */
  async synth(opts: { base?: string } = {}): Promise<string[]> {
    const r = await this.accessctl(['synth', '--dir', 'access', '--out', 'cdktf.out', ...(opts.base ? ['--base', opts.base] : ['--no-base'])]);
    if (r.code !== 0) throw new Error(`accessctl synth exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return this.prepareStacks();
  }

  /** What the scheduled run synthesizes: `accessctl synth --expiry RECORD --affected affected.json`, then the same per-stack set-up. */
  async synthExpiry(record: string): Promise<string[]> {
    const r = await this.accessctl(['synth', '--expiry', record, '--affected', 'affected.json', '--dir', 'access', '--out', 'cdktf.out']);
    if (r.code !== 0) throw new Error(`accessctl synth --expiry exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return this.prepareStacks();
  }

  /** Each synthesized stack gets its cut of the engine's lock file, and the aws stacks the emulator's endpoints. */
  private prepareStacks(): string[] {
    const stacks = this.stacks();
    const lock = engineLockFile(this.engine);
    for (const s of stacks) {
      stackLock(lock, this.stackDir(s));
      if (s.startsWith('aws')) this.pointAtEmulator(s);
    }
    return stacks;
  }

  stacks(): string[] {
    const dir = path.join(this.dir, 'cdktf.out', 'stacks');
    return fs.readdirSync(dir).filter((s) => fs.existsSync(path.join(dir, s, 'cdk.tf.json'))).sort();
  }

  stackDir(stack: string): string {
    return path.join(this.dir, 'cdktf.out', 'stacks', stack);
  }

  config(stack: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return JSON.parse(fs.readFileSync(path.join(this.stackDir(stack), 'cdk.tf.json'), 'utf8'));
  }

  /**
   * A Terraform override file (merged into the provider block by the engine)
   * that sends every AWS API call of the stack to moto. The synthesized
   * cdk.tf.json is left exactly as accessctl wrote it.
   */
  private pointAtEmulator(stack: string): void {
    const file = path.join(this.stackDir(stack), 'emulator_override.tf.json');
    if (!this.moto) {
      fs.rmSync(file, { force: true });
      return;
    }
    const url = this.moto.endpoint;
    const provider = {
      access_key: 'testing',
      secret_key: 'testing',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      endpoints: [{ ssoadmin: url, identitystore: url, organizations: url, iam: url, sts: url }],
    };
    fs.writeFileSync(file, `${JSON.stringify({ provider: { aws: provider } }, null, 2)}\n`);
  }

  /** The engine in one stack's directory. */
  stack(name: string): Stack {
    return new Stack(this.engine, this.stackDir(name), name, (name === 'okta' || name === 'okta-scim') && this.okta ? this.okta.env() : {});
  }

  /** Removes the workspace; ACCESSCTL_ENGINE_KEEP=1 keeps it for a look (its path goes to stderr). */
  remove(): void {
    if (process.env.ACCESSCTL_ENGINE_KEEP === '1') {
      process.stderr.write(`engine workspace kept: ${this.dir}\n`);
      return;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The engine in one directory: a synthesized stack, or any Terraform JSON. */
export class Stack {
  constructor(
    readonly engine: Engine,
    readonly dir: string,
    readonly name = path.basename(dir),
    /** Variables of this stack's tofu runs (the Okta emulator's store and the SCIM token variable). */
    readonly env: Readonly<Record<string, string>> = {},
  ) {}

  tofu(args: readonly string[], opts: { timeoutMs?: number } = {}): RunResult {
    const r = spawnSync(this.engine.tofu, [...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: tofuEnv(this.engine, { ...this.env }),
      timeout: opts.timeoutMs ?? 900_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs tofu and fails with its output when it does not exit 0. */
  ok(args: readonly string[]): RunResult {
    const r = this.tofu(args);
    if (r.code !== 0) throw new Error(`tofu ${args.join(' ')} in ${this.name} exited ${r.code}:\n${r.stderr}\n${r.stdout.slice(-4000)}`);
    return r;
  }

  /** `tofu init`; with a lock file in the directory (every workspace stack), -lockfile=readonly, as CI runs it. */
  init(opts: { backend?: boolean } = {}): this {
    const locked = fs.existsSync(path.join(this.dir, '.terraform.lock.hcl'));
    this.ok(['init', '-input=false', '-no-color', ...(locked ? ['-lockfile=readonly'] : []), ...(opts.backend === false ? ['-backend=false'] : [])]);
    return this;
  }

  validate(): { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string }[] } {
    const r = this.tofu(['validate', '-json', '-no-color']);
    return JSON.parse(r.stdout) as { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string }[] };
  }

  /** `tofu plan -out=NAME.tfplan`, then `tofu show -json` of it into NAME.json. A failed plan returns its output instead. */
  plan(name = 'plan'): { code: number; output: string; json?: PlanJson; jsonFile: string; planFile: string } {
    const planFile = path.join(this.dir, `${name}.tfplan`);
    const jsonFile = path.join(this.dir, `${name}.json`);
    const r = this.tofu(['plan', '-input=false', '-no-color', '-lock=false', `-out=${planFile}`]);
    if (r.code !== 0) return { code: r.code, output: `${r.stderr}\n${r.stdout}`, jsonFile, planFile };
    const show = this.ok(['show', '-json', '-no-color', planFile]);
    fs.writeFileSync(jsonFile, show.stdout);
    return { code: 0, output: r.stdout, json: JSON.parse(show.stdout) as PlanJson, jsonFile, planFile };
  }

  /** Applies a saved plan file, exactly as CI does. */
  apply(planFile: string): RunResult {
    return this.ok(['apply', '-input=false', '-no-color', '-auto-approve', planFile]);
  }

  /** Plans and applies that plan; returns the plan that was applied. */
  planAndApply(name = 'plan'): PlanJson {
    const p = this.plan(name);
    if (!p.json) throw new Error(`plan of ${this.name} failed:\n${p.output}`);
    this.apply(p.planFile);
    return p.json;
  }

  outputs(): Record<string, unknown> {
    const o = JSON.parse(this.ok(['output', '-json', '-no-color']).stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.value]));
  }

  /** The provider schemas as the engine reads them (`tofu providers schema -json`); needs init. */
  schemas(): Record<string, { resource_schemas?: Record<string, unknown>; data_source_schemas?: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return (JSON.parse(this.ok(['providers', 'schema', '-json', '-no-color']).stdout) as { provider_schemas: Record<string, never> }).provider_schemas;
  }

  /** `tofu test -verbose` with test files the caller writes under tests/ (name -> HCL). */
  test(files: Readonly<Record<string, string>>): RunResult {
    const dir = path.join(this.dir, 'tests');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return this.tofu(['test', '-no-color', '-verbose']);
  }
}
