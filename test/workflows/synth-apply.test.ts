// .github/scripts/synth-apply.sh, the synth job of apply.yml, with the
// compiled CLI on a small repository. The clock of the CLI is the real one:
// the record is written in-process on a day before the expiry (2026-11-30),
// and the member's expiry (2026-12-02) has passed for any run of this test.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BASE, REPO_ROOT, run, tempRepo } from '../support/helpers';
import { compiledCli } from '../support/compiled-cli';
import { git as gitIn } from '../support/git';

const SCRIPT = path.join(REPO_ROOT, '.github', 'scripts', 'synth-apply.sh');
const DAY0 = '2026-11-30T12:00:00Z';
/** The SCIM token's day: never old enough for scim-token-age, whenever the test runs. */
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const TEAM = 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers:\n  - lead@example.com\n  - user: temp@example.com\n    expires: 2026-12-02\n    reason: INC-7 migration\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [dev] }\n';

function git(root: string, ...args: string[]): string {
  return gitIn(root, args).trim();
}

function commitAll(root: string, message: string): string {
  git(root, 'add', '-A', 'access');
  git(root, 'commit', '-q', '-m', message);
  return git(root, 'rev-parse', 'HEAD');
}

/** A repository whose every stack was applied from its first commit on DAY0. */
async function appliedRepo(): Promise<{ root: string; applied: string }> {
  const settings = BASE['settings.yaml']!.replace('      mfa: required\n', `      mfa: required\n      scim:\n        baseUrl: https://scim.us-east-1.amazonaws.com/abc/scim/v2\n        tokenIssued: ${YESTERDAY}\n`);
  const root = tempRepo({ 'groups/team.yaml': TEAM, 'settings.yaml': settings });
  git(root, 'init', '-q', '-b', 'main');
  const applied = commitAll(root, 'team');
  const a = JSON.parse((await run(['affected', '--applied', 'applied.json', '--format', 'json'], root, DAY0)).stdout) as { digests: Record<string, string> };
  for (const [stack, digest] of Object.entries(a.digests)) expect((await run(['record-applied', '--record', 'applied.json', '--stack', stack, '--digest', digest, '--commit', applied], root, DAY0)).code).toBe(0);
  return { root, applied };
}

