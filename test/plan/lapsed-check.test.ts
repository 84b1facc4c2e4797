// plan-summary --lapsed: the expiry run applies without a person only
// removals of access that lapsed in what was applied, or that main does not
// grant. Access another run applied after the expiry run read the apply
// record (main grants it, it never lapsed) must not be taken away unattended.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strayRemovals } from '../../src/plan/lapsed-check';
import type { PlanDocument } from '../../src/plan/plan-json';
import { run, tempRepo } from '../support/helpers';

/** main: team holds lead and new. */
const ORG = {
  'groups/team.yaml': 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com, new@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n',
};
const TEAM = 'okta_group_memberships.this["team"]';
const LOGINS: Record<string, string> = { '00u1': 'lead@example.com', '00u2': 'new@example.com', '00u3': 'direct@example.com' };

/** The okta plan of an expiry run: team's members go from `before` to `after` (user ids), plus deletes. */
function plan(before: string[], after: string[], deletes: string[] = []): PlanDocument {
  const users = Object.entries(LOGINS).map(([id, login]) => ({ id, login }));
  return {
    format_version: '1.2',
    prior_state: { values: { root_module: { resources: [
      { address: 'data.okta_users.this["0"]', mode: 'data', type: 'okta_users', name: 'this', values: { users } },
      { address: 'okta_group.this["team"]', mode: 'managed', type: 'okta_group', name: 'this', values: { id: '00g1', name: 'team' } },
    ] } } },
    resource_changes: [
      { address: TEAM, mode: 'managed', type: 'okta_group_memberships', name: 'this', index: 'team', change: { actions: ['update'], before: { group_id: '00g1', track_all_users: true, users: before }, after: { group_id: '00g1', track_all_users: true, users: after }, after_unknown: {} } },
      ...deletes.map((address) => ({ address, mode: 'managed' as const, type: address.slice(0, address.indexOf('.')), name: 'this', change: { actions: ['delete' as const], before: { id: 'x' }, after: null, after_unknown: {} } })),
    ],
  } as unknown as PlanDocument;
}

const MAIN = new Map([['okta', new Set([`${TEAM} lead@example.com`, `${TEAM} new@example.com`, 'okta_group_owner.this["team|lead@example.com"]'])]]);

describe('strayRemovals', () => {
  it.each<[string, PlanDocument, string[], string[]]>([
    ['a member who lapsed in the applied commit leaves: an expiry', plan(['00u1', '00u2'], ['00u1']), [`${TEAM} new@example.com`], []],
    ['a member main grants, who did not lapse, leaves: not an expiry', plan(['00u1', '00u2'], ['00u1']), [], ['okta: new@example.com leaves team; main grants it and it did not lapse']],
    ['someone main does not grant (added in Okta directly) leaves: what the files say', plan(['00u1', '00u3'], ['00u1']), [], []],
    ['the lapse of one member does not cover another', plan(['00u1', '00u2', '00u3'], []), [`${TEAM} lead@example.com`], ['okta: new@example.com leaves team; main grants it and it did not lapse']],
    ['an owner main grants is deleted without lapsing', plan(['00u1'], ['00u1'], ['okta_group_owner.this["team|lead@example.com"]']), [], ['okta: okta_group_owner.this["team|lead@example.com"] is deleted; main grants it and it did not lapse']],
    ['an owner that lapsed is deleted', plan(['00u1'], ['00u1'], ['okta_group_owner.this["team|lead@example.com"]']), ['okta_group_owner.this["team|lead@example.com"]'], []],
  ])('%s', (_name, doc, lapsed, stray) => {
    expect(strayRemovals([{ name: 'plans/okta.json', plan: doc }], { okta: lapsed }, MAIN)).toEqual(stray);
  });

  it('judges each plan against the lapses of its own stack (plans/<stack>.json)', () => {
    const doc = plan(['00u1', '00u2'], ['00u1']);
    expect(strayRemovals([{ name: 'plans/okta.json', plan: doc }], { aws: [`${TEAM} new@example.com`] }, MAIN)).toEqual(['okta: new@example.com leaves team; main grants it and it did not lapse']);
  });
});

describe('accessctl plan-summary --lapsed', () => {
  function repo(lapsed: unknown): string {
    const root = tempRepo(ORG);
    fs.mkdirSync(path.join(root, 'plans'));
    fs.writeFileSync(path.join(root, 'plans', 'okta.json'), JSON.stringify(plan(['00u1', '00u2'], ['00u1'])));
    fs.writeFileSync(path.join(root, 'affected.json'), JSON.stringify(lapsed));
    return root;
  }

  it('exits 3 naming the removal of access main grants that did not lapse; 0 when it lapsed', async () => {
    const stray = await run(['plan-summary', 'plans/okta.json', '--removals-only', '--lapsed', 'affected.json'], repo({ lapsed: { okta: [] } }));
    expect([stray.code, stray.stderr]).toEqual([3, 'plan-summary: not only expiries: these removals take away access that main grants and that did not lapse in what was applied (applied by another run after this one read the record, or not recorded), so a person must review them:\n  - okta: new@example.com leaves team; main grants it and it did not lapse\n']);
    // Without --lapsed the same plan is removals only: the check is what stops it.
    expect((await run(['plan-summary', 'plans/okta.json', '--removals-only'], repo({}))).code).toBe(0);
    expect((await run(['plan-summary', 'plans/okta.json', '--removals-only', '--lapsed', 'affected.json'], repo({ lapsed: { okta: [`${TEAM} new@example.com`] } }))).code).toBe(0);
  });

  it('refuses a file without lapsed lists, and --lapsed without --removals-only', async () => {
    const none = await run(['plan-summary', 'plans/okta.json', '--removals-only', '--lapsed', 'affected.json'], repo({ stacks: [] }));
    expect([none.code, none.stderr]).toEqual([1, 'affected.json: has no "lapsed" lists (write it with accessctl synth --expiry RECORD --affected affected.json)\n']);
    expect((await run(['plan-summary', 'plans/okta.json', '--lapsed', 'affected.json'], repo({ lapsed: {} }))).code).toBe(2);
  });
});
