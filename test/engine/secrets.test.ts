// The SCIM token against someone who can read the repository or open a pull
// request (issue 21). The okta stack is planned and applied against the
// emulated Okta by the exact scripts the workflows run, in a workspace laid
// out as a job's checkout; then every artifact the workflows upload, every
// job summary and job output, every line the scripts printed and every state
// the plan role may read is searched for the token, inside zip and gzip
// files too. The same search finds the token in the okta-scim state and in a
// plan of that stack, and in the okta state of the layout before this one,
// so it can fail.

import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parse } from 'yaml';
import { describeEngine } from '../../engine/jest';
import { actionsOf, engineLockFile, REPO_ROOT, Stack, stackLock, tofuEnv, Workspace, type Engine, type RunResult } from '../../engine/harness';
import { expectedOkta } from '../../engine/okta';
import { OktaEmulator } from '../../engine/okta-emulator';
import { EXAMPLE_ORG, edit } from '../../engine/orgs';
import { loadAccessDir } from '../../src/model/load';

jest.setTimeout(900_000);

const TODAY = '2026-12-01';
const SCRIPTS = path.join(REPO_ROOT, '.github', 'scripts');
const CLI = path.join(REPO_ROOT, 'bin', 'accessctl');
const WORKFLOWS = ['apply.yml', 'pr.yml', 'drift.yml'];

/** Every path a workflow uploads as an artifact (matrix stacks expanded), relative to the job's checkout. */
function uploadedPaths(stacks: readonly string[]): string[] {
  const out = new Set<string>();
  for (const file of WORKFLOWS) {
    const wf = parse(fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', file), 'utf8')) as { jobs: Record<string, { steps?: { uses?: string; with?: { path?: string } }[] }> };
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps ?? []) {
        if (!step.uses?.startsWith('actions/upload-artifact@') || !step.with?.path) continue;
        for (const line of step.with.path.split('\n').map((l) => l.trim()).filter(Boolean)) {
          if (line.includes('${{ matrix.stack }}')) for (const s of stacks) out.add(line.replace('${{ matrix.stack }}', s));
          else out.add(line);
        }
      }
    }
  }
  return [...out].sort();
}

/** Files under root matching a path with * in its segments; a directory stands for every file below it. */
function expand(root: string, pattern: string): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  let found = [root];
  for (const seg of pattern.split('/')) {
    const re = new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    found = found.flatMap((d) => (fs.existsSync(d) && fs.statSync(d).isDirectory() ? fs.readdirSync(d).filter((n) => re.test(n)).map((n) => path.join(d, n)) : []));
  }
  return found.flatMap((f) => (fs.statSync(f).isDirectory() ? walk(f) : [f])).filter((f) => !f.split(path.sep).includes('.terraform'));
}

