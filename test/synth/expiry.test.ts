// synth --expiry: what the scheduled apply run synthesizes. The commit each
// stack was last applied from, laid out today: an expiry lands whatever main
// holds now (an unapplied change, a lapsed waiver that makes main's synth
// refuse), and nothing but the expiry can come from it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleOrg, run } from '../support/helpers';
import { git as gitIn } from '../support/git';

const DAY0 = '2026-12-01T12:00:00Z';
/** erin.kowalski's membership of aws-payments-admins ends after 2027-01-15. */
const DAY1 = '2027-01-16T12:00:00Z';

function git(root: string, ...args: string[]): string {
  return gitIn(root, args).trim();
}

function edit(root: string, rel: string, from: string, to: string): void {
  const file = path.join(root, 'access', rel);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${rel} has no ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

function commit(root: string, message: string): string {
  git(root, 'add', '-A', 'access');
  git(root, 'commit', '-q', '-m', message);
  return git(root, 'rev-parse', 'HEAD');
}

const json = (root: string, rel: string): any => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const stacksIn = (root: string): string[] => fs.readdirSync(path.join(root, 'cdktf.out', 'stacks')).filter((s) => fs.existsSync(path.join(root, 'cdktf.out', 'stacks', s, 'cdk.tf.json'))).sort();
const payments = (root: string, stack = 'okta'): string[] => json(root, `cdktf.out/stacks/${stack}/cdk.tf.json`).resource.okta_group_memberships.this.for_each['aws-payments-admins'].logins;

/** Every stack of the working tree recorded as applied from HEAD on `now`. */
async function recordAll(root: string, now: string): Promise<void> {
  const a = await run(['affected', '--applied', 'applied.json', '--format', 'json'], root, now);
  expect(a.code).toBe(0);
  const { digests } = JSON.parse(a.stdout) as { digests: Record<string, string> };
  for (const [stack, digest] of Object.entries(digests)) {
    expect((await run(['record-applied', '--record', 'applied.json', '--stack', stack, '--digest', digest, '--commit', git(root, 'rev-parse', 'HEAD')], root, now)).code).toBe(0);
  }
}

describe('synth --expiry', () => {
  let root: string;
  let applied: string;

  beforeEach(async () => {
    // The waiver of dave.okafor's standing admin access lapses on the day erin.kowalski's membership does.
    root = exampleOrg(true, (r) => edit(r, 'policy.yaml', 'expires: 2027-10-31', 'expires: 2027-01-15'));
    applied = git(root, 'rev-parse', 'HEAD');
    await recordAll(root, DAY0);
    // Merged, never applied (its approval is pending): carol joins the admins.
    edit(root, 'groups/aws-payments-admins.yaml', 'members:\n', 'members:\n  - user: carol.smith@example.com\n    expires: 2027-01-30\n    reason: INC-1 payments outage\n');
    commit(root, 'carol joins aws-payments-admins');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a lapsed waiver stops main, and the expiry still lands: only okta, from the applied commit, without erin and without carol', async () => {
    const main = await run(['synth', '--no-base'], root, DAY1);
    expect(main.code).toBe(1);
    expect(main.stderr).toContain('nothing was written');

    const r = await run(['synth', '--expiry', 'applied.json', '--affected', 'affected.json'], root, DAY1);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(stacksIn(root)).toEqual(['okta']);
    expect(payments(root)).toEqual(['dave.okafor@example.com']);
    expect(Object.keys(json(root, 'cdktf.out/manifest.json').stacks)).toEqual(['okta']);
    const affected = json(root, 'affected.json');
    expect(affected).toEqual({
      stacks: ['okta'],
      all: ['okta'],
      removed: [],
      reasons: { okta: `lapsed since it was applied from ${applied.slice(0, 12)} at ${json(root, 'applied.json').stacks.okta.appliedAt}` },
      digests: { okta: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      commits: { okta: applied },
      // What may be removed: erin's membership, and with it her place in the AWS app's assignment group.
      lapsed: { okta: ['okta_group_memberships.assignment["aws"] erin.kowalski@example.com', 'okta_group_memberships.this["aws-payments-admins"] erin.kowalski@example.com'] },
    });
    expect(r.stdout).toBe(`cdktf.out/stacks/okta/cdk.tf.json: ${affected.reasons.okta}\n`);
  });

  it('once the expiry is recorded nothing lapses, and the stale stack is removed from the output', async () => {
    await run(['synth', '--expiry', 'applied.json', '--affected', 'affected.json'], root, DAY1);
    const { digests, commits } = json(root, 'affected.json');
    expect((await run(['record-applied', '--record', 'applied.json', '--stack', 'okta', '--digest', digests.okta, '--commit', commits.okta], root, DAY1)).code).toBe(0);
    const r = await run(['synth', '--expiry', 'applied.json', '--affected', 'affected.json'], root, DAY1);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'expiry: nothing lapsed since the last apply of any stack\n', '']);
    expect(stacksIn(root)).toEqual([]);
    expect(json(root, 'affected.json').stacks).toEqual([]);
  });

  it('nothing lapsed: nothing is written, whatever main holds', async () => {
    const r = await run(['synth', '--expiry', 'applied.json', '--affected', 'affected.json'], root, DAY0);
    expect([r.code, r.stdout]).toEqual([0, 'expiry: nothing lapsed since the last apply of any stack\n']);
    expect(json(root, 'affected.json')).toEqual({ stacks: [], all: [], removed: [], reasons: {}, digests: {}, commits: {}, lapsed: {} });
  });

  it('each stack comes from its own commit: okta applied from main, the aws stacks from the older commit', async () => {
    await recordOkta(root);
    const r = await run(['synth', '--expiry', 'applied.json', '--affected', 'affected.json'], root, DAY1);
    expect(r.code).toBe(0);
    // carol (at main, applied to okta) stays in okta; erin lapses in both commits.
    expect(payments(root)).toEqual(['carol.smith@example.com', 'dave.okafor@example.com']);
    expect(json(root, 'affected.json').commits).toEqual({ okta: git(root, 'rev-parse', 'HEAD') });
  });

  it('okta-scim is never expired, and a commit git cannot read is named while the other stacks are still written', async () => {
    const record = json(root, 'applied.json');
    expect(Object.keys(record.stacks)).toContain('okta-scim');
    record.stacks.aws = { ...record.stacks.aws, commit: 'f'.repeat(40), digest: `sha256:${'0'.repeat(64)}` };
    // Whatever its digest says, a SCIM connection is not a removal.
    record.stacks['okta-scim'] = { ...record.stacks['okta-scim'], digest: `sha256:${'0'.repeat(64)}` };
    fs.writeFileSync(path.join(root, 'applied.json'), JSON.stringify(record));
    const r = await run(['synth', '--expiry', 'applied.json', '--affected', 'affected.json'], root, DAY1);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: aws: git cannot read the commit it was applied from: cannot read access at ${'f'.repeat(12)} \\(${'f'.repeat(12)}\\): .+\n$`));
    expect(stacksIn(root)).toEqual(['okta']);
    expect(json(root, 'affected.json').stacks).toEqual(['okta']);
  });

  it('refuses --base with --expiry and --affected without it', async () => {
    expect((await run(['synth', '--expiry', 'applied.json', '--base', 'HEAD'], root, DAY1)).code).toBe(2);
    expect((await run(['synth', '--affected', 'a.json'], root, DAY1)).code).toBe(2);
  });
});

/** okta applied again from HEAD (carol's change), the aws stacks left at the older commit. */
async function recordOkta(root: string): Promise<void> {
  const a = await run(['affected', '--applied', 'applied.json', '--format', 'json'], root, DAY0);
  const { digests } = JSON.parse(a.stdout) as { digests: Record<string, string> };
  expect((await run(['record-applied', '--record', 'applied.json', '--stack', 'okta', '--digest', digests.okta!, '--commit', git(root, 'rev-parse', 'HEAD')], root, DAY0)).code).toBe(0);
}
