// accessctl aws-config on the example org: the AWS CLI config parses as INI
// with exactly the expected profiles, and merging keeps everything else.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, run } from '../support/helpers';

/** A small INI reader as the AWS CLI reads its config: [section] lines, key = value, # and ; comments. */
function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      const name = section[1]!.trim();
      if (sections.has(name)) throw new Error(`line ${i + 1}: section [${name}] appears twice`);
      current = {};
      sections.set(name, current);
      return;
    }
    const kv = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1}: not INI: ${raw}`);
    current[kv[1]!] = kv[2]!;
  });
  return sections;
}

function org(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-awsconfig-'));
  fs.cpSync(path.join(REPO_ROOT, 'access'), path.join(root, 'access'), { recursive: true });
  return root;
}

describe('accessctl aws-config', () => {
  it('writes an sso-session and one profile per account and permission set the person reaches', async () => {
    const root = org();
    const r = await run(['aws-config', '--user', 'Grace.Park@example.com', '--region', 'eu-west-1'], root, '2026-11-23T12:00:00Z', { HOME: root });
    expect(r).toEqual({ code: 0, stderr: '', stdout: `wrote 5 profiles for grace.park@example.com in .aws/config (sso-session northwind); sign in with: aws sso login --sso-session northwind\n` });
    const ini = parseIni(fs.readFileSync(path.join(root, '.aws', 'config'), 'utf8'));
    expect([...ini.keys()]).toEqual([
      'sso-session northwind',
      'profile payments-prod.PaymentsDeployer',
      'profile payments-prod.ReadOnly',
      'profile payments-staging.PaymentsDeployer',
      'profile payments-staging.PowerUser',
      'profile sandbox-shared.PowerUser',
    ]);
    expect(ini.get('sso-session northwind')).toEqual({ sso_start_url: 'https://d-9067a1b2c3.awsapps.com/start', sso_region: 'us-east-1', sso_registration_scopes: 'sso:account:access' });
    // The profiles are exactly who-can's rows for the person.
    const who = JSON.parse((await run(['who-can', '--user', 'grace.park@example.com', '--format', 'json'], root)).stdout) as { access: Array<{ account: string; accountId: string; permissionSet: string }> };
    const profiles = [...ini.entries()].filter(([k]) => k.startsWith('profile '));
    expect(profiles).toEqual(
      who.access
        .map((a) => [`profile ${a.account}.${a.permissionSet}`, { sso_session: 'northwind', sso_account_id: a.accountId, sso_role_name: a.permissionSet, region: 'eu-west-1' }])
        .sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    expect(profiles).toHaveLength(5);
  });

  it('merges into an existing config without touching other sections, and a re-run changes nothing', async () => {
    const root = org();
    const file = path.join(root, 'aws-config');
    const mine = '# my own\n[default]\nregion = eu-central-1\n\n[profile legacy]\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = default\n';
    fs.writeFileSync(file, mine);
    const env = { AWS_CONFIG_FILE: file, HOME: '/nonexistent' };
    expect((await run(['aws-config', '--user', 'erin.kowalski@example.com'], root, undefined, env)).code).toBe(0);
    const first = fs.readFileSync(file, 'utf8');
    expect(first.startsWith(`${mine}\n# >>> accessctl northwind `)).toBe(true);
    expect(first.endsWith('# <<< accessctl northwind\n')).toBe(true);
    expect([...parseIni(first).keys()]).toEqual(['default', 'profile legacy', 'sso-session northwind', 'profile payments-prod.AdministratorAccess', 'profile payments-staging.PowerUser']);
    const again = await run(['aws-config', '--user', 'erin.kowalski@example.com'], root, undefined, env);
    expect(again.stdout.startsWith('updated 2 profiles for erin.kowalski@example.com in ')).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
    // Access that ends leaves the block: after erin's expiry only the rest of the file remains around an updated block.
    fs.appendFileSync(file, '\n[profile after]\nregion = us-west-2\n');
    const later = await run(['aws-config', '--user', 'erin.kowalski@example.com'], root, '2027-01-16T00:00:00Z', env);
    expect(later).toEqual({ code: 1, stdout: '', stderr: 'erin.kowalski@example.com has no AWS access today: nothing to write\n' });
    expect(fs.readFileSync(file, 'utf8')).toBe(`${first}\n[profile after]\nregion = us-west-2\n`);
  });

  it('keeps a CRLF file CRLF and its other lines byte for byte', async () => {
    const root = org();
    const file = path.join(root, 'config');
    const mine = '; semicolon comment\r\n[default]\r\nregion = eu-west-1\r\n';
    fs.writeFileSync(file, mine);
    expect((await run(['aws-config', '--user', 'dave.okafor@example.com', '--out', 'config'], root)).code).toBe(0);
    const first = fs.readFileSync(file, 'utf8');
    const block = (await run(['aws-config', '--user', 'dave.okafor@example.com', '--out', '-'], root)).stdout;
    expect(first).toBe(`${mine}\r\n${block.replace(/\n/g, '\r\n')}`);
    expect((await run(['aws-config', '--user', 'dave.okafor@example.com', '--out', 'config'], root)).stdout).toBe('updated 2 profiles for dave.okafor@example.com in config (sso-session northwind); sign in with: aws sso login --sso-session northwind\n');
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
  });

  it('refuses, with the line, when a section it would write is defined outside its block, and writes nothing', async () => {
    const root = org();
    const file = path.join(root, 'config');
    // The AWS CLI reads [profile "x"] and [profile   x] as profile x: both clash.
    const text = '[default]\nregion = eu-west-1\n\n[profile "payments-prod.AdministratorAccess"]\nregion = us-east-1\n[profile   payments-staging.PowerUser]\n[profile payments-staging.PowerUserX]\n';
    fs.writeFileSync(file, text);
    const r = await run(['aws-config', '--user', 'erin.kowalski@example.com', '--out', 'config'], root);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'config:4: [profile payments-prod.AdministratorAccess] is already defined outside the accessctl block: rename or remove it',
        'config:6: [profile payments-staging.PowerUser] is already defined outside the accessctl block: rename or remove it',
        'nothing was written to config',
        '',
      ].join('\n'),
    });
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    // An sso-session of the same name (say, from aws configure sso) clashes too; --session picks another name.
    fs.writeFileSync(file, '[sso-session northwind]\nsso_region = us-east-1\n');
    expect(await run(['aws-config', '--user', 'erin.kowalski@example.com', '--out', 'config'], root)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'config:1: [sso-session northwind] is already defined outside the accessctl block: rename or remove it, or name the session accessctl writes with --session NAME\nnothing was written to config\n',
    });
    const other = await run(['aws-config', '--user', 'erin.kowalski@example.com', '--out', 'config', '--session', 'northwind-sso'], root);
    expect(other.code).toBe(0);
    const ini = parseIni(fs.readFileSync(file, 'utf8'));
    expect([...ini.keys()]).toEqual(['sso-session northwind', 'sso-session northwind-sso', 'profile payments-prod.AdministratorAccess', 'profile payments-staging.PowerUser']);
    expect(ini.get('profile payments-prod.AdministratorAccess')!.sso_session).toBe('northwind-sso');
  });

  it('refuses broken marker lines, naming the line', async () => {
    const root = org();
    const file = path.join(root, 'config');
    const attempt = async (text: string): Promise<string> => {
      fs.writeFileSync(file, text);
      const r = await run(['aws-config', '--user', 'erin.kowalski@example.com', '--out', 'config'], root);
      expect(r.code).toBe(1);
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
      return r.stderr;
    };
    expect(await attempt('[x]\n# >>> accessctl northwind\n[y]\n')).toBe('config:2: "# >>> accessctl northwind" opens the accessctl block but no "# <<< accessctl northwind" line follows: fix or remove the block by hand\nnothing was written to config\n');
    expect(await attempt('[x]\n\n# <<< accessctl northwind\n')).toBe('config:3: "# <<< accessctl northwind" closes an accessctl block that no "# >>> accessctl northwind" line opens: fix or remove it by hand\nnothing was written to config\n');
    expect(await attempt('# >>> accessctl northwind\n# <<< accessctl northwind\n[x]\n# >>> accessctl northwind\n# <<< accessctl northwind\n')).toBe('config:4: a second accessctl northwind block (the first is on lines 1-2): keep one by hand\nnothing was written to config\n');
    // Blocks of other sessions (another Identity Center, another run with --session) are left alone.
    fs.writeFileSync(file, '# >>> accessctl other\n[sso-session other]\n# <<< accessctl other\n');
    expect((await run(['aws-config', '--user', 'erin.kowalski@example.com', '--out', 'config'], root)).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8').startsWith('# >>> accessctl other\n[sso-session other]\n# <<< accessctl other\n\n# >>> accessctl northwind ')).toBe(true);
  });

  it('prints the exact block with --out -, noting the groups and the last day of temporary access', async () => {
    const root = org();
    const r = await run(['aws-config', '--user', 'erin.kowalski@example.com', '--out', '-'], root);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: `# >>> accessctl northwind (written by accessctl aws-config; edits between these lines are replaced)
# erin.kowalski@example.com: 2 profiles. Sign in with: aws sso login --sso-session northwind
[sso-session northwind]
sso_start_url = https://d-9067a1b2c3.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

# via aws-payments-admins; until 2027-01-15
[profile payments-prod.AdministratorAccess]
sso_session = northwind
sso_account_id = 123456789012
sso_role_name = AdministratorAccess
region = us-east-1

# via aws-payments-admins; until 2027-01-15
[profile payments-staging.PowerUser]
sso_session = northwind
sso_account_id = 234567890123
sso_role_name = PowerUser
region = us-east-1
# <<< accessctl northwind
`,
    });
    expect(fs.existsSync(path.join(root, '.aws'))).toBe(false);
  });

  it('quotes a profile name with a space, as the AWS CLI needs to read it as one name', async () => {
    const root = org();
    const accounts = path.join(root, 'access', 'accounts.yaml');
    fs.writeFileSync(accounts, fs.readFileSync(accounts, 'utf8').replace('name: sandbox-shared', 'name: Sandbox Shared'));
    const r = await run(['aws-config', '--user', 'grace.park@example.com', '--out', '-'], root);
    expect(r.code).toBe(0);
    expect([...parseIni(r.stdout).keys()]).toEqual([
      'sso-session northwind',
      "profile 'Sandbox Shared.PowerUser'", // names sort by code point: upper case first
      'profile payments-prod.PaymentsDeployer',
      'profile payments-prod.ReadOnly',
      'profile payments-staging.PaymentsDeployer',
      'profile payments-staging.PowerUser',
    ]);
    // A hand-made [profile "Sandbox Shared.PowerUser"] is the same profile to the AWS CLI: a clash.
    fs.writeFileSync(path.join(root, 'config'), '[profile "Sandbox Shared.PowerUser"]\n');
    expect((await run(['aws-config', '--user', 'grace.park@example.com', '--out', 'config'], root)).stderr.split('\n')[0]).toBe('config:1: [profile Sandbox Shared.PowerUser] is already defined outside the accessctl block: rename or remove it');
  });

  it('writes through a symbolic link, and expands ~ in AWS_CONFIG_FILE', async () => {
    const root = org();
    fs.mkdirSync(path.join(root, 'dotfiles'));
    fs.writeFileSync(path.join(root, 'dotfiles', 'aws-config'), '[default]\nregion = eu-west-1\n');
    fs.symlinkSync(path.join(root, 'dotfiles', 'aws-config'), path.join(root, 'linked'));
    const r = await run(['aws-config', '--user', 'dave.okafor@example.com'], root, undefined, { HOME: root, AWS_CONFIG_FILE: '~/linked' });
    expect(r.stdout).toBe('wrote 2 profiles for dave.okafor@example.com in linked (sso-session northwind); sign in with: aws sso login --sso-session northwind\n');
    expect(fs.lstatSync(path.join(root, 'linked')).isSymbolicLink()).toBe(true);
    expect([...parseIni(fs.readFileSync(path.join(root, 'dotfiles', 'aws-config'), 'utf8')).keys()]).toEqual(['default', 'sso-session northwind', 'profile payments-prod.AdministratorAccess', 'profile payments-staging.PowerUser']);
  });

  it('someone the files name but who reaches no account gets a message, exit 1, and no file', async () => {
    const root = org();
    const people = path.join(root, 'access', 'people.yaml');
    fs.appendFileSync(people, '  - { login: olga.new@example.com, github: onew, name: Olga New }\n');
    const env = { HOME: root };
    expect(await run(['aws-config', '--user', 'Olga.New@example.com'], root, undefined, env)).toEqual({ code: 1, stdout: '', stderr: 'olga.new@example.com has no AWS access today: nothing to write\n' });
    // Without people.yaml, a group owner who is no member is still someone the files name.
    fs.rmSync(people);
    const group = path.join(root, 'access', 'groups', 'okta-engineering.yaml');
    fs.writeFileSync(group, fs.readFileSync(group, 'utf8').replace('owners: [alice.nguyen@example.com]', 'owners: [alice.nguyen@example.com, olga.owner@example.com]'));
    expect(await run(['aws-config', '--user', 'olga.owner@example.com'], root, undefined, env)).toEqual({ code: 1, stdout: '', stderr: 'olga.owner@example.com has no AWS access today: nothing to write\n' });
    expect(fs.existsSync(path.join(root, '.aws'))).toBe(false);
  });

  it('unknown people and bad options are usage errors', async () => {
    const root = org();
    const r = await run(['aws-config', '--user', 'erin.kowalsky@example.com', '--out', '-'], root);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('accessctl aws-config: --user: nobody with the login "erin.kowalsky@example.com" (did you mean "erin.kowalski@example.com"?)');
    expect((await run(['aws-config', '--user', 'erin.kowalski@example.com', '--region', 'europe'], root)).stderr.split('\n')[0]).toBe('accessctl aws-config: --region: "europe" is not an AWS region name such as eu-west-1');
    expect(fs.existsSync(path.join(root, '.aws'))).toBe(false);
  });
});
