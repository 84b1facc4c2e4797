// accessctl aws-config on the example org: the AWS CLI config parses as INI
// with exactly the expected profiles, and merging keeps everything else.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, run } from './helpers';

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

  it('refuses when a profile it would write is defined outside its block, and writes nothing', async () => {
    const root = org();
    const file = path.join(root, 'config');
    const text = '[profile payments-prod.AdministratorAccess]\nregion = us-east-1\n';
    fs.writeFileSync(file, text);
    const r = await run(['aws-config', '--user', 'erin.kowalski@example.com', '--out', 'config'], root);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'config: already defined outside the accessctl block: [profile payments-prod.AdministratorAccess]; rename or remove them first (nothing was written)\n' });
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    fs.writeFileSync(file, '# >>> accessctl northwind\n[x]\n');
    expect((await run(['aws-config', '--user', 'erin.kowalski@example.com', '--out', 'config'], root)).stderr).toBe('config: the file has the line "# >>> accessctl northwind" but not "# <<< accessctl northwind" after it: fix or remove the block by hand (nothing was written)\n');
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
