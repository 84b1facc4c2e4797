import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSources, type CheckResult } from '../../src/check';
import { RULES } from '../../src/guardrails/registry';
import { runGuardrails } from '../../src/guardrails/run';
import type { Rule } from '../../src/guardrails/rule';
import { load, REPO_ROOT, sources } from '../support/helpers';

const TODAY = '2026-11-23';

function check(files: Record<string, string | null>, today = TODAY): CheckResult {
  return checkSources(sources(files), { today });
}

/** "rule subject" of every guardrail finding (not the loader's diagnostics), sorted. */
function failing(result: CheckResult, rule?: string): string[] {
  return result.diagnostics
    .filter((d) => d.subject !== undefined && (rule === undefined || d.code === rule))
    .map((d) => `${d.code} ${d.subject}`)
    .sort();
}

const group = (name: string, body: string): Record<string, string> => ({
  [`groups/${name}.yaml`]: `name: ${name}\nmode: authoritative\napps: [aws]\n${body}`,
});
const owned = (name: string, members: string, extra = ''): Record<string, string> =>
  group(name, `owners: [owner@example.com]\nmembers: [owner@example.com${members ? `, ${members}` : ''}]\n${extra}`);
const policy = (yaml: string): Record<string, string> => ({ 'policy.yaml': yaml });

describe('registry', () => {
  it('has unique ids that match the rule file names, and registers every rule file', () => {
    const dir = path.join(REPO_ROOT, 'src/guardrails/rules');
    const files = fs.readdirSync(dir).map((f) => f.replace(/\.ts$/, '')).sort();
    expect([...RULES.map((r) => r.id)].sort()).toEqual(files);
    for (const f of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const rule = require(path.join(dir, f)).default as Rule;
      expect(rule.id).toBe(f);
    }
  });

  it('gives every rule a rationale and a remedy', () => {
    for (const r of RULES) expect([r.id, r.rationale.length > 40, r.remediation.length > 10]).toEqual([r.id, true, true]);
  });
});

describe('group-owner', () => {
  it('Compliance: a group with an owner', () => {
    expect(failing(check(owned('a', '')), 'group-owner')).toEqual([]);
  });
  it('Noncompliance 1: groups without owners, exactly those', () => {
    const r = check({ ...owned('a', ''), ...group('b', 'members: [x@example.com]\n'), ...group('c', 'owners: []\n') });
    expect(failing(r, 'group-owner')).toEqual(['group-owner b', 'group-owner c']);
    expect(r.diagnostics.find((d) => d.subject === 'b')).toMatchObject({ file: 'access/groups/b.yaml', line: 1, severity: 'error' });
  });
});

describe('owner-known', () => {
  it('Compliance: owners who are members somewhere or listed in people.yaml', () => {
    const r = check({ ...group('a', 'owners: [m@example.com, p@example.com]\n'), ...owned('b', 'm@example.com'), 'people.yaml': 'people:\n  - { login: p@example.com }\n  - { login: owner@example.com }\n' });
    expect(failing(r, 'owner-known')).toEqual([]);
  });
  it('Noncompliance 1: an owner the org does not know, at the owner entry', () => {
    const r = check(group('a', 'owners: [ghost@example.com]\nmembers: [x@example.com]\n'));
    expect(failing(r, 'owner-known')).toEqual(['owner-known a|ghost@example.com']);
    expect(r.diagnostics.find((d) => d.code === 'owner-known')).toMatchObject({ line: 4, column: 10 });
  });
});

describe('aws-app-assignment', () => {
  const grant = 'aws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n';
  it('Compliance: AWS grants on a group assigned to the AWS app; an Okta-only group', () => {
    expect(failing(check({ ...owned('a', '', grant), 'groups/okta.yaml': 'name: okta\nmode: additive\nowners: [owner@example.com]\n' }), 'aws-app-assignment')).toEqual([]);
  });
  it('Noncompliance 1: AWS grants without the app', () => {
    const r = check({ 'groups/a.yaml': `name: a\nmode: additive\nowners: [x@example.com]\nmembers: [x@example.com]\n${grant}` });
    expect(failing(r, 'aws-app-assignment')).toEqual(['aws-app-assignment a']);
    expect(r.diagnostics.find((d) => d.code === 'aws-app-assignment')).toMatchObject({ severity: 'error', line: 6, hint: 'add apps: [aws]' });
  });
  it('Noncompliance 2: AWS grants when settings declare no AWS app at all', () => {
    const r = check({
      'settings.yaml': 'okta:\n  org: acme\n  orgType: identity-engine\n  apps: {}\naws: { region: us-east-1, startUrl: "https://d-1234567890.awsapps.com/start" }\nbackend: { type: local }\n',
      'groups/a.yaml': `name: a\nmode: additive\nowners: [x@example.com]\nmembers: [x@example.com]\n${grant}`,
    });
    expect(r.diagnostics.find((d) => d.code === 'aws-app-assignment')?.message).toBe('group "a" has AWS grants, but settings.yaml declares no AWS IAM Identity Center app');
  });
});

