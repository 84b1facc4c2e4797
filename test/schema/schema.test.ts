import { load, only, where } from '../support/helpers';

const group = (body: string): Record<string, string> => ({ 'groups/g.yaml': body });

describe('schema validation', () => {
  it('points an unknown key at the key itself and suggests the right one', () => {
    const d = only(load(group('name: g\nmode: additive\nmembrs:\n  - a@example.com\n')));
    expect(d).toEqual({
      code: 'ACC020',
      severity: 'error',
      file: 'access/groups/g.yaml',
      line: 3,
      column: 1,
      message: 'unknown key "membrs" in accessctl group (did you mean "members"?)',
      hint: 'allowed keys: name, description, owners, mode, members, apps, aws',
    });
  });

  it('finds unknown keys deep inside lists', () => {
    const d = only(load(group('name: g\nmode: additive\nmembers:\n  - user: a@example.com\n    expiry: 2027-01-01\n')));
    expect(d).toMatchObject({ code: 'ACC020', line: 5, column: 5, message: 'unknown key "expiry" in member (did you mean "expires"?)' });
  });

  it('reports a wrong type with what was expected and found', () => {
    const d = only(load(group('name: g\nmode: additive\nmembers: a@example.com\n')));
    expect(d).toMatchObject({ code: 'ACC021', line: 3, column: 10, message: 'members must be a list, found the string "a@example.com"' });
  });

  it('names both shapes of a union in a type error', () => {
    const d = only(load(group('name: g\nmode: additive\nmembers:\n  - 42\n')));
    expect(d).toMatchObject({ code: 'ACC021', line: 4, column: 5, message: 'member must be a string or a mapping, found the number 42' });
  });

  it('reports a missing required key at the mapping that lacks it', () => {
    const d = only(load(group('name: g\nmode: additive\naws:\n  - permissionSet: ReadOnly\n')));
    expect(d).toMatchObject({ code: 'ACC022', line: 4, column: 5, message: 'AWS grant is missing the required key "accounts"' });
  });

  it('refuses impossible dates', () => {
    const d = only(load(group('name: g\nmode: additive\nmembers:\n  - user: a@example.com\n    expires: 2026-02-30\n')));
    expect(d).toMatchObject({ code: 'ACC024', line: 5, column: 14, message: 'invalid date "2026-02-30" for date' });
    expect(where(load(group('name: g\nmode: additive\nmembers:\n  - user: a@example.com\n    expires: 2028-02-29\n')))).toEqual([]);
    expect(where(load(group('name: g\nmode: additive\nmembers:\n  - user: a@example.com\n    expires: 31/12/2026\n')))).toEqual(['access/groups/g.yaml:5:14 ACC024']);
  });

  it('says to quote an unquoted account id, in accounts and in grants', () => {
    const r = load({
      'accounts.yaml': 'accounts:\n  - { name: prod, id: 012345678901, ou: Workloads/Prod }\n',
      'groups/g.yaml': 'name: g\nmode: additive\napps: [aws]\naws:\n  - permissionSet: ReadOnly\n    accounts: [123456789012]\n',
    });
    expect(r.diagnostics.map((d) => [d.file, d.line, d.column, d.code, d.message])).toEqual([
      ['access/accounts.yaml', 2, 23, 'ACC025', 'account id 012345678901 must be a quoted string'],
      ['access/groups/g.yaml', 6, 16, 'ACC025', 'account id 123456789012 must be a quoted string'],
    ]);
    expect(r.diagnostics[0].hint).toBe('write "012345678901" in quotes: unquoted, YAML reads a number and drops leading zeros');
  });

  it('checks patterns with a description of the rule', () => {
    const d = only(load({ 'permission-sets/Bad Name.yaml': 'name: Bad Name\n' }));
    expect(d).toMatchObject({
      code: 'ACC023',
      line: 1,
      column: 7,
      message: 'invalid permission set name "Bad Name"',
      hint: '1-32 characters from letters, digits and + = , . @ _ - (the AWS limit)',
    });
  });

  it('suggests the closest allowed value of an enum', () => {
    const d = only(load(group('name: g\nmode: authoritive\n')));
    expect(d).toMatchObject({ code: 'ACC023', line: 2, column: 7, message: 'invalid mode "authoritive" (did you mean "authoritative"?)', hint: 'one of: authoritative, additive' });
  });

  it('refuses bad session duration syntax', () => {
    const d = only(load({ 'permission-sets/ReadOnly.yaml': 'name: ReadOnly\nsessionDuration: 4h\n' }));
    expect(d).toMatchObject({ code: 'ACC023', line: 2, column: 18, message: 'invalid ISO 8601 duration "4h"' });
  });

  it('points at the repeated item of a unique list', () => {
    const d = only(load(group('name: g\nmode: additive\nowners:\n  - a@example.com\n  - b@example.com\n  - a@example.com\n')));
    expect(d).toMatchObject({ code: 'ACC026', line: 6, column: 5, message: '"a@example.com" appears more than once in owners' });
  });

  it('points a bad tag key at the key', () => {
    const d = only(load({ 'permission-sets/ReadOnly.yaml': 'name: ReadOnly\ntags:\n  "bad#key": x\n' }));
    expect(d).toMatchObject({ code: 'ACC023', line: 3, column: 3, message: 'invalid tag key "bad#key"' });
  });

  it('explains an empty account selector', () => {
    const d = only(load(group('name: g\nmode: additive\napps: [aws]\naws:\n  - permissionSet: ReadOnly\n    accounts: {}\n')));
    expect(d).toMatchObject({ code: 'ACC022', line: 6, column: 15, message: 'an account selector needs ou and/or tags' });
  });

  it('collects every error of a file in one run', () => {
    const r = load(group('name: g!\nmode: sometimes\nowners: [not-an-email]\ncolour: blue\n'));
    expect(where(r)).toEqual([
      'access/groups/g.yaml:1:7 ACC023',
      'access/groups/g.yaml:2:7 ACC023',
      'access/groups/g.yaml:3:10 ACC023',
      'access/groups/g.yaml:4:1 ACC020',
    ]);
  });

  it('validates settings: backend variants and app shapes', () => {
    const settings = (backend: string, extraApp = ''): Record<string, string> => ({
      'settings.yaml': `okta:\n  org: acme\n  orgType: identity-engine\n  apps:\n    aws: { label: AWS, acsUrl: "https://a.example/acs", issuerUrl: "https://a.example/i", mfa: required }\n${extraApp}aws: { region: us-east-1, startUrl: "https://d-1234567890.awsapps.com/start" }\nbackend: ${backend}\n`,
    });
    expect(where(load(settings('{ type: s3, bucket: acme-tf-state, region: eu-west-1, keyPrefix: accessctl/ }')))).toEqual([]);
    expect(where(load(settings('{ type: s3, region: eu-west-1 }')))).toEqual(['access/settings.yaml:7:10 ACC022']);
    expect(where(load(settings('{ type: local, bucket: x }')))).toEqual(['access/settings.yaml:7:25 ACC020']);
    expect(where(load(settings('{ type: s3, bucket: acme-b1, region: eu-west-1 }', '    gh: { label: GitHub, id: "0oa1234567890abcdefg" }\n')))).toEqual([]);
    expect(where(load(settings('{ type: s3, bucket: acme-b1, region: eu-west-1 }', '    gh: { label: GitHub, id: "123" }\n')))).toEqual(['access/settings.yaml:6:30 ACC023']);
  });

  it('validates an inline policy written as YAML', () => {
    const d = only(load({ 'permission-sets/ReadOnly.yaml': 'name: ReadOnly\ninlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Permit\n      Action: "s3:*"\n      Resource: "*"\n' }));
    expect(d).toMatchObject({ code: 'ACC023', line: 5, column: 15, message: 'invalid Effect "Permit"' });
  });
});
