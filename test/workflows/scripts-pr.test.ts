// The scripts of the pull-request and request workflows (.github/scripts:
// judge-pr.sh, approvals.sh, pr-summary.sh, collect-change.sh), run as their
// jobs run them, with the compiled CLI (bin/accessctl; pr-summary.sh's
// `npx accessctl` through the stand-in npx of test/stand-ins, which runs it).
// A CLI that crashes or writes nothing is a stand-in bin/accessctl in the
// job's checkout, where the job has the CLI it built. What decides: the exit
// status and job outputs the required checks read, what goes into the sticky
// comment, and what a change may carry into a pull request.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { change, CLI, gitIn as git, kept, plan, removeJobs, revoked, scriptJob, sha256, type ScriptJob } from '../support/script-job';

afterEach(removeJobs);

const TEAM = 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com, new@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n';

/** The CLI a job built from the base commit: bin/accessctl of this repository. */
function realTool(j: ScriptJob): void {
  fs.mkdirSync(j.path('bin'));
  fs.symlinkSync(CLI, j.path('bin/accessctl'));
}

/**
 * A stand-in bin/accessctl: notes `accessctl ARGS (in DIR)` in the call log, prints $FAKE_SECTION, and exits
 * $FAKE_EXIT, or N for the command FAKE_FAIL=COMMAND=N names.
 */
function fakeTool(j: ScriptJob): void {
  j.write('bin/accessctl', `#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
fs.appendFileSync(process.env.STANDIN_LOG, \`accessctl \${process.argv.slice(2).join(' ')} (in \${path.basename(process.cwd())})\\n\`);
process.stdout.write(process.env.FAKE_SECTION || '');
const [failing, code] = (process.env.FAKE_FAIL || '=').split('=');
process.exit(process.argv[2] === failing ? Number(code) : Number(process.env.FAKE_EXIT || 0));
`);
}

describe('judge-pr.sh', () => {
  /** The synth job: the base commit's CLI in bin/, the pull request in pr/ (base: the small org; head: a group "team" added). Returns the base sha. */
  function judgeJob(j: ScriptJob): string {
    realTool(j);
    const pr = j.path('pr');
    j.access({}, 'pr');
    git(pr, 'init', '-q', '-b', 'main');
    git(pr, 'add', '-A');
    git(pr, 'commit', '-qm', 'base');
    const base = git(pr, 'rev-parse', 'HEAD');
    j.write('pr/access/groups/team.yaml', TEAM);
    execFileSync('node', [CLI, 'codeowners'], { cwd: pr, stdio: 'pipe' });
    git(pr, 'add', '-A');
    git(pr, 'commit', '-qm', 'the change');
    return base;
  }

  it('exits 0 when every judgement passes, writing diff.md, affected.json and cdktf.out in pr/', () => {
    const j = scriptJob();
    const base = judgeJob(j);
    const r = j.run('judge-pr.sh', [base]);
    expect(r.code).toBe(0);
    expect(j.read('pr/diff.md')).toMatch(/^<!-- accessctl -->\n[^]*team/);
    expect((JSON.parse(j.read('pr/affected.json')) as { stacks: string[] }).stacks).toEqual(['okta', 'aws']);
    expect(j.list('pr/cdktf.out/stacks')).toEqual(['aws', 'okta']);
  });

  // Which command fails, and how, is the stand-in's choice: each failure makes the status 1 (never the
  // command's own code), and every command after it still runs.
  const COMMANDS = ['validate', 'codeowners', 'diff', 'affected', 'synth'];
  it.each(COMMANDS.flatMap((failing) => [[failing, 1], [failing, 2]] as const))('exits 1 when %s exits %d, and runs every judgement', (failing, code) => {
    const j = scriptJob();
    fakeTool(j);
    fs.mkdirSync(j.path('pr'));
    const base = 'b'.repeat(40);
    const r = j.run('judge-pr.sh', [base], { FAKE_FAIL: `${failing}=${code}` });
    expect(r.code).toBe(1);
    expect(j.calls()).toEqual([
      'accessctl validate --format github (in pr)',
      'accessctl codeowners --check (in pr)',
      `accessctl diff --base ${base} --format markdown (in pr)`,
      `accessctl affected --base ${base} --format json (in pr)`,
      `accessctl synth --base ${base} (in pr)`,
    ]);
    expect(j.list('pr')).toEqual(['affected.json', 'diff.md']);
  });
});