describe('max-session-duration', () => {
  const ps = (name: string, duration: string): Record<string, string> => ({ [`permission-sets/${name}.yaml`]: `name: ${name}\nsessionDuration: ${duration}\nmanagedPolicies: [ViewOnlyAccess]\n` });
  const grants = (...items: string[]): string => `aws:\n${items.map((i) => `  - ${i}\n`).join('')}`;

  it('Compliance: long sessions only on accounts without a limit', () => {
    const r = check({ ...ps('Long', 'PT8H'), ...owned('a', '', grants('{ permissionSet: Long, accounts: [dev] }', '{ permissionSet: ReadOnly, accounts: [prod] }')) });
    expect(failing(r, 'max-session-duration')).toEqual([]);
  });
  it('Noncompliance 1: a permission set over the default PT4H on env=prod, at its sessionDuration', () => {
    const r = check({ ...ps('Long', 'PT8H'), ...ps('Ok', 'PT4H'), ...owned('a', '', grants('{ permissionSet: Long, accounts: [prod, dev] }', '{ permissionSet: Ok, accounts: [prod] }')) });
    expect(failing(r, 'max-session-duration')).toEqual(['max-session-duration Long|prod']);
    expect(r.diagnostics.find((d) => d.code === 'max-session-duration')).toMatchObject({
      file: 'access/permission-sets/Long.yaml', line: 2, column: 18,
      message: 'Long lasts 8 h but is granted on env=prod accounts (prod) by a; the limit there is 4 h',
    });
  });
  it('takes thresholds, and the tag key, from policy.yaml', () => {
    const files = { ...ps('Two', 'PT2H'), ...owned('a', '', grants('{ permissionSet: Two, accounts: [prod, dev] }')) };
    expect(failing(check(files), 'max-session-duration')).toEqual([]);
    expect(failing(check({ ...files, ...policy('rules:\n  max-session-duration: { prod: PT1H, dev: PT1H }\n') }), 'max-session-duration')).toEqual([
      'max-session-duration Two|dev', 'max-session-duration Two|prod',
    ]);
    expect(failing(check({ ...files, ...policy('rules:\n  max-session-duration: { tag: stage, prod: PT1H }\n') }), 'max-session-duration')).toEqual([]);
  });
  it('counts a permission set without sessionDuration as the AWS default PT1H', () => {
    const files = { ...owned('a', '', grants('{ permissionSet: ReadOnly, accounts: [prod] }')), ...policy('rules:\n  max-session-duration: { prod: PT1H }\n') };
    expect(failing(check(files), 'max-session-duration')).toEqual([]);
  });
});

