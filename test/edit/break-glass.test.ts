// accessctl break-glass end to end on a copy of the example org: the entry it
// writes, what policy.yaml breakGlass refuses, the hours-long expiry as every
// command sees it, and the guardrail that holds hand-written entries to the
// same limits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startReplay } from '../support/github-replay';
import { exampleOrg, run } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';
const ADMINS = 'groups/aws-payments-admins.yaml';
const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, 'access', rel), 'utf8');
const ENTRY = '  - user: ivan.petrov@example.com\n    expires: 2026-11-23T14:00Z\n    reason: INC-6001 payments outage\n    breakGlass: true\n';

async function grant(root: string, ...extra: string[]) {
  return run(['break-glass', '--group', 'aws-payments-admins', '--user', 'ivan.petrov@example.com', '--reason', 'INC-6001 payments outage', ...extra], root, NOW);
}

describe('accessctl break-glass', () => {
  it('adds a member that ends at a UTC time hours away, marked breakGlass', async () => {
    const root = exampleOrg();
    const before = read(root, ADMINS);
    const r = await grant(root, '--hours', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['break-glass: add ivan.petrov@example.com to aws-payments-admins until 2026-11-23T14:00Z (2 hours)', 'wrote access/groups/aws-payments-admins.yaml']);
    expect(r.stdout).toContain('    + payments-prod (123456789012) AdministratorAccess via aws-payments-admins until 2026-11-23T14:00Z\n');
    expect(read(root, ADMINS)).toBe(before.replace('    reason: INC-4711 on-call cover\n', `    reason: INC-4711 on-call cover\n${ENTRY}`));
  });

  it('defaults to policy.yaml maxHours, rounds down to the minute, and writes the pull request body', async () => {
    const root = exampleOrg();
    const r = await run(['break-glass', '--group', 'aws-payments-admins', '--user', 'ivan.petrov@example.com', '--reason', 'INC-6001 see #12 @here', '--format', 'markdown'], root, '2026-11-23T12:00:30Z');
    expect(r.code).toBe(0);
    expect(read(root, ADMINS)).toContain('    expires: 2026-11-23T16:00Z\n');
    expect(r.stdout.startsWith([
      '### Break-glass',
      '',
      '**ivan.petrov@example.com** joins **aws-payments-admins** until **2026-11-23T16:00Z** (UTC, 4 hours).',
      '',
      '- Reason: INC-6001 see #\u200b12 @\u200bhere',
      '- Approval: one of `alice.nguyen@example.com`, `bob.martin@example.com`',
      '- After the merge a retrospective issue is opened for the security team.',
      '',
    ].join('\n'))).toBe(true);
  });

  it.each([
    [['--group', 'aws-sandbox-users', '--user', 'ivan.petrov@example.com', '--reason', 'INC-1 x'], 'break-glass refused: policy.yaml breakGlass does not allow "aws-sandbox-users"; it allows aws-payments-admins, aws-platform-admins (nothing was written)\n'],
    [['--group', 'aws-payments-admins', '--user', 'frank.li@example.com', '--reason', 'INC-1 x'], 'break-glass refused: frank.li@example.com is not among the people policy.yaml breakGlass.users allows; ask through accessctl request instead (nothing was written)\n'],
    [['--group', 'aws-payments-admins', '--user', 'ivan.petrov@example.com', '--reason', 'INC-1 x', '--hours', '5'], 'break-glass refused: 5 hours is longer than policy.yaml breakGlass.maxHours (4) (nothing was written)\n'],
    [['--group', 'aws-payments-admins', '--user', 'dave.okafor@example.com', '--reason', 'INC-1 x'], 'break-glass refused: dave.okafor@example.com is already a member of "aws-payments-admins" (access/groups/aws-payments-admins.yaml:7) (nothing was written)\n'],
  ])('refuses %j', async (args, message) => {
    const root = exampleOrg();
    const before = read(root, ADMINS);
    const r = await run(['break-glass', ...args], root, NOW);
    expect(r).toEqual({ code: 1, stdout: '', stderr: message });
    expect(read(root, ADMINS)).toBe(before);
  });

  it('needs a reason, and refuses everything without a breakGlass policy', async () => {
    const root = exampleOrg();
    expect(await run(['break-glass', '--group', 'aws-payments-admins', '--user', 'ivan.petrov@example.com'], root, NOW)).toMatchObject({ code: 2, stderr: expect.stringContaining('--reason is required: break-glass access names its incident or ticket') });
    const policy = path.join(root, 'access', 'policy.yaml');
    fs.writeFileSync(policy, fs.readFileSync(policy, 'utf8').replace(/\n# Break-glass[\s\S]*$/, '\n'));
    expect(await grant(root)).toEqual({ code: 1, stdout: '', stderr: 'break-glass refused: policy.yaml has no breakGlass section, so break-glass is not set up (docs/rules.md#break-glass) (nothing was written)\n' });
  });

  it('reads the break-glass issue form', async () => {
    const root = exampleOrg();
    const form = path.join(root, 'form.md');
    fs.writeFileSync(form, '### Group\n\naws-platform-admins\n\n### Okta login\n\nerin.kowalski@example.com\n\n### Hours\n\n1\n\n### Reason\n\nINC-7 database\nfailover\n');
    const r = await run(['break-glass', '--issue-form', form], root, NOW);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('break-glass: add erin.kowalski@example.com to aws-platform-admins until 2026-11-23T13:00Z (1 hour)');
    expect(read(root, 'groups/aws-platform-admins.yaml')).toContain('  - user: erin.kowalski@example.com\n    expires: 2026-11-23T13:00Z\n    reason: INC-7 database failover\n    breakGlass: true\n');
  });

  it('ends at its minute for who-can, synth and expire', async () => {
    const root = exampleOrg();
    expect((await grant(root, '--hours', '2')).code).toBe(0);
    const rows = async (now: string) => JSON.parse((await run(['who-can', '--user', 'ivan.petrov@example.com', '--account', 'payments-prod', '--format', 'json'], root, now)).stdout).access.map((a: { permissionSet: string }) => a.permissionSet);
    expect(await rows('2026-11-23T13:59:59Z')).toEqual(['AdministratorAccess', 'ReadOnly']);
    expect(await rows('2026-11-23T14:00:00Z')).toEqual(['ReadOnly']);
    // The Okta stack holds the membership until that minute, and not after: the hourly apply removes it.
    const admins = async (now: string): Promise<string[]> => {
      const out = path.join(root, `out-${now.slice(11, 13)}`);
      expect((await run(['synth', '--no-base', '--out', out], root, now)).code).toBe(0);
      return JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'okta', 'cdk.tf.json'), 'utf8')).resource.okta_group_memberships.this.for_each['aws-payments-admins'].logins;
    };
    expect(await admins('2026-11-23T13:00:00Z')).toEqual(['dave.okafor@example.com', 'erin.kowalski@example.com', 'ivan.petrov@example.com']);
    expect(await admins('2026-11-23T14:00:00Z')).toEqual(['dave.okafor@example.com', 'erin.kowalski@example.com']);
    // expire lists it once the minute has passed, and --write removes it.
    expect((await run(['expire'], root, '2026-11-23T13:59:00Z')).stdout).not.toContain('ivan.petrov');
    const e = await run(['expire', '--write'], root, '2026-11-23T14:00:00Z');
    expect(e.stdout).toContain('access/groups/aws-payments-admins.yaml: ivan.petrov@example.com in aws-payments-admins, expired 2026-11-23T14:00Z\n');
    expect(read(root, ADMINS)).not.toContain('ivan.petrov');
  });

  it('the break-glass guardrail holds hand-written entries to policy.yaml', async () => {
    const root = exampleOrg();
    const file = path.join(root, 'access', ADMINS);
    const write = (entry: string) => fs.writeFileSync(file, fs.readFileSync(path.join(root, 'access', 'groups', '..', 'groups', 'aws-payments-admins.yaml'), 'utf8').replace(/  - user: ivan[\s\S]*?breakGlass: true\n/, '').replace('    reason: INC-4711 on-call cover\n', `    reason: INC-4711 on-call cover\n${entry}`));
    const errors = async () => JSON.parse((await run(['validate', '--format', 'json'], root, NOW)).stdout).errors.filter((d: { code: string }) => d.code === 'break-glass').map((d: { file: string; line: number; message: string }) => `${d.file}:${d.line} ${d.message}`);
    write('  - user: ivan.petrov@example.com\n    expires: 2026-11-23T22:00Z\n    reason: INC-1 x\n    breakGlass: true\n');
    expect(await errors()).toEqual(['access/groups/aws-payments-admins.yaml:11 break-glass member ivan.petrov@example.com of "aws-payments-admins": ends at 2026-11-23T22:00Z, more than 4 hours from now (latest allowed: 2026-11-23T16:00Z)']);
    write('  - user: ivan.petrov@example.com\n    expires: 2026-11-24\n    reason: INC-1 x\n    breakGlass: true\n');
    expect(await errors()).toEqual(['access/groups/aws-payments-admins.yaml:11 break-glass member ivan.petrov@example.com of "aws-payments-admins": break-glass access needs an end time in expires (YYYY-MM-DDTHH:MMZ, UTC), hours away']);
    write('  - user: frank.li@example.com\n    expires: 2026-11-23T13:00Z\n    reason: INC-1 x\n    breakGlass: true\n');
    expect(await errors()).toEqual(['access/groups/aws-payments-admins.yaml:11 break-glass member frank.li@example.com of "aws-payments-admins": frank.li@example.com is not among the people policy.yaml breakGlass.users allows']);
    write('  - user: ivan.petrov@example.com\n    expires: 2026-11-23T25:00Z\n    breakGlass: true\n');
    const bad = JSON.parse((await run(['validate', '--format', 'json'], root, NOW)).stdout).errors.map((d: { code: string; line: number; column: number; message: string }) => `${d.line}:${d.column} ${d.code} ${d.message}`);
    expect(bad).toEqual(['12:14 ACC024 invalid date "2026-11-23T25:00Z" for date']);
  });
});

