import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, tempRepo } from '../support/helpers';

/** An org whose group "team" holds ReadOnly on prod and dev. */
const ORG = {
  'groups/team.yaml': 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com, new@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n',
};

function repoWithPlans(plans: Record<string, unknown>): string {
  const root = tempRepo(ORG);
  for (const f of ['aws-revoke-and-grant.json', 'okta-members.json']) fs.copyFileSync(path.join(__dirname, '..', 'fixtures/plans', f), path.join(root, f));
  for (const [name, doc] of Object.entries(plans)) fs.writeFileSync(path.join(root, name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return root;
}

/** A plan document in Terraform's JSON format with one resource change per entry. */
function plan(changes: Array<{ type?: string; key: string; actions: string[]; before?: unknown; after?: unknown; previous?: string }>): unknown {
  return {
    format_version: '1.2',
    terraform_version: '1.13.3',
    resource_changes: changes.map((c) => {
      const type = c.type ?? 'aws_ssoadmin_account_assignment';
      return {
        address: `${type}.this[${JSON.stringify(c.key)}]`,
        ...(c.previous ? { previous_address: c.previous } : {}),
        mode: 'managed',
        type,
        name: 'this',
        index: c.key,
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: {
          actions: c.actions,
          before: c.before !== undefined ? c.before : c.actions[0] === 'create' ? null : { target_id: c.key.split('|')[2] },
          after: c.after !== undefined ? c.after : c.actions.join() === 'delete' ? null : { target_id: c.key.split('|')[2] },
          after_unknown: {},
        },
      };
    }),
  };
}

const existing = (n: number): Array<{ key: string; actions: string[] }> => Array.from({ length: n }, (_, i) => ({ key: `other|ReadOnly|9${String(i).padStart(11, '0')}`, actions: ['no-op'] }));

describe('accessctl plan-summary', () => {
  it('says what the fixture plans change, in the words of diff, and passes the rails', async () => {
    const root = repoWithPlans({});
    const r = await run(['plan-summary', 'okta-members.json', 'aws-revoke-and-grant.json'], root);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'terraform plan (okta-members.json, aws-revoke-and-grant.json): 2 to create, 1 to change, 1 to delete, 0 to replace\n' +
        'aws-revoke-and-grant.json:\n' +
        '  - old-team loses ReadOnly on prod (111111111111)\n' +
        '  + team is granted ReadOnly on dev (022222222222) (2 members: lead@example.com, new@example.com)\n' +
        'okta-members.json:\n' +
        '  ~ new@example.com joins team\n' +
        '  ~ dev@example.com leaves team\n' +
        '  + lead@example.com becomes an owner of team\n' +
        'waiting for the SCIM push: new-team (their assignments are planned once AWS has them)\n' +
        'safety rails:\n' +
        '  ok mass-revocation: 2 revocations across aws-revoke-and-grant (1), okta-members (1) (at most 3 allowed: 10% of the 5 existing, and never fewer than 3)\n' +
        '  ok replace: 0 account assignments or permission sets replaced (access is lost until re-created)\n' +
        '  ok unexplained-delete: 0 deletes of objects the files still declare (drift, or a lookup that came back empty)\n' +
        'plan-summary: ok\n',
    );
    expect(r.code).toBe(0);
  });

  it('trips on a replaced account assignment, and accepts it with --allow-revoke', async () => {
    const root = repoWithPlans({ 'replace.json': plan([{ key: 'team|ReadOnly|111111111111', actions: ['delete', 'create'] }, ...existing(40)]) });
    const r = await run(['plan-summary', 'replace.json', '--format', 'json'], root);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.rails.find((x: { id: string }) => x.id === 'replace')).toEqual({
      id: 'replace', tripped: true, overridden: false,
      message: '1 account assignment or permission set replaced (access is lost until re-created)',
      addresses: ['aws_ssoadmin_account_assignment.this["team|ReadOnly|111111111111"]'],
    });
    const allowed = await run(['plan-summary', 'replace.json', '--allow-revoke'], root);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('  ALLOWED replace: 1 account assignment or permission set replaced');
  });

  it('trips on a mass revocation over the threshold', async () => {
    const deletes = Array.from({ length: 5 }, (_, i) => ({ key: `gone|ReadOnly|8${String(i).padStart(11, '0')}`, actions: ['delete'] }));
    const root = repoWithPlans({ 'mass.json': plan([...deletes, ...existing(15)]) });
    const r = await run(['plan-summary', 'mass.json'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  TRIPPED mass-revocation: 5 revocations (at most 3 allowed: 10% of the 20 existing, and never fewer than 3)\n');
    expect(r.stdout).toContain('plan-summary: blocked');
    expect((await run(['plan-summary', 'mass.json', '--max-revoke', '25%'], root)).code).toBe(0);
    expect((await run(['plan-summary', 'mass.json', '--max-revoke', '4'], root)).code).toBe(1);
    expect((await run(['plan-summary', 'mass.json', '--max-revoke', '5'], root)).code).toBe(0);
    expect((await run(['plan-summary', 'mass.json', '--allow-revoke'], root)).code).toBe(0);
  });

  it('judges the plans of a run together: two shards each under the limit, over it together, trip, and the words name both', async () => {
    const gone = (shard: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `gone-${shard}|ReadOnly|8${String(i).padStart(11, '0')}`, actions: ['delete'] }));
    const root = repoWithPlans({
      'aws-a.json': plan([...gone('a', 3), ...existing(15)]),
      'aws-b.json': plan([...gone('b', 3), ...existing(15)].map((c) => ({ ...c, key: c.key.replace('other|', 'other-b|') }))),
    });
    // Each alone: 3 of 18 is within "never fewer than 3".
    for (const one of ['aws-a.json', 'aws-b.json']) expect((await run(['plan-summary', one], root)).code).toBe(0);
    const r = await run(['plan-summary', 'aws-a.json', 'aws-b.json'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  TRIPPED mass-revocation: 6 revocations across aws-a (3), aws-b (3) (at most 4 allowed: 10% of the 36 existing)\n');
  });

  it('counts removed members as revocations', async () => {
    const users = (n: number): string[] => Array.from({ length: n }, (_, i) => `00u${i}`);
    const root = repoWithPlans({ 'members.json': plan([{ type: 'okta_group_memberships', key: 'team', actions: ['update'], before: { users: users(30) }, after: { users: users(20) } }]) });
    const r = await run(['plan-summary', 'members.json', '--format', 'json'], root);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect([out.revocations, out.existing, out.limit]).toEqual([10, 30, 3]);
    expect(out.changes[0].words).toContain('user 00u29 leaves team');
  });

  it('never accepts a delete of something the files still declare', async () => {
    const root = repoWithPlans({ 'drift.json': plan([{ key: 'team|ReadOnly|111111111111', actions: ['delete'] }, ...existing(50)]) });
    const r = await run(['plan-summary', 'drift.json', '--allow-revoke'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  TRIPPED unexplained-delete: 1 delete of objects the files still declare (drift, or a lookup that came back empty)\n');
  });

  it('treats a moved object as a move, not a delete', async () => {
    const root = repoWithPlans({ 'moved.json': plan([{ key: 'team|ReadOnly|111111111111', actions: ['no-op'], previous: 'aws_ssoadmin_account_assignment.this["old|ReadOnly|111111111111"]' }]) });
    const r = await run(['plan-summary', 'moved.json', '--format', 'json'], root);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).counts).toEqual({ create: 0, update: 0, delete: 0, replace: 0 });
  });

  it('refuses a plan of another format version, or not a plan at all, with a clear message', async () => {
    const root = repoWithPlans({ 'v2.json': { format_version: '2.0', resource_changes: [] }, 'state.json': { version: 4, resources: [] }, 'text.txt': 'Terraform will perform the following actions:' });
    const v2 = await run(['plan-summary', 'v2.json'], root);
    expect(v2).toEqual({ code: 1, stdout: '', stderr: 'v2.json: plan format_version 2.0 is not supported: accessctl reads format 1.x\n' });
    expect((await run(['plan-summary', 'state.json'], root)).stderr).toBe('state.json: not a Terraform plan: no format_version (give the output of terraform show -json PLANFILE, not the state or the text plan)\n');
    expect((await run(['plan-summary', 'text.txt'], root)).stderr).toMatch(/^text.txt: not JSON \(/);
    expect((await run(['plan-summary', 'missing.json'], root)).stderr).toBe('missing.json: cannot read the file: ENOENT\n');
  });

  it('refuses a bad --max-revoke and a missing file argument as usage errors', async () => {
    const root = repoWithPlans({});
    expect((await run(['plan-summary', 'okta-members.json', '--max-revoke', '150%'], root)).code).toBe(2);
    expect((await run(['plan-summary', 'okta-members.json', '--max-revoke', 'ten'], root)).code).toBe(2);
    expect((await run(['plan-summary'], root)).code).toBe(2);
  });

  it('prints markdown for the PR comment', async () => {
    const root = repoWithPlans({});
    const r = await run(['plan-summary', 'okta-members.json', 'aws-revoke-and-grant.json', '--format', 'markdown'], root);
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      '### Terraform plan: 2 to create, 1 to change, 1 to delete, 0 to replace',
      '',
      '- :white_check_mark: `mass-revocation`: 2 revocations across aws-revoke-and-grant (1), okta-members (1) (at most 3 allowed: 10% of the 5 existing, and never fewer than 3)',
      '- :white_check_mark: `replace`: 0 account assignments or permission sets replaced (access is lost until re-created)',
      '- :white_check_mark: `unexplained-delete`: 0 deletes of objects the files still declare (drift, or a lookup that came back empty)',
    ]);
  });
});