describe('high-privilege-expiry', () => {
  const admin = { 'permission-sets/Admin.yaml': 'name: Admin\nmanagedPolicies: [AdministratorAccess]\n' };
  const grant = 'aws:\n  - { permissionSet: Admin, accounts: [prod] }\n';
  const members = (list: string): string => `owners: [owner@example.com]\nmembers:\n${list}${grant}`;

  it('Compliance: every admin member expires within 90 days', () => {
    const r = check({ ...admin, ...group('admins', members('  - { user: owner@example.com, expires: 2027-01-31 }\n  - { user: b@example.com, expires: 2027-02-21 }\n')) });
    expect(failing(r, 'high-privilege-expiry')).toEqual([]);
  });
  it('Noncompliance 1: standing access, and an expiry too far ahead; expired members are another rule\'s', () => {
    const r = check({
      ...admin,
      ...group('admins', members('  - owner@example.com\n  - { user: b@example.com, expires: 2027-02-22 }\n  - { user: c@example.com, expires: 2026-01-01 }\n')),
    });
    expect(failing(r, 'high-privilege-expiry')).toEqual(['high-privilege-expiry admins|b@example.com', 'high-privilege-expiry admins|owner@example.com']);
    expect(r.diagnostics.find((d) => d.subject === 'admins|b@example.com')?.message).toBe(
      'b@example.com keeps Admin (attaches AdministratorAccess) through "admins" until 2027-02-22, more than 90 days ahead (latest allowed: 2027-02-21)',
    );
  });
  it('Noncompliance 2: an inline policy with * on *, and a permission set listed in policy.yaml', () => {
    const r = check({
      'permission-sets/Star.yaml': 'name: Star\ninlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "*", Resource: "*" }] }\n',
      ...group('stars', 'owners: [owner@example.com]\nmembers: [owner@example.com]\naws:\n  - { permissionSet: Star, accounts: [prod] }\n  - { permissionSet: ReadOnly, accounts: [dev] }\n'),
      ...policy('rules:\n  high-privilege-expiry: { maxDays: 30, permissionSets: [ReadOnly] }\n  inline-admin: { allow: [Star] }\n'),
    });
    expect(r.diagnostics.find((d) => d.code === 'high-privilege-expiry')?.message).toBe(
      'owner@example.com has standing access to ReadOnly (listed as high privilege in policy.yaml), Star (its inline policy allows * on *) through "stars": high-privilege membership needs an expires date',
    );
  });
});

describe('separation-of-duties', () => {
  const pairs = policy('rules:\n  separation-of-duties: { pairs: [[deployers, auditors]] }\n');
  it('Compliance: no shared active member; an expired membership does not count', () => {
    const r = check({ ...pairs, ...owned('deployers', 'a@example.com'), ...group('auditors', 'owners: [b@example.com]\nmembers: [b@example.com, { user: a@example.com, expires: 2026-11-01 }]\n') });
    expect(failing(r, 'separation-of-duties')).toEqual([]);
  });
  it('Noncompliance 1: a person in both groups, matched ignoring case', () => {
    const r = check({ ...pairs, ...owned('deployers', 'a@example.com'), ...group('auditors', 'owners: [b@example.com]\nmembers: [b@example.com, A@example.com]\n') });
    expect(failing(r, 'separation-of-duties')).toEqual(['separation-of-duties deployers+auditors|A@example.com']);
    expect(r.diagnostics.find((d) => d.code === 'separation-of-duties')).toMatchObject({ file: 'access/groups/auditors.yaml', line: 5 });
  });
  it('Noncompliance 2: a pair naming a group that does not exist checks nothing, and says so', () => {
    const r = check({ ...pairs, ...owned('deployers', '') });
    expect(failing(r, 'separation-of-duties')).toEqual(['separation-of-duties deployers+auditors']);
    expect(r.diagnostics.find((d) => d.code === 'separation-of-duties')).toMatchObject({ file: 'access/policy.yaml', line: 2, column: 3 });
  });
});

describe('expired-members', () => {
  it('Compliance: members whose expires is today or later', () => {
    expect(failing(check(owned('a', '{ user: x@example.com, expires: 2026-11-23 }')), 'expired-members')).toEqual([]);
  });
  it('Noncompliance 1: a member past the date, as a warning with the expire remedy', () => {
    const r = check(owned('a', '{ user: x@example.com, expires: 2026-11-22 }'));
    expect(failing(r, 'expired-members')).toEqual(['expired-members a|x@example.com']);
    expect(r.diagnostics.find((d) => d.code === 'expired-members')).toMatchObject({ severity: 'warning', hint: 'Run accessctl expire to remove expired members (or delete the entry by hand).' });
    expect(r.model).toBeDefined();
  });
});