describe('policy.yaml approvals and breakGlass are validated', () => {
  const edit = async (from: string | RegExp, to: string) => {
    const root = exampleOrg();
    const policy = path.join(root, 'access', 'policy.yaml');
    const text = fs.readFileSync(policy, 'utf8');
    fs.writeFileSync(policy, text.replace(from, to));
    const r = await run(['validate', '--format', 'json'], root, NOW);
    return { code: r.code, errors: JSON.parse(r.stdout).errors.map((d: { file: string; line: number; column: number; code: string; message: string }) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`) };
  };
  it.each([
    ['an unknown group', 'groups: [aws-payments-admins, aws-platform-admins]', 'groups: [aws-payments-admin, aws-platform-admins]', 'access/policy.yaml:44:12 ACC072 policy.yaml names the group "aws-payments-admin", which no group file declares (did you mean "aws-payments-admins"?)'],
    ['an unknown person', 'users: [dave.okafor@example.com,', 'users: [dave.okafr@example.com,', 'access/policy.yaml:45:11 ACC074 policy.yaml names "dave.okafr@example.com", who is not in people.yaml (did you mean "dave.okafor@example.com"?)'],
    ['an undeclared team', 'approvers: [alice.nguyen@example.com, bob.martin@example.com]', 'approvers: [alice.nguyen@example.com, "@northwind/oncall"]', 'access/policy.yaml:47:41 ACC073 policy.yaml names the team @northwind/oncall, which settings.yaml does not declare'],
    ['withoutApproval outside users', '  maxHours: 4\n', '  maxHours: 4\n  withoutApproval: [alice.nguyen@example.com]\n', 'access/policy.yaml:47:21 ACC075 "alice.nguyen@example.com" may merge break-glass access without approval but is not among breakGlass.users'],
    ['an unknown approval rule', 'high-privilege-approvers: { count: 2 }', 'two-approvers: { count: 2 }', 'access/policy.yaml:28:3 ACC020 unknown key "two-approvers" in approvals (did you mean "group-approvers"?)'],
    ['a count below two', 'high-privilege-approvers: { count: 2 }', 'high-privilege-approvers: { count: 1 }', 'access/policy.yaml:28:38 ACC023 distinct approvers must be >= 2'],
    ['a group-approvers group that does not exist', 'high-privilege-approvers: { count: 2 }', 'group-approvers: { groups: { aws-nope: [alice.nguyen@example.com] } }', 'access/policy.yaml:28:32 ACC072 policy.yaml names the group "aws-nope", which no group file declares'],
    ['a maxHours over a day', '  maxHours: 4\n', '  maxHours: 48\n', 'access/policy.yaml:46:13 ACC023 longest duration in hours must be <= 24'],
  ])('refuses %s at its line', async (_what, from, to, expected) => {
    const r = await edit(from, to);
    expect(r.errors).toEqual([expected]);
    expect(r.code).toBe(1);
  });

  it('accepts the example and named group approvers that exist', async () => {
    const r = await edit('high-privilege-approvers: { count: 2 }', 'group-approvers: { groups: { aws-payments-admins: [carol.smith@example.com, "@northwind/security"] } }');
    expect(r).toEqual({ code: 0, errors: [] });
  });
});

describe('accessctl retrospective', () => {
  const committed = (): string => exampleOrg(true);

  it('writes one issue per break-glass grant of the merge, with the approvers and merger from GitHub', async () => {
    const root = committed();
    expect((await grant(root, '--hours', '2')).code).toBe(0);
    const replay = await startReplay('break-glass');
    try {
      const r = await run(['retrospective', '--base', 'main', '--commit', '9f2c1e4b7a3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e', '--repo', 'northwind/access'], root, NOW, { GITHUB_API_URL: replay.url, GITHUB_TOKEN: 't' });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(replay.unrecorded).toEqual([]);
      const { issues } = JSON.parse(r.stdout);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ title: 'Break-glass retrospective: ivan.petrov@example.com in aws-payments-admins until 2026-11-23T14:00Z', labels: ['break-glass', 'retrospective'], assignees: ['csmith', 'hschmidt'], group: 'aws-payments-admins', user: 'ivan.petrov@example.com', expires: '2026-11-23T14:00Z' });
      expect(issues[0].body.split('\n').slice(0, 13)).toEqual([
        '## Break-glass: ivan.petrov@example.com in aws-payments-admins',
        '',
        '| | |',
        '| --- | --- |',
        '| who | ivan.petrov@example.com (`@ipetrov`) |',
        '| group | aws-payments-admins |',
        '| AWS access | AdministratorAccess on payments-prod (123456789012); PowerUser on payments-staging (234567890123) |',
        '| until | 2026-11-23T14:00Z (UTC) |',
        '| reason | INC-6001 payments outage |',
        '| pull request | #43 |',
        '| approved by | `@bmartin` |',
        '| merged by | `@anguyen` |',
        '',
      ]);
      expect(issues[0].body).toContain('- [ ] the access ended at 2026-11-23T14:00Z: `accessctl who-can --user ivan.petrov@example.com --at 2026-11-23T14:00Z`\n');
    } finally {
      await replay.close();
    }
  });

  it('still writes the issue when GitHub cannot be read, saying what is unknown; nothing for a change without break-glass', async () => {
    const root = committed();
    expect((await grant(root, '--hours', '1')).code).toBe(0);
    const r = await run(['retrospective', '--base', 'main'], root, NOW);
    expect(r.code).toBe(0);
    const { issues } = JSON.parse(r.stdout);
    expect(issues[0].body).toContain('| approved by | unknown (no pull request given) |\n');
    expect(issues[0].assignees).toEqual([]);
    const plain = committed();
    expect(JSON.parse((await run(['retrospective', '--base', 'main'], plain, NOW)).stdout)).toEqual({ issues: [] });
  });
});
