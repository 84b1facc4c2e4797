import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeOutputAtomically } from '../../src/synth/write';
import { REPO_ROOT, run, tempRepo } from '../support/helpers';
import { git as gitIn } from '../support/git';

const GROUP = 'name: g\nmode: authoritative\nowners: [x@example.com]\nmembers: [x@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod] }\n';

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${fs.statSync(p).mtimeMs}:${fs.readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

function git(cwd: string, ...args: string[]): string {
  return gitIn(cwd, args, { author: 'Test', email: 'test@example.com' });
}

describe('accessctl synth', () => {
  it('writes one cdk.tf.json per stack and says what each holds', async () => {
    const root = tempRepo({ 'groups/g.yaml': GROUP });
    const r = await run(['synth', '--no-base'], root);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'base: none (no git history to compare with: renames are not detected and every group must already exist in AWS)\n' +
        'cdktf.out/stacks/okta/cdk.tf.json: 1 group, 1 membership, 1 owner, AWS app assigned to accessctl-aws-users (1 person), 1 group pushed, MFA required\n' +
        'cdktf.out/stacks/aws/cdk.tf.json: 1 permission set, 1 policy attachment, 1 account assignment\n',
    );
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(root, 'cdktf.out', 'stacks')).sort()).toEqual(['aws', 'okta']);
    expect(fs.existsSync(path.join(root, 'cdktf.out', 'manifest.json'))).toBe(true);
    // No temporary directory is left behind.
    expect(fs.readdirSync(root).sort()).toEqual(['access', 'cdktf.out']);
  });

  it('leaves the output directory untouched when the input has an error', async () => {
    const root = tempRepo({ 'groups/g.yaml': GROUP });
    expect((await run(['synth', '--no-base'], root)).code).toBe(0);
    const out = path.join(root, 'cdktf.out');
    fs.writeFileSync(path.join(out, 'stacks', 'aws', 'terraform.tfstate.backup'), 'kept');
    const before = snapshot(out);
    fs.writeFileSync(path.join(root, 'access', 'groups', 'g.yaml'), GROUP.replace('ReadOnly', 'ReadOnli'));
    const r = await run(['synth', '--no-base'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('access/groups/g.yaml:7:22 error ACC040 unknown permission set "ReadOnli"');
    expect(r.stderr).toContain('access: 1 error, 0 warnings, 0 waived; nothing was written\n');
    expect(snapshot(out)).toEqual(before);
    expect(fs.readdirSync(root).sort()).toEqual(['access', 'cdktf.out']);
  });

  it('refuses to synthesize while a guardrail error stands', async () => {
    const root = tempRepo({ 'groups/g.yaml': GROUP.replace('owners: [x@example.com]\n', '') });
    const r = await run(['synth', '--no-base'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('access/groups/g.yaml:1:1 error group-owner group "g" has no owner');
    expect(fs.existsSync(path.join(root, 'cdktf.out'))).toBe(false);
  });

  it('leaves the output untouched when producing it fails midway', () => {
    const root = tempRepo({});
    const out = path.join(root, 'out');
    fs.mkdirSync(path.join(out, 'stacks', 'aws'), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', 'aws', 'cdk.tf.json'), 'old');
    expect(() =>
      writeOutputAtomically(out, (tmp) => {
        fs.mkdirSync(path.join(tmp, 'stacks', 'aws'), { recursive: true });
        fs.writeFileSync(path.join(tmp, 'stacks', 'aws', 'cdk.tf.json'), 'new');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(fs.readFileSync(path.join(out, 'stacks', 'aws', 'cdk.tf.json'), 'utf8')).toBe('old');
    expect(fs.readdirSync(root).sort()).toEqual(['access', 'out']);
  });

  it('removes the stack file of a shard that no longer exists, keeping Terraform files beside it', async () => {
    const sharded = fs.readFileSync(path.join(REPO_ROOT, 'access', 'settings.yaml'), 'utf8').replace('backend:', 'stacks:\n  aws:\n    shards:\n      - { name: prod, accounts: { tags: { env: prod } } }\nbackend:');
    const root = tempRepo({ 'groups/g.yaml': GROUP, 'settings.yaml': sharded });
    expect((await run(['synth', '--no-base'], root)).code).toBe(0);
    const shardDir = path.join(root, 'cdktf.out', 'stacks', 'aws-prod');
    expect(fs.existsSync(path.join(shardDir, 'cdk.tf.json'))).toBe(true);
    fs.mkdirSync(path.join(shardDir, '.terraform'));
    fs.writeFileSync(path.join(root, 'access', 'settings.yaml'), fs.readFileSync(path.join(REPO_ROOT, 'access', 'settings.yaml')));
    expect((await run(['synth', '--no-base'], root)).code).toBe(0);
    expect(fs.readdirSync(shardDir)).toEqual(['.terraform']);
  });

  it('is what npm start runs: plan prints the stacks and the validation summary', async () => {
    const root = tempRepo({ 'groups/g.yaml': GROUP });
    const r = await run(['plan', '--no-base', '--out', 'build/tf'], root);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      'build/tf/stacks/okta/cdk.tf.json: 1 group, 1 membership, 1 owner, AWS app assigned to accessctl-aws-users (1 person), 1 group pushed, MFA required',
      'build/tf/stacks/aws/cdk.tf.json: 1 permission set, 1 policy attachment, 1 account assignment',
      'access: valid, 1 group, 1 permission set, 2 accounts, 1 account assignment; 0 warnings, 0 waived',
      '',
      'access diff nothing -> working tree: +1 / -0 access, 1 change',
      '  ! prod-access: 1 new grant on production accounts (prod)',
      '  ! sensitive-actions: +1 person can organizations:* (20 of 63 actions) on prod (x@example.com)',
      'access added:',
      '  x@example.com',
      '    + prod (111111111111) ReadOnly via g',
      'by account:',
      '  prod (111111111111): +1 / -0',
      'changes:',
      '  + group g is created (authoritative)',
      '',
    ]);
    const aws = JSON.parse(fs.readFileSync(path.join(root, 'build/tf/stacks/aws/cdk.tf.json'), 'utf8'));
    expect(aws.terraform.backend.local.path).toBe('../../../../terraform.aws.tfstate');
  });
});

describe('accessctl synth against git history', () => {
  function repoWithHistory(): string {
    const root = tempRepo({ 'groups/payments-admins.yaml': GROUP.replace('name: g', 'name: payments-admins') });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    return root;
  }

  it('turns a rename into moved blocks, and lets a group new since the base wait for SCIM', async () => {
    const root = repoWithHistory();
    fs.renameSync(path.join(root, 'access/groups/payments-admins.yaml'), path.join(root, 'access/groups/pay-admins.yaml'));
    fs.writeFileSync(path.join(root, 'access/groups/pay-admins.yaml'), GROUP.replace('name: g', 'name: pay-admins'));
    fs.writeFileSync(path.join(root, 'access/groups/new-team.yaml'), GROUP.replace('name: g', 'name: new-team').replace(/x@example.com/g, 'y@example.com'));
    const r = await run(['synth'], root);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toMatch(/^base: HEAD \([0-9a-f]{12}\), 1 rename: group payments-admins -> pay-admins$/);
    const okta = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out/stacks/okta/cdk.tf.json'), 'utf8'));
    const aws = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out/stacks/aws/cdk.tf.json'), 'utf8'));
    expect(okta.moved).toEqual([
      { from: 'okta_group.this["payments-admins"]', to: 'okta_group.this["pay-admins"]' },
      { from: 'okta_group_memberships.this["payments-admins"]', to: 'okta_group_memberships.this["pay-admins"]' },
      { from: 'okta_group_owner.this["payments-admins|x@example.com"]', to: 'okta_group_owner.this["pay-admins|x@example.com"]' },
      { from: 'okta_push_group.this["payments-admins"]', to: 'okta_push_group.this["pay-admins"]' },
    ]);
    expect(aws.moved).toEqual([
      { from: 'aws_ssoadmin_account_assignment.this["payments-admins|ReadOnly|111111111111"]', to: 'aws_ssoadmin_account_assignment.this["pay-admins|ReadOnly|111111111111"]' },
    ]);
    expect(aws.locals.new_groups).toEqual(['new-team']);
  });

  it('pairs nothing when two new files match a removed one equally well', async () => {
    const root = repoWithHistory();
    fs.rmSync(path.join(root, 'access/groups/payments-admins.yaml'));
    fs.writeFileSync(path.join(root, 'access/groups/a.yaml'), GROUP.replace('name: g', 'name: a'));
    fs.writeFileSync(path.join(root, 'access/groups/b.yaml'), GROUP.replace('name: g', 'name: b'));
    const r = await run(['synth'], root);
    expect(r.stdout.split('\n')[0]).toMatch(/^base: HEAD \([0-9a-f]{12}\), no renames$/);
  });

  it('uses an explicit --base, and refuses one that does not exist', async () => {
    const root = repoWithHistory();
    fs.writeFileSync(path.join(root, 'access/groups/payments-admins.yaml'), GROUP.replace('name: g', 'name: renamed'));
    git(root, 'commit', '-qam', 'rename');
    const clean = await run(['synth'], root);
    expect(clean.stdout.split('\n')[0]).toMatch(/^base: HEAD\^1 \([0-9a-f]{12}\), 1 rename: group payments-admins -> renamed$/);
    const head = await run(['synth', '--base', 'HEAD'], root);
    expect(head.stdout.split('\n')[0]).toMatch(/^base: HEAD \([0-9a-f]{12}\), no renames$/);
    const bad = await run(['synth', '--base', 'nope'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('accessctl synth: error ACC060 "nope" is not a commit in this repository\n');
  });

  it('refuses a base revision whose access files do not validate', async () => {
    const root = repoWithHistory();
    fs.writeFileSync(path.join(root, 'access/groups/payments-admins.yaml'), 'name: [broken\n');
    git(root, 'commit', '-qam', 'broken');
    fs.writeFileSync(path.join(root, 'access/groups/payments-admins.yaml'), GROUP.replace('name: g', 'name: payments-admins'));
    const r = await run(['synth', '--base', 'HEAD'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error ACC061 the base revision HEAD \([0-9a-f]{12}\) has errors, so renames cannot be detected: access\/groups\/payments-admins.yaml:1 ACC010/);
  });
});

describe('architecture', () => {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

  it('imports cdktf and the providers only in stacks/, and providers per resource', () => {
    const offenders: string[] = [];
    for (const file of [...walk(path.join(REPO_ROOT, 'src')), path.join(REPO_ROOT, 'main.ts')].filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(file, 'utf8');
      if (/from '(cdktf|constructs|@cdktf\/[^']+)'/.test(text)) offenders.push(path.relative(REPO_ROOT, file));
    }
    expect(offenders).toEqual([]);
    for (const file of walk(path.join(REPO_ROOT, 'stacks')).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(file, 'utf8');
      expect([file, /from '@cdktf\/provider-(aws|okta)'/.test(text)]).toEqual([file, false]);
    }
  });

  it('loads stacks/ only from the synth path, lazily', () => {
    const users = walk(path.join(REPO_ROOT, 'src')).filter((f) => fs.readFileSync(f, 'utf8').includes("'../../stacks'"));
    expect(users.map((f) => path.relative(REPO_ROOT, f))).toEqual(['src/cli/synth-run.ts']);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'src/cli/synth-run.ts'), 'utf8')).toContain("await import('../../stacks')");
  });
});

describe('main.ts, the cdktf app entry', () => {
  it('writes the same files as accessctl synth', async () => {
    // Imported here so that only this test pays for it.
    const { synthApp } = await import('../../main');
    const root = tempRepo({ 'groups/g.yaml': GROUP });
    const now = new Date('2026-11-23T12:00:00Z');
    expect(synthApp({ CDKTF_OUTDIR: 'via-main' }, root, now, () => undefined)).toBe(0);
    expect((await run(['synth', '--out', 'via-cli'], root)).code).toBe(0);
    for (const stack of ['okta', 'aws']) {
      const a = fs.readFileSync(path.join(root, 'via-main/stacks', stack, 'cdk.tf.json'), 'utf8');
      const b = fs.readFileSync(path.join(root, 'via-cli/stacks', stack, 'cdk.tf.json'), 'utf8');
      expect([stack, a]).toEqual([stack, b]);
    }
    let log = '';
    fs.writeFileSync(path.join(root, 'access/groups/g.yaml'), 'name: g\n');
    expect(synthApp({ CDKTF_OUTDIR: 'bad' }, root, now, (t) => (log += t))).toBe(1);
    expect(log).toContain('ACC022');
    expect(fs.existsSync(path.join(root, 'bad'))).toBe(false);
  });
});
