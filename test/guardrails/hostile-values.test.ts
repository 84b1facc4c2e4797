// Hostile values in access files: control and bidi characters, a __proto__
// tag key, non-URL relay states, foreign Okta domains, group names that
// collide ignoring case, and look-alike logins in admin groups.
import { mixedScripts } from '../../src/guardrails/rules/confusable-login';
import { buildLayout } from '../../src/synth/layout';
import { exampleOrg, load, run, tempRepo } from '../support/helpers';
import { synthFiles, synthOrg } from '../support/synth-helpers';

interface Reported {
  code: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Warnings the small fixtures draw and these tests are not about. */
const UNRELATED = new Set(['unused-permission-set', 'expiring-soon']);

/** validate --format json on a temporary repository: the exit code and every diagnostic but the unrelated warnings. */
async function validate(files: Record<string, string | Uint8Array | null>): Promise<{ code: number; list: Reported[] }> {
  const r = await run(['validate', '--format', 'json'], tempRepo(files));
  return { code: r.code, list: (JSON.parse(r.stdout) as { errors: Reported[] }).errors.filter((d) => !UNRELATED.has(d.code)) };
}

/** "file:line CODE severity" of each diagnostic. */
const brief = (list: Reported[]): string[] => list.map((d) => `${d.file}:${d.line} ${d.code} ${d.severity}`);

const ADMIN_SET = { 'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\n' };
const PEOPLE = { 'people.yaml': 'people:\n  - login: alice@example.com\n  - login: bob@example.com\n' };

describe('control and bidirectional formatting characters (ACC028)', () => {
  it('refuses a raw escape character in a group description before parsing (ACC110), at its line and column', async () => {
    const r = await validate({ 'groups/g.yaml': `name: g\nmode: additive\ndescription: >\n  first line\n  red \u001b[31malert\n` });
    expect(r.code).toBe(1);
    expect(r.list).toEqual([expect.objectContaining({ code: 'ACC110', file: 'access/groups/g.yaml', line: 5, column: 7, message: 'control character U+001B (ESC): YAML allows it nowhere in a file, comments included' })]);
  });

  it('refuses a NUL written as a double-quoted escape, at the line of the escape', async () => {
    const r = await validate({ 'permission-sets/ReadOnly.yaml': 'name: ReadOnly\ndescription: "read\n  only \\0 access"\nmanagedPolicies: [ViewOnlyAccess]\n' });
    expect(r.code).toBe(1);
    expect(brief(r.list)).toEqual(['access/permission-sets/ReadOnly.yaml:3 ACC028 error']);
    expect(r.list[0]!.message).toBe('control character U+0000 (NUL) in a value');
  });

  it('refuses bidi overrides and C1 controls in reasons and keys', async () => {
    const r = await validate({
      ...PEOPLE,
      'groups/g.yaml': 'name: g\nmode: additive\nmembers:\n  - user: alice@example.com\n    reason: "approved \\u202Eby nobody"\n',
      'accounts.yaml': 'accounts:\n  - { name: prod, id: "111111111111", ou: Workloads/Prod, tags: { "e\\x85nv": prod } }\n',
    });
    expect(r.code).toBe(1);
    expect(brief(r.list)).toEqual(['access/accounts.yaml:2 ACC028 error', 'access/groups/g.yaml:5 ACC028 error']);
    expect(r.list.map((d) => d.message)).toEqual(['C1 control character U+0085 in a key', 'bidirectional formatting character U+202E (RIGHT-TO-LEFT OVERRIDE) in a value']);
  });

  it('refuses a carriage return written as an escape, and a raw DEL (ACC110)', async () => {
    const r = await validate({ 'groups/g.yaml': 'name: g\nmode: additive\ndescription: "a\\rb"\n', 'groups/h.yaml': 'name: h\nmode: additive\ndescription: x\u007fy\n' });
    expect(brief(r.list)).toEqual(['access/groups/g.yaml:3 ACC028 error', 'access/groups/h.yaml:3 ACC110 error']);
  });

  it('accepts tabs and line breaks in multi-line texts', async () => {
    const r = await validate({ ...PEOPLE, 'groups/g.yaml': 'name: g\nmode: additive\nowners: [alice@example.com]\ndescription: |\n  one\ttwo\n  three\n' });
    expect(r).toEqual({ code: 0, list: [] });
  });
});

describe('a permission set tag named __proto__', () => {
  const files = { 'permission-sets/ReadOnly.yaml': 'name: ReadOnly\nmanagedPolicies: [ViewOnlyAccess]\ntags:\n  __proto__: kept\n  team: platform\n' };

  it('is loaded as a tag', () => {
    const r = load(files);
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.model!.permissionSets[0]!.tags)).toEqual(['__proto__', 'team']);
  });