describe('expiring-soon', () => {
  it('Compliance: nothing ends within the notice period (14 days by default); expired entries are another rule', () => {
    expect(failing(check(owned('a', '{ user: x@example.com, expires: 2026-12-07 }, { user: y@example.com, expires: 2026-11-22 }')), 'expiring-soon')).toEqual([]);
  });
  it('Noncompliance 1: a member whose last day is within the period, counted in days', () => {
    const r = check(owned('a', '{ user: x@example.com, expires: 2026-12-06 }, { user: z@example.com, expires: 2026-11-23 }'));
    expect(failing(r, 'expiring-soon')).toEqual(['expiring-soon a|x@example.com', 'expiring-soon a|z@example.com']);
    expect(r.diagnostics.filter((d) => d.code === 'expiring-soon').map((d) => d.message)).toEqual([
      'x@example.com\'s membership of "a" ends after 2026-12-06 (13 days left)',
      'z@example.com\'s membership of "a" ends after 2026-11-23 (today is the last day)',
    ]);
  });
  it('Noncompliance 2: a waiver that ends soon, with a longer notice set in policy.yaml', () => {
    const r = check({
      ...owned('a', 'x@example.com'),
      ...policy('rules:\n  expiring-soon: { days: 60 }\n  group-owner: false\nwaivers:\n  - { rule: group-owner, subject: b, reason: accepted for the test, expires: 2027-01-10 }\n'),
    });
    expect(failing(r, 'expiring-soon')).toEqual(['expiring-soon waiver|group-owner|b']);
    expect(r.diagnostics.find((d) => d.code === 'expiring-soon')).toMatchObject({ file: 'access/policy.yaml', line: 5, severity: 'warning' });
  });
});

describe('inline-admin', () => {
  const star = { 'permission-sets/Star.yaml': 'name: Star\ninlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - { Effect: Allow, Action: "*", Resource: "*" }\n' };
  it('Compliance: * on * only with a condition, or in an allowed set', () => {
    const conditioned = { 'permission-sets/Star.yaml': 'name: Star\ninlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - { Effect: Allow, Action: "*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }\n' };
    expect(failing(check(conditioned), 'inline-admin')).toEqual([]);
    expect(failing(check({ ...star, ...policy('rules:\n  inline-admin: { allow: [Star] }\n') }), 'inline-admin')).toEqual([]);
  });
  it('Noncompliance 1: an inline * on *, at the inlinePolicy key', () => {
    const r = check(star);
    expect(failing(r, 'inline-admin')).toEqual(['inline-admin Star']);
    expect(r.diagnostics.find((d) => d.code === 'inline-admin')).toMatchObject({ file: 'access/permission-sets/Star.yaml', line: 2, column: 1 });
  });
});

describe('inline-policy-lint', () => {
  const ps = (statement: string): Record<string, string> => ({ 'permission-sets/P.yaml': `name: P\ninlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - ${statement}\n` });
  it('Compliance: a well-formed, narrow policy', () => {
    expect(failing(check(ps('{ Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }')), 'inline-policy-lint')).toEqual([]);
  });
  it('Noncompliance 1: grammar errors are errors', () => {
    const r = check(ps('{ Effect: Allow, Action: "s3GetObject", Resource: "bucket", Condition: { StringEqual: { "aws:SourceIp": "10.0.0.1" } } }'));
    expect(r.diagnostics.filter((d) => d.code === 'inline-policy-lint').map((d) => `${d.severity} ${d.subject}`).sort()).toEqual([
      'error P|IAM008|/Statement/0/Action',
      'error P|IAM009|/Statement/0/Resource',
      'error P|IAM010|/Statement/0/Condition/StringEqual',
    ]);
  });
  it('Noncompliance 2: risky constructs are warnings', () => {
    const r = check({
      'permission-sets/P.yaml': 'name: P\ninlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - { Effect: Allow, Action: "iam:PassRole", Resource: "*" }\n    - { Effect: Allow, NotAction: "iam:*", Resource: "*" }\n    - { Effect: Allow, Action: "s*:Get*", Resource: "*" }\n',
    });
    expect(r.diagnostics.filter((d) => d.code === 'inline-policy-lint').map((d) => `${d.severity} ${d.subject}`).sort()).toEqual([
      'warning P|IAM031|/Statement/0/Resource',
      'warning P|IAM032|/Statement/2/Action',
      'warning P|IAM033|/Statement/1/NotAction',
    ]);
  });
});

describe('unused-permission-set', () => {
  it('Compliance: every permission set granted', () => {
    expect(failing(check(owned('a', '', 'aws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n')), 'unused-permission-set')).toEqual([]);
  });
  it('Noncompliance 1: a permission set nobody grants, as a warning', () => {
    const r = check(owned('a', ''));
    expect(failing(r, 'unused-permission-set')).toEqual(['unused-permission-set ReadOnly']);
    expect(r.diagnostics.find((d) => d.code === 'unused-permission-set')?.severity).toBe('warning');
  });
});

