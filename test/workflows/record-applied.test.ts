// .github/scripts/record-applied.sh, as the apply jobs run it, with a
// stand-in AWS CLI (test/stand-ins/aws: S3 objects with ETags and conditional
// writes) and the compiled CLI. Two jobs that record at the same time (read,
// read, write, write) must both keep their entry: the second write is refused
// by S3, and its job reads the record again.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/helpers';
import { compiledCli } from '../support/compiled-cli';

const SCRIPT = path.join(REPO_ROOT, '.github', 'scripts', 'record-applied.sh');
const STAND_INS = path.join(__dirname, '..', 'stand-ins');
const SHA = 'c'.repeat(40);
const DIGESTS = { okta: `sha256:${'1'.repeat(64)}`, aws: `sha256:${'2'.repeat(64)}`, 'aws-prod': `sha256:${'3'.repeat(64)}` };

interface Job { readonly dir: string; readonly env: NodeJS.ProcessEnv; }

/** A job's checkout: the plans of both stacks (nothing pending), affected.json with their digests. */
function job(s3: string, log: string): Job {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-record-'));
  fs.mkdirSync(path.join(dir, 'plans'));
  for (const s of Object.keys(DIGESTS)) fs.writeFileSync(path.join(dir, 'plans', `${s}.json`), JSON.stringify({ format_version: '1.2', planned_values: { outputs: { pending_scim_groups: { value: [] } } } }));
  fs.writeFileSync(path.join(dir, 'affected.json'), JSON.stringify({ stacks: ['okta', 'aws', 'aws-prod'], digests: DIGESTS }));
  return {
    dir,
    env: {
      ...process.env,
      PATH: `${STAND_INS}${path.delimiter}${process.env.PATH}`,
      ACCESSCTL_BIN: compiledCli(),
      ACCESSCTL_APPLIED_RECORD: 's3://state-bucket/accessctl/accessctl-applied.json',
      ACCESSCTL_RECORD_RETRY_SECONDS: '0',
      GITHUB_SHA: SHA,
      STANDIN_S3_DIR: s3,
      STANDIN_LOG: log,
    },
  };
}

function record(j: Job, stack: string, env: NodeJS.ProcessEnv = {}): { code: number | null; out: string } {
  const r = spawnSync('bash', [SCRIPT, stack], { cwd: j.dir, env: { ...j.env, ...env }, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('record-applied.sh', () => {
  let s3: string;
  let log: string;
  const stored = (): { stacks: Record<string, { commit: string; digest: string }> } => JSON.parse(fs.readFileSync(path.join(s3, 'state-bucket', 'accessctl', 'accessctl-applied.json'), 'utf8'));
  const calls = (): string[] => fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.replace(/ \S*\/record\.json/, ' RECORD').replace(/--if-match "[0-9a-f]+"/, '--if-match ETAG'));

  beforeEach(() => {
    s3 = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-s3-'));
    log = path.join(s3, 'calls.log');
  });

  it('creates the record when there is none, only if there still is none (If-None-Match)', () => {
    const a = job(s3, log);
    expect(record(a, 'okta').code).toBe(0);
    expect(stored().stacks).toEqual({ okta: expect.objectContaining({ commit: SHA, digest: DIGESTS.okta }) });
    expect(calls()).toEqual([
      'aws s3api get-object --bucket state-bucket --key accessctl/accessctl-applied.json RECORD',
      "aws s3api put-object --bucket state-bucket --key accessctl/accessctl-applied.json --body RECORD --if-none-match *",
    ]);
  });

  it('two jobs interleaved (read, read, write, write) keep both entries: the stale write is refused and retried', () => {
    const okta = job(s3, log);
    const aws = job(s3, log);
    expect(record(okta, 'okta').code).toBe(0);
    fs.rmSync(log);
    // The aws job reads the record; before it writes, another job records aws-prod.
    const r = record(aws, 'aws', { STANDIN_AFTER_GET: `bash ${SCRIPT} aws-prod` });
    expect([r.code, r.out]).toEqual([0, expect.any(String)]);
    expect(r.out).toContain('the apply record changed while aws was being recorded (try 1): reading it again');
    expect(Object.keys(stored().stacks).sort()).toEqual(['aws', 'aws-prod', 'okta']);
    expect(stored().stacks.aws!.digest).toBe(DIGESTS.aws);
    expect(calls()).toEqual([
      'aws s3api get-object --bucket state-bucket --key accessctl/accessctl-applied.json RECORD',
      'aws s3api get-object --bucket state-bucket --key accessctl/accessctl-applied.json RECORD',
      'aws s3api put-object --bucket state-bucket --key accessctl/accessctl-applied.json --body RECORD --if-match ETAG',
      'aws s3api put-object --bucket state-bucket --key accessctl/accessctl-applied.json --body RECORD --if-match ETAG',
      'aws s3api get-object --bucket state-bucket --key accessctl/accessctl-applied.json RECORD',
      'aws s3api put-object --bucket state-bucket --key accessctl/accessctl-applied.json --body RECORD --if-match ETAG',
    ]);
  });

  it('records the commit a stack was synthesized from when affected.json names one (the expiry run), GITHUB_SHA otherwise', () => {
    const a = job(s3, log);
    const older = 'a'.repeat(40);
    fs.writeFileSync(path.join(a.dir, 'affected.json'), JSON.stringify({ stacks: ['okta'], digests: DIGESTS, commits: { okta: older } }));
    expect(record(a, 'okta').code).toBe(0);
    expect(record(a, 'aws').code).toBe(0);
    expect([stored().stacks.okta!.commit, stored().stacks.aws!.commit]).toEqual([older, SHA]);
  });

  it('stops, naming the record, when S3 answers anything but a refused condition', () => {
    const a = job(s3, log);
    fs.mkdirSync(path.join(s3, 'state-bucket', 'accessctl', 'accessctl-applied.json'), { recursive: true });
    const r = record(a, 'okta');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^::error::cannot read the apply record s3:\/\/state-bucket\/accessctl\/accessctl-applied.json: /m);
  });
});
