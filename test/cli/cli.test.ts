import { REPO_ROOT, run, tempRepo } from '../support/helpers';

const BROKEN = {
  'groups/g.yaml': 'name: g\nmode: additive\napps: [aws]\naws:\n  - permissionSet: ReadOnli\n    accounts: [prod]\n',
  'groups/h.yaml': 'name: x\nmode: additive\n',
};

describe('accessctl validate', () => {
  it('is clean on the example org', async () => {
    const r = await run(['validate'], REPO_ROOT);
    expect(r).toEqual({ code: 0, stdout: 'access: valid, 7 groups, 5 permission sets, 8 accounts, 31 account assignments; 0 warnings, 2 waived\n', stderr: '' });
  });

  it('prints every diagnostic as file:line:col severity code message, and exits 1', async () => {
    const r = await run(['validate'], tempRepo(BROKEN));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'access/groups/g.yaml:5:20 error ACC040 unknown permission set "ReadOnli" (did you mean "ReadOnly"?)\n' +
        '  see docs/errors.md#acc040\n' +
        'access/groups/h.yaml:1:7 warning ACC037 group "x" is declared in h.yaml\n' +
        '  hint: rename the file to x.yaml\n' +
        '  see docs/errors.md#acc037\n' +
        'access: 1 error, 1 warning, 0 waived\n',
    );
  });

  it('prints JSON in the documented shape', async () => {
    const r = await run(['validate', '--format', 'json'], tempRepo(BROKEN));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      errors: [
        { code: 'ACC040', severity: 'error', file: 'access/groups/g.yaml', line: 5, column: 20, message: 'unknown permission set "ReadOnli" (did you mean "ReadOnly"?)' },
        { code: 'ACC037', severity: 'warning', file: 'access/groups/h.yaml', line: 1, column: 7, message: 'group "x" is declared in h.yaml', hint: 'rename the file to x.yaml' },
      ],
      waived: [],
    });
    const clean = await run(['validate', '--format', 'json'], REPO_ROOT);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, errors: [] });
    expect(JSON.parse(clean.stdout).waived.map((w: { rule: string; subject: string }) => `${w.rule} ${w.subject}`)).toEqual([
      'high-privilege-expiry aws-payments-admins|dave.okafor@example.com',
      'high-privilege-expiry aws-platform-admins|alice.nguyen@example.com',
    ]);
  });

  it('prints GitHub annotations, escaping what workflow commands need escaped', async () => {
    const r = await run(['validate', '--format', 'github'], tempRepo(BROKEN));
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '::error file=access/groups/g.yaml,line=5,col=20,title=ACC040 error::unknown permission set "ReadOnli" (did you mean "ReadOnly"?)',
      '::warning file=access/groups/h.yaml,line=1,col=7,title=ACC037 warning::group "x" is declared in h.yaml%0Ahint: rename the file to x.yaml',
    ]);
  });

  it('annotates guardrail findings at their file and line, with the subject a waiver would name', async () => {
    const r = await run(['validate', '--format', 'github'], tempRepo({ 'groups/b.yaml': 'name: b\nmode: additive\nmembers: [x@example.com]\n' }));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      '::error file=access/groups/b.yaml,line=1,col=1,title=group-owner error::group "b" has no owner%0Ahint: Add owners: [login] to the group file; owners become the CODEOWNERS reviewers of the file.',
    );
    const text = await run(['validate'], tempRepo({ 'groups/b.yaml': 'name: b\nmode: additive\nmembers: [x@example.com]\n' }));
    expect(text.stdout).toContain('access/groups/b.yaml:1:1 error group-owner group "b" has no owner\n  subject: b\n');
  });

  it('annotates at most 10 errors and lists the rest as plain lines', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`groups/g${i}.yaml`] = `name: g${i}\nmode: nope\n`;
    const r = await run(['validate', '--format', 'github'], tempRepo(files));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error')).length).toBe(10);
    expect(lines).toContain('2 more not annotated (GitHub shows 10 per type):');
    expect(lines).toContain('access/groups/g8.yaml:2:7 error ACC023 invalid mode "nope"');
  });

  it('reads --dir relative to the working directory', async () => {
    const root = tempRepo({});
    expect((await run(['validate', '--dir', 'access'], root)).code).toBe(0);
    const missing = await run(['validate', '--dir', 'elsewhere'], root);
    expect(missing).toEqual({ code: 1, stdout: 'elsewhere:1:1 error ACC005 access directory "elsewhere" not found\n  hint: run from the repository root or pass --dir\n  see docs/errors.md#acc005\nelsewhere: 1 error, 0 warnings, 0 waived\n', stderr: '' });
  });

  it('treats an unknown format or option as a usage error (exit 2), never a fallback', async () => {
    const r = await run(['validate', '--format', 'sarif'], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^accessctl validate: --format must be one of text, json, github; got "sarif"\n/);
    expect(r.stdout).toBe('');
    const o = await run(['validate', '--formt', 'json'], REPO_ROOT);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^accessctl validate: unknown option --formt \(did you mean --format\?\)/);
  });
});

