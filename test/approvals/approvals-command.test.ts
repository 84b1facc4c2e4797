// accessctl approvals end to end: the example org in a git repository, a
// change in the working tree, and the pull request's reviews served from
// recorded GitHub API responses (test/fixtures/github/) on 127.0.0.1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startReplay } from '../support/github-replay';
import { exampleOrg, run } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';

/** The example org committed on main, with policy.yaml edited first. */
function org(editPolicy: (text: string) => string = (t) => t): string {
  return exampleOrg(true, (root) => {
    const file = path.join(root, 'access', 'policy.yaml');
    fs.writeFileSync(file, editPolicy(fs.readFileSync(file, 'utf8')));
  });
}

/** Appends a member entry to a group file of the working tree. */
function addMember(root: string, group: string, entry: string): void {
  const file = path.join(root, 'access', 'groups', `${group}.yaml`);
  const text = fs.readFileSync(file, 'utf8').replace(/\nmembers:\n/, `\nmembers:\n${entry}`);
  fs.writeFileSync(file, text);
}

async function approvals(root: string, scenario: string, pr: string, format = 'json', env: Record<string, string> = {}) {
  const replay = await startReplay(scenario);
  try {
    const r = await run(['approvals', '--pr', pr, '--repo', 'northwind/access', '--base', 'main', '--format', format], root, NOW, { GITHUB_API_URL: replay.url, GITHUB_TOKEN: 'test-token', ...env });
    expect(replay.unrecorded).toEqual([]);
    return { ...r, replay };
  } finally {
    await replay.close();
  }
}

