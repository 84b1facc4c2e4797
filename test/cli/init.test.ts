// accessctl init: replaces the example org with a skeleton of the user's own, refuses to replace anything else
// without --force, and writes all or nothing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSkeleton } from '../../src/cli/commands/init';
import { exampleOrg, REPO_ROOT, run, tempRepo } from '../support/helpers';

// The real module, whose functions src/ reads through its import bindings: spying on it reaches them.
const realFs = require('node:fs') as typeof fs;

const FLAGS = [
  '--okta-org', 'acme',
  '--org-type', 'identity-engine',
  '--acs-url', 'https://us-east-1.signin.aws.amazon.com/platform/saml/acs/5f0c2b7e-8d4a-4c1e-9b3f-2a6d8e1c7f90',
  '--issuer-url', 'https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890',
  '--region', 'us-east-1',
  '--start-url', 'https://d-1234567890.awsapps.com/start',
  '--security-team', '@acme/security',
];

/** Every file under root/dir with its content, "/" separators: what a refused or failed init must leave as it was. */
function snapshot(root: string, dir = 'access'): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(path.join(root, dir), '');
  return out;
}

const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, 'access', rel), 'utf8');

/** The example org's group names and people, none of which the skeleton may name. */
function exampleNames(): string[] {
  const groups = fs.readdirSync(path.join(REPO_ROOT, 'access', 'groups')).map((f) => f.replace(/\.yaml$/, ''));
  const people = [...fs.readFileSync(path.join(REPO_ROOT, 'access', 'people.yaml'), 'utf8').matchAll(/login: ([^,\s]+)/g)].map((m) => m[1]!);
  const sets = fs.readdirSync(path.join(REPO_ROOT, 'access', 'permission-sets')).map((f) => f.replace(/\.yaml$/, ''));
  expect(groups.length).toBeGreaterThan(3);
  expect(people.length).toBeGreaterThan(3);
  return [...groups, ...people, ...sets.filter((s) => s !== 'AdministratorAccess' && s !== 'ReadOnly'), 'northwind', 'Northwind'];
}

