// The settings of Okta to AWS provisioning, through the whole loader: the
// SCIM base URL, a secret written into a file, MFA on a Classic org, and the
// assignment group's name. Every refusal names its file, line and column.

import { BASE, load, only, where } from '../support/helpers';
import { runGuardrails } from '../../src/guardrails/run';
import { scimUrlProblem } from '../../src/model/resolve';

const settings = (app: string, orgType = 'identity-engine'): Record<string, string> => ({
  'settings.yaml': `okta:
  org: acme
  orgType: ${orgType}
  apps:
    aws:
      label: AWS
      acsUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/acs/abc
      issuerUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890
${app}aws:
  region: us-east-1
  startUrl: https://d-1234567890.awsapps.com/start
backend: { type: local }
`,
});
const scim = (url: string, issued = '2026-11-02'): string => `      mfa: required\n      scim:\n        baseUrl: ${url}\n        tokenIssued: ${issued}\n`;
const GOOD = 'https://scim.us-east-1.amazonaws.com/AbC-123/scim/v2';

describe('SCIM base URL', () => {
  it('accepts the endpoint as IAM Identity Center shows it', () => {
    const r = load(settings(scim(GOOD)));
    expect(where(r)).toEqual([]);
    expect(r.model!.settings.okta.apps.find((a) => a.kind === 'aws')).toMatchObject({ scim: { baseUrl: GOOD, tokenIssued: '2026-11-02' }, assignmentGroup: 'accessctl-aws-users' });
  });

  it.each([
    [`${GOOD}/`, 'ends with a slash: Okta appends /Users and /Groups to the base URL, so every request would go to …/scim/v2//Users'],
    ['http://scim.us-east-1.amazonaws.com/AbC-123/scim/v2', 'uses http: the token would travel in clear text; use https'],
    ['https://scim.us-east-1.amazonaws.com/AbC-123', 'does not end with /scim/v2, as the IAM Identity Center SCIM endpoint does'],
    [`${GOOD}?x=1`, 'has a query or fragment, which Okta would keep in front of every SCIM path'],
    ['https://admin:pw@scim.us-east-1.amazonaws.com/AbC-123/scim/v2', 'carries a user name or password: the token is the only credential'],
    ['scim.us-east-1.amazonaws.com/AbC-123/scim/v2', 'is not a URL'],
  ])('refuses %s at its line', (url, problem) => {
    const d = only(load(settings(scim(JSON.stringify(url)))));
    expect(d).toMatchObject({ code: 'ACC048', file: 'access/settings.yaml', line: 11, column: 18, severity: 'error', message: `SCIM base URL ${JSON.stringify(url)} ${problem}` });
    expect(scimUrlProblem(url)).toBe(problem);
  });
});

describe('a secret in a file', () => {
  it('refuses a SCIM token in settings.yaml and says where the token comes from', () => {
    const d = only(load(settings(`${scim(GOOD)}        token: eyJhbGciOi\n`)));
    expect(d).toMatchObject({ code: 'ACC027', file: 'access/settings.yaml', line: 13, column: 9, message: '"token" in SCIM provisioning looks like a secret, and files under access/ are committed and kept in git history' });
    expect(d.hint).toContain('OKTA_AWS_SCIM_TOKEN');
  });

  it('requires the day the token was issued', () => {
    expect(where(load(settings('      mfa: required\n      scim:\n        baseUrl: https://scim.us-east-1.amazonaws.com/AbC-123/scim/v2\n')))).toEqual(['access/settings.yaml:11:9 ACC022']);
  });

  it.each(['apiToken', 'password', 'private_key', 'clientSecret'])('refuses %s anywhere a schema does not allow it', (key) => {
    const d = only(load({ 'groups/g.yaml': `name: g\nmode: additive\n${key}: x\n` }));
    expect(d).toMatchObject({ code: 'ACC027', file: 'access/groups/g.yaml', line: 3, column: 1 });
  });
});

describe('MFA and the org type', () => {
  it('refuses mfa: required on a Classic org, with what to do instead', () => {
    const d = only(load(settings('      mfa: required\n', 'classic')));
    expect(d).toMatchObject({ code: 'ACC049', file: 'access/settings.yaml', line: 9, column: 12 });
    expect(d.hint).toContain('set mfa: optional');
  });

  it('accepts mfa: optional on a Classic org', () => {
    expect(where(load(settings('      mfa: optional\n', 'classic')))).toEqual([]);
  });

  it('refuses an unknown org type', () => {
    expect(where(load(settings('      mfa: optional\n', 'oie')))).toEqual(['access/settings.yaml:3:12 ACC023']);
  });
});

describe('the assignment group', () => {
  const pushed = 'name: Accessctl-AWS-Users\nmode: additive\napps: [aws]\n';

  it('refuses a group file that takes its name, ignoring case as Okta does', () => {
    const d = only(load({ 'groups/Accessctl-AWS-Users.yaml': pushed }));
    expect(d).toMatchObject({ code: 'ACC045', file: 'access/groups/Accessctl-AWS-Users.yaml', line: 1, column: 7 });
    expect(d.message).toContain('settings.yaml:5');
  });

  it('takes the name settings give it', () => {
    const r = load({ ...settings('      mfa: required\n      assignmentGroup: aws-users\n'), 'groups/Accessctl-AWS-Users.yaml': pushed });
    expect(where(r)).toEqual([]);
    expect(where(load({ ...settings('      mfa: required\n      assignmentGroup: aws-users\n'), 'groups/aws-users.yaml': 'name: aws-users\nmode: additive\n' }))).toEqual(['access/groups/aws-users.yaml:1:7 ACC045']);
  });
});

it('refuses the AWS app declared again as an app managed elsewhere (its groups would be assigned and pushed)', () => {
  const files = {
    ...settings('      mfa: required\n    aws-again:\n      label: AWS again\n      id: 0oa1aws5so0000000001\n'),
    'imports.yaml': 'imports:\n  - resource: okta_app_saml\n    key: aws\n    id: 0oa1aws5so0000000001\n',
  };
  const d = only(load(files));
  expect(d).toMatchObject({ code: 'ACC045', file: 'access/settings.yaml', line: 12, column: 11 });
  expect(d.message).toContain('access/imports.yaml:2');
});

describe('guardrail scim-token-age', () => {
  const findings = (issued: string, today: string): string[] => {
    const model = load(settings(scim(GOOD, issued))).model!;
    return runGuardrails(model, today).diagnostics.filter((d) => d.code === 'scim-token-age').map((d) => `${d.severity} ${d.line} ${d.message}`);
  };
  it('is quiet until 30 days before the year is up, then counts down, then says it expired', () => {
    expect(findings('2026-01-15', '2026-12-15')).toEqual([]);
    expect(findings('2026-01-15', '2026-12-16')).toEqual(['warning 12 the SCIM token of the AWS app "aws" (issued 2026-01-15) expires on 2027-01-15 (30 days left)']);
    expect(findings('2026-01-15', '2027-01-15')).toEqual(['error 12 the SCIM token of the AWS app "aws" (issued 2026-01-15) expired on 2027-01-15: Okta can no longer provision or deactivate AWS users']);
  });
});

it('the base org states its org type', () => {
  expect(BASE['settings.yaml']).toContain('orgType: identity-engine');
});