describe('accessctl approvals', () => {
  it('refuses the approval of an owner who grants themselves access, and routes to the security team', async () => {
    const root = org();
    addMember(root, 'aws-payments-developers', '  - dave.okafor@example.com\n');
    const r = await approvals(root, 'self-approval', '42');
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.met).toBe(false);
    expect(v.reviews).toEqual([{ reviewer: 'dokafor', state: 'APPROVED', commit: '9f2c1e4b7a3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e', counted: false, reason: '@dokafor cannot approve a change that grants @dokafor access' }]);
    expect(v.requirements.map((q: { rule: string; subject: string; met: boolean; missing?: string }) => [q.rule, q.subject, q.met, q.missing])).toEqual([
      ['group-owners', 'aws-payments-developers', false, 'needs a member of @northwind/security'],
      ['security-team', 'security-team', false, 'needs a member of @northwind/security'],
      ['scoped-approvers', 'production', false, 'needs a member of @northwind/security'],
    ]);
    expect(v.requirements[0].why).toBe('the change touches aws-payments-developers, and its only approver, @dokafor, is party to it');
    expect(v.requirements[1].why).toBe('it grants access on payments-prod (production)');
    const text = await approvals(root, 'self-approval', '42', 'text');
    expect(text.stdout).toBe([
      'pull request #42: not approved yet: 3 of 3 requirements missing',
      '  missing  the security team (@northwind/security): needs a member of @northwind/security (the change touches aws-payments-developers, and its only approver, @dokafor, is party to it)',
      '  missing  the security team (@northwind/security): needs a member of @northwind/security (it grants access on payments-prod (production))',
      '  missing  an approver for production (@northwind/security): needs a member of @northwind/security (the change grants PaymentsDeployer on payments-prod, ReadOnly on payments-prod)',
      'not counted:',
      '  @dokafor cannot approve a change that grants @dokafor access',
      '',
    ].join('\n'));
  });

  it('refuses the approval of whoever filed the request issue', async () => {
    const root = org();
    // The request is for someone else, filed by dokafor (issue 41), who also owns the group.
    addMember(root, 'aws-payments-developers', '  - heidi.schmidt@example.com\n');
    const r = await approvals(root, 'self-approval', '42');
    const v = JSON.parse(r.stdout);
    expect(v.reviews[0].reason).toBe('@dokafor asked for this change (#41) and cannot approve it');
    expect(v.requirements[0].missing).toBe('needs a member of @northwind/security');
    expect(r.replay.requests).toContain('GET /repos/northwind/access/issues/41');
  });

  it('ignores stale, dismissed and change-requesting reviews and says what is still needed', async () => {
    const root = org();
    addMember(root, 'aws-sandbox-users', '  - heidi.schmidt@example.com\n');
    const r = await approvals(root, 'stale-and-dismissed', '42');
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.requirements.map((q: { rule: string; missing?: string }) => [q.rule, q.missing])).toEqual([['group-owners', 'needs @anguyen'], ['scoped-approvers', 'needs @anguyen']]);
    expect(v.reviews.map((x: { reviewer: string; counted: boolean; reason?: string }) => [x.reviewer, x.counted, x.reason])).toEqual([
      ['anguyen', false, '@anguyen approved an older commit (1a2b3c4); approve again'],
      ['bmartin', false, "@bmartin's review was dismissed"],
      ['gpark', false, '@gpark requested changes'],
    ]);
  });

  it('needs the security team for a production admin grant, and is met when a member approves', async () => {
    const root = org();
    addMember(root, 'aws-platform-admins', '  - user: heidi.schmidt@example.com\n    expires: 2026-12-20\n    reason: PLAT-77 migration\n');
    const r = await approvals(root, 'security-approved', '42');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.met).toBe(true);
    expect(v.requirements.map((q: { rule: string; approvedBy: string[] }) => [q.rule, q.approvedBy])).toEqual([
      ['group-owners', ['anguyen']],
      ['security-team', ['csmith']],
      ['high-privilege-approvers', ['anguyen', 'csmith']],
      ['scoped-approvers', ['csmith']],
      ['scoped-approvers', ['anguyen']],
    ]);
    expect(v.requirements[1].why).toMatch(/^it grants AdministratorAccess on [a-z-]+(, [a-z-]+)*.* \(high privilege\); it grants access on /);
    // Reviews came over two pages, with the token.
    expect(r.replay.requests.filter((q) => q.includes('/reviews'))).toHaveLength(2);
    expect(r.replay.received.every((q) => q.headers.authorization === 'Bearer test-token')).toBe(true);
  });

  it('asks for two distinct approvers when policy.yaml says so', async () => {
    // The example policy.yaml asks for two approvers of high-privilege grants.
    const root = org();
    addMember(root, 'aws-payments-admins', '  - user: frank.li@example.com\n    expires: 2026-12-20\n    reason: PAY-9 cover\n');
    const r = await approvals(root, 'two-approvers', '42');
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.requirements.map((q: { rule: string; met: boolean; missing?: string }) => [q.rule, q.met, q.missing ?? null])).toEqual([
      ['group-owners', true, null],
      ['security-team', false, 'needs a member of @northwind/security'],
      ['high-privilege-approvers', false, 'needs 2 distinct approvals (has 1: @dokafor)'],
      ['scoped-approvers', false, 'needs a member of @northwind/security'],
    ]);
  });

  it('lets a break-glass change merge with one on-call approval', async () => {
    const root = org((t) => t.replace('approvers: [alice.nguyen@example.com, bob.martin@example.com]', 'approvers: [bob.martin@example.com]'));
    addMember(root, 'aws-payments-admins', '  - user: ivan.petrov@example.com\n    expires: 2026-11-23T15:00Z\n    reason: INC-6001 payments outage\n    breakGlass: true\n');
    const r = await approvals(root, 'break-glass', '43');
    expect(r.stderr).toBe('');
    const v = JSON.parse(r.stdout);
    expect(v.breakGlass).toBe(true);
    expect(v.requirements.map((q: { rule: string; who: string; approvedBy: string[] }) => [q.rule, q.who, q.approvedBy])).toEqual([['break-glass', 'an on-call approver (@bmartin)', ['bmartin']]]);
    expect(r.code).toBe(0);
    const md = await approvals(root, 'break-glass', '43', 'markdown');
    expect(md.stdout.split('\n').slice(3, 9)).toEqual([
      '**Approved** (break-glass): every requirement is met at `9f2c1e4`.',
      '',
      '| | who | why | state |',
      '| --- | --- | --- | --- |',
      '| ✅ | an on-call approver (`@bmartin`) | break-glass access to aws-payments-admins, ending 2026-11-23T15:\u200b00Z | approved by `@bmartin` |',
      '',
    ]);
  });

  it('fails with one line when the team cannot be read', async () => {
    const root = org();
    addMember(root, 'aws-platform-admins', '  - user: heidi.schmidt@example.com\n    expires: 2026-12-20\n    reason: PLAT-77 migration\n');
    const r = await approvals(root, 'team-missing', '42');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('approvals: GET /orgs/northwind/teams/security/members?per_page=100: 404 team @northwind/security does not exist or the token cannot read it (the token needs the organization permission "Members: read")\n');
    expect(r.stdout).toBe('');
  });
});