describe('accessctl init', () => {
  afterEach(() => jest.restoreAllMocks());

  it('replaces the example org with exactly the skeleton, whose placeholders validate reports at their lines', async () => {
    const root = exampleOrg();
    const r = await run(['init'], root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Object.keys(snapshot(root)).sort()).toEqual(['accounts.yaml', 'people.yaml', 'policy.yaml', 'settings.yaml']);
    expect(fs.readdirSync(root).sort()).toEqual(['access']);
    expect(r.stdout).toMatch(/^access: replaced the example org \(Northwind, [0-9]+ files\) with a skeleton org: settings.yaml, accounts.yaml, people.yaml, policy.yaml\n/);
    expect(r.stdout).toContain([
      'access/settings.yaml holds 7 placeholders, which validate reports until each holds your value:',
      '  access/settings.yaml:7:8  okta.org: the Okta org name (--okta-org)',
      '  access/settings.yaml:12:12  okta.orgType: identity-engine or classic (--org-type)',
      '  access/settings.yaml:21:15  okta.apps.aws.acsUrl: the AWS ACS URL (--acs-url)',
      '  access/settings.yaml:22:18  okta.apps.aws.issuerUrl: the AWS issuer URL (--issuer-url)',
      '  access/settings.yaml:33:11  aws.region: the IAM Identity Center region (--region)',
      '  access/settings.yaml:36:13  aws.startUrl: the AWS access portal URL (--start-url)',
      '  access/settings.yaml:40:17  github.securityTeam: the GitHub security team (--security-team)',
      '',
      'next:',
      '  1. write your values over the placeholders in access/settings.yaml (docs/okta-aws-setup.md says where each comes from)',
      '  2. with an existing Okta and AWS setup: export it and run npx accessctl import --okta exports/okta --aws exports/aws (docs/import.md); otherwise write access/accounts.yaml, permission-sets/ and groups/ by hand',
      '  3. npx accessctl validate until it is clean, then npm start',
      '  4. commit it on a history of its own, so that audit does not report the example org\'s changes: README, "A history of its own"',
    ].join('\n'));

    // The files: empty lists, every guardrail at its defaults, nothing of the example org.
    expect(read(root, 'accounts.yaml')).toMatch(/^accounts: \[\]$/m);
    expect(read(root, 'people.yaml')).toMatch(/^people: \[\]$/m);
    expect(read(root, 'policy.yaml').split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual(['rules: {}']);
    for (const rel of ['settings.yaml', 'accounts.yaml', 'people.yaml', 'policy.yaml']) {
      for (const name of exampleNames()) expect([rel, read(root, rel).includes(name)]).toEqual([rel, false]);
    }
    expect(read(root, 'settings.yaml')).toContain('\n  org: <okta-org>\n');

    // Validate fails on the placeholders and on nothing else: no value of the example stands in for the user's.
    const v = await run(['validate', '--format', 'json'], root);
    expect(v.code).toBe(1);
    const errors = (JSON.parse(v.stdout) as { errors: Array<{ code: string; file: string; line: number; column: number; message: string }> }).errors;
    expect(errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.code} ${e.message}`)).toEqual([
      'access/settings.yaml:7:8 ACC023 invalid Okta org name "<okta-org>"',
      'access/settings.yaml:12:12 ACC023 invalid Okta org type "<identity-engine-or-classic>"',
      'access/settings.yaml:21:15 ACC023 invalid AWS ACS URL "<aws-acs-url>"',
      'access/settings.yaml:22:18 ACC023 invalid AWS issuer URL "<aws-issuer-url>"',
      'access/settings.yaml:33:11 ACC023 invalid AWS region "<aws-region>"',
      'access/settings.yaml:36:13 ACC023 invalid AWS access portal URL "<aws-access-portal-url>"',
      'access/settings.yaml:40:17 ACC023 invalid security team "<@github-org/security-team>"',
    ]);
    // Nothing can be synthesized from it.
    expect((await run(['synth', '--no-base'], root)).code).toBe(1);
    expect(fs.existsSync(path.join(root, 'cdktf.out'))).toBe(false);
  });

  it('with every value given, writes a skeleton that validates and synthesizes', async () => {
    const root = exampleOrg();
    const r = await run(['init', ...FLAGS], root);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('\naccess/settings.yaml holds your values; validate: clean\n\nnext:\n  1. with an existing Okta and AWS setup');
    const settings = read(root, 'settings.yaml');
    expect(settings.split('\n').filter((l) => l !== '' && !l.trimStart().startsWith('#'))).toEqual([
      'okta:',
      '  org: acme',
      '  baseUrl: okta.com',
      '  orgType: identity-engine',
      '  groupPush: true',
      '  apps:',
      '    aws:',
      '      label: AWS IAM Identity Center',
      '      acsUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/acs/5f0c2b7e-8d4a-4c1e-9b3f-2a6d8e1c7f90',
      '      issuerUrl: https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890',
      '      mfa: required',
      'aws:',
      '  region: us-east-1',
      '  startUrl: https://d-1234567890.awsapps.com/start',
      'github:',
      '  securityTeam: "@acme/security"',
      'backend:',
      '  type: local',
    ]);
    const v = await run(['validate'], root);
    expect([v.code, v.stderr, v.stdout]).toEqual([0, '', 'access: valid, 0 groups, 0 permission sets, 0 accounts, 0 account assignments; 0 warnings, 0 waived\n']);
    expect((await run(['synth', '--no-base'], root)).code).toBe(0);
  });

  it('on a Classic org, writes mfa: optional, which validates there', async () => {
    const root = exampleOrg();
    const flags = [...FLAGS];
    flags[flags.indexOf('identity-engine')] = 'classic';
    expect((await run(['init', ...flags], root)).code).toBe(0);
    expect(read(root, 'settings.yaml')).toContain('\n  orgType: classic\n');
    expect(read(root, 'settings.yaml')).toContain('\n      mfa: optional\n');
    expect((await run(['validate'], root)).code).toBe(0);
  });

  it('refuses a value the schema refuses, naming the flag, and writes nothing', async () => {
    const root = exampleOrg();
    const before = snapshot(root);
    const r = await run(['init', '--region', 'mars', '--start-url', 'http://d-1234567890.awsapps.com/start', '--okta-org', 'acme'], root);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      'accessctl init: --region: invalid AWS region "mars" (an AWS region name such as us-east-1)',
      '--start-url: invalid AWS access portal URL "http://d-1234567890.awsapps.com/start" (an https:// URL)',
    ]);
    expect((await run(['init', '--org-type', 'oie'], root)).stderr.split('\n')[0]).toBe('accessctl init: --org-type must be one of identity-engine, classic; got "oie"');
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses a directory that is not the example org unless --force, and writes nothing', async () => {
    const root = tempRepo({ 'groups/admins.yaml': 'name: admins\nowners: [a@example.com]\nmembers: [a@example.com]\n' });
    const before = snapshot(root);
    const r = await run(['init', ...FLAGS], root);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr.startsWith('access/settings.yaml:1:1 error ACC120 access is not the example org (settings.yaml names the Okta org "acme"): init replaces the whole directory\n'
      + '  hint: pass --force to replace it anyway (git keeps what was committed), or init another --dir\n')).toBe(true);
    expect(r.stderr.endsWith('\ninit stopped: nothing was written\n')).toBe(true);
    expect(snapshot(root)).toEqual(before);
    expect(fs.readdirSync(root)).toEqual(['access']);

    // Files and no settings.yaml: not the example either.
    const loose = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-init-'));
    fs.mkdirSync(path.join(loose, 'access', 'groups'), { recursive: true });
    fs.writeFileSync(path.join(loose, 'access', 'groups', 'g.yaml'), 'name: g\n');
    expect((await run(['init'], loose)).stderr.split('\n')[0]).toBe('access:1:1 error ACC120 access holds files and no settings.yaml: init replaces the whole directory');
    expect(snapshot(loose)).toEqual({ 'groups/g.yaml': 'name: g\n' });

    const forced = await run(['init', '--force', ...FLAGS], root);
    expect([forced.code, forced.stdout.split('\n')[0]]).toEqual([0, 'access: replaced what it held (--force) with a skeleton org: settings.yaml, accounts.yaml, people.yaml, policy.yaml']);
    expect(Object.keys(snapshot(root)).sort()).toEqual(['accounts.yaml', 'people.yaml', 'policy.yaml', 'settings.yaml']);
  });

  it('writes into a missing or empty directory, and runs again over its own untouched skeleton', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-init-'));
    const first = await run(['init', '--dir', 'orgs/acme'], root);
    expect([first.code, first.stdout.split('\n')[0]]).toEqual([0, 'orgs/acme: wrote a skeleton org: settings.yaml, accounts.yaml, people.yaml, policy.yaml']);
    expect(first.stdout).toContain('import --okta exports/okta --aws exports/aws --out orgs/acme (docs/import.md)');
    expect(first.stdout).toContain('npx accessctl validate --dir orgs/acme until it is clean');
    fs.mkdirSync(path.join(root, 'empty'));
    expect((await run(['init', '--dir', 'empty'], root)).code).toBe(0);
    // A bare init's skeleton, untouched: init again with the values.
    const again = await run(['init', '--dir', 'orgs/acme', ...FLAGS], root);
    expect([again.code, again.stdout.split('\n')[0]]).toEqual([0, 'orgs/acme: replaced the skeleton init wrote with a skeleton org: settings.yaml, accounts.yaml, people.yaml, policy.yaml']);
    expect((await run(['validate', '--dir', 'orgs/acme'], root)).code).toBe(0);
    // Once edited, it is the user's org.
    fs.appendFileSync(path.join(root, 'orgs', 'acme', 'people.yaml'), '# edited\n');
    expect((await run(['init', '--dir', 'orgs/acme'], root)).code).toBe(1);
    expect(fs.readdirSync(path.join(root, 'orgs')).sort()).toEqual(['acme']);
  });

  it('refuses to replace the working directory or a repository', async () => {
    const root = exampleOrg();
    expect((await run(['init', '--dir', '.', '--force'], root)).stderr.split('\n')[0]).toBe('accessctl init: --dir . is the working directory or holds it: init replaces the whole directory, so name the access directory itself (such as access)');
    expect((await run(['init', '--dir', '..', '--force'], root)).code).toBe(2);
    fs.mkdirSync(path.join(root, 'repo', '.git'), { recursive: true });
    expect((await run(['init', '--dir', 'repo', '--force'], root)).stderr.split('\n')[0]).toBe('accessctl init: --dir repo: repo is a git repository, not an access directory');
    expect(fs.existsSync(path.join(root, 'repo', '.git'))).toBe(true);
  });

  it('all or nothing: a write that fails midway leaves the example org as it was, and no temporary directory', async () => {
    const root = exampleOrg();
    const before = snapshot(root);
    const write = realFs.writeFileSync;
    const spy = jest.spyOn(realFs, 'writeFileSync').mockImplementation((file, ...rest) => {
      if (String(file).endsWith('people.yaml')) throw new Error('ENOSPC: no space left on device');
      return write(file, ...rest);
    });
    const r = await run(['init', ...FLAGS], root);
    expect(spy).toHaveBeenCalled();
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'accessctl init: cannot write access: ENOSPC: no space left on device\naccess is unchanged\n' });
    expect(snapshot(root)).toEqual(before);
    expect(fs.readdirSync(root)).toEqual(['access']);
  });

  it('all or nothing: when the new directory cannot be renamed into place, the old one is put back', async () => {
    const root = exampleOrg();
    const before = snapshot(root);
    const rename = realFs.renameSync;
    jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      if (path.basename(String(from)).startsWith('.access.new-')) throw new Error('EXDEV: cross-device link not permitted');
      return rename(from, to);
    });
    const r = await run(['init'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('accessctl init: cannot write access: EXDEV: cross-device link not permitted\naccess is unchanged\n');
    expect(snapshot(root)).toEqual(before);
    expect(fs.readdirSync(root)).toEqual(['access']);
  });

  it('the skeleton files are what init writes (import recognises them untouched)', () => {
    const { files } = buildSkeleton({});
    expect([...files.keys()]).toEqual(['settings.yaml', 'accounts.yaml', 'people.yaml', 'policy.yaml']);
    for (const text of files.values()) expect(text.startsWith('# yaml-language-server: $schema=../schemas/')).toBe(true);
  });
});