describe('policy.yaml: switches, severities and waivers', () => {
  const ownerless = group('b', 'members: [x@example.com]\n');

  it('turns a rule off, or changes its severity', () => {
    expect(failing(check({ ...ownerless, ...policy('rules:\n  group-owner: false\n') }), 'group-owner')).toEqual([]);
    const r = check({ ...ownerless, ...policy('rules:\n  group-owner: { severity: warning }\n') });
    expect(r.diagnostics.find((d) => d.code === 'group-owner')?.severity).toBe('warning');
  });

  it('refuses an unknown rule, option or threshold at its position, with a suggestion', () => {
    const r = check(policy('rules:\n  group-owners: false\n  max-session-duration: { prod: 4h }\n  separation-of-duties: { pair: [] }\n'));
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '2:3 ACC020 unknown key "group-owners" in rules (did you mean "group-owner"?)',
      '3:33 ACC023 invalid maximum session duration "4h"',
      '4:27 ACC020 unknown key "pair" in separation-of-duties options (did you mean "pairs"?)',
    ]);
  });

  it('waives exactly the finding a waiver names, counting it apart', () => {
    const r = check({
      ...ownerless,
      ...group('c', 'members: [x@example.com]\n'),
      ...policy('waivers:\n  - { rule: group-owner, subject: b, reason: Team being formed this sprint, expires: 2026-12-31 }\n'),
    });
    expect(failing(r, 'group-owner')).toEqual(['group-owner c']);
    expect(r.waived).toEqual([
      expect.objectContaining({ rule: 'group-owner', subject: 'b', reason: 'Team being formed this sprint', expires: '2026-12-31', file: 'access/groups/b.yaml', waiver: expect.objectContaining({ file: 'access/policy.yaml', line: 2 }) }),
    ]);
  });

  it('stops waiving the day after the waiver expires, and says so', () => {
    const files = { ...ownerless, ...policy('waivers:\n  - { rule: group-owner, subject: b, reason: Team being formed this sprint, expires: 2026-12-31 }\n') };
    expect(check(files, '2026-12-31').waived).toHaveLength(1);
    const after = check(files, '2027-01-01');
    expect(after.waived).toEqual([]);
    expect(after.diagnostics.filter((d) => d.code !== 'unused-permission-set').map((d) => `${d.file}:${d.line} ${d.code} ${d.severity}`)).toEqual([
      'access/groups/b.yaml:1 group-owner error',
      'access/policy.yaml:2 ACC070 warning',
    ]);
  });

  it('reports a waiver that matches nothing, and refuses one without a reason or for an unknown rule', () => {
    const unused = check(policy('waivers:\n  - { rule: group-owner, subject: nobody, reason: Left over from last year, expires: 2027-01-01 }\n'));
    expect(unused.diagnostics.map((d) => `${d.code} ${d.message}`)).toContain('ACC071 the waiver of group-owner for "nobody" matches no finding');
    const bad = check(policy('waivers:\n  - { rule: group-ownr, subject: b, reason: short, expires: 2027-01-01 }\n'));
    expect(bad.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '2:13 ACC023 invalid rule id "group-ownr" (did you mean "group-owner"?)',
      '2:45 ACC023 reason must not have fewer than 10 characters',
    ]);
  });

  it('fails closed when a rule throws', () => {
    const model = load(owned('a', '')).model!;
    const broken: Rule<Record<string, unknown>> = {
      id: 'broken', title: 't', severity: 'warning', rationale: 'r', remediation: 'r', options: { type: 'object', properties: {} }, defaults: {},
      check() {
        throw new Error('boom');
      },
    };
    const r = runGuardrails(model, TODAY, [broken]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.message}`)).toEqual(['broken error rule broken failed, so its findings are unknown: boom']);
  });
});

describe('the example org', () => {
  it('is clean but for explicit, reasoned waivers', () => {
    const r = checkSources(
      fs.readdirSync(path.join(REPO_ROOT, 'access'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => {
          const abs = path.join(e.parentPath, e.name);
          const rel = path.relative(path.join(REPO_ROOT, 'access'), abs).split(path.sep).join('/');
          return { file: `access/${rel}`, rel, bytes: fs.readFileSync(abs) };
        }),
      { today: TODAY },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.waived.map((w) => `${w.rule} ${w.subject} ${w.reason.length > 20}`)).toEqual([
      'high-privilege-expiry aws-payments-admins|dave.okafor@example.com true',
      'high-privilege-expiry aws-platform-admins|alice.nguyen@example.com true',
    ]);
  });
});