function synthApply(root: string, event: string, env: Record<string, string> = {}): { code: number | null; out: string; outputs: Record<string, string>; unapplied: string } {
  const output = path.join(root, 'github-output');
  fs.writeFileSync(output, '');
  const r = spawnSync('bash', [SCRIPT, event], { cwd: root, encoding: 'utf8', env: { ...process.env, ACCESSCTL_BIN: compiledCli(), GITHUB_OUTPUT: output, ...env } });
  const outputs = Object.fromEntries(fs.readFileSync(output, 'utf8').trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const unapplied = fs.existsSync(path.join(root, 'unapplied.md')) ? fs.readFileSync(path.join(root, 'unapplied.md'), 'utf8') : '(none)';
  return { code: r.status, out: `${r.stdout}${r.stderr}`, outputs, unapplied };
}

const affected = (root: string): any => JSON.parse(fs.readFileSync(path.join(root, 'affected.json'), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const members = (root: string): string[] => JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out', 'stacks', 'okta', 'cdk.tf.json'), 'utf8')).resource.okta_group_memberships.this.for_each.team.logins;

describe('synth-apply.sh', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('schedule: the expiry is synthesized from the applied commit although main has an error, which goes to the drift issue', async () => {
    const { root, applied } = await appliedRepo();
    roots.push(root);
    // Merged since, never applied, and broken.
    fs.writeFileSync(path.join(root, 'access', 'groups', 'team.yaml'), `${TEAM}  - { permissionSet: NoSuchSet, accounts: [dev] }\n`);
    commitAll(root, 'broken');
    const r = synthApply(root, 'schedule');
    expect([r.code, r.outputs]).toEqual([0, { okta: 'true', aws: '[]', plan: '["okta"]', unapplied: 'true' }]);
    expect(affected(root).commits).toEqual({ okta: applied });
    expect(members(root)).toEqual(['lead@example.com']);
    expect(r.unapplied).toMatch(/^### main has errors, so nothing but expiries is applied\n\n```\n[^]*NoSuchSet[^]*\n```\n\n$/);
  });

  it('schedule: nothing lapsed is nothing to plan; main differing from the record is reported, not applied', async () => {
    const { root } = await appliedRepo();
    roots.push(root);
    // The record already holds the expiry (as if an earlier scheduled run applied it); main then adds a member.
    const lapsed = JSON.parse((await run(['affected', '--applied', 'applied.json', '--format', 'json'], root, new Date().toISOString())).stdout) as { digests: Record<string, string> };
    expect((await run(['record-applied', '--record', 'applied.json', '--stack', 'okta', '--digest', lapsed.digests.okta!, '--commit', git(root, 'rev-parse', 'HEAD')], root, new Date().toISOString())).code).toBe(0);
    fs.writeFileSync(path.join(root, 'access', 'groups', 'team.yaml'), TEAM.replace('  - lead@example.com\n', '  - lead@example.com\n  - new@example.com\n'));
    commitAll(root, 'new member');
    const r = synthApply(root, 'schedule');
    expect([r.code, r.outputs]).toEqual([0, { okta: 'false', aws: '[]', plan: '[]', unapplied: 'true' }]);
    expect(r.unapplied).toMatch(/^### main differs from what was applied\n\n- okta: differs from what was applied from [0-9a-f]{12} at .+\n\nA scheduled run applies expiries only/);
  });

  it('schedule: a stack whose commit git cannot read is reported, and the other stacks still expire', async () => {
    const { root } = await appliedRepo();
    roots.push(root);
    const record = JSON.parse(fs.readFileSync(path.join(root, 'applied.json'), 'utf8'));
    record.stacks.aws.commit = 'f'.repeat(40);
    record.stacks.aws.digest = `sha256:${'0'.repeat(64)}`;
    fs.writeFileSync(path.join(root, 'applied.json'), JSON.stringify(record));
    const r = synthApply(root, 'schedule');
    expect([r.code, r.outputs.plan, r.outputs.unapplied]).toEqual([0, '["okta"]', 'true']);
    expect(r.unapplied).toContain(`### Expiries that could not be synthesized\n\n\`\`\`\nerror: aws: git cannot read the commit it was applied from`);
  });

  it('push: main now against the record; okta is planned whenever okta-scim differs, okta-scim never', async () => {
    const { root } = await appliedRepo();
    roots.push(root);
    const record = JSON.parse(fs.readFileSync(path.join(root, 'applied.json'), 'utf8'));
    record.stacks['okta-scim'].digest = `sha256:${'0'.repeat(64)}`;
    fs.writeFileSync(path.join(root, 'applied.json'), JSON.stringify(record));
    const r = synthApply(root, 'push');
    expect(r.code).toBe(0);
    // okta differs too: the member lapsed (real clock).
    expect(r.outputs).toEqual({ okta: 'true', aws: '[]', plan: '["okta"]', unapplied: 'false' });
    expect(affected(root).stacks).toEqual(['okta', 'okta-scim']);
    expect(members(root)).toEqual(['lead@example.com']);
  });

  it('a run by hand plans the stacks it names though their files did not change (drift repair), and refuses a name main has no stack of', async () => {
    const { root } = await appliedRepo();
    roots.push(root);
    const lapsed = JSON.parse((await run(['affected', '--applied', 'applied.json', '--format', 'json'], root, new Date().toISOString())).stdout) as { digests: Record<string, string> };
    expect((await run(['record-applied', '--record', 'applied.json', '--stack', 'okta', '--digest', lapsed.digests.okta!, '--commit', git(root, 'rev-parse', 'HEAD')], root, new Date().toISOString())).code).toBe(0);
    const none = synthApply(root, 'workflow_dispatch');
    expect([none.code, none.outputs.plan]).toEqual([0, '[]']);
    const forced = synthApply(root, 'workflow_dispatch', { FORCE_STACKS: 'aws' });
    expect([forced.code, forced.outputs]).toEqual([0, { okta: 'false', aws: '["aws"]', plan: '["aws"]', unapplied: 'false' }]);
    expect(affected(root).reasons.aws).toBe('asked for by hand (a refresh repairs drift)');
    const wrong = synthApply(root, 'workflow_dispatch', { FORCE_STACKS: 'aws-nope' });
    expect([wrong.code, wrong.out]).toEqual([1, expect.stringContaining('::error::no stack aws-nope in main (stacks: ')]);
  });
});
