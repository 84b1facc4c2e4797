// accessctl approvals against attempts to talk it round, end to end: the
// example org in a git repository, a change in the working tree, and GitHub's
// answers from the recordings of test/fixtures/github/, with the reviews or
// commits of one pull request changed the way an attacker would change them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRecording, startReplay, type RecordedResponse, type Recording } from '../support/github-replay';
import { exampleOrg, run } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';
const HEAD = '9f2c1e4b7a3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e';
const REVIEWS = 'GET /repos/northwind/access/pulls/42/reviews?per_page=100';
const COMMITS = 'GET /repos/northwind/access/pulls/42/commits?per_page=100';

/**
 * The approval rules judged here, whatever the example org's policy.yaml says as it grows: the rules on by
 * default, and two distinct approvals for a high-privilege grant.
 */
const POLICY = `# yaml-language-server: $schema=../schemas/policy.schema.json
approvals:
  high-privilege-approvers: { count: 2 }
`;

/** The example org with POLICY, committed on main. */
function org(): string {
  return exampleOrg(true, (root) => fs.writeFileSync(path.join(root, 'access', 'policy.yaml'), POLICY));
}

/** Appends a member entry to a group file of the working tree. */
function addMember(root: string, group: string, entry: string): void {
  const file = path.join(root, 'access', 'groups', `${group}.yaml`);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\nmembers:\n/, `\nmembers:\n${entry}`));
}

/** frank.li becomes a payments administrator: @dokafor (the owner), the security team and 2 distinct approvals. */
const frankAdmin = (root: string): void => addMember(root, 'aws-payments-admins', '  - user: frank.li@example.com\n    expires: 2026-12-20\n    reason: PAY-9 cover\n');
/** heidi.schmidt joins the sandbox: its owner @anguyen approves, nobody else needs to. */
const heidiSandbox = (root: string): void => addMember(root, 'aws-sandbox-users', '  - heidi.schmidt@example.com\n');

type Json = Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const body = (r: Recording, key: string): Json[] => r[key]!.body as Json[];

/** An APPROVED review of the head by `login` (a GitHub account, id `id`), shaped as the recorded ones. */
function approval(recording: Recording, login: string, id: number): Json {
  const r = clone(body(recording, REVIEWS)[0]!);
  const recorded = (r.user as Json).login as string;
  const out = JSON.parse(JSON.stringify(r).split(`/${recorded}`).join(`/${login}`)) as Json;
  return { ...out, id: 3010040000 + id, user: { ...(out.user as Json), login, id }, state: 'APPROVED', commit_id: HEAD };
}

/** `scenario` with the reviews of pull request 42 replaced, and its commits changed by `commits`. */
function recordingOf(scenario: string, reviews: (r: Recording) => Json[], commits: (c: Json[]) => Json[] = (c) => c): Recording {
  const recording = clone(loadRecording(scenario).recording);
  const with_ = (key: string, b: unknown): RecordedResponse => ({ ...recording[key]!, body: b });
  return { ...recording, [REVIEWS]: with_(REVIEWS, reviews(recording)), [COMMITS]: with_(COMMITS, commits(clone(body(recording, COMMITS)))) };
}

async function approvals(root: string, recording: Recording, format = 'json') {
  const replay = await startReplay(recording);
  try {
    const r = await run(['approvals', '--pr', '42', '--repo', 'northwind/access', '--base', 'main', '--format', format], root, NOW, { GITHUB_API_URL: replay.url, GITHUB_TOKEN: 'test-token' });
    expect(replay.unrecorded).toEqual([]);
    expect(r.stderr).toBe('');
    return r;
  } finally {
    await replay.close();
  }
}

interface Verdict {
  met: boolean;
  requirements: Array<{ rule: string; why: string; met: boolean; approvedBy: string[]; missing?: string }>;
  reviews: Array<{ reviewer: string; counted: boolean; reason?: string }>;
  notes: string[];
}
const verdictOf = (stdout: string): Verdict => JSON.parse(stdout) as Verdict;
const requirementRows = (v: Verdict) => v.requirements.map((q) => [q.rule, q.met, q.approvedBy, q.missing ?? null]);
const reviewRows = (v: Verdict) => v.reviews.map((r) => [r.reviewer, r.counted, r.reason ?? null]);

describe('a second GitHub account is not a second approver', () => {
  it('an owner and the author\'s second account, in no file, do not make two distinct approvals', async () => {
    const root = org();
    frankAdmin(root);
    // ekowalski opened #42; ekowalski-2 is another account of hers, which people.yaml does not know.
    const rec = recordingOf('two-approvers', (r) => [...body(r, REVIEWS), approval(r, 'ekowalski-2', 90000001)]);
    const r = await approvals(root, rec);
    expect(r.code).toBe(1);
    const v = verdictOf(r.stdout);
    expect(v.met).toBe(false);
    expect(requirementRows(v)).toEqual([
      ['group-owners', true, ['dokafor'], null],
      ['security-team', false, [], 'needs a member of @northwind/security'],
      ['high-privilege-approvers', false, ['dokafor'], 'needs 2 distinct approvals (has 1: @dokafor)'],
    ]);
    expect(reviewRows(v)).toEqual([
      ['dokafor', true, null],
      ['ekowalski-2', false, '@ekowalski-2 is not in people.yaml'],
    ]);
    const text = await approvals(root, rec, 'text');
    expect(text.stdout).toBe([
      'pull request #42: not approved yet: 2 of 3 requirements missing',
      '  met      an owner of aws-payments-admins: approved by @dokafor',
      '  missing  the security team (@northwind/security): needs a member of @northwind/security (it grants AdministratorAccess on payments-prod (high privilege); it grants access on payments-prod (production))',
      '  missing  2 distinct reviewers: needs 2 distinct approvals (has 1: @dokafor) (the change grants high-privilege access)',
      'not counted:',
      '  @ekowalski-2 is not in people.yaml',
      '',
    ].join('\n'));
  });
});

