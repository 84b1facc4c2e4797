import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffModels } from '../../src/diff/diff';
import { esc, formatDiffMarkdown } from '../../src/reporters/diff/markdown';
import type { RevisionDiff } from '../../src/diff/revisions';
import { load, run, tempRepo } from '../support/helpers';
import { git as gitIn } from '../support/git';

function git(cwd: string, ...args: string[]): string {
  return gitIn(cwd, args, { author: 'Test', email: 'test@example.com' });
}

const TEAM = `name: team
mode: authoritative
owners: [lead@example.com]
members:
  - lead@example.com
  - dev@example.com
apps: [aws]
aws:
  - permissionSet: ReadOnly
    accounts: [prod, dev]
  - permissionSet: Deploy
    accounts: [dev]
`;
const DEPLOY = 'name: Deploy\nsessionDuration: PT1H\nmanagedPolicies: [PowerUserAccess]\n';

function repo(): string {
  const root = tempRepo({ 'groups/team.yaml': TEAM, 'permission-sets/Deploy.yaml': DEPLOY });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  return root;
}

describe('accessctl diff between git revisions', () => {
  it('gives exactly the rows a commit adds and removes when it adds a member and drops a grant', async () => {
    const root = repo();
    const edited = TEAM.replace('  - dev@example.com\n', '  - dev@example.com\n  - { user: new@example.com, expires: 2027-01-31, reason: INC-1 }\n').replace('  - permissionSet: Deploy\n    accounts: [dev]\n', '');
    fs.writeFileSync(path.join(root, 'access/groups/team.yaml'), edited);
    git(root, 'commit', '-qam', 'add new@, drop Deploy');
    const r = await run(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'], root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.added).toEqual([
      { user: 'new@example.com', account: 'dev', accountId: '022222222222', permissionSet: 'ReadOnly', via: ['team'], expires: '2027-01-31' },
      { user: 'new@example.com', account: 'prod', accountId: '111111111111', permissionSet: 'ReadOnly', via: ['team'], expires: '2027-01-31' },
    ]);
    expect(out.removed).toEqual([
      { user: 'dev@example.com', account: 'dev', accountId: '022222222222', permissionSet: 'Deploy', via: ['team'] },
      { user: 'lead@example.com', account: 'dev', accountId: '022222222222', permissionSet: 'Deploy', via: ['team'] },
    ]);
    expect(out.changes).toEqual([
      { kind: 'member', action: 'added', name: 'team|new@example.com', group: 'team', user: 'new@example.com', expires: '2027-01-31', reason: 'INC-1' },
      { kind: 'grant', action: 'removed', name: 'team|Deploy|[dev]', group: 'team', permissionSet: 'Deploy', selector: '[dev]', accounts: 1 },
      { kind: 'provisioning', action: 'added', name: 'new@example.com', user: 'new@example.com', app: 'AWS', assignmentGroup: 'accessctl-aws-users', groups: ['team'] },
    ]);
    // Deploy (PowerUserAccess) lost on dev; new@ gains ReadOnly (ViewOnlyAccess): the sensitive actions that moves.
    expect(out.risks).toEqual([
      { flag: 'prod-access', message: '1 new grant on production accounts (prod)' },
      ...[
        '-2 people can no longer iam:Create* (1 of 15 actions) on dev (dev@example.com, lead@example.com)',
        '-2 people can no longer kms:Decrypt on dev (dev@example.com, lead@example.com)',
        '-2 people can no longer s3:GetObject on dev (dev@example.com, lead@example.com)',
        '-2 people can no longer sts:AssumeRole on dev (dev@example.com, lead@example.com)',
        '+1 person can organizations:* (20 of 63 actions) on dev (new@example.com)',
        '-2 people can no longer organizations:* (2 of 63 actions) on dev (dev@example.com, lead@example.com)',
        '+1 person can organizations:* (20 of 63 actions) on prod (new@example.com)',
      ].map((message) => ({ flag: 'sensitive-actions', message })),
    ]);
    expect(out.base).toEqual({ ref: 'HEAD~1', commit: expect.stringMatching(/^[0-9a-f]{40}$/), valid: true });
  });

  it('compares with the working tree by default and prints plain words', async () => {
    const root = repo();
    fs.writeFileSync(path.join(root, 'access/groups/team.yaml'), TEAM.replace('  - dev@example.com\n', ''));
    const r = await run(['diff', '--base', 'HEAD'], root);
    expect(r.stdout).toBe(
      `access diff HEAD (${git(root, 'rev-parse', 'HEAD').trim().slice(0, 12)}) -> working tree: +0 / -3 access, 2 changes\n` +
        '  ! sensitive-actions: -1 person can no longer iam:Create* (1 of 15 actions) on dev (dev@example.com)\n' +
        '  ! sensitive-actions: -1 person can no longer kms:Decrypt on dev (dev@example.com)\n' +
        '  ! sensitive-actions: -1 person can no longer s3:GetObject on dev (dev@example.com)\n' +
        '  ! sensitive-actions: -1 person can no longer sts:AssumeRole on dev (dev@example.com)\n' +
        '  ! sensitive-actions: -1 person can no longer organizations:* (22 of 63 actions) on dev (dev@example.com)\n' +
        '  ! sensitive-actions: -1 person can no longer organizations:* (20 of 63 actions) on prod (dev@example.com)\n' +
        'access removed:\n' +
        '  dev@example.com\n' +
        '    - dev (022222222222) Deploy via team\n' +
        '    - dev (022222222222) ReadOnly via team\n' +
        '    - prod (111111111111) ReadOnly via team\n' +
        'by account:\n' +
        '  dev (022222222222): +0 / -2\n' +
        '  prod (111111111111): +0 / -1\n' +
        'changes:\n' +
        '  - dev@example.com leaves team\n' +
        '  - dev@example.com leaves accessctl-aws-users: SCIM deactivates their AWS user (no longer in a group pushed to AWS)\n',
    );
  });

  it('refuses an unknown ref as a git failure (ACC060, exit 2)', async () => {
    const r = await run(['diff', '--base', 'no-such-branch'], repo());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('accessctl diff: error ACC060 "no-such-branch" is not a commit in this repository\n');
  });

  it('says when the base is invalid and still shows the head', async () => {
    const root = repo();
    fs.writeFileSync(path.join(root, 'access/groups/team.yaml'), 'name: [broken\n');
    git(root, 'commit', '-qam', 'broken');
    fs.writeFileSync(path.join(root, 'access/groups/team.yaml'), TEAM);
    const r = await run(['diff', '--base', 'HEAD', '--format', 'json'], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: the base HEAD has 1 error, 0 warnings; every access in the head is listed as added\n');
    expect(JSON.parse(r.stdout).added).toHaveLength(6);
    expect(JSON.parse(r.stdout).base.valid).toBe(false);
  });

  it('exits 1 when the head has errors', async () => {
    const root = repo();
    fs.writeFileSync(path.join(root, 'access/groups/team.yaml'), TEAM.replace('Deploy', 'Deplyo'));
    const r = await run(['diff', '--base', 'HEAD'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error ACC040 unknown permission set "Deplyo" (did you mean "Deploy"?)');
  });
});

describe('object changes and risk flags', () => {
  const base = (): Record<string, string> => ({ 'groups/team.yaml': TEAM, 'permission-sets/Deploy.yaml': DEPLOY });

  it('reports renames, owners, selectors, permission set edits with statement diffs, accounts and waivers', () => {
    const b = load(base()).model!;
    const h = load({
      'groups/team.yaml': TEAM.replace('owners: [lead@example.com]', 'owners: [lead@example.com, dev@example.com]').replace('accounts: [prod, dev]', 'accounts: { ou: "**" }'),
      'permission-sets/Deploy.yaml': `${DEPLOY.replace('PT1H', 'PT2H')}inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - { Effect: Deny, Action: "kms:ScheduleKeyDeletion", Resource: "*" }\n`,
      'accounts.yaml': 'accounts:\n  - { name: prod, id: "111111111111", ou: Workloads/Prod, tags: { env: prod } }\n  - { name: dev, id: "022222222222", ou: Workloads/Dev, tags: { env: dev } }\n  - { name: sandbox, id: "333333333333", ou: Sandbox }\n',
      'policy.yaml': 'waivers:\n  - { rule: group-owner, subject: x, reason: Testing the waiver diff, expires: 2027-01-01 }\n',
    }).model!;
    const d = diffModels(b, h, '2026-11-23');
    expect(d.changes.map((c) => `${c.kind} ${c.action} ${c.name}`)).toEqual([
      'owner added team|dev@example.com',
      'grant added team|ReadOnly|{ou: **}',
      'grant removed team|ReadOnly|[dev, prod]',
      'permission-set changed Deploy',
      'account added sandbox',
      'waiver added group-owner|x',
    ]);
    expect(d.changes.find((c) => c.kind === 'permission-set')).toMatchObject({
      fields: { sessionDuration: { before: 'PT1H', after: 'PT2H' } },
      inlinePolicy: { statementsAdded: ['{"Action":"kms:ScheduleKeyDeletion","Effect":"Deny","Resource":"*"}'], statementsRemoved: [] },
    });
    expect(d.added.map((r) => `${r.user} ${r.account} ${r.permissionSet}`)).toEqual(['dev@example.com sandbox ReadOnly', 'lead@example.com sandbox ReadOnly']);
    // ReadOnly (ViewOnlyAccess) on the new sandbox account brings its organizations read actions; the Deny on kms:ScheduleKeyDeletion touches no sensitive action.
    expect(d.risks.map((r) => r.flag)).toEqual(['new-owner', 'policy-change', 'sensitive-actions']);
    expect(d.risks[2].message).toBe('+2 people can organizations:* (20 of 63 actions) on sandbox (dev@example.com, lead@example.com)');
  });

  it('sees a selector whose accounts changed without an edit to the group', () => {
    const files = { ...base(), 'groups/team.yaml': TEAM.replace('accounts: [prod, dev]', 'accounts: { tags: { env: prod } }') };
    const b = load(files).model!;
    const h = load({ ...files, 'accounts.yaml': 'accounts:\n  - { name: prod, id: "111111111111", ou: A, tags: { env: prod } }\n  - { name: dev, id: "022222222222", ou: A, tags: { env: prod } }\n' }).model!;
    const d = diffModels(b, h, '2026-11-23');
    expect(d.changes.map((c) => `${c.kind} ${c.action} ${c.name}`)).toEqual(['selector changed team|ReadOnly|{tags: {env: prod}}', 'account changed dev', 'account changed prod']);
    expect(d.changes[0]).toMatchObject({ accountsAdded: ['022222222222'], accountsRemoved: [] });
  });

  it('flags high-privilege grants, mass revocation and a permission set rename', () => {
    const admin = { 'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\n' };
    const many = Array.from({ length: 12 }, (_, i) => `  - u${i}@example.com`).join('\n');
    const b = load({ ...base(), ...admin, 'groups/team.yaml': TEAM.replace('  - dev@example.com\n', `  - dev@example.com\n${many}\n`) }).model!;
    const h = load({ ...base(), 'permission-sets/Admin.yaml': admin['permission-sets/Admin.yaml'].replace('name: Admin', 'name: Administrator'), 'groups/team.yaml': TEAM.replace('permissionSet: Deploy', 'permissionSet: Administrator') }).model!;
    const d = diffModels(b, h, '2026-11-23', [{ kind: 'permission-set', from: 'Admin', to: 'Administrator', file: 'access/permission-sets/Admin.yaml' }]);
    expect(d.risks.map((r) => r.flag)).toEqual(['high-privilege', 'mass-revocation', 'permission-set-replaced', ...Array(9).fill('sensitive-actions')]);
    expect(d.risks[1].message).toBe('38 of 42 access rows are revoked');
    // Deploy (PowerUserAccess) becomes Administrator for lead@ and dev@ on dev; the twelve others lose ReadOnly and Deploy.
    const twelve = '(u0@example.com, u10@example.com, u11@example.com, u1@example.com, u2@example.com, u3@example.com, u4@example.com, u5@example.com, ' +
        'u6@example.com, u7@example.com, and 2 more)';
    expect(d.risks.slice(3).map((r) => r.message)).toEqual([
      '+2 people can iam:PassRole on dev (dev@example.com, lead@example.com)',
      '+2 people can iam:Create* (14 of 15 actions) on dev (dev@example.com, lead@example.com)',
      `-12 people can no longer iam:Create* (1 of 15 actions) on dev ${twelve}`,
      `-12 people can no longer kms:Decrypt on dev ${twelve}`,
      `-12 people can no longer s3:GetObject on dev ${twelve}`,
      `-12 people can no longer sts:AssumeRole on dev ${twelve}`,
      '+2 people can organizations:* (41 of 63 actions) on dev (dev@example.com, lead@example.com)',
      `-12 people can no longer organizations:* (22 of 63 actions) on dev ${twelve}`,
      `-12 people can no longer organizations:* (20 of 63 actions) on prod ${twelve}`,
    ]);
  });
});

it('a setting that only moves to another line is no settings change; one whose value changes is', () => {
  const settings = (extra: string, issued: string): Record<string, string> => ({
    'settings.yaml': `${extra}okta:\n  org: acme\n  orgType: identity-engine\n  apps:\n    aws:\n      label: AWS\n      acsUrl: https://a.example/acs\n      issuerUrl: https://a.example/i\n      mfa: required\n      assignmentGroup: aws-users\n      scim: { baseUrl: "https://scim.us-east-1.amazonaws.com/x/scim/v2", tokenIssued: ${issued} }\naws: { region: us-east-1, startUrl: "https://d-1234567890.awsapps.com/start" }\nbackend: { type: local }\n`,
  });
  const b = load(settings('', '2026-11-02')).model!;
  expect(diffModels(b, load(settings('# moved down\n\n', '2026-11-02')).model!, '2026-11-23').changes.filter((c) => c.kind === 'settings')).toEqual([]);
  const changed = diffModels(b, load(settings('', '2026-12-01')).model!, '2026-11-23').changes.filter((c) => c.kind === 'settings');
  const fields = changed[0]!.fields as Record<string, { before: Array<{ scim: unknown }>; after: Array<{ scim: unknown }> }>;
  expect([changed.length, Object.keys(fields)]).toEqual([1, ['okta.apps']]);
  expect([fields['okta.apps']!.before[0]!.scim, fields['okta.apps']!.after[0]!.scim]).toEqual([
    { baseUrl: 'https://scim.us-east-1.amazonaws.com/x/scim/v2', tokenIssued: '2026-11-02' },
    { baseUrl: 'https://scim.us-east-1.amazonaws.com/x/scim/v2', tokenIssued: '2026-12-01' },
  ]);
});

describe('markdown for the PR comment', () => {
  const diffOf = (n: number): RevisionDiff => {
    const members = Array.from({ length: n }, (_, i) => `  - user${String(i).padStart(5, '0')}@example.com`).join('\n');
    const head = load({ 'groups/team.yaml': TEAM.replace('  - dev@example.com\n', `  - dev@example.com\n${members}\n`), 'permission-sets/Deploy.yaml': DEPLOY }).model!;
    const base = load({ 'groups/team.yaml': TEAM, 'permission-sets/Deploy.yaml': DEPLOY }).model!;
    return { base: { label: 'main', commit: 'a'.repeat(40), model: base, diagnostics: [], sources: [] }, head: { label: 'working tree', model: head, diagnostics: [], sources: [] }, renames: [], diff: diffModels(base, head, '2026-11-23') };
  };

  it('has a marker, a headline, risks and tables', () => {
    const md = formatDiffMarkdown(diffOf(1));
    expect(md.split('\n').slice(0, 6)).toEqual([
      '<!-- accessctl -->',
      '### accessctl: +3 / −0 access for 1 person on 2 accounts; 1 Okta access change (group and app membership)',
      '',
      'Compared with `main (aaaaaaaaaaaa)`; 2 changes to groups, members, permission sets and settings.',
      '',
      '> :warning: **prod-access**: 1 new grant on production accounts (prod)',
    ]);
    expect(md).toContain('| user00000@example.com | dev `022222222222` | Deploy | team |  |');
  });

  it('stays under the comment limit by cutting rows, and says so', () => {
    const md = formatDiffMarkdown(diffOf(3000));
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toContain('#### Access added (9000)');
    expect(md).toMatch(/\| … and \d+ more \|/);
  });

  it('neutralises markup from the files', () => {
    const d = diffOf(0);
    const hostile = { ...d, diff: { ...d.diff, changes: [{ kind: 'member' as const, action: 'added' as const, name: 'x', group: 'team', user: 'a@example.com', reason: '<img src=x> [link](http://e) @octocat | `code`' }] } };
    const md = formatDiffMarkdown(hostile);
    // No AWS row changes, but someone joins an Okta group: the headline says so.
    expect(md.split('\n')[1]).toBe('### accessctl: no AWS access change; 1 Okta access change (group and app membership)');
    expect(md).toContain('a@example.com joins team (&lt;img src=x&gt; \\[link\\](http:\u200b//e) @\u200boctocat \\| \'code\')');
  });

  // Each way past the old escaping, and what it renders as now (exact text; \u200b is a zero-width space).
  it.each([
    ['a backslash-escaped link', '\\[x](https://evil.example)', '\\\\\\[x\\](https:\u200b//evil.example)'],
    ['a mention with a trailing dot', 'ping @octocat.', 'ping @\u200boctocat.'],
    ['a mention after punctuation', '(@security-team)', '(@\u200bsecurity-team)'],
    ['an issue reference', 'see #123', 'see #\u200b123'],
    ['a closing keyword', 'fixes #123', 'fixes #\u200b123'],
    ['a cross-repository reference', 'org/repo#7', 'org/repo#\u200b7'],
    ['bidi overrides and zero-width characters', 'admin\u202egnp.exe\u200b\u2066x', 'admin\ufffdgnp.exe\ufffd\ufffdx'],
    ['emphasis and strikethrough', '*all* _of_ ~~it~~', '\\*all\\* \\_of\\_ \\~\\~it\\~\\~'],
    ['an emoji shortcode', 'approved :+1: :white_check_mark:', 'approved :\u200b+1: :\u200bwhite\\_check\\_mark:'],
    ['a bare URL and www', 'http://evil.example and www.evil.example', 'http:\u200b//evil.example and www\u200b.evil.example'],
    ['HTML and a table break', '<details open>|', '&lt;details open&gt;\\|'],
    ['a forged annotation on a new line', 'x\n::error file=a::forged', 'x ::\u200berror file=a::\u200bforged'],
    ['control characters', 'a\u0000b\u001b[31mc', 'a\ufffdb\ufffd\\[31mc'],
  ])('renders %s inert', (_what, text, expected) => {
    expect(esc(text)).toBe(expected);
  });
});
