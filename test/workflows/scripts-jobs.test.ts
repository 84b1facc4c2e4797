// The scripts that prepare a job with credentials (.github/scripts:
// fetch-record.sh, unpack.sh, install-tool.sh), run as their jobs run them,
// with the stand-ins of test/stand-ins for the AWS CLI and npm (every call
// logged). What decides: whether the apply record is read, taken as empty or
// the run stops; whether an archive of an earlier job is unpacked (and the CLI
// in it installed) or refused.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeJobs, scriptJob, sha256, type ScriptJob } from '../support/script-job';

afterEach(removeJobs);

describe('fetch-record.sh', () => {
  const RECORD = 's3://state-bucket/accessctl/accessctl-applied.json';
  const HEAD = 'aws s3api head-object --bucket state-bucket --key accessctl/accessctl-applied.json';
  const fetchJob = (): ScriptJob => scriptJob({ ACCESSCTL_APPLIED_RECORD: RECORD });
  const object = (j: ScriptJob): string => path.join(j.s3Dir, 'state-bucket', 'accessctl', 'accessctl-applied.json');

  it('no record yet (404): writes the empty record and exits 0', () => {
    const j = fetchJob();
    const r = j.run('fetch-record.sh');
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `no apply record yet at ${RECORD}: every stack is planned\n`, '']);
    expect(j.read('applied.json')).toBe('{"version": 1, "stacks": {}}\n');
    expect(j.calls()).toEqual([HEAD]);
  });

  it('any other error (403): stops, naming the record and the error, and writes nothing', () => {
    const j = fetchJob();
    fs.mkdirSync(object(j), { recursive: true }); // the stand-in's 403
    const r = j.run('fetch-record.sh');
    expect([r.code, r.stdout]).toEqual([1, `::error::cannot read the apply record ${RECORD}: An error occurred (403) when calling the HeadObject operation: Forbidden\n`]);
    expect(j.exists('applied.json')).toBe(false);
    expect(j.calls()).toEqual([HEAD]);
  });

  it('a record: copies it to applied.json', () => {
    const j = fetchJob();
    const record = `${JSON.stringify({ version: 1, stacks: { okta: { commit: 'c'.repeat(40), digest: `sha256:${'1'.repeat(64)}` } } })}\n`;
    fs.mkdirSync(path.dirname(object(j)), { recursive: true });
    fs.writeFileSync(object(j), record);
    const r = j.run('fetch-record.sh');
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(j.read('applied.json')).toBe(record);
    expect(j.calls()).toEqual([HEAD, `aws s3 cp --only-show-errors ${RECORD} applied.json`]);
  });

  it('refuses to run without ACCESSCTL_APPLIED_RECORD', () => {
    const j = scriptJob();
    const r = j.run('fetch-record.sh');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ACCESSCTL_APPLIED_RECORD: set the repository variable ACCESSCTL_APPLIED_RECORD (docs/ci.md)');
    expect(j.calls()).toEqual([]);
    expect(j.exists('applied.json')).toBe(false);
  });
});

/** An archive an earlier job made, as pr.yml and apply.yml pack them: FILES (rel -> content) in NAME; returns its sha256. */
function archive(j: ScriptJob, name: string, files: Record<string, string>): string {
  const src = path.join(j.root, 'packed');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
    fs.writeFileSync(path.join(src, rel), content);
  }
  execFileSync('tar', ['-C', src, '-czf', j.path(name), ...Object.keys(files)]);
  return sha256(fs.readFileSync(j.path(name)));
}

describe('unpack.sh', () => {
  it('unpacks an archive with the digest the earlier job reported', () => {
    const j = scriptJob();
    const digest = archive(j, 'synth.tgz', { 'cdktf.out/stacks/okta/cdk.tf.json': '{}', 'diff.md': 'the diff\n' });
    const r = j.run('unpack.sh', ['synth.tgz', digest]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(j.read('diff.md')).toBe('the diff\n');
    expect(j.read('cdktf.out/stacks/okta/cdk.tf.json')).toBe('{}');
  });

  it('refuses an archive with another digest, before unpacking anything', () => {
    const j = scriptJob();
    const digest = archive(j, 'synth.tgz', { 'cdktf.out/stacks/okta/cdk.tf.json': '{}', 'diff.md': 'the diff\n' });
    const expected = sha256('the archive the earlier job made');
    const r = j.run('unpack.sh', ['synth.tgz', expected]);
    expect([r.code, r.stdout]).toEqual([1, `::error::synth.tgz is not the one the earlier job made (sha256 ${digest}, expected ${expected})\n`]);
    expect(j.list('.')).toEqual(['synth.tgz']);
  });
});

describe('install-tool.sh', () => {
  const TOOL = { 'bin/accessctl': '#!/usr/bin/env node\n', 'package.json': '{"name": "accessctl"}\n', 'package-lock.json': '{}\n' };

  it('unpacks the CLI an earlier job built, then installs its runtime dependencies without scripts', () => {
    const j = scriptJob();
    const digest = archive(j, 'tool.tgz', TOOL);
    const r = j.run('install-tool.sh', [digest]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(j.list('.')).toEqual(['bin', 'package-lock.json', 'package.json', 'tool.tgz']);
    expect(j.calls()).toEqual(['npm ci --omit=dev --ignore-scripts --no-audit --no-fund']);
  });

  it('refuses a tool.tgz with another digest: nothing unpacked, npm never called', () => {
    const j = scriptJob();
    const digest = archive(j, 'tool.tgz', TOOL);
    const expected = sha256('the tool the synth job built');
    const r = j.run('install-tool.sh', [expected]);
    expect([r.code, r.stdout]).toEqual([1, `::error::tool.tgz is not the one the earlier job made (sha256 ${digest}, expected ${expected})\n`]);
    expect(j.list('.')).toEqual(['tool.tgz']);
    expect(j.calls()).toEqual([]);
  });
});