describe('a commit GitHub links to no account hides who pushed it', () => {
  const unlinked = (c: Json): Json => ({ ...c, commit: { ...(c.commit as Json), author: { name: 'Erin', email: 'erin@laptop.local', date: '2025-06-02T08:14:51Z' }, committer: { name: 'Erin', email: 'erin@laptop.local', date: '2025-06-02T08:14:51Z' } } });
  const webFlow = (c: Json): Json => ({ ...c, committer: { ...(c.committer as Json), login: 'web-flow', id: 19864447 } });

  it.each<[string, (c: Json) => Json]>([
    ['author and committer null', (c) => ({ ...unlinked(c), author: null, committer: null })],
    ['a web edit (committer web-flow) whose author is null', (c) => ({ ...webFlow(c), author: null })],
  ])('%s: the owner alone is no longer enough, the security team approves as well', async (_name, change) => {
    const root = org();
    heidiSandbox(root);
    // The second commit (the head) is the one GitHub cannot put a name to; @anguyen, the owner, approved it.
    const anguyen = (r: Recording): Json[] => [approval(r, 'anguyen', 90000002)];
    const rec = recordingOf('two-approvers', anguyen, (cs) => cs.map((c) => (c.sha === HEAD ? change(c) : c)));
    const r = await approvals(root, rec);
    expect(r.code).toBe(1);
    const v = verdictOf(r.stdout);
    expect(requirementRows(v)).toEqual([
      ['group-owners', true, ['anguyen'], null],
      ['unknown-pusher', false, [], 'needs a member of @northwind/security'],
    ]);
    expect(v.requirements[1]!.why).toBe('commit 9f2c1e4 has no GitHub account for its author or committer: who pushed it is unknown');
    expect(reviewRows(v)).toEqual([['anguyen', true, null]]);
    const text = await approvals(root, rec, 'text');
    expect(text.stdout).toBe([
      'pull request #42: not approved yet: 1 of 2 requirements missing',
      '  met      an owner of aws-sandbox-users: approved by @anguyen',
      '  missing  the security team (@northwind/security): needs a member of @northwind/security (commit 9f2c1e4 has no GitHub account for its author or committer: who pushed it is unknown)',
      '',
    ].join('\n'));

    // A member of the security team approves as well: met.
    const both = recordingOf('two-approvers', (x) => [...anguyen(x), approval(x, 'csmith', 47720956)], (cs) => cs.map((c) => (c.sha === HEAD ? change(c) : c)));
    const met = await approvals(root, both);
    expect(requirementRows(verdictOf(met.stdout))).toEqual([
      ['group-owners', true, ['anguyen'], null],
      ['unknown-pusher', true, ['csmith'], null],
    ]);
    expect(met.code).toBe(0);
  });

  it('a change that needs no approval otherwise needs the security team, whose members are read for it', async () => {
    const root = org();
    const rec = recordingOf('two-approvers', (x) => [approval(x, 'csmith', 47720956)], (cs) => cs.map((c) => (c.sha === HEAD ? { ...c, author: null, committer: null } : c)));
    const r = await approvals(root, rec);
    expect(requirementRows(verdictOf(r.stdout))).toEqual([['unknown-pusher', true, ['csmith'], null]]);
    expect(r.code).toBe(0);
  });

  it('commits GitHub links to accounts need nothing more', async () => {
    const root = org();
    heidiSandbox(root);
    const r = await approvals(root, recordingOf('two-approvers', (x) => [approval(x, 'anguyen', 90000002)]));
    expect(requirementRows(verdictOf(r.stdout))).toEqual([['group-owners', true, ['anguyen'], null]]);
    expect(r.code).toBe(0);
  });
});

