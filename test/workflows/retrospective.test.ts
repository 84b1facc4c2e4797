// retrospective.yml and .github/scripts/retrospective.sh: the workflow runs
// on a schedule from the apply record (fetched with the read-only plan role,
// as apply.yml's record job does), never on push; the script writes
// retrospective.json only from a complete answer of the CLI. The script runs
// here as the prepare job runs it, with the compiled CLI (ACCESSCTL_BIN), the
// stand-ins first on PATH and recorded GitHub answers.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startReplay, type Replay } from '../support/github-replay';
import { REPO_ROOT } from '../support/helpers';
import { compiledCli } from '../support/compiled-cli';
import { grantIvan, IVAN, LISTING, marker, recording, REPO, repo, writeRecord } from '../support/retrospective-repo';

type Obj = Record<string, unknown>;
interface Step { uses?: string; run?: string; name?: string; with?: Obj; env?: Obj }
interface Job { needs?: string | string[]; permissions?: Obj; steps: Step[] }
interface Workflow { on: Obj; permissions: Obj; concurrency: Obj; jobs: Record<string, Job> }

const WORKFLOWS = path.join(REPO_ROOT, '.github', 'workflows');
const read = (file: string): Workflow => parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
const SCRIPT = path.join(REPO_ROOT, '.github', 'scripts', 'retrospective.sh');
const STAND_INS = path.join(__dirname, '..', 'stand-ins');