  it('is kept by the stacks when the layout holds it', () => {
    const r = load(files);
    const layout = buildLayout({ model: r.model!, today: '2026-11-23' });
    const ps = layout.aws[0]!.permissionSets as Record<string, { tags: Record<string, string> }>;
    const tags: Record<string, string> = {};
    Object.defineProperty(tags, '__proto__', { value: 'kept', enumerable: true, writable: true, configurable: true });
    tags.team = 'platform';
    (ps.ReadOnly as { tags: Record<string, string> }).tags = tags;
    const aws = JSON.parse(synthFiles(layout, r.model!).aws!) as { resource: { aws_ssoadmin_permission_set: { this: { for_each: Record<string, { tags: Record<string, string> }> } } } };
    const synthesized = aws.resource.aws_ssoadmin_permission_set.this.for_each.ReadOnly!.tags;
    expect(Object.keys(synthesized)).toEqual(['__proto__', 'team']);
  });

  it('is kept in the synthesized Terraform JSON', () => {
    const aws = synthOrg(files).aws!;
    expect(Object.keys(aws.resource.aws_ssoadmin_permission_set.this.for_each.ReadOnly.tags)).toEqual(['__proto__', 'team']);
  });
});

describe('relay state', () => {
  const ps = (relay: string) => ({ 'permission-sets/ReadOnly.yaml': `name: ReadOnly\nmanagedPolicies: [ViewOnlyAccess]\nrelayState: ${relay}\n` });

  it.each([['javascript:alert(1)'], ['"not a url"'], ['http://console.aws.amazon.com/'], ['https://'], ['"https://evil.example.com/ x"']])('refuses %s', async (relay) => {
    const r = await validate(ps(relay));
    expect(r.code).toBe(1);
    expect(brief(r.list)).toEqual(['access/permission-sets/ReadOnly.yaml:3 ACC023 error']);
  });

  it('accepts an https URL', async () => {
    expect(await validate(ps('https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines?region=us-east-1#x'))).toEqual({ code: 0, list: [] });
  });
});

describe('okta.baseUrl and okta.customDomain', () => {
  const settings = (okta: string): Record<string, string> => ({
    'settings.yaml': `okta:\n  org: acme\n${okta}  orgType: identity-engine\n  apps:\n    aws:\n      label: AWS\n      acsUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/acs/abc\n      issuerUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890\n      mfa: required\naws:\n  region: us-east-1\n  startUrl: https://d-1234567890.awsapps.com/start\nbackend: { type: local }\n`,
  });

  it.each([['okta.com'], ['oktapreview.com'], ['okta-emea.com'], ['okta-gov.com'], ['okta.mil']])('accepts the Okta domain %s', async (domain) => {
    expect(await validate(settings(`  baseUrl: ${domain}\n`))).toEqual({ code: 0, list: [] });
  });

  it('refuses another domain, which would receive the API token', async () => {
    const r = await validate(settings('  baseUrl: okta.attacker.example\n'));
    expect(r.code).toBe(1);
    expect(r.list).toEqual([expect.objectContaining({ code: 'ACC056', file: 'access/settings.yaml', line: 3, message: expect.stringContaining('https://acme.okta.attacker.example') })]);
  });

  it('accepts a custom domain written out in full', async () => {
    expect(await validate(settings('  baseUrl: example.com\n  customDomain: acme.example.com\n'))).toEqual({ code: 0, list: [] });
  });

  it('refuses a custom domain that is not <org>.<baseUrl>', async () => {
    const r = await validate(settings('  baseUrl: attacker.example\n  customDomain: login.example.com\n'));
    expect(r.code).toBe(1);
    expect(brief(r.list)).toEqual(['access/settings.yaml:4 ACC057 error']);
  });

  it('refuses a custom domain that is not a host name', async () => {
    const r = await validate(settings('  customDomain: https://acme.okta.com/\n'));
    expect(brief(r.list)).toEqual(['access/settings.yaml:3 ACC023 error']);
  });
});