/** Whether the token is in a file: as text, or inside a zip (a saved plan) or gzip (a packed artifact). */
function holds(file: string, token: string): boolean {
  const bytes = fs.readFileSync(file);
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    const r = spawnSync('python3', ['-c', 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nsys.stdout.buffer.write(b"\\n".join(z.read(n) for n in z.namelist()))', file], { maxBuffer: 512 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`cannot unzip ${file}: ${r.stderr.toString()}`);
    return r.stdout.toString('latin1').includes(token);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return zlib.gunzipSync(bytes).toString('latin1').includes(token);
  return bytes.toString('latin1').includes(token);
}

describeEngine('engine: the SCIM token stays in the gated apply job', (engine: () => Engine) => {
  let ws: Workspace;
  let okta: OktaEmulator;
  /** Every line the scripts printed, as a job log would hold it. */
  let logs: string;
  const token = `scim-token-${randomUUID()}`;

  beforeAll(() => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js'))) throw new Error('the workflow scripts run the compiled CLI: npm run build first');
  });

  afterEach(() => {
    ws?.remove();
    okta?.remove();
  });

  async function workspace(name: string, edits: (read: (rel: string) => string) => Record<string, string> = () => ({})): Promise<void> {
    ws = new Workspace(engine(), { today: TODAY, name });
    ws.copyFrom(EXAMPLE_ORG);
    ws.write(edits((rel) => ws.read(rel)));
    okta = new OktaEmulator(expectedOkta(loadAccessDir('access', ws.dir).model!, TODAY).logins);
    ws.okta = okta;
    ws.commit('the org');
    await ws.synth();
    logs = '';
    // The lock file an adopting org commits, made by the project's script from the engine's mirror (engineLockFile).
    fs.copyFileSync(engineLockFile(engine()), path.join(ws.dir, '.terraform.lock.hcl'));
  }

  /** A workflow script run as its job runs it: the checkout as working directory, the job's variables. */
  function script(name: string, args: readonly string[], env: Record<string, string> = {}): RunResult {
    const r = spawnSync('bash', [path.join(SCRIPTS, name), ...args], {
      cwd: ws.dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: tofuEnv(engine(), {
        ACCESSCTL_TOFU: engine().tofu,
        ACCESSCTL_BIN: CLI,
        ACCESSCTL_OKTA_EMULATOR: okta.file,
        GITHUB_STEP_SUMMARY: path.join(ws.dir, 'step-summary.md'),
        GITHUB_OUTPUT: path.join(ws.dir, 'github-output.txt'),
        GITHUB_EVENT_NAME: 'push',
        GITHUB_SHA: ws.git(['rev-parse', 'HEAD']),
        ...env,
      }),
    });
    logs += `${r.stdout}\n${r.stderr}\n`;
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** The apply workflow's okta part: affected, plan-okta (no token), apply-okta (the token). */
  async function applyRun(): Promise<RunResult> {
    const affected = await ws.accessctl(['affected', '--applied', 'applied.json', '--format', 'json']);
    fs.writeFileSync(path.join(ws.dir, 'affected.json'), affected.stdout);
    expect(script('plan-stack.sh', ['okta']).code).toBe(0);
    const digest = fs.readFileSync(path.join(ws.dir, 'plans', 'okta.sha256'), 'utf8').trim();
    return script('apply-okta.sh', [digest], { TF_VAR_okta_aws_scim_token: token });
  }

  /** What a repository reader or the plan role can reach: artifacts, summaries, outputs, logs, and every state but okta-scim's. */
  function exposed(): string[] {
    const files = new Set<string>();
    for (const p of [...uploadedPaths(ws.stacks()), 'cdktf.out', 'step-summary.md', 'github-output.txt']) for (const f of expand(ws.dir, p)) files.add(f);
    for (const f of fs.readdirSync(ws.dir)) if (/\.tfstate/.test(f) && !f.includes('okta-scim')) files.add(path.join(ws.dir, f));
    fs.writeFileSync(path.join(ws.dir, 'job-logs.txt'), logs);
    files.add(path.join(ws.dir, 'job-logs.txt'));
    return [...files].sort();
  }

  it('appears in no artifact, job summary, job output, log or plan JSON, nor in any state the plan role reads; only in the okta-scim state', async () => {
    await workspace('secrets');
    const first = await applyRun();
    expect([first.code, first.stderr]).toEqual([0, expect.any(String)]);
    // An org's first apply: the AWS app does not exist yet, so okta goes first, then the connection.
    expect(fs.readFileSync(path.join(ws.dir, 'applied-stacks.txt'), 'utf8')).toBe('okta\nokta-scim\n');
    const appId = Object.keys(okta.objects('okta_app_saml'))[0]!;
    expect(okta.objects('okta_app_connection')).toEqual({ [appId]: expect.objectContaining({ id: appId, action: 'activate', profile: expect.objectContaining({ token }) }) });
    const firstRun = exposed();

    // A pull request, and the daily drift run, after the apply: plans whose saved file holds the state the apply left.
    const base = ws.commit('applied');
    ws.write({ 'groups/aws-security-auditors.yaml': edit(ws.read('groups/aws-security-auditors.yaml'), '  - heidi.schmidt@example.com\n', '') });
    ws.commit('heidi leaves');
    await ws.synth({ base });
    expect(script('plan-stack.sh', ['okta']).code).toBe(0);
    const diff = await ws.accessctl(['diff', '--base', base, '--format', 'markdown']);
    fs.writeFileSync(path.join(ws.dir, 'diff.md'), diff.stdout);
    expect(script('pr-summary.sh', [], { LABELS: '[]', PLAN_RESULT: 'success' }).code).toBe(0);
    expect(script('plan-stack.sh', ['okta', '-detailed-exitcode']).code).toBe(2);
    // No job but the gated one plans the stack that holds the token.
    const refused = script('plan-stack.sh', ['okta-scim']);
    expect([refused.code, refused.stdout.trim()]).toEqual([1, '::error::plan-stack.sh does not plan okta-scim: it holds the SCIM token, and only the apply job plans it (apply-scim.sh)']);

    const searched = [...new Set([...firstRun, ...exposed()])].filter((f) => fs.existsSync(f));
    const rel = (f: string): string => path.relative(ws.dir, f);
    // What was searched: the plan files and JSON, the states, the summaries, outputs and logs.
    expect(searched.map(rel)).toEqual(expect.arrayContaining([
      'cdktf.out/stacks/okta/tfplan', 'cdktf.out/stacks/okta/cdk.tf.json', 'cdktf.out/stacks/okta-scim/cdk.tf.json', 'plans/okta.json',
      'terraform.okta.tfstate', 'step-summary.md', 'github-output.txt', 'job-logs.txt', 'comment.md',
    ]));
    expect(searched.filter((f) => holds(f, token)).map(rel)).toEqual([]);

    // The search can fail: it finds the token where it is kept, in the okta-scim state, and in any plan of that stack.
    expect(holds(path.join(ws.dir, 'terraform.okta-scim.tfstate'), token)).toBe(true);
    const scim = new Stack(engine(), ws.stackDir('okta-scim'), 'okta-scim', { ...okta.env(), TF_VAR_okta_aws_scim_token: token });
    const scimPlan = scim.plan('look');
    expect([holds(scimPlan.planFile, token), holds(scimPlan.jsonFile, token)]).toEqual([true, true]);
    // ... and the allowlist drops it from that plan's JSON too.
    const redacted = await ws.accessctl(['redact-plan', scimPlan.jsonFile]);
    expect([redacted.code, redacted.stdout.includes(token), redacted.stdout.includes('"okta_app_connection"')]).toEqual([0, false, true]);
  });

  it('upgrading from the layout that kept the connection in the okta stack moves it without a delete, and takes the token out of the okta state', async () => {
    await workspace('secrets-upgrade');
    // The okta stack as the layout before this one wrote it: the connection and its token-day trigger inside it.
    const okDir = ws.stackDir('okta');
    const current = fs.readFileSync(path.join(okDir, 'cdk.tf.json'), 'utf8');
    const scimConfig = ws.config('okta-scim');
    const old = JSON.parse(current);
    delete old.removed;
    delete old.output.aws_app_ids;
    old.variable = scimConfig.variable;
    old.resource.terraform_data = scimConfig.resource.terraform_data;
    old.resource.okta_app_connection = { this: { ...scimConfig.resource.okta_app_connection.this, id: '${okta_app_saml.this[each.key].id}' } };
    delete old.resource.okta_app_connection.this.lifecycle.precondition;
    fs.writeFileSync(path.join(okDir, 'cdk.tf.json'), JSON.stringify(old));
    new Stack(engine(), okDir, 'okta', { ...okta.env(), TF_VAR_okta_aws_scim_token: token }).init().planAndApply('before');
    // That layout is what the issue found: the token in the state the plan role reads.
    expect(holds(path.join(ws.dir, 'terraform.okta.tfstate'), token)).toBe(true);
    const appId = Object.keys(okta.objects('okta_app_saml'))[0]!;

    // The upgrade: this layout of the same files, through the workflow's scripts.
    fs.writeFileSync(path.join(okDir, 'cdk.tf.json'), current);
    okta.clearCalls();
    const affected = await ws.accessctl(['affected', '--applied', 'applied.json', '--format', 'json']);
    fs.writeFileSync(path.join(ws.dir, 'affected.json'), affected.stdout);
    expect(script('plan-stack.sh', ['okta']).code).toBe(0);
    const plan = JSON.parse(fs.readFileSync(path.join(ws.dir, 'plans', 'okta.json'), 'utf8'));
    expect(Object.fromEntries(plan.resource_changes.filter((c: { change: { actions: string[] } }) => c.change.actions.join() !== 'no-op' && c.change.actions.join() !== 'read').map((c: { address: string; change: { actions: string[] } }) => [c.address, c.change.actions.join()]))).toEqual({
      'okta_app_connection.this["aws"]': 'forget',
      'terraform_data.scim_token["aws"]': 'forget',
    });
    const digest = fs.readFileSync(path.join(ws.dir, 'plans', 'okta.sha256'), 'utf8').trim();
    const run = script('apply-okta.sh', [digest], { TF_VAR_okta_aws_scim_token: token });
    expect([run.code, fs.readFileSync(path.join(ws.dir, 'applied-stacks.txt'), 'utf8')]).toEqual([0, 'okta\nokta-scim\n']);
    // Okta was never asked to delete the connection; it is there with the token, and the okta state no longer holds it.
    expect(okta.calls().filter((c) => c.type === 'okta_app_connection').map((c) => c.op)).toEqual(['create']);
    expect(okta.objects('okta_app_connection')).toEqual({ [appId]: expect.objectContaining({ profile: expect.objectContaining({ token }) }) });
    expect(holds(path.join(ws.dir, 'terraform.okta.tfstate'), token)).toBe(false);
    expect(actionsOf(new Stack(engine(), okDir, 'okta', okta.env()).plan('after').json!)).toEqual({});
  });

  it('SCIM added to an app that exists: the connection is made before user provisioning is switched on', async () => {
    await workspace('secrets-add-scim', (read) => ({ 'settings.yaml': read('settings.yaml').replace(/\n {6}# SCIM as code\.[\s\S]*?tokenIssued: 2026-11-02\n/, '\n') }));
    expect(ws.stacks()).toEqual(['aws', 'okta']);
    const first = await applyRun();
    expect([first.code, fs.readFileSync(path.join(ws.dir, 'applied-stacks.txt'), 'utf8')]).toEqual([0, 'okta\n']);
    const base = ws.commit('applied');
    ws.copyFrom(EXAMPLE_ORG);
    ws.commit('SCIM as code');
    await ws.synth({ base });
    okta.clearCalls();
    const second = await applyRun();
    expect([second.code, fs.readFileSync(path.join(ws.dir, 'applied-stacks.txt'), 'utf8')]).toEqual([0, 'okta-scim\nokta\n']);
    const calls = okta.calls();
    const connected = calls.findIndex((c) => c.op === 'create' && c.type === 'okta_app_connection');
    const features = calls.findIndex((c) => c.op === 'create' && c.type === 'okta_app_features');
    expect([connected >= 0, features > connected]).toEqual([true, true]);
  });

  it('the scheduled run never connects SCIM: that is not a removal', async () => {
    await workspace('secrets-schedule');
    const affected = await ws.accessctl(['affected', '--applied', 'applied.json', '--format', 'json']);
    fs.writeFileSync(path.join(ws.dir, 'affected.json'), affected.stdout);
    expect(script('plan-stack.sh', ['okta']).code).toBe(0);
    const digest = fs.readFileSync(path.join(ws.dir, 'plans', 'okta.sha256'), 'utf8').trim();
    const run = script('apply-okta.sh', [digest], { TF_VAR_okta_aws_scim_token: token, GITHUB_EVENT_NAME: 'schedule' });
    expect([run.code, fs.readFileSync(path.join(ws.dir, 'applied-stacks.txt'), 'utf8')]).toEqual([0, 'okta\n']);
    expect(run.stdout).toContain('::warning::the SCIM connection (okta-scim) differs from what was applied; a scheduled run does not connect SCIM: run apply by hand');
    expect(okta.objects('okta_app_connection')).toEqual({});
  });
});

describeEngine('engine: providers only as the lock file pins them', (engine: () => Engine) => {
  let ws: Workspace;
  afterEach(() => ws?.remove());

  function planStack(stack: string, env: Record<string, string> = {}): RunResult {
    const r = spawnSync('bash', [path.join(SCRIPTS, 'plan-stack.sh'), stack], {
      cwd: ws.dir, encoding: 'utf8', env: tofuEnv(engine(), { ACCESSCTL_TOFU: engine().tofu, ACCESSCTL_BIN: CLI, ...env }),
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  it('plans refuse to run without the lock file, and init -lockfile=readonly refuses a provider or a checksum outside it', async () => {
    ws = new Workspace(engine(), { today: TODAY, name: 'lock' });
    ws.copyFrom(EXAMPLE_ORG);
    ws.commit('the org');
    await ws.synth();
    const noLock = planStack('okta');
    expect([noLock.code, noLock.stdout.trim()]).toEqual([1, `::error::no provider lock file at ${path.join(ws.dir, '.terraform.lock.hcl')}: create it with scripts/lock-providers.sh and commit it (docs/ci.md#the-provider-lock-file); plans and applies refuse to run without it`]);

    const lockFile = path.join(ws.dir, '.terraform.lock.hcl');
    fs.copyFileSync(engineLockFile(engine()), lockFile);
    const lock = fs.readFileSync(lockFile, 'utf8');
    expect(lock).toContain('provider "registry.opentofu.org/okta/okta"');
    expect(lock).toContain('provider "registry.opentofu.org/hashicorp/aws"');
    expect(lock).toContain('constraints = ">= 6.6.0, != 6.14.0, < 7.0.0"');

    // With the lock file, cut to what each stack requires as CI cuts it, every kind of stack initialises read-only.
    const okta = new Stack(engine(), ws.stackDir('okta'));
    const aws = new Stack(engine(), ws.stackDir('aws'));
    for (const s of [okta, aws, new Stack(engine(), ws.stackDir('okta-scim'))]) {
      stackLock(lockFile, s.dir);
      expect([s.name, s.tofu(['init', '-input=false', '-no-color', '-lockfile=readonly']).code]).toEqual([s.name, 0]);
    }
    expect(fs.readFileSync(path.join(okta.dir, '.terraform.lock.hcl'), 'utf8')).not.toContain('hashicorp/aws');
    expect(fs.readFileSync(path.join(aws.dir, '.terraform.lock.hcl'), 'utf8')).not.toContain('okta/okta');
    // The whole lock file in one stack is refused read-only (it names a provider the stack does not use): why CI cuts it.
    fs.copyFileSync(lockFile, path.join(okta.dir, '.terraform.lock.hcl'));
    expect(okta.tofu(['init', '-input=false', '-no-color', '-lockfile=readonly']).code).toBe(1);
    stackLock(lockFile, okta.dir);
    // A configuration that brings a provider the lock file does not name (a data source that runs a program) is refused.
    fs.writeFileSync(path.join(okta.dir, 'extra_override.tf.json'), JSON.stringify({ terraform: { required_providers: { external: { source: 'hashicorp/external' } } } }));
    const extra = okta.tofu(['init', '-input=false', '-no-color', '-lockfile=readonly']);
    expect([extra.code, `${extra.stderr}${extra.stdout}`.replace(/\s+/g, ' ')]).toEqual([1, expect.stringMatching(/lock file|dependency lock/i)]);
    fs.rmSync(path.join(okta.dir, 'extra_override.tf.json'));
    // A provider whose checksum is not the locked one is refused.
    const tampered = path.join(ws.dir, 'tampered.lock.hcl');
    fs.writeFileSync(tampered, lock.replace(/"h1:[^"]+"/g, '"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="'));
    stackLock(tampered, aws.dir);
    fs.rmSync(path.join(aws.dir, '.terraform'), { recursive: true, force: true });
    const bad = aws.tofu(['init', '-input=false', '-no-color', '-lockfile=readonly']);
    expect([bad.code, `${bad.stderr}${bad.stdout}`.replace(/\s+/g, ' ')]).toEqual([1, expect.stringMatching(/checksum/i)]);
  });
});