describe('GitHub handles are compared ignoring case, as GitHub does', () => {
  it('@DOkafor approves as dokafor of people.yaml, the owner', async () => {
    const root = org();
    frankAdmin(root);
    const r = await approvals(root, recordingOf('two-approvers', (x) => [approval(x, 'DOkafor', 83315402)]));
    expect(r.code).toBe(1);
    const v = verdictOf(r.stdout);
    expect(requirementRows(v)).toEqual([
      ['group-owners', true, ['DOkafor'], null],
      ['security-team', false, [], 'needs a member of @northwind/security'],
      ['high-privilege-approvers', false, ['DOkafor'], 'needs 2 distinct approvals (has 1: @DOkafor)'],
    ]);
    expect(reviewRows(v)).toEqual([['DOkafor', true, null]]);
  });

  it('@DOkafor is refused as dokafor, who filed the request issue', async () => {
    const root = org();
    addMember(root, 'aws-payments-developers', '  - heidi.schmidt@example.com\n');
    const r = await approvals(root, recordingOf('self-approval', (x) => [approval(x, 'DOkafor', 83315402)]));
    expect(r.code).toBe(1);
    const v = verdictOf(r.stdout);
    expect(reviewRows(v)).toEqual([['DOkafor', false, '@DOkafor asked for this change (#41) and cannot approve it']]);
    expect(requirementRows(v)).toEqual([
      ['group-owners', false, [], 'needs a member of @northwind/security'],
      ['security-team', false, [], 'needs a member of @northwind/security'],
    ]);
    expect(v.requirements[0]!.why).toBe('the change touches aws-payments-developers, and its only approver, @dokafor, is party to it');
  });
});

describe('a permission set change is a grant to its holders only when it widens what the set allows', () => {
  /** Edits PaymentsDeployer's file (frank.li, @fli, holds it on payments-prod and payments-staging). */
  const deployer = (root: string, from: string, to: string): void => {
    const file = path.join(root, 'access', 'permission-sets', 'PaymentsDeployer.yaml');
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`PaymentsDeployer.yaml has no ${from}`);
    fs.writeFileSync(file, text.replace(from, to));
  };
  const PIPELINES = 'Resource: arn:aws:codepipeline:us-east-1:*:payments-*';
  /** @fli (a holder) and @csmith (the security team) approve. */
  const holderAndSecurity = (x: Recording): Json[] => [approval(x, 'fli', 90000003), approval(x, 'csmith', 47720956)];
  const verdict = async (edit: (root: string) => void) => {
    const root = org();
    edit(root);
    const r = await approvals(root, recordingOf('two-approvers', holderAndSecurity));
    const v = verdictOf(r.stdout);
    return { code: r.code, requirements: v.requirements.map((q) => [q.rule, q.why, q.met]), reviews: reviewRows(v), notes: v.notes };
  };

  /** What the verdict is: met by @csmith either way; @fli's approval counts unless the change grants @fli access. */
  const expected = (grant: boolean, notes: string[] = []) => ({
    code: 0,
    requirements: [
      ['shared-files', 'the change edits permission-sets/PaymentsDeployer.yaml', true],
      ['security-team', `it ${grant ? 'grants access on payments-prod; ' : ''}changes permission set PaymentsDeployer, assigned on production accounts (production)`, true],
    ],
    reviews: [['csmith', true, null], grant ? ['fli', false, '@fli cannot approve a change that grants @fli access'] : ['fli', true, null]],
    notes,
  });

  it.each<[string, string, string, boolean]>([
    ['a narrower pipeline resource: not a grant, so a holder may approve it', PIPELINES, 'Resource: arn:aws:codepipeline:us-east-1:*:payments-api-*', false],
    ['an action removed: not a grant', '        - codepipeline:RetryStageExecution\n', '', false],
    ['a Deny added: not a grant', '      Resource: "*"\n', '      Resource: "*"\n    - Effect: Deny\n      Action: codepipeline:DeletePipeline\n      Resource: "*"\n', false],
    ['another pipeline resource: a grant to every holder, who cannot approve it', PIPELINES,
      'Resource: [arn:aws:codepipeline:us-east-1:*:payments-*, arn:aws:codepipeline:us-east-1:*:platform-*]', true],
    ['the Deny on keys and trails turned into an Allow: a grant', '    - Sid: ProtectKeysAndTrails\n      Effect: Deny\n', '    - Sid: ProtectKeysAndTrails\n      Effect: Allow\n', true],
    ['a customer managed policy attached: a grant', '  - { name: payments-deploy, path: /accessctl/ }\n', '  - { name: payments-deploy, path: /accessctl/ }\n  - { name: payments-extra, path: /accessctl/ }\n', true],
  ])('%s', async (_name, from, to, grant) => {
    const v = await verdict((root) => deployer(root, from, to));
    expect(v).toEqual(expected(grant, v.notes));
    // A grant says why the permission set widens; a narrowing says nothing.
    expect(v.notes.map((n) => n.split(':')[0])).toEqual(grant ? ['permission set PaymentsDeployer widens (its holders count as granted access)'] : []);
  });

  it('says why: the statement that is not covered, with the actions and resources it newly allows', async () => {
    const v = await verdict((root) => deployer(root, PIPELINES, 'Resource: [arn:aws:codepipeline:us-east-1:*:payments-*, arn:aws:codepipeline:us-east-1:*:platform-*]'));
    expect(v.notes).toEqual(['permission set PaymentsDeployer widens (its holders count as granted access): inline statement 1 (ReleasePipelines) allows ' +
      'codepipeline:StartPipelineExecution on arn:aws:codepipeline:us-east-1:*:platform-*, codepipeline:RetryStageExecution on ' +
      'arn:aws:codepipeline:us-east-1:*:platform-*']);
  });
});