describe('the rules that apply only to some changes', () => {
  it('shared-files: a permission set change needs the security team, which a member gives', async () => {
    const root = org();
    const file = path.join(root, 'access', 'permission-sets', 'ReadOnly.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\ndescription: .*\n/, '\ndescription: Read-only access, reviewed\n'));
    const r = await approvals(root, 'security-approved', '42');
    const v = JSON.parse(r.stdout);
    expect(v.requirements.map((q: { rule: string; why: string; approvedBy: string[] }) => [q.rule, q.why, q.approvedBy])).toEqual([
      ['shared-files', 'the change edits permission-sets/ReadOnly.yaml', ['csmith']],
      ['security-team', 'it changes permission set ReadOnly, assigned on production accounts (production)', ['csmith']],
      ['scoped-approvers', 'the change changes permission set ReadOnly', ['csmith']],
      ['scoped-approvers', 'the change changes permission set ReadOnly', ['anguyen']],
    ]);
    expect(r.code).toBe(0);
  });

  it('group-approvers: a named team approves changes to its group as well as the owners', async () => {
    const root = org((t) => t.replace('high-privilege-approvers: { count: 2 }', 'group-approvers: { groups: { aws-sandbox-users: ["@northwind/security"] } }'));
    addMember(root, 'aws-sandbox-users', '  - heidi.schmidt@example.com\n');
    const met = await approvals(root, 'security-approved', '42');
    expect(JSON.parse(met.stdout).requirements.map((q: { rule: string; who: string; approvedBy: string[] }) => [q.rule, q.who, q.approvedBy])).toEqual([
      ['group-owners', 'an owner of aws-sandbox-users', ['anguyen']],
      ['group-approvers', 'an approver of aws-sandbox-users (@northwind/security)', ['csmith']],
      ['scoped-approvers', 'an approver for sandbox (@anguyen)', ['anguyen']],
    ]);
    expect(met.code).toBe(0);
    const unmet = await approvals(root, 'two-approvers', '42');
    expect(JSON.parse(unmet.stdout).requirements.map((q: { rule: string; missing?: string }) => [q.rule, q.missing])).toEqual([
      ['group-owners', 'needs @anguyen'],
      ['group-approvers', 'needs a member of @northwind/security'],
      ['scoped-approvers', 'needs @anguyen'],
    ]);
    expect(unmet.code).toBe(1);
  });

  it('a rule set to false no longer applies', async () => {
    const rules = async (root: string) => {
      addMember(root, 'aws-incident-responders', '  - user: heidi.schmidt@example.com\n    expires: 2026-12-01\n    reason: INC-9\n');
      return JSON.parse((await approvals(root, 'security-approved', '42')).stdout).requirements.map((q: { rule: string }) => q.rule);
    };
    expect(await rules(org())).toEqual(['group-owners', 'security-team', 'scoped-approvers']);
    expect(await rules(org((t) => t.replace('high-privilege-approvers: { count: 2 }', 'security-team: false')))).toEqual(['group-owners', 'scoped-approvers']);
  });
});

describe('the approvals section of the sticky comment', () => {
  it('says the same as the text, with handles that do not notify on every update', async () => {
    const root = org();
    addMember(root, 'aws-payments-developers', '  - dave.okafor@example.com\n');
    const r = await approvals(root, 'self-approval', '42', 'markdown');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe([
      '<!-- accessctl:approvals -->',
      '### Approvals',
      '',
      '**Not approved yet**: 3 of 3 requirements missing at `9f2c1e4`.',
      '',
      '| | who | why | state |',
      '| --- | --- | --- | --- |',
      '| ❌ | the security team (`@northwind/security`) | the change touches aws-payments-developers, and its only approver, `@dokafor`, is party to it | needs a member of `@northwind/security` |',
      '| ❌ | the security team (`@northwind/security`) | it grants access on payments-prod (production) | needs a member of `@northwind/security` |',
      '| ❌ | an approver for production (`@northwind/security`) | the change grants PaymentsDeployer on payments-prod, ReadOnly on payments-prod | needs a member of `@northwind/security` |',
      '',
      'Not counted:',
      '',
      '- `@dokafor` cannot approve a change that grants `@dokafor` access',
      '',
      '<!-- /accessctl:approvals -->',
      '',
    ].join('\n'));
  });
});
