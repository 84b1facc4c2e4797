// accessctl request and expire, end to end on a copy of the example org, and
// the in-place YAML edits they are built on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { addGrant, addMember, EditError, removeExpiredMembers, removeExpiredWaivers, renewMember } from '../../src/edit/edits';
import { FORM_FIELDS, parseIssueForm } from '../../src/edit/issue-form';
import { exampleOrg, REPO_ROOT, run } from '../support/helpers';
import { git as gitIn } from '../support/git';

const NOW = '2026-11-23T12:00:00Z';


const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, 'access', rel), 'utf8');

/** Every file of access/ with its content, to prove a refused request wrote nothing. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else out[path.relative(root, abs)] = fs.readFileSync(abs, 'utf8');
    }
  };
  walk(path.join(root, 'access'));
  return out;
}

describe('accessctl request', () => {
  it('adds a temporary member in login order, keeps every other byte, and prints the access diff', async () => {
    const root = exampleOrg();
    const before = read(root, 'groups/aws-payments-developers.yaml');
    const r = await run(['request', '--group', 'aws-payments-developers', '--user', 'Bob.Martin@example.com', '--expires', '30d', '--reason', 'PAY-991: ledger migration'], root, NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = read(root, 'groups/aws-payments-developers.yaml');
    // People are named as people.yaml spells them; the entry goes between frank and grace's neighbours in order.
    expect(after).toBe(before.replace(
      '  - frank.li@example.com\n',
      '  - user: bob.martin@example.com\n    expires: 2026-12-23\n    reason: "PAY-991: ledger migration"\n  - frank.li@example.com\n',
    ));
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'add bob.martin@example.com to aws-payments-developers until 2026-12-23',
      'wrote access/groups/aws-payments-developers.yaml',
    ]);
    expect(r.stdout).toContain('    + payments-staging (234567890123) PaymentsDeployer via aws-payments-developers until 2026-12-23\n');
    expect(r.stdout).toContain('  + bob.martin@example.com joins aws-payments-developers until 2026-12-23 (PAY-991: ledger migration)\n');
  });

  it('keeps comments around the edit', async () => {
    const root = exampleOrg();
    const file = path.join(root, 'access/groups/aws-sandbox-users.yaml');
    const original = fs.readFileSync(file, 'utf8');
    const commented = original.replace('members:\n', 'members: # everyone who asked for a sandbox\n  # platform team\n');
    fs.writeFileSync(file, commented);
    const r = await run(['request', '-g', 'aws-sandbox-users', '-u', 'judy.adams@example.com'], root, NOW);
    expect(r.code).toBe(0);
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toContain('members: # everyone who asked for a sandbox\n  # platform team\n');
    expect(after.split('\n').filter((l) => !commented.split('\n').includes(l))).toEqual(['  - judy.adams@example.com']);
    expect(parse(after).members).toContain('judy.adams@example.com');
  });

  it('renews a temporary member with a later date, and refuses duplicates', async () => {
    const root = exampleOrg();
    const rel = 'groups/aws-payments-admins.yaml';
    const renew = await run(['request', '--group', 'aws-payments-admins', '--user', 'erin.kowalski@example.com', '--expires', '2027-02-10', '--reason', 'INC-4711 extended'], root, NOW);
    expect(renew.code).toBe(0);
    expect(renew.stdout.split('\n')[0]).toBe('renew erin.kowalski@example.com in aws-payments-admins until 2027-02-10 (was 2027-01-15)');
    expect(read(root, rel)).toContain('  - user: erin.kowalski@example.com\n    expires: 2027-02-10\n    reason: INC-4711 extended\n');
    const snap = snapshot(root);
    const same = await run(['request', '--group', 'aws-payments-admins', '--user', 'erin.kowalski@example.com', '--expires', '2027-02-10'], root, NOW);
    expect(same).toEqual({ code: 1, stdout: '', stderr: 'request refused: erin.kowalski@example.com is already a member of "aws-payments-admins" until 2027-02-10 (access/groups/aws-payments-admins.yaml:8), not earlier than 2027-02-10 (nothing was written)\n' });
    const standing = await run(['request', '--group', 'aws-payments-admins', '--user', 'dave.okafor@example.com'], root, NOW);
    expect(standing.stderr).toBe('request refused: dave.okafor@example.com is already a member of "aws-payments-admins" (access/groups/aws-payments-admins.yaml:7) (nothing was written)\n');
    expect(snapshot(root)).toEqual(snap);
  });

  it('refuses a change the guardrails reject, writing nothing', async () => {
    const root = exampleOrg();
    const snap = snapshot(root);
    const r = await run(['request', '--group', 'aws-payments-admins', '--user', 'frank.li@example.com'], root, NOW);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^access\/groups\/aws-payments-admins.yaml:11:5 error high-privilege-expiry frank.li@example.com has standing access/);
    expect(r.stderr).toContain('request refused: with this change access does not validate (nothing was written)\n');
    const tooLong = await run(['request', '--group', 'aws-payments-admins', '--user', 'frank.li@example.com', '--expires', '2027-06-01'], root, NOW);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain('more than 90 days ahead');
    expect(snapshot(root)).toEqual(snap);
  });

  it.each([
    [['--group', 'aws-payments-develpers', '--user', 'frank.li@example.com'], '--group: no group "aws-payments-develpers" (did you mean "aws-payments-developers"?)'],
    [['--group', 'aws-sandbox-users', '--user', 'judy.adam@example.com'], '--user: nobody with the login "judy.adam@example.com" is known (did you mean "judy.adams@example.com"?); a new person is added to people.yaml first'],
    [['--group', 'aws-sandbox-users', '--permission-set', 'ReadOnly', '--account', 'platform-dv'], '--account: no account "platform-dv" (did you mean "platform-dev"?)'],
    [['--group', 'aws-sandbox-users', '--permission-set', 'ReadOnyl', '--account', 'platform-dev'], '--permission-set: no permission set "ReadOnyl" (did you mean "ReadOnly"?)'],
    [['--group', 'aws-sandbox-users', '--user', 'judy.adams@example.com', '--expires', '2026-11-22'], '--expires: 2026-11-22 is in the past (today is 2026-11-23, UTC)'],
    [['--group', 'aws-sandbox-users', '--user', 'judy.adams@example.com', '--expires', '7days'], '--expires: "7days" is neither a date (YYYY-MM-DD) nor a duration (such as 7d or 2w)'],
    [['--group', 'aws-sandbox-users', '--user', 'judy.adams@example.com', '--expires', '2026-02-30'], '--expires: "2026-02-30" is not a calendar date'],
    [['--group', 'aws-sandbox-users'], 'say what to add: --user LOGIN, or --permission-set NAME with --account NAME'],
    [['--group', 'aws-sandbox-users', '--account', 'platform-dev'], '--permission-set and --account go together'],
    [['--group', 'aws-sandbox-users', '--permission-set', 'ReadOnly', '--account', 'platform-dev', '--reason', 'x'], '--expires and --reason belong to a member: give --user too'],
  ])('refuses %j with a usage error and touches nothing', async (args, message) => {
    const root = exampleOrg();
    const snap = snapshot(root);
    const r = await run(['request', ...args], root, NOW);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`accessctl request: ${message}`);
    expect(snapshot(root)).toEqual(snap);
  });

  it('adds an account to the list of an existing grant, or a new grant, and refuses one already held', async () => {
    const root = exampleOrg();
    const rel = 'groups/aws-payments-admins.yaml';
    const before = read(root, rel);
    const r = await run(['request', '--group', 'aws-payments-admins', '--permission-set', 'PowerUser', '--account', '234567890123'], root, NOW);
    expect(r.stderr).toBe('request refused: "aws-payments-admins" already grants PowerUser on payments-staging (access/groups/aws-payments-admins.yaml:15) (nothing was written)\n');
    const more = await run(['request', '--group', 'aws-payments-admins', '--permission-set', 'PowerUser', '--account', 'platform-dev'], root, NOW);
    expect(more.code).toBe(0);
    expect(read(root, rel)).toBe(before.replace('accounts: [payments-staging]', 'accounts: [payments-staging, platform-dev]'));
    const fresh = await run(['request', '--group', 'aws-payments-admins', '--permission-set', 'ReadOnly', '--account', 'log-archive'], root, NOW);
    expect(fresh.code).toBe(0);
    expect(read(root, rel).endsWith('    accounts: [payments-staging, platform-dev]\n  - permissionSet: ReadOnly\n    accounts: [log-archive]\n')).toBe(true);
    expect(fresh.stdout).toContain('changes:\n');
  });

  it('--branch commits the change on a new branch with the reason in the message', async () => {
    const root = exampleOrg(true);
    const r = await run(['request', '--group', 'aws-sandbox-users', '--user', 'judy.adams@example.com', '--expires', '2w', '--reason', 'Trying the new SDK', '--branch'], root, NOW, {
      ACCESSCTL_REQUESTED_BY: '@jadams-contractor (#42)',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const git = (...args: string[]) => gitIn(root, args).trim();
    expect(git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('access-request/aws-sandbox-users/judy.adams');
    expect(git('log', '-1', '--format=%B')).toBe('Access request: add judy.adams@example.com to aws-sandbox-users until 2026-12-07\n\nReason: Trying the new SDK\nRequested-by: @jadams-contractor (#42)');
    expect(git('status', '--porcelain')).toBe('');
    expect(git('show', '--stat', '--format=', 'HEAD')).toMatch(/^access\/groups\/aws-sandbox-users.yaml \| 3 \+\+\+\n 1 file changed, 3 insertions\(\+\)$/);
    // Asking again on the same branch name is refused before anything is written.
    git('switch', '-q', 'main');
    const again = await run(['request', '--group', 'aws-sandbox-users', '--user', 'judy.adams@example.com', '--branch'], root, NOW);
    expect(again.code).toBe(2);
    expect(again.stderr.split('\n')[0]).toBe('accessctl request: --branch: the branch access-request/aws-sandbox-users/judy.adams exists already');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('reads the fields of the access request issue form', async () => {
    const root = exampleOrg();
    const body = [
      '### Group', '', 'aws-sandbox-users', '',
      '### Okta login', '', 'judy.adams@example.com', '',
      '### Expires', '', '30d', '',
      '### Reason', '', 'Evaluating the new', 'SDK for PAY-77', '',
      '### Permission set', '', '_No response_', '',
      '### Account', '', '_No response_', '',
    ].join('\n');
    fs.writeFileSync(path.join(root, 'form.md'), body);
    const r = await run(['request', '--issue-form', 'form.md', '--format', 'markdown'], root, NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(read(root, 'groups/aws-sandbox-users.yaml')).toContain('  - user: judy.adams@example.com\n    expires: 2026-12-23\n    reason: Evaluating the new SDK for PAY-77\n');
    expect(r.stdout.startsWith('<!-- accessctl -->')).toBe(true);
    const mixed = await run(['request', '--issue-form', 'form.md', '--group', 'x'], root, NOW);
    expect(mixed.stderr.split('\n')[0]).toBe('accessctl request: --issue-form takes every field from the form: give no other field options');
  });

  it('the issue form template asks for exactly the fields the parser reads', () => {
    const template = parse(fs.readFileSync(path.join(REPO_ROOT, '.github/ISSUE_TEMPLATE/access-request.yml'), 'utf8')) as { labels: string[]; body: Array<{ type: string; attributes: { label: string }; validations?: { required?: boolean } }> };
    const fields = template.body.filter((b) => b.type !== 'markdown');
    expect(fields.map((b) => b.attributes.label)).toEqual(Object.values(FORM_FIELDS));
    expect(fields.filter((b) => b.validations?.required).map((b) => b.attributes.label)).toEqual(['Group', 'Okta login', 'Reason']);
    expect(template.labels).toEqual(['access-request']);
  });
});

describe('issue form parsing', () => {
  it('says when the body is not a form, or a one-line field spans lines', () => {
    expect(parseIssueForm('please add me to admins')).toEqual({ error: 'the issue body has no "### " fields: was it written with the access request form?' });
    expect(parseIssueForm('### Group\n\na\nb\n')).toEqual({ error: 'the field "Group" holds more than one line' });
    expect(parseIssueForm('### Group\r\n\r\n`admins`\r\n')).toEqual({ values: { group: 'admins' } });
  });
});

describe('accessctl expire', () => {
  it('lists expired members and waivers without --write, and changes nothing', async () => {
    const root = exampleOrg();
    const snap = snapshot(root);
    const r = await run(['expire', '--today', '2027-02-01'], root, NOW);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'access/groups/aws-incident-responders.yaml: ivan.petrov@example.com in aws-incident-responders, expired 2027-01-31',
        'access/groups/aws-payments-admins.yaml: erin.kowalski@example.com in aws-payments-admins, expired 2027-01-15',
        '2 expired as of 2027-02-01; run with --write to remove them',
        '',
      ].join('\n'),
    });
    expect(snapshot(root)).toEqual(snap);
    expect((await run(['expire'], root, NOW)).stdout).toBe('nothing has expired as of 2026-11-23\n');
  });

  it('--write removes expired entries, keeps valid ones and every comment, and validates', async () => {
    const root = exampleOrg();
    const admins = read(root, 'groups/aws-payments-admins.yaml');
    const policy = read(root, 'policy.yaml');
    const r = await run(['expire', '--today', '2027-11-01', '--write', '--format', 'json'], root, NOW);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { members: unknown[]; waivers: unknown[]; written: string[] };
    expect(out.members).toEqual([
      { login: 'ivan.petrov@example.com', expires: '2027-01-31', group: 'aws-incident-responders', file: 'access/groups/aws-incident-responders.yaml' },
      { login: 'erin.kowalski@example.com', expires: '2027-01-15', group: 'aws-payments-admins', file: 'access/groups/aws-payments-admins.yaml' },
      { login: 'judy.adams@example.com', expires: '2027-02-28', group: 'aws-payments-developers', file: 'access/groups/aws-payments-developers.yaml' },
      { login: 'bob.martin@example.com', expires: '2027-02-15', group: 'aws-platform-admins', file: 'access/groups/aws-platform-admins.yaml' },
    ]);
    expect(out.waivers).toEqual([
      { rule: 'high-privilege-expiry', subject: 'aws-platform-admins|alice.nguyen@example.com', expires: '2027-10-31', file: 'access/policy.yaml' },
      { rule: 'high-privilege-expiry', subject: 'aws-payments-admins|dave.okafor@example.com', expires: '2027-10-31', file: 'access/policy.yaml' },
    ]);
    expect(out.written).toEqual([
      'access/groups/aws-incident-responders.yaml',
      'access/groups/aws-payments-admins.yaml',
      'access/groups/aws-payments-developers.yaml',
      'access/groups/aws-platform-admins.yaml',
      'access/policy.yaml',
    ]);
    expect(read(root, 'groups/aws-payments-admins.yaml')).toBe(admins.replace('  - user: erin.kowalski@example.com\n    expires: 2027-01-15\n    reason: INC-4711 on-call cover\n', ''));
    expect(read(root, 'groups/aws-incident-responders.yaml')).toMatch(/\nmembers: \[\]\napps: \[aws\]\n/);
    const newPolicy = read(root, 'policy.yaml');
    expect(newPolicy.startsWith(policy.slice(0, policy.indexOf('waivers:')))).toBe(true);
    const after = policy.indexOf('\n# Who must approve');
    expect(newPolicy.slice(policy.indexOf('waivers:'))).toBe(`waivers: []\n${policy.slice(after)}`);
    // Valid memberships stay.
    expect(parse(read(root, 'groups/aws-payments-developers.yaml')).members).toEqual(['frank.li@example.com', 'grace.park@example.com']);
    const again = await run(['expire', '--today', '2027-11-01', '--write'], root, NOW);
    expect(again.stdout).toBe('nothing has expired as of 2027-11-01\n');
  });

  it('rejects a malformed --today', async () => {
    const r = await run(['expire', '--today', '2027-13-01'], exampleOrg(), NOW);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('accessctl expire: --today: "2027-13-01" is not a date (YYYY-MM-DD)');
  });
});

describe('YAML edits', () => {
  const group = 'name: g\nmode: authoritative\n';

  it('creates the members list where a reader expects it', () => {
    expect(addMember('name: g\nowners: [o@example.com]\nmode: additive\napps: [aws]\n', { login: 'a@example.com' }))
      .toBe('name: g\nowners: [o@example.com]\nmode: additive\nmembers:\n  - a@example.com\napps: [aws]\n');
    expect(addMember(`${group}members: []  # none yet\n`, { login: 'a@example.com', expires: '2027-01-01' }))
      .toBe(`${group}members:\n  - user: a@example.com\n    expires: 2027-01-01\n`);
  });

  it('adds to a flow list in order, and refuses an entry with an expiry there', () => {
    expect(addMember(`${group}members: [a@example.com, c@example.com]\n`, { login: 'b@example.com' })).toBe(`${group}members: [a@example.com, b@example.com, c@example.com]\n`);
    expect(() => addMember(`${group}members: [a@example.com]\n`, { login: 'b@example.com', expires: '2027-01-01' })).toThrow(EditError);
  });

  it('appends to an unsorted list and keeps CRLF line ends', () => {
    const crlf = `${group}members:\r\n  - z@example.com\r\n  - a@example.com\r\n`.replace(/(?<!\r)\n/g, '\r\n');
    expect(addMember(crlf, { login: 'm@example.com' })).toBe(`${crlf}  - m@example.com\r\n`);
  });

  it('quotes values that would not read back as the same string', () => {
    const out = addMember(`${group}members:\n  - a@example.com\n`, { login: 'b@example.com', expires: '2027-01-01', reason: '#7: yes' });
    expect(out).toBe(`${group}members:\n  - a@example.com\n  - user: b@example.com\n    expires: 2027-01-01\n    reason: "#7: yes"\n`);
    expect(addGrant(`${group}aws:\n  - permissionSet: P\n    accounts:\n      - dev\n`, 'P', '012345678901')).toBe(`${group}aws:\n  - permissionSet: P\n    accounts:\n      - dev\n      - "012345678901"\n`);
  });

  it('renews, adding a reason line when there was none', () => {
    const text = `${group}members:\n  - user: a@example.com # cover\n    expires: 2026-12-01\n`;
    expect(renewMember(text, 'A@example.com', '2027-01-01', 'more cover')).toBe(`${group}members:\n  - user: a@example.com # cover\n    expires: 2027-01-01\n    reason: more cover\n`);
  });

  it('removes expired members with the comment lines directly above them, and nothing else', () => {
    const text = `${group}members:\n  # standing\n  - a@example.com\n  # INC-1 cover\n  - user: b@example.com\n    expires: 2026-01-01\n  - user: c@example.com\n    expires: 2027-01-01\n# end\n`;
    expect(removeExpiredMembers(text, '2026-06-01')).toEqual({
      text: `${group}members:\n  # standing\n  - a@example.com\n  - user: c@example.com\n    expires: 2027-01-01\n# end\n`,
      removed: [{ login: 'b@example.com', expires: '2026-01-01' }],
    });
    expect(removeExpiredMembers(text, '2025-01-01')).toEqual({ text, removed: [] });
  });

  it('removes expired waivers and leaves the others', () => {
    const text = 'waivers:\n  - { rule: r, subject: a, reason: x, expires: 2026-01-01 }\n  - { rule: r, subject: b, reason: y, expires: 2027-01-01 }\n';
    expect(removeExpiredWaivers(text, '2026-06-01')).toEqual({
      text: 'waivers:\n  - { rule: r, subject: b, reason: y, expires: 2027-01-01 }\n',
      removed: [{ rule: 'r', subject: 'a', expires: '2026-01-01' }],
    });
  });
});