describe('retrospective.yml', () => {
  const wf = read('retrospective.yml');
  const apply = read('apply.yml');

  it('runs on a schedule after the hourly apply, and by hand; never on push', () => {
    expect(wf.on).toEqual({ schedule: [{ cron: '47 * * * *' }], workflow_dispatch: { inputs: { since: expect.objectContaining({ type: 'string', default: '' }) } } });
    expect(apply.on.schedule).toEqual([{ cron: '17 * * * *' }]);
    expect(wf.permissions).toEqual({ contents: 'read' });
    // One run at a time, none cancelled: two runs could each open the same grant.
    expect(wf.concurrency).toEqual({ group: 'accessctl-retrospective', 'cancel-in-progress': false });
  });

  it('fetches the apply record exactly as apply.yml\'s record job does, with the read-only plan role', () => {
    const mine = wf.jobs.record!;
    const theirs = apply.jobs.record!;
    expect(mine.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(mine.permissions).toEqual(theirs.permissions);
    const aws = (j: Job): Step => j.steps.find((s) => (s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'))!;
    expect(aws(mine).uses).toBe(aws(theirs).uses);
    expect({ ...aws(mine).with, 'role-session-name': undefined }).toEqual({ ...aws(theirs).with, 'role-session-name': undefined });
    expect(aws(mine).with!['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_PLAN_ROLE_ARN }}');
    const fetch = mine.steps.find((s) => s.run === '.github/scripts/fetch-record.sh')!;
    expect(fetch.env).toEqual({ ACCESSCTL_APPLIED_RECORD: '${{ vars.ACCESSCTL_APPLIED_RECORD }}' });
    expect(mine.steps.map((s) => s.uses?.split('@')[0] ?? s.run)).toEqual(theirs.steps.map((s) => s.uses?.split('@')[0] ?? s.run));
  });

  it('builds the CLI without credentials, runs it with read permissions only, and opens issues from a job that can only write issues', () => {
    expect(wf.jobs.tool!.permissions).toEqual({ contents: 'read' });
    const prepare = wf.jobs.prepare!;
    expect(prepare.needs).toEqual(['record', 'tool']);
    expect(prepare.permissions).toEqual({ contents: 'read', issues: 'read', 'pull-requests': 'read' });
    expect(prepare.steps.find((s) => (s.uses ?? '').startsWith('actions/checkout@'))!.with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
    expect(prepare.steps.map((s) => s.run).filter(Boolean)).toEqual(['.github/scripts/install-tool.sh "$TOOL"', '.github/scripts/retrospective.sh applied.json']);
    const find = prepare.steps.find((s) => s.run === '.github/scripts/retrospective.sh applied.json')!;
    expect(find.env).toEqual({ GITHUB_TOKEN: '${{ github.token }}', ACCESSCTL_GITHUB_TEAMS_TOKEN: '${{ secrets.ACCESSCTL_GITHUB_TEAMS_TOKEN }}', SINCE: '${{ inputs.since }}' });
    const open = wf.jobs.open!;
    expect(open.permissions).toEqual({ issues: 'write' });
    expect(open.steps.map((s) => s.uses?.split('@')[0])).toEqual(['actions/download-artifact', 'actions/github-script']);
    expect(String(open.steps[1]!.with!.script)).toContain('await github.rest.issues.create({ ...issue, assignees: i.assignees });');
  });
});

describe('retrospective.sh', () => {
  let replay: Replay | undefined;
  afterEach(async () => {
    await replay?.close();
    replay = undefined;
  });

  /** The prepare job's step: only PATH (stand-ins first), HOME and what the step's env gives. Not spawnSync: the recorded GitHub answers from this process. */
  function script(cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn('bash', [SCRIPT, 'applied.json'], {
      cwd,
      env: { PATH: `${STAND_INS}${path.delimiter}${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', ACCESSCTL_BIN: compiledCli(), GITHUB_REPOSITORY: REPO, GITHUB_TOKEN: 'ghs_recorded', ...(replay ? { GITHUB_API_URL: replay.url } : {}), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('writes retrospective.json from the record and names each issue; SINCE looks further back', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass ivan [skip ci]', '2026-10-01T10:00:00Z', grantIvan('2026-10-01T14:00Z'));
    writeRecord(r0.root, c1);
    replay = await startReplay(recording([], { [c1]: [43] }));
    // The default window (30 days back from the real clock) has nothing of 2026-10-01.
    const none = await script(r0.root, {});
    expect(none.stderr).toContain('retrospective: 0 break-glass grants');
    expect([none.code, JSON.parse(fs.readFileSync(path.join(r0.root, 'retrospective.json'), 'utf8')).issues]).toEqual([0, []]);
    const r = await script(r0.root, { SINCE: '2026-09-30' });
    expect([r.code, r.stderr]).toEqual([0, expect.any(String)]);
    expect(replay.unrecorded).toEqual([]);
    expect(r.stdout).toBe(`retrospective: Break-glass retrospective: ${IVAN} in aws-payments-admins until 2026-10-01T14:00Z\n`);
    const out = JSON.parse(fs.readFileSync(path.join(r0.root, 'retrospective.json'), 'utf8'));
    expect(out.since).toBe('2026-09-30T00:00:00Z');
    expect(out.issues.map((i: { body: string }) => i.body.split('\n')[0])).toEqual([marker('aws-payments-admins', IVAN, c1)]);
    expect(fs.readdirSync(r0.root).filter((f) => f.startsWith('retrospective.'))).toEqual(['retrospective.json']);
  });

  it('fails and leaves no retrospective.json when the issues cannot be listed', async () => {
    const r0 = repo();
    const c1 = r0.commit('Break-glass ivan [skip ci]', '2026-10-01T10:00:00Z', grantIvan('2026-10-01T14:00Z'));
    writeRecord(r0.root, c1);
    // What an earlier run left must not be taken for this run's answer.
    fs.writeFileSync(path.join(r0.root, 'retrospective.json'), '{"issues": [{"title": "stale"}]}');
    replay = await startReplay({ ...recording([], { [c1]: [43] }), [LISTING]: { status: 500, body: { message: 'Server Error' } } });
    const r = await script(r0.root, { SINCE: '2026-09-30' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot list the issues labelled retrospective');
    expect(fs.readdirSync(r0.root).filter((f) => f.startsWith('retrospective'))).toEqual([]);
  });
});
