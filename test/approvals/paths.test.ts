// accessctl approvals on the example org, end to end, for what a pull request
// changes besides group files: paths outside the access files (the code, the
// approvals workflow) need the security team, and policy.yaml scoped-approvers
// asks production and the sandbox for their own approvers. Reviews come from
// the recorded GitHub responses of test/fixtures/github/ (test/support/github-replay.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRecording, startReplay, type Recording } from '../support/github-replay';
import { exampleOrg, run } from '../support/helpers';
import { git as gitIn } from '../support/git';

const NOW = '2026-11-23T12:00:00Z';
const RECORDED_HEAD = '9f2c1e4b7a3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e';

/** The example org on main, with a little of the repository around it: code and the approvals workflow. */
function repo(): string {
  return exampleOrg(true, (root) => {
    for (const [rel, text] of Object.entries({
      'src/cli/main.ts': 'export const main = 1;\n',
      '.github/workflows/approvals.yml': 'name: approvals\n',
      'docs/ci.md': '# CI\n',
    })) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
  });
}

function edit(root: string, rel: string, from: string | RegExp, to: string): void {
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${rel} has no ${String(from)}`);
  fs.writeFileSync(file, next);
}

const addMember = (root: string, group: string, login: string): void => edit(root, `access/groups/${group}.yaml`, '\nmembers:\n', `\nmembers:\n  - ${login}\n`);

/** The pull request changes src/, the approvals workflow and aws-sandbox-users (owned by anguyen). */
function codeAndSandbox(root: string): void {
  edit(root, 'src/cli/main.ts', '= 1', '= 2');
  edit(root, '.github/workflows/approvals.yml', 'name: approvals\n', 'name: approvals\non: push\n');
  addMember(root, 'aws-sandbox-users', 'heidi.schmidt@example.com');
}

/** security-approved.json with only its first page of reviews: anguyen, an owner, approves the head; csmith (security) does not. */
function ownerOnly(head = RECORDED_HEAD): Recording {
  const { recording } = loadRecording('security-approved');
  const copy = JSON.parse(JSON.stringify(recording).split(RECORDED_HEAD).join(head)) as Record<string, { status: number; headers?: Record<string, string>; body?: unknown }>;
  const first = copy['GET /repos/northwind/access/pulls/42/reviews?per_page=100'];
  const { link: _next, ...headers } = first.headers ?? {};
  first.headers = headers;
  delete copy['GET /repositories/880512345/pulls/42/reviews?per_page=100&page=2'];
  expect((first.body as Array<{ user: { login: string } }>).map((r) => r.user.login)).toEqual(['anguyen']);
  return copy;
}

async function approvals(root: string, scenario: string | Recording, extra: string[] = [], format = 'json') {
  const replay = await startReplay(scenario);
  try {
    const r = await run(['approvals', '--pr', '42', '--repo', 'northwind/access', '--base', 'main', ...extra, '--format', format], root, NOW, { GITHUB_API_URL: replay.url, GITHUB_TOKEN: 'test-token' });
    expect(replay.unrecorded).toEqual([]);
    return r;
  } finally {
    await replay.close();
  }
}

type Req = { rule: string; subject: string; who: string; why: string; met: boolean; approvedBy: string[]; missing?: string };
const summary = (stdout: string): Array<[string, string, boolean, string]> => (JSON.parse(stdout) as { requirements: Req[] }).requirements.map((q) => [q.rule, q.subject, q.met, q.missing ?? q.approvedBy.join(',')]);

describe('approvals: paths outside the access files', () => {
  it('a pull request changing src/ and the approvals workflow is not approved by an owner alone', async () => {
    const root = repo();
    codeAndSandbox(root);
    const r = await approvals(root, ownerOnly());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(summary(r.stdout)).toEqual([
      ['group-owners', 'aws-sandbox-users', true, 'anguyen'],
      ['paths', 'paths', false, 'needs a member of @northwind/security'],
      ['scoped-approvers', 'sandbox', true, 'anguyen'],
    ]);
    const text = await approvals(root, ownerOnly(), [], 'text');
    expect(text.stdout).toBe([
      'pull request #42: not approved yet: 1 of 3 requirements missing',
      '  met      an owner of aws-sandbox-users: approved by @anguyen',
      '  missing  the security team (@northwind/security): needs a member of @northwind/security (the change edits .github/workflows/approvals.yml and src/cli/main.ts outside access/)',
      '  met      an approver for sandbox (@anguyen): approved by @anguyen',
      '',
    ].join('\n'));
  });

  it('reads the paths between the base and head commits, as the approvals workflow runs it in pr/', async () => {
    const root = repo();
    const git = (...args: string[]): string => gitIn(root, args).trim();
    git('checkout', '-q', '-b', 'pr');
    codeAndSandbox(root);
    fs.mkdirSync(path.join(root, 'src', 'new'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'new', 'file.ts'), 'export {};\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'change');
    const head = git('rev-parse', 'HEAD');
    // The working tree says nothing: the commits do.
    git('checkout', '-q', 'main');
    const r = await approvals(root, ownerOnly(head), ['--head', head]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const paths = (JSON.parse(r.stdout) as { requirements: Req[] }).requirements.filter((q) => q.rule === 'paths');
    expect(paths.map((q) => [q.who, q.why, q.missing])).toEqual([
      ['the security team (@northwind/security)', 'the change edits .github/workflows/approvals.yml and 2 more outside access/', 'needs a member of @northwind/security'],
    ]);
  });

  it('an access change alone needs nothing from the paths rule, and the security team meets it', async () => {
    const root = repo();
    addMember(root, 'aws-sandbox-users', 'heidi.schmidt@example.com');
    const alone = await approvals(root, ownerOnly());
    expect(summary(alone.stdout)).toEqual([
      ['group-owners', 'aws-sandbox-users', true, 'anguyen'],
      ['scoped-approvers', 'sandbox', true, 'anguyen'],
    ]);
    expect(alone.code).toBe(0);
    edit(root, 'src/cli/main.ts', '= 1', '= 2');
    const met = await approvals(root, 'security-approved');
    expect(summary(met.stdout)).toEqual([
      ['group-owners', 'aws-sandbox-users', true, 'anguyen'],
      ['paths', 'paths', true, 'csmith'],
      ['scoped-approvers', 'sandbox', true, 'anguyen'],
    ]);
    expect(met.code).toBe(0);
  });

  it('gives docs/** to the approvers policy.yaml names, but never the workflow', async () => {
    const root = exampleOrg(true, (r) => {
      fs.mkdirSync(path.join(r, 'docs'), { recursive: true });
      fs.writeFileSync(path.join(r, 'docs', 'ci.md'), '# CI\n');
      edit(r, 'access/policy.yaml', '\napprovals:\n', '\napprovals:\n  paths:\n    docs/**: { approvers: [alice.nguyen@example.com] }\n');
    });
    edit(root, 'docs/ci.md', '# CI', '# CI, reviewed');
    const docs = await approvals(root, ownerOnly());
    expect((JSON.parse(docs.stdout) as { requirements: Req[] }).requirements.map((q) => [q.rule, q.who, q.why, q.met])).toEqual([
      ['paths', 'an approver of docs/** (@anguyen)', 'the change edits docs/ci.md, which policy.yaml approvals.paths gives to them', true],
    ]);
    expect(docs.code).toBe(0);
    fs.mkdirSync(path.join(root, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(root, '.github', 'workflows', 'approvals.yml'), 'name: approvals\n');
    const workflow = await approvals(root, ownerOnly());
    expect(summary(workflow.stdout)).toEqual([
      ['paths', 'paths', false, 'needs a member of @northwind/security'],
      ['paths', 'docs/**', true, 'anguyen'],
    ]);
    expect((JSON.parse(workflow.stdout) as { requirements: Req[] }).requirements[0].why).toBe('the change edits .github/workflows/approvals.yml outside access/');
    expect(workflow.code).toBe(1);
  });
});

describe('approvals: break-glass is access only', () => {
  it('a break-glass member together with an edit of the approvals workflow takes the usual route', async () => {
    const root = exampleOrg(true, (r) => {
      edit(r, 'access/policy.yaml', 'approvers: [alice.nguyen@example.com, bob.martin@example.com]', 'approvers: [bob.martin@example.com]');
      fs.mkdirSync(path.join(r, '.github', 'workflows'), { recursive: true });
      fs.writeFileSync(path.join(r, '.github', 'workflows', 'approvals.yml'), 'name: approvals\n');
    });
    edit(root, 'access/groups/aws-payments-admins.yaml', '\nmembers:\n', '\nmembers:\n  - user: ivan.petrov@example.com\n    expires: 2026-11-23T15:00Z\n    reason: INC-6001 payments outage\n    breakGlass: true\n');
    const replay = await startReplay('break-glass');
    const alone = await run(['approvals', '--pr', '43', '--repo', 'northwind/access', '--base', 'main', '--format', 'json'], root, NOW, { GITHUB_API_URL: replay.url, GITHUB_TOKEN: 'test-token' });
    await replay.close();
    expect([alone.code, JSON.parse(alone.stdout).breakGlass]).toEqual([0, true]);
    edit(root, '.github/workflows/approvals.yml', 'name: approvals\n', 'name: approvals\non: workflow_dispatch\n');
    const again = await startReplay('break-glass');
    const r = await run(['approvals', '--pr', '43', '--repo', 'northwind/access', '--base', 'main', '--format', 'json'], root, NOW, { GITHUB_API_URL: again.url, GITHUB_TOKEN: 'test-token' });
    await again.close();
    expect(again.unrecorded).toEqual([]);
    const v = JSON.parse(r.stdout) as { breakGlass: boolean; notes: string[]; requirements: Req[] };
    expect([r.code, v.breakGlass]).toEqual([1, false]);
    expect(v.notes).toEqual(['break-glass members together with other changes: the usual approvals apply']);
    expect(v.requirements.filter((q) => q.rule === 'paths').map((q) => [q.why, q.met, q.missing])).toEqual([
      ['the change edits .github/workflows/approvals.yml outside access/', false, 'needs a member of @northwind/security'],
    ]);
  });
});

describe('approvals: scoped approvers of the example org', () => {
  it('a change on a production account and the sandbox needs the security team and the sandbox owner', async () => {
    const root = repo();
    addMember(root, 'aws-sandbox-users', 'heidi.schmidt@example.com');
    addMember(root, 'aws-payments-developers', 'heidi.schmidt@example.com');
    const owner = await approvals(root, ownerOnly());
    expect(owner.code).toBe(1);
    const v = JSON.parse(owner.stdout) as { requirements: Req[] };
    expect(v.requirements.map((q) => [q.rule, q.subject, q.who, q.why, q.met, q.missing ?? q.approvedBy.join(',')])).toEqual([
      ['group-owners', 'aws-payments-developers', 'an owner of aws-payments-developers', 'the change touches aws-payments-developers', false, 'needs @dokafor'],
      ['group-owners', 'aws-sandbox-users', 'an owner of aws-sandbox-users', 'the change touches aws-sandbox-users', true, 'anguyen'],
      ['security-team', 'security-team', 'the security team (@northwind/security)', 'it grants access on payments-prod (production)', false, 'needs a member of @northwind/security'],
      ['scoped-approvers', 'production', 'an approver for production (@northwind/security)', 'the change grants PaymentsDeployer on payments-prod, ReadOnly on payments-prod', false, 'needs a member of @northwind/security'],
      ['scoped-approvers', 'sandbox', 'an approver for sandbox (@anguyen)', 'the change grants PowerUser on sandbox-shared', true, 'anguyen'],
    ]);
    const security = await approvals(root, 'security-approved');
    expect(summary(security.stdout)).toEqual([
      ['group-owners', 'aws-payments-developers', false, 'needs @dokafor'],
      ['group-owners', 'aws-sandbox-users', true, 'anguyen'],
      ['security-team', 'security-team', true, 'csmith'],
      ['scoped-approvers', 'production', true, 'csmith'],
      ['scoped-approvers', 'sandbox', true, 'anguyen'],
    ]);
  });

  it('a change outside every scope needs nothing from the rule', async () => {
    const root = repo();
    edit(root, 'access/groups/aws-payments-developers.yaml', 'accounts: [payments-staging]', 'accounts: [payments-staging, platform-dev]');
    const r = await approvals(root, 'two-approvers');
    expect(summary(r.stdout)).toEqual([['group-owners', 'aws-payments-developers', true, 'dokafor']]);
    expect(r.code).toBe(0);
  });
});