describe('accessctl who-can', () => {
  it('filters by user, ignoring case', async () => {
    const r = await run(['who-can', '--user', 'IVAN.petrov@example.com'], REPO_ROOT);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'USER                     ACCOUNT         ACCOUNT ID    PERMISSION SET  VIA                      UNTIL\n' +
        'ivan.petrov@example.com  log-archive     562019384756  ReadOnly        aws-incident-responders  2027-01-31\n' +
        'ivan.petrov@example.com  payments-prod   123456789012  ReadOnly        aws-incident-responders  2027-01-31\n' +
        'ivan.petrov@example.com  platform-prod   345678901234  ReadOnly        aws-incident-responders  2027-01-31\n' +
        'ivan.petrov@example.com  sandbox-shared  067890123456  PowerUser       aws-sandbox-users\n' +
        'ivan.petrov@example.com  security-audit  391847562013  ReadOnly        aws-incident-responders  2027-01-31\n' +
        '5 rows\n' +
        'ivan.petrov@example.com: has an AWS IAM Identity Center user (SCIM), as a member of aws-iam-identity-center-users through aws-incident-responders, aws-sandbox-users\n',
    });
  });

  it('uses the clock it is given for expiry', async () => {
    const r = await run(['who-can', '--user', 'ivan.petrov@example.com', '--format', 'csv'], REPO_ROOT, '2027-02-01T00:00:00Z');
    expect(r.stdout).toBe('user,account,accountId,permissionSet,via,expires\r\nivan.petrov@example.com,sandbox-shared,067890123456,PowerUser,aws-sandbox-users,\r\n');
  });

  it('combines filters: account by name or id, permission set, group', async () => {
    const byName = await run(['who-can', '--account', 'payments-prod', '--permission-set', 'AdministratorAccess', '--format', 'json'], REPO_ROOT);
    expect(JSON.parse(byName.stdout)).toEqual({
      access: [
        { user: 'dave.okafor@example.com', account: 'payments-prod', accountId: '123456789012', permissionSet: 'AdministratorAccess', via: ['aws-payments-admins'] },
        { user: 'erin.kowalski@example.com', account: 'payments-prod', accountId: '123456789012', permissionSet: 'AdministratorAccess', via: ['aws-payments-admins'], expires: '2027-01-15' },
      ],
    });
    const byId = await run(['who-can', '--account', '123456789012', '--permission-set', 'AdministratorAccess', '--format', 'json'], REPO_ROOT);
    expect(byId.stdout).toBe(byName.stdout);
    const group = await run(['who-can', '--group', 'aws-sandbox-users', '--format', 'csv'], REPO_ROOT);
    expect(group.stdout.split('\r\n').filter(Boolean)).toHaveLength(4);
  });

  it('says when nothing matches', async () => {
    const r = await run(['who-can', '--user', 'ivan.petrov@example.com', '--account', 'management'], REPO_ROOT);
    expect(r).toEqual({ code: 0, stdout: 'no access matches\nivan.petrov@example.com: has an AWS IAM Identity Center user (SCIM), as a member of aws-iam-identity-center-users through aws-incident-responders, aws-sandbox-users\n', stderr: '' });
  });

  it.each([
    [['--group', 'aws-sandbox-user'], '--group: no group "aws-sandbox-user" (did you mean "aws-sandbox-users"?)'],
    [['--user', 'ivan.petrov@exmaple.com'], '--user: no user "ivan.petrov@exmaple.com" (did you mean "ivan.petrov@example.com"?)'],
    [['--user', 'nobody@example.com'], '--user: no user "nobody@example.com"'],
    [['--permission-set', 'AdministratorAcess'], '--permission-set: no permission set "AdministratorAcess" (did you mean "AdministratorAccess"?)'],
    [['--account', 'payments-prd'], '--account: no account "payments-prd" (did you mean "payments-prod"?)'],
  ])('refuses a filter naming something that does not exist, with a suggestion: %j', async (args, message) => {
    const r = await run(['who-can', ...args], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`accessctl who-can: ${message}`);
  });

  it('exits 1 with the diagnostics on stderr when access/ has errors', async () => {
    const r = await run(['who-can'], tempRepo(BROKEN));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('access/groups/g.yaml:5:20 error ACC040 unknown permission set "ReadOnli"');
    expect(r.stderr).toContain('access: 1 error, 1 warning; run accessctl validate for details\n');
  });

  it('neutralises spreadsheet formulas in CSV cells', async () => {
    const root = tempRepo({
      'groups/g.yaml': 'name: g\nmode: additive\nmembers: ["-cmd@example.com"]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n',
    });
    const r = await run(['who-can', '--format', 'csv'], root);
    expect(r.stdout).toBe("user,account,accountId,permissionSet,via,expires\r\n'-cmd@example.com,prod,111111111111,ReadOnly,g,\r\n");
  });
});

describe('accessctl', () => {
  it('lists commands with --help and exits 0', async () => {
    const r = await run(['--help'], REPO_ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  validate        check access/');
    expect(r.stdout).toContain('  who-can         list effective AWS access');
    expect(r.stdout).toContain('  policy-check    check IAM policy JSON files');
  });

  it('prints a command usage with --help', async () => {
    const r = await run(['who-can', '--help'], REPO_ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^accessctl who-can \[--dir DIR\]/);
  });

  it('exits 2 on no command or an unknown one, with a suggestion', async () => {
    expect((await run([], REPO_ROOT)).code).toBe(2);
    const r = await run(['valdate'], REPO_ROOT);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'accessctl: unknown command "valdate" (did you mean "validate"?)\nRun accessctl --help for the list of commands.\n' });
  });
});
