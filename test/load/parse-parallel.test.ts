// The worker-thread parse (src/load/parse-parallel.ts) must give exactly what
// parsing on one thread gives: the same diagnostics at the same positions,
// the same model. It runs only in the compiled package (the jest global setup
// builds dist/ before any test), so this suite runs the compiled CLI both
// ways and compares.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateOrg, writeOrg } from '../../bench/generate';
import { compiledCli } from '../support/compiled-cli';

const BIN = compiledCli();

function cli(cwd: string, args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('parsing with a worker thread', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'accessctl-parallel-'));
    // Over 1 MB of YAML, so the worker is used.
    const files = generateOrg({ groups: 600, accounts: 200, users: 12000, permissionSets: 60, grantsPerGroup: 3, accountsPerGrant: 4, membersPerGroup: 12, seed: 7 });
    writeOrg(path.join(root, 'access'), files);
    const put = (rel: string, text: string | Buffer) => fs.writeFileSync(path.join(root, 'access', rel), text);
    // Problems in files on both sides of the split (the worker takes the last files).
    put('groups/team-0001.yaml', 'name: team-0001\nmode: authoritative\nmembers:\n\t- user00001@example.com\n');
    put('groups/team-0599.yaml', 'name: team-0599\nmode: sometimes\nowners: [user00001@example.com]\nmembers:\n  - { user: user00002@example.com, expires: 2026-02-30 }\naws:\n  - { permissionSet: PS001, accounts: [acct-0001, 1234] }\n');
    put('permission-sets/PS059.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: PS059\nsessionDuration: PT99H\nmanagedPolicies: [ReadOnlyAccess]\n')]));
    put('permission-sets/PS058.yaml', 'name: PS058\nname: again\n');
    const people = fs.readFileSync(path.join(root, 'access', 'people.yaml'), 'utf8');
    put('people.yaml', people.replace('github: gh-user00777 }', 'github: 12 }'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reports the same diagnostics at the same positions as one thread', () => {
    const parallel = cli(root, ['validate', '--format', 'json'], { ACCESSCTL_PARSE_TRACE: '1' });
    const single = cli(root, ['validate', '--format', 'json'], { ACCESSCTL_PARSE_THREADS: '1', ACCESSCTL_PARSE_TRACE: '1' });
    expect(parallel.stderr).toMatch(/^parse: [0-9]+ files here, [1-9][0-9]* in a worker\n$/);
    expect(single.stderr).toBe('');
    expect(parallel.status).toBe(1);
    expect(parallel.stdout).toBe(single.stdout);
    const codes = (JSON.parse(parallel.stdout) as { errors: Array<{ code: string; file: string; line: number; column: number }> }).errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.code}`);
    expect(codes).toEqual([
      'access/groups/team-0001.yaml:4:1 ACC011',
      'access/groups/team-0599.yaml:2:7 ACC023',
      'access/groups/team-0599.yaml:5:45 ACC024',
      'access/groups/team-0599.yaml:7:51 ACC025',
      'access/people.yaml:779:45 ACC021',
      'access/permission-sets/PS058.yaml:2:1 ACC012',
      'access/permission-sets/PS059.yaml:2:18 ACC050',
    ]);
  });

  it('synthesizes the same Terraform JSON', () => {
    const fix = (rel: string) => fs.writeFileSync(path.join(root, 'access', rel), generateOrg({ groups: 600, accounts: 200, users: 12000, permissionSets: 60, grantsPerGroup: 3, accountsPerGrant: 4, membersPerGroup: 12, seed: 7 }).get(rel)!);
    for (const rel of ['groups/team-0001.yaml', 'groups/team-0599.yaml', 'permission-sets/PS059.yaml', 'permission-sets/PS058.yaml', 'people.yaml']) fix(rel);
    expect(cli(root, ['synth', '--no-base', '--out', 'a'], {}).status).toBe(0);
    expect(cli(root, ['synth', '--no-base', '--out', 'b'], { ACCESSCTL_PARSE_THREADS: '1' }).status).toBe(0);
    for (const stack of ['okta', 'aws']) {
      expect(fs.readFileSync(path.join(root, 'a', 'stacks', stack, 'cdk.tf.json'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'b', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    }
  });
});
