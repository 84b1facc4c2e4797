import { load, only, where } from '../support/helpers';

const grant = (ps: string, accounts: string): string => `  - permissionSet: ${ps}\n    accounts: ${accounts}\n`;
const awsGroup = (name: string, grants: string, extra = ''): string => `name: ${name}\nmode: authoritative\n${extra}apps: [aws]\naws:\n${grants}`;

describe('resolver: unique names', () => {
  it('refuses a group declared twice, pointing at both files', () => {
    const d = only(load({ 'groups/a.yaml': 'name: a\nmode: additive\n', 'groups/team/a.yaml': 'name: a\nmode: additive\n' }));
    expect(d).toMatchObject({ code: 'ACC030', file: 'access/groups/team/a.yaml', line: 1, column: 7, message: 'group "a" is already declared at access/groups/a.yaml:1' });
  });

  it('refuses permission sets declared twice', () => {
    const d = only(load({ 'permission-sets/team/ReadOnly.yaml': 'name: ReadOnly\n' }));
    expect(d).toMatchObject({ code: 'ACC031', file: 'access/permission-sets/team/ReadOnly.yaml', message: 'permission set "ReadOnly" is already declared at access/permission-sets/ReadOnly.yaml:1' });
  });

  it('refuses duplicate account names and ids, also across files', () => {
    const r = load({
      'accounts/more.yaml': 'accounts:\n  - { name: prod, id: "333333333333", ou: X }\n  - { name: other, id: "022222222222", ou: X }\n',
    });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      'access/accounts/more.yaml:2:13 ACC032 account name "prod" is already declared at access/accounts.yaml:2',
      'access/accounts/more.yaml:3:24 ACC033 account id "022222222222" is already declared at access/accounts.yaml:3 (as "dev")',
    ]);
  });

  it('compares people and members ignoring case and accents, as Okta does', () => {
    const r = load({
      'people.yaml': 'people:\n  - { login: zoe@example.com, github: zoe }\n  - { login: Zoë@Example.com, github: zoe2 }\n  - { login: x@example.com, github: ZOE }\n',
      'groups/g.yaml': 'name: g\nmode: additive\nmembers:\n  - zoe@example.com\n  - ZOE@example.com\n',
    });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '5:5 ACC035 "ZOE@example.com" is already a member of "g" at access/groups/g.yaml:4',
      '3:14 ACC034 "Zoë@Example.com" is the same Okta login as "zoe@example.com" at access/people.yaml:2',
      '4:37 ACC036 GitHub handle "ZOE" is already used by "zoe@example.com" at access/people.yaml:2',
    ]);
  });

  it('warns when a file name differs from the declared name', () => {
    const d = only(load({ 'groups/admins.yaml': 'name: aws-admins\nmode: additive\n' }));
    expect(d).toMatchObject({ code: 'ACC037', severity: 'warning', line: 1, column: 7, message: 'group "aws-admins" is declared in admins.yaml' });
  });

  it('warns when one person is spelled two ways, preferring the people.yaml spelling', () => {
    const r = load({
      'people.yaml': 'people:\n  - { login: ada@example.com }\n',
      'groups/g.yaml': 'name: g\nmode: additive\nowners: [Ada@example.com]\nmembers: [ada@example.com]\n',
    });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.severity} ${d.message}`)).toEqual([
      'access/groups/g.yaml:3:10 ACC038 warning "Ada@example.com" is written "ada@example.com" at access/people.yaml:2 (and 1 other place)',
    ]);
    expect(r.model).toBeDefined();
  });

  it('names the file and line of the spelling to follow when people.yaml does not list the person', () => {
    const r = load({
      'groups/a.yaml': 'name: a\nmode: additive\nmembers: [zoe@example.com]\n',
      'groups/b.yaml': 'name: b\nmode: additive\nmembers:\n  - Zoe@Example.com\n',
      'groups/c.yaml': 'name: c\nmode: additive\nmembers:\n  - zoe@example.com\n',
    });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      'access/groups/b.yaml:4:5 ACC038 "Zoe@Example.com" is written "zoe@example.com" at access/groups/a.yaml:3 (and 1 other place)',
    ]);
  });
});

describe('resolver: references', () => {
  it('refuses an unknown permission set with a suggestion', () => {
    const d = only(load({ 'groups/g.yaml': awsGroup('g', grant('ReadOnli', '[prod]')) }));
    expect(d).toMatchObject({ code: 'ACC040', file: 'access/groups/g.yaml', line: 5, column: 20, message: 'unknown permission set "ReadOnli" (did you mean "ReadOnly"?)' });
  });

  it('refuses unknown account names and ids with suggestions', () => {
    const r = load({ 'groups/g.yaml': awsGroup('g', grant('ReadOnly', '[prdo, "111111111112", dev]')) });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '6:16 ACC041 unknown account "prdo" (did you mean "prod"?)',
      '6:22 ACC041 unknown account id "111111111112" (did you mean "111111111111"?)',
    ]);
  });

  it('refuses an unknown app key', () => {
    const d = only(load({ 'groups/g.yaml': 'name: g\nmode: additive\napps: [aws, slak]\n' }));
    expect(d).toMatchObject({ code: 'ACC042', line: 3, column: 13, message: 'unknown app "slak"', hint: 'apps declared in settings.yaml: aws' });
  });

  it('checks owners against people.yaml when it exists', () => {
    const files = { 'groups/g.yaml': 'name: g\nmode: additive\nowners: [alice@example.com, bob@exmaple.com]\n' };
    expect(where(load(files))).toEqual([]);
    const d = only(load({ ...files, 'people.yaml': 'people:\n  - { login: alice@example.com }\n  - { login: bob@example.com }\n' }));
    expect(d).toMatchObject({ code: 'ACC043', line: 3, column: 29, message: 'owner "bob@exmaple.com" is not in people.yaml (did you mean "bob@example.com"?)' });
  });

  it('refuses the group names the Identity Store reserves, for pushed groups only', () => {
    expect(where(load({ 'groups/AWSAdministrators.yaml': 'name: AWSAdministrators\nmode: additive\napps: [aws]\n' }))).toEqual(['access/groups/AWSAdministrators.yaml:1:7 ACC046']);
    expect(where(load({ 'groups/Administrator.yaml': 'name: Administrator\nmode: additive\n' }))).toEqual([]);
  });

  it('does not cascade: references into a broken file are not reported again', () => {
    const r = load({
      'permission-sets/Admin.yaml': 'name: Admin\nsessionDuraton: PT1H\n',
      'groups/g.yaml': awsGroup('g', grant('Admin', '[prod]')),
    });
    expect(where(r)).toEqual(['access/permission-sets/Admin.yaml:2:1 ACC020']);
  });

  it('does not report accounts of a broken accounts file as unknown', () => {
    const r = load({
      'accounts.yaml': 'accounts:\n  - { name: prod, id: 111111111111, ou: Workloads/Prod }\n',
      'groups/g.yaml': awsGroup('g', grant('ReadOnly', '[prod, "111111111111"]') + grant('ReadOnly', '{ ou: "**" }')),
    });
    expect(where(r)).toEqual(['access/accounts.yaml:2:23 ACC025']);
  });
});

describe('resolver: account selectors', () => {
  const accounts = `accounts:
  - { name: root-acct, id: "100000000000", ou: Root }
  - { name: prod-us, id: "100000000001", ou: Workloads/Prod, tags: { env: prod, team: pay } }
  - { name: prod-eu, id: "100000000002", ou: Workloads/Prod/Eu, tags: { env: prod, team: pay } }
  - { name: dev, id: "100000000003", ou: Workloads/Dev, tags: { env: dev, team: pay } }
  - { name: wl, id: "100000000004", ou: Workloads, tags: { env: prod } }
  - { name: sec, id: "100000000005", ou: Security, tags: { env: prod, team: sec } }
`;
  const resolveSelector = (selector: string): string[] => {
    const r = load({ 'accounts.yaml': accounts, 'groups/g.yaml': awsGroup('g', grant('ReadOnly', selector)) });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ids = r.model!.groups[0].grants[0].accountIds;
    return ids.map((id) => r.model!.accounts.find((a) => a.id === id)!.name);
  };

  it.each([
    ['{ ou: Workloads/* }', ['dev', 'prod-us']],
    ['{ ou: Workloads/** }', ['dev', 'prod-eu', 'prod-us', 'wl']],
    ['{ ou: "**" }', ['dev', 'prod-eu', 'prod-us', 'root-acct', 'sec', 'wl']],
    ['{ ou: "**/Eu" }', ['prod-eu']],
    ['{ ou: "Workloads/**/Eu" }', ['prod-eu']],
    ['{ ou: "*" }', ['root-acct', 'sec', 'wl']],
    ['{ ou: "Work*" }', ['wl']],
    ['{ ou: Workloads/P* }', ['prod-us']],
    ['{ tags: { env: prod } }', ['prod-eu', 'prod-us', 'sec', 'wl']],
    ['{ tags: { env: prod, team: pay } }', ['prod-eu', 'prod-us']],
    ['{ ou: Workloads/**, tags: { env: prod } }', ['prod-eu', 'prod-us', 'wl']],
    ['[prod-us, "100000000003"]', ['prod-us', 'dev']],
  ])('%s selects %j', (selector, expected) => {
    expect(resolveSelector(selector).sort()).toEqual([...expected].sort());
  });

  it('warns when a selector matches no account, and the grant gives nothing', () => {
    const r = load({ 'accounts.yaml': accounts, 'groups/g.yaml': awsGroup('g', grant('ReadOnly', '{ ou: Workload/*, tags: { env: prod } }')) });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.severity} ${d.message}`)).toEqual([
      '6:15 ACC044 warning account selector {ou: Workload/*, tags: {env: prod}} matches no account',
    ]);
    expect(r.model!.assignments).toEqual([]);
  });

  it('gives each (group, permission set, account) one assignment with a stable key, however often it is granted', () => {
    const r = load({ 'accounts.yaml': accounts, 'groups/g.yaml': awsGroup('g', grant('ReadOnly', '[prod-us]') + grant('ReadOnly', '{ tags: { team: pay } }')) });
    expect(r.model!.assignments.map((a) => [a.key, a.sources.map((s) => s.line)])).toEqual([
      ['g|ReadOnly|100000000001', [5, 7]],
      ['g|ReadOnly|100000000002', [7]],
      ['g|ReadOnly|100000000003', [7]],
    ]);
  });
});