describe('group names that differ only in case (ACC039)', () => {
  it('is refused at the second file, naming the first', async () => {
    const r = await validate({
      'groups/aws-sandbox-users.yaml': 'name: aws-sandbox-users\nmode: additive\n',
      'groups/team/AWS-Sandbox-Users.yaml': 'name: AWS-Sandbox-Users\nmode: additive\n',
    });
    expect(r.code).toBe(1);
    expect(r.list).toEqual([expect.objectContaining({
      code: 'ACC039',
      file: 'access/groups/team/AWS-Sandbox-Users.yaml',
      line: 1,
      column: 7,
      message: 'group "AWS-Sandbox-Users" is the same Okta group name as "aws-sandbox-users" at access/groups/aws-sandbox-users.yaml:1',
    })]);
  });
});

describe('look-alike and unknown logins', () => {
  const CYRILLIC_A = '\u0430';
  const admins = (members: string) => ({
    ...ADMIN_SET,
    ...PEOPLE,
    'groups/admins.yaml': `name: admins\nmode: authoritative\napps: [aws]\nowners: [alice@example.com]\nmembers:\n${members}aws:\n  - permissionSet: Admin\n    accounts: [prod]\n`,
  });
  const member = (login: string) => `  - user: ${login}\n    expires: 2026-12-01\n    reason: on call\n`;

  it('tells single-script logins from mixed-script ones (UTS #39)', () => {
    expect(mixedScripts('alice@example.com')).toBeUndefined();
    expect(mixedScripts('иван@пример.рф')).toBeUndefined();
    expect(mixedScripts('иван@example.com')).toBeUndefined();
    expect(mixedScripts('山田たろう@example.jp')).toBeUndefined();
    expect(mixedScripts(`${CYRILLIC_A}lice@example.com`)).toBe(`"${CYRILLIC_A}lice" mixes Cyrillic letters with "l" (Latin, U+006C), "i" (Latin, U+0069), "c" (Latin, U+0063)`);
    expect(mixedScripts(`alice@ex${CYRILLIC_A}mple.com`)).toBe(`"ex${CYRILLIC_A}mple" mixes Latin letters with "${CYRILLIC_A}" (Cyrillic, U+0430)`);
  });

  it('is an error in a high-privilege group', async () => {
    const r = await validate(admins(member('alice@example.com') + member(`b${CYRILLIC_A}b@example.com`)));
    expect(r.code).toBe(1);
    expect(brief(r.list)).toEqual([
      'access/groups/admins.yaml:9 confusable-login error',
      'access/groups/admins.yaml:9 high-privilege-member-known warning',
    ]);
    expect(r.list[0]!.message).toBe(`member "b${CYRILLIC_A}b@example.com" of "admins" mixes scripts: "b${CYRILLIC_A}b" mixes Latin letters with "${CYRILLIC_A}" (Cyrillic, U+0430); the group grants high-privilege Admin`);
  });

  it('is a warning elsewhere', async () => {
    const r = await validate({ ...PEOPLE, 'groups/readers.yaml': `name: readers\nmode: additive\nowners: [alice@example.com]\nmembers: [alice@example.com, "b${CYRILLIC_A}b@example.com"]\n` });
    expect(r.code).toBe(0);
    expect(brief(r.list)).toEqual(['access/groups/readers.yaml:4 confusable-login warning']);
  });

  it('warns about a high-privilege member people.yaml does not know', async () => {
    const r = await validate(admins(member('alice@example.com') + member('mallory@example.com')));
    expect(r.code).toBe(0);
    expect(r.list).toEqual([expect.objectContaining({
      code: 'high-privilege-member-known',
      severity: 'warning',
      file: 'access/groups/admins.yaml',
      line: 9,
      message: 'member "mallory@example.com" of "admins" is not in people.yaml, and the group grants high-privilege Admin',
    })]);
  });
});

describe('the example org', () => {
  it('still validates without findings from the new checks', async () => {
    const r = await run(['validate', '--format', 'json'], exampleOrg());
    expect(r.code).toBe(0);
    const codes = (JSON.parse(r.stdout) as { errors: Reported[] }).errors.map((d) => d.code);
    for (const c of ['ACC028', 'ACC039', 'ACC056', 'ACC057', 'confusable-login', 'high-privilege-member-known']) expect(codes).not.toContain(c);
  });
});