describe('approvals.sh', () => {
  const NOT_JUDGED = '<!-- accessctl:approvals -->\n### Approvals\n\n**Not judged**: accessctl approvals ended without writing a verdict; the job log says why.\n\n<!-- /accessctl:approvals -->\n';
  const ARGS = ['42', 'b'.repeat(40), 'h'.repeat(40)];
  const section = (j: ScriptJob) => ({ md: j.read('approvals.md'), summary: j.summary(), outputs: j.outputs() });

  it('keeps the section the CLI writes and its exit code (the real CLI: "Not judged", 2, without GITHUB_REPOSITORY)', () => {
    const j = scriptJob();
    realTool(j);
    j.access({}, 'pr');
    const r = j.run('approvals.sh', ARGS);
    expect(r.code).toBe(2);
    const md = j.read('approvals.md');
    expect(md).toMatch(/^<!-- accessctl:approvals -->\n### Approvals\n/);
    expect(md).toContain('--repo OWNER/NAME is required outside GitHub Actions (GITHUB_REPOSITORY is not set)');
    expect(md).not.toBe(NOT_JUDGED);
    expect(section(j)).toEqual({ md, summary: md, outputs: `section=${sha256(md)}\n` });
  });

  it('passes the pull request, base and head to the CLI in pr/, and keeps a verdict and its exit code 1', () => {
    const j = scriptJob();
    fakeTool(j);
    fs.mkdirSync(j.path('pr'));
    const verdict = '<!-- accessctl:approvals -->\n### Approvals\n\n**Missing**: one approval of @northwind/security\n\n<!-- /accessctl:approvals -->\n';
    const r = j.run('approvals.sh', ARGS, { FAKE_SECTION: verdict, FAKE_EXIT: '1' });
    expect(r.code).toBe(1);
    expect(j.calls()).toEqual([`accessctl approvals --pr 42 --base ${ARGS[1]} --head ${ARGS[2]} --format markdown (in pr)`]);
    expect(section(j)).toEqual({ md: verdict, summary: verdict, outputs: `section=${sha256(verdict)}\n` });
  });

  it('a CLI that never ran (no pr/ checkout): the fixed "Not judged" section, and the failure\'s exit code', () => {
    const j = scriptJob();
    realTool(j);
    const r = j.run('approvals.sh', ARGS);
    expect(r.code).toBe(1);
    expect(section(j)).toEqual({ md: NOT_JUDGED, summary: NOT_JUDGED, outputs: `section=${sha256(NOT_JUDGED)}\n` });
  });

  it('a CLI that writes nothing yet exits 0: the fixed "Not judged" section, and exit 2, never 0', () => {
    const j = scriptJob();
    fakeTool(j);
    fs.mkdirSync(j.path('pr'));
    const r = j.run('approvals.sh', ARGS, { FAKE_SECTION: '', FAKE_EXIT: '0' });
    expect(r.code).toBe(2);
    expect(section(j)).toEqual({ md: NOT_JUDGED, summary: NOT_JUDGED, outputs: `section=${sha256(NOT_JUDGED)}\n` });
  });
});

describe('pr-summary.sh', () => {
  const DIFF = '### accessctl: 1 change in who can access what\n\n- `+` team is created\n';

  /** The summary job: the access files, diff.md of the synth job (its first line the comment's marker), and the plans downloaded into plans/. */
  function summaryJob(plans: Record<string, object>): ScriptJob {
    const j = scriptJob();
    j.access({ 'groups/team.yaml': TEAM });
    j.write('diff.md', `<!-- accessctl -->\n${DIFF}`);
    for (const [stack, doc] of Object.entries(plans)) j.write(`plans/${stack}.json`, doc);
    return j;
  }
  const GRANT = { aws: plan([...kept(10), change({ key: 'team|ReadOnly|022222222222', actions: ['create'] })]), okta: plan([change({ type: 'okta_group', key: 'team', actions: ['create'] })]) };
  const MASS = { aws: plan([...kept(17), ...revoked(3)]), 'aws-prod': plan([...kept(17, 'kept-prod'), ...revoked(3, 'gone-prod')]) };
  const SUMMARY_CALL = (stacks: string[], allow = false) => `npx accessctl plan-summary ${stacks.map((s) => `plans/${s}.json`).join(' ')}${allow ? ' --allow-revoke' : ''} --format markdown`;

  /** Runs the script; its exit code is always 0 (the status is a job output). */
  function summarize(j: ScriptJob, env: Record<string, string>): { status: string; summary: string; comment: string } {
    const r = j.run('pr-summary.sh', [], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const comment = j.read('comment.md');
    expect(j.summary()).toBe(comment);
    const outputs = j.outputs();
    expect(outputs).toBe(`status=${/^status=(\d+)\n/.exec(outputs)?.[1]}\ncomment=${sha256(comment)}\n`);
    return { status: /^status=(\d+)/.exec(outputs)![1]!, summary: j.read('summary.md'), comment };
  }

  it('status 0 when the rails pass; comment.md is the diff without its marker, then the plan summary', () => {
    const j = summaryJob(GRANT);
    const s = summarize(j, { LABELS: '[]', PLAN_RESULT: 'success' });
    expect(s.status).toBe('0');
    expect(j.calls()).toEqual([SUMMARY_CALL(['aws', 'okta'])]);
    expect(s.summary).toContain('team is granted ReadOnly on dev (022222222222)');
    expect(s.comment).toBe(`${DIFF}${s.summary}`);
  });

  it('status 1 when a rail trips (a mass revocation across the plans)', () => {
    const j = summaryJob(MASS);
    const s = summarize(j, { LABELS: '["documentation"]', PLAN_RESULT: 'success' });
    expect(s.status).toBe('1');
    expect(j.calls()).toEqual([SUMMARY_CALL(['aws-prod', 'aws'])]);
    expect(s.summary).toContain('mass-revocation');
  });

  it.each([['the only label', '["accessctl/allow-revoke"]'], ['among others', '["documentation", "accessctl/allow-revoke"]']])('the label accessctl/allow-revoke (%s) accepts the revocation: --allow-revoke, status 0', (_where, labels) => {
    const j = summaryJob(MASS);
    const s = summarize(j, { LABELS: labels, PLAN_RESULT: 'success' });
    expect(s.status).toBe('0');
    expect(j.calls()).toEqual([SUMMARY_CALL(['aws-prod', 'aws'], true)]);
  });

  it('no plan because no stack changed (plan job skipped): status 0', () => {
    const j = summaryJob({});
    const s = summarize(j, { LABELS: '[]', PLAN_RESULT: 'skipped' });
    expect(s).toEqual({ status: '0', summary: '### Terraform plan\n\nNo stack changes: nothing to plan.\n', comment: `${DIFF}### Terraform plan\n\nNo stack changes: nothing to plan.\n` });
    expect(j.calls()).toEqual([]);
  });

  it.each(['failure', 'cancelled'])('no plan because the plan job ended with %s: status 1, and says so', (result) => {
    const j = summaryJob({});
    const s = summarize(j, { LABELS: '[]', PLAN_RESULT: result });
    expect(s.status).toBe('1');
    expect(s.summary).toBe(`### Terraform plan\n\nNo plan: the plan job ended with ${result}.\n\n**A stack could not be planned** (plan job: ${result}): see the run.\n`);
    expect(j.calls()).toEqual([]);
  });

  it('no plan and no result: status 1 ("unknown")', () => {
    const j = summaryJob({});
    const s = summarize(j, { LABELS: '[]' });
    expect([s.status, s.summary]).toEqual(['1', '### Terraform plan\n\nNo plan: the plan job ended with unknown.\n']);
  });

  it('some plans, but a stack could not be planned (plan job failed): status 1 though the rails pass', () => {
    const j = summaryJob({ okta: GRANT.okta });
    const s = summarize(j, { LABELS: '[]', PLAN_RESULT: 'failure' });
    expect(s.status).toBe('1');
    expect(j.calls()).toEqual([SUMMARY_CALL(['okta'])]);
    expect(s.summary).toMatch(/\n\n\*\*A stack could not be planned\*\* \(plan job: failure\): see the run\.\n$/);
  });
});

describe('collect-change.sh', () => {
  /** A checkout of the small org (committed); the job's access/ edited after. */
  function changeJob(): ScriptJob {
    const j = scriptJob();
    j.access({ 'groups/team.yaml': TEAM });
    j.git('init', '-q', '-b', 'main');
    j.git('add', '-A');
    j.git('commit', '-qm', 'the org');
    return j;
  }
  const pr = (j: ScriptJob): unknown => JSON.parse(j.read('change/pr.json'));

  it('copies the changed files under access/ (new ones too) and writes pr.json with "Closes #ISSUE"', () => {
    const j = changeJob();
    const edited = TEAM.replace('new@example.com]', 'new@example.com, judy@example.com]');
    j.write('access/groups/team.yaml', edited);
    j.write('access/groups/new/extra.yaml', 'name: extra\n');
    j.write('notes.txt', 'not part of the change\n');
    j.write('change/diff.md', '### accessctl: 1 change\n\n- judy joins team\n');
    const r = j.run('collect-change.sh', ['access-request/issue-12', 'Access request #12', '12']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '2 changed file(s) for access-request/issue-12\n', '']);
    expect(pr(j)).toEqual({
      branch: 'access-request/issue-12',
      title: 'Access request #12',
      body: '### accessctl: 1 change\n\n- judy joins team\n\nCloses #12',
      files: ['access/groups/team.yaml', 'access/groups/new/extra.yaml'],
      issue: 12,
    });
    expect(j.read('change/files/access/groups/team.yaml')).toBe(edited);
    expect(j.read('change/files/access/groups/new/extra.yaml')).toBe('name: extra\n');
    expect(j.exists('change/files/notes.txt')).toBe(false);
  });

  it('no change and no issue: files [], issue null', () => {
    const j = changeJob();
    const r = j.run('collect-change.sh', ['accessctl/expire', 'Remove expired access (2026-11-23)']);
    expect([r.code, r.stdout]).toEqual([0, '0 changed file(s) for accessctl/expire\n']);
    expect(pr(j)).toEqual({ branch: 'accessctl/expire', title: 'Remove expired access (2026-11-23)', body: '', files: [], issue: null });
    expect(j.list('change/files')).toEqual([]);
  });

  it.each(['12a', '0', '012', '-1', '#12', '12 fixes #1', '12\n'])('refuses %j as the issue, before collecting anything', (issue) => {
    const j = changeJob();
    j.write('access/groups/team.yaml', `${TEAM}# edited\n`);
    const r = j.run('collect-change.sh', ['b', 't', issue]);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `not an issue number: ${issue}\n`]);
    expect(j.exists('change')).toBe(false);
  });

  it('refuses a changed file it cannot place under access/ (a checkout below the repository\'s root)', () => {
    const j = scriptJob();
    j.access({ 'groups/team.yaml': TEAM });
    git(j.root, 'init', '-q', '-b', 'main');
    git(j.root, 'add', '--', 'job/access');
    git(j.root, 'commit', '-qm', 'the org');
    j.write('access/groups/team.yaml', `${TEAM}# edited\n`);
    const r = j.run('collect-change.sh', ['b', 't']);
    expect([r.code, r.stderr]).toEqual([1, 'unexpected change outside access/: job/access/groups/team.yaml\n']);
    expect(j.exists('change/pr.json')).toBe(false);
    expect(j.list('change/files')).toEqual([]);
  });

  it('a staged rename inside access/ is collected (the new file), not refused with a cut path', () => {
    const j = changeJob();
    j.git('mv', 'access/groups/team.yaml', 'access/groups/team-renamed.yaml');
    const r = j.run('collect-change.sh', ['b', 't']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect((pr(j) as { files: string[] }).files).toContain('access/groups/team-renamed.yaml');
  });
});