describe('resolver: AWS limits', () => {
  const ps = (body: string): Record<string, string> => ({ 'permission-sets/P.yaml': `name: P\n${body}` });

  it.each([
    ['PT1H', true],
    ['PT12H', true],
    ['PT90M', true],
    ['PT1H30M', true],
    ['PT59M', false],
    ['PT12H1S', false],
    ['PT13H', false],
  ])('session duration %s valid: %s', (duration, ok) => {
    const r = load(ps(`sessionDuration: ${duration}\n`));
    expect(where(r)).toEqual(ok ? [] : ['access/permission-sets/P.yaml:2:18 ACC050']);
  });

  it('resolves a bare managed policy name to its ARN with the path', () => {
    const r = load(ps('managedPolicies: [ViewOnlyAccess, "arn:aws:iam::aws:policy/ReadOnlyAccess", job-function/Billing]\n'));
    expect(where(r)).toEqual([]);
    expect(r.model!.permissionSets.find((p) => p.name === 'P')!.managedPolicies).toEqual([
      { declared: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      { declared: 'job-function/Billing', name: 'Billing', arn: 'arn:aws:iam::aws:policy/job-function/Billing' },
      { declared: 'ViewOnlyAccess', name: 'ViewOnlyAccess', arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' },
    ]);
  });

  it('refuses unknown, wrong-path, deprecated, service-role and customer managed policies', () => {
    const r = load(ps(`managedPolicies:
  - ReadOnlyAcess
  - arn:aws:iam::aws:policy/ViewOnlyAccess
  - AWSCloudTrailReadOnlyAccess
  - AWSSupportServiceRolePolicy
  - arn:aws:iam::123456789012:policy/mine
`));
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '3:5 ACC053 unknown AWS managed policy "ReadOnlyAcess" (did you mean "ReadOnlyAccess", arn:aws:iam::aws:policy/ReadOnlyAccess?)',
      '4:5 ACC053 unknown AWS managed policy "arn:aws:iam::aws:policy/ViewOnlyAccess" (did you mean "ViewOnlyAccess", arn:aws:iam::aws:policy/job-function/ViewOnlyAccess?)',
      '5:5 ACC053 AWS managed policy "AWSCloudTrailReadOnlyAccess" is deprecated and can no longer be attached',
      '6:5 ACC053 "AWSSupportServiceRolePolicy" is a service-linked role policy; AWS does not allow attaching it to a permission set',
      '7:5 ACC055 "arn:aws:iam::123456789012:policy/mine" is a customer managed policy in account 123456789012, not an AWS managed policy',
    ]);
  });

  it('refuses the same managed policy twice under two spellings', () => {
    const d = only(load(ps('managedPolicies: [ViewOnlyAccess, "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]\n')));
    expect(d).toMatchObject({ code: 'ACC026', line: 2, column: 35 });
  });

  it('counts managed and customer managed policies against the role quota from settings', () => {
    const names = ['ReadOnlyAccess', 'ViewOnlyAccess', 'SecurityAudit', 'Billing', 'PowerUserAccess', 'AWSCodeCommitReadOnly', 'AmazonS3ReadOnlyAccess', 'AmazonEC2ReadOnlyAccess', 'IAMReadOnlyAccess'];
    const body = `managedPolicies: [${names.join(', ')}]\ncustomerManagedPolicies:\n  - { name: a }\n  - { name: b, path: /x/ }\n`;
    const d = only(load(ps(body)));
    expect(d).toMatchObject({ code: 'ACC052', line: 2, column: 1, message: 'permission set "P" attaches 11 managed and customer managed policies; the IAM role quota is 10' });
    const raised = BASE_SETTINGS.replace('startUrl:', 'managedPoliciesPerRole: 20, startUrl:');
    expect(where(load({ ...ps(body), 'settings.yaml': raised }))).toEqual([]);
  });

  it('limits an inline policy to 10,240 characters excluding whitespace', () => {
    const statement = (n: number): string => `    - { Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::${'b'.repeat(n)}/*" }\n`;
    const body = (n: number, pad: number): string => `inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n${Array.from({ length: 100 }, () => statement(n)).join('')}${statement(pad)}`;
    // Each statement is 85 + n characters of minified JSON; the document frame is 40.
    const fits = load(ps(body(16, 16)));
    expect(where(fits)).toEqual([]);
    const size = fits.model!.permissionSets.find((p) => p.name === 'P')!.inlinePolicyJson!.replace(/\s/g, '').length;
    const over = load(ps(body(16, 16 + 10_240 - size + 1)));
    expect(over.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '2:1 ACC051 inline policy has 10241 characters excluding whitespace; the IAM role limit is 10240',
    ]);
    expect(where(load(ps(body(16, 16 + 10_240 - size))))).toEqual([]);
  });

  it('accepts an inline policy as a JSON string and checks it like YAML', () => {
    const ok = load(ps(`inlinePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}'\n`));
    expect(where(ok)).toEqual([]);
    expect(ok.model!.permissionSets.find((p) => p.name === 'P')!.inlinePolicyJson).toBe('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}');
    // At the character at fault, mapped through the YAML string: the end of the JSON text, where the closing quote is.
    expect(only(load(ps(`inlinePolicy: '{"Version": "2012-10-17",'\n`)))).toMatchObject({ code: 'ACC054', line: 2, column: 41, message: 'inline policy is not valid JSON: expected a key in double quotes, found the end of the text' });
    expect(only(load(ps(`inlinePolicy: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Actions":"*"}}'\n`)))).toMatchObject({
      code: 'ACC020',
      line: 2,
      column: 15,
      message: 'inline policy at /Statement: unknown key "Actions" in policy statement (did you mean "Action"?)',
    });
  });

  it('resolves a permissions boundary', () => {
    const r = load(ps('permissionsBoundary: { managedPolicy: PowerUserAccess }\n'));
    expect(r.model!.permissionSets.find((p) => p.name === 'P')!.permissionsBoundary).toEqual({ managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    expect(where(load(ps('permissionsBoundary: { managedPolicy: PowerUser, customerManagedPolicy: { name: b } }\n')))).toEqual(['access/permission-sets/P.yaml:2:22 ACC023']);
  });
});

const BASE_SETTINGS = `okta:
  org: acme
  orgType: identity-engine
  apps:
    aws: { label: AWS, acsUrl: "https://a.example/acs", issuerUrl: "https://a.example/i", mfa: required }
aws: { region: us-east-1, startUrl: "https://d-1234567890.awsapps.com/start" }
backend: { type: local }
`;

describe('the model', () => {
  it('is deeply frozen', () => {
    const r = load({ 'groups/g.yaml': awsGroup('g', grant('ReadOnly', '[prod]'), 'members: [a@example.com]\n') });
    const model = r.model!;
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.groups[0].members[0])).toBe(true);
    expect(() => (model.groups as unknown as unknown[]).push({})).toThrow(TypeError);
  });

  it('does not depend on file order or list order', () => {
    const a = load({
      'groups/a.yaml': awsGroup('a', grant('ReadOnly', '[prod, dev]'), 'members: [x@example.com, y@example.com]\n'),
      'groups/b.yaml': awsGroup('b', grant('ReadOnly', '{ ou: "**" }'), 'members: [y@example.com]\n'),
    });
    const b = load({
      'groups/z/b.yaml': awsGroup('b', grant('ReadOnly', '{ ou: "**" }'), 'members: [y@example.com]\n'),
      'groups/a.yaml': awsGroup('a', grant('ReadOnly', '[dev, prod]'), 'members: [y@example.com, x@example.com]\n'),
      'accounts.yaml': 'accounts:\n  - { name: dev, id: "022222222222", ou: Workloads/Dev, tags: { env: dev } }\n  - { name: prod, id: "111111111111", ou: Workloads/Prod, tags: { env: prod } }\n',
    });
    const strip = (m: unknown): string => JSON.stringify(m, (k, v) => (k === 'source' || k === 'sources' || k === 'refs' ? undefined : v));
    expect(strip(a.model!.assignments)).toBe(strip(b.model!.assignments));
    expect(strip(a.model!.groups.map((g) => g.members))).toBe(strip(b.model!.groups.map((g) => g.members)));
  });
});
