// removalsOnly decides what the hourly scheduled run applies with no reviewer
// (apply.yml, environment production-expiry). It is an allowlist: one row per
// rule, each a plan that differs from an allowed one by the rule's change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlanDocument, ResourceChange } from '../../src/plan/plan-json';
import { DEFAULT_REVOKE_LIMIT, summarizePlans } from '../../src/plan/summary';
import { buildLayout } from '../../src/synth/layout';
import { load, run, tempRepo } from '../support/helpers';

const TODAY = '2026-11-23';

/** An org whose group "team" holds ReadOnly on prod and dev. */
const ORG = {
  'groups/team.yaml': 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com, new@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n',
};

type Values = Record<string, unknown> | null;

/** One managed resource change, as tofu show -json writes it (after_unknown `{}`: all known). */
function change(type: string, key: string, actions: string[], before: Values, after: Values, extra: { name?: string; after_unknown?: unknown; previous_address?: string; importing?: unknown } = {}): ResourceChange {
  const { name = 'this', previous_address, importing } = extra;
  const after_unknown = 'after_unknown' in extra ? extra.after_unknown : {};
  return {
    address: `${type}.${name}[${JSON.stringify(key)}]`,
    ...(previous_address === undefined ? {} : { previous_address }),
    mode: 'managed',
    type,
    name,
    index: key,
    change: { actions: actions as ResourceChange['change']['actions'], before, after, ...(after_unknown === undefined ? {} : { after_unknown }), ...(importing === undefined ? {} : { importing }) },
  };
}

/** The authoritative memberships of a group, with these users (and other attributes). */
const group = (users: unknown, attrs: Record<string, unknown> = {}): Record<string, unknown> => ({ group_id: '00g1', id: '00g1', track_all_users: true, ...(users === undefined ? {} : { users }), ...attrs });
const members = (before: Values, after: Values, extra: Parameters<typeof change>[5] = {}, actions = ['update']): ResourceChange => change('okta_group_memberships', 'team', actions, before, after, extra);
const del = (type: string, key: string, before: Values = { id: key }, extra: Parameters<typeof change>[5] = {}): ResourceChange => change(type, key, ['delete'], before, null, extra);

/** dev leaves team: the one change every false row is one step away from. */
const REMOVAL = members(group(['00u1lead', '00u2dev']), group(['00u1lead']));
const ASSIGNMENT = 'aws_ssoadmin_account_assignment';
const GONE = 'gone|ReadOnly|111111111111';

const planOf = (...resource_changes: ResourceChange[]): PlanDocument => ({ format_version: '1.2', resource_changes });

function removalsOnly(...plans: PlanDocument[]): boolean {
  const model = load(ORG).model!;
  const named = plans.map((plan, i) => ({ name: `plan${i}.json`, plan }));
  return summarizePlans(named, buildLayout({ model, today: TODAY }), model, { limit: DEFAULT_REVOKE_LIMIT, allowRevoke: false }, TODAY).removalsOnly;
}

describe('removalsOnly: an allowlist of known removals', () => {
  const rows: Array<[string, boolean, PlanDocument[]]> = [
    ['a member removal: users known before and after, the after-set a strict subset', true, [planOf(REMOVAL)]],
    ['a removal from the AWS assignment group (okta_group_memberships.assignment)', true, [planOf(members(group(['00u1', '00u2']), group(['00u2']), { name: 'assignment' }))]],
    ['several removals, with data source reads and no-ops beside them', true, [planOf(REMOVAL, { ...change('okta_users', '000', ['read'], null, {}), mode: 'data' }, change(ASSIGNMENT, 'team|ReadOnly|111111111111', ['no-op'], { id: 'a' }, { id: 'a' }), del(ASSIGNMENT, GONE))]],
    ['an account assignment deleted', true, [planOf(del(ASSIGNMENT, GONE))]],
    ['a group owner deleted', true, [planOf(del('okta_group_owner', 'team|old@example.com'))]],
    ['an app group assignment (singular) deleted', true, [planOf(del('okta_app_group_assignment', 'jira|team'))]],
    ['the last member of an authoritative group lapses: users becomes empty', true, [planOf(members(group(['00u1lead']), group([])))]],

    ['a swap: one member leaves, another joins the same group', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u1lead', '00u3new'])))]],
    ['a removal while the group turns additive (track_all_users true -> false)', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u1lead'], { track_all_users: false })))]],
    ['users unknown after the apply (after_unknown marks users)', false, [planOf(members(group(['00u1lead', '00u2dev']), group(undefined), { after_unknown: { users: true } }))]],
    ['users known, but after_unknown marks another attribute', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u1lead']), { after_unknown: { id: true } }))]],
    ['no after_unknown at all: nothing says the value is known', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u1lead']), { after_unknown: undefined }))]],
    ['users after masked by redaction ("(sensitive)")', false, [planOf(members(group(['00u1lead', '00u2dev']), group('(sensitive)')))]],
    ['users after a list of other than strings', false, [planOf(members(group(['00u1lead', '00u2dev']), group([{ id: '00u1lead' }])))]],
    ['users after not a subset of before (fewer, but someone new)', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u3new'])))]],
    ['users after equal to before (not a strict subset)', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u2dev', '00u1lead'])))]],
    ['equal member sets, another attribute changed', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u1lead', '00u2dev'], { track_all_users: false })))]],
    ['a removal while another attribute is masked by redaction on both sides (its change cannot be told)', false, [planOf(members(group(['00u1lead', '00u2dev'], { track_all_users: '(sensitive)' }), group(['00u1lead'], { track_all_users: '(sensitive)' })))]],
    ['a removal while another attribute appears', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u1lead'], { extra: 'x' })))]],
    ['another type whose update drops a user (aws_iam_group_membership)', false, [planOf(change('aws_iam_group_membership', 'team', ['update'], { name: 'm', group: 'g', users: ['a', 'b'] }, { name: 'm', group: 'g', users: ['a'] }))]],
    ['okta_app_group_assignments (plural) updated to drop a group', false, [planOf(change('okta_app_group_assignments', 'aws', ['update'], { group: [{ id: '00g1' }, { id: '00g2' }] }, { group: [{ id: '00g1' }] }))]],
    ['okta_app_group_assignment.assignment (the AWS assignment group) deleted', false, [planOf(del('okta_app_group_assignment', 'aws', { id: 'x' }, { name: 'assignment' }))]],
    ['the memberships resource is deleted (known members: the group would no longer be enforced)', false, [planOf(change('okta_group_memberships', 'team', ['delete'], group(['00u1lead']), null))]],
    ['okta_group_memberships.this deleted with unknown or no members', false, [planOf(change('okta_group_memberships', 'team', ['delete'], group(undefined), null)), planOf(change('okta_group_memberships', 'other', ['delete'], group([]), null))]],
    ['okta_group_memberships.assignment deleted (everyone would lose the AWS app)', false, [planOf(change('okta_group_memberships', 'aws', ['delete'], group(['00u1lead']), null, { name: 'assignment' }))]],
    ['another type deleted (a permission set)', false, [planOf(del('aws_ssoadmin_permission_set', 'ReadOnly'))]],
    ['a removal and a create', false, [planOf(REMOVAL, change('okta_group_owner', 'team|new@example.com', ['create'], null, { group_id: '00g1' }, { after_unknown: { id: true } }))]],
    ['a removal and a replace (of an otherwise deletable owner)', false, [planOf(REMOVAL, change('okta_group_owner', 'team|lead@example.com', ['delete', 'create'], { id: 'o' }, { id: 'o' }))]],
    ['a removal and a forget (Terraform stops managing the memberships)', false, [planOf(REMOVAL, members(group(['00u9']), null, {}, ['forget']))]],
    ['a moved account assignment deleted', false, [planOf(del(ASSIGNMENT, GONE, { id: 'a' }, { previous_address: `${ASSIGNMENT}.this["old|ReadOnly|111111111111"]` }))]],
    ['a removal and a move with nothing else (no-op)', false, [planOf(REMOVAL, change(ASSIGNMENT, 'team|ReadOnly|111111111111', ['no-op'], { id: 'a' }, { id: 'a' }, { previous_address: `${ASSIGNMENT}.this["old|ReadOnly|111111111111"]` }))]],
    ['an imported membership that drops a member', false, [planOf(members(group(['00u1lead', '00u2dev']), group(['00u1lead']), { importing: { id: '00g1' } }))]],
    ['a removal and an import with nothing else (no-op)', false, [planOf(REMOVAL, change(ASSIGNMENT, 'team|ReadOnly|111111111111', ['no-op'], { id: 'a' }, { id: 'a' }, { importing: { id: 'a' } }))]],
    ['an empty plan', false, [planOf()]],
    ['a plan of no-ops only', false, [planOf(change(ASSIGNMENT, 'team|ReadOnly|111111111111', ['no-op'], { id: 'a' }, { id: 'a' }))]],
    ['a removal in one plan, a create in the other', false, [planOf(REMOVAL), planOf(change(ASSIGNMENT, 'team|Admin|111111111111', ['create'], null, { target_id: '111111111111' }, { after_unknown: { id: true } }))]],
  ];

  it.each(rows)('%s: %p', (_name, expected, plans) => {
    expect(removalsOnly(...plans)).toBe(expected);
  });
});

describe('accessctl plan-summary --removals-only', () => {
  const swap = planOf(members(group(['00u1lead', '00u2dev']), group(['00u1lead', '00u3new'])));
  const massDelete = planOf(...Array.from({ length: 5 }, (_, i) => del(ASSIGNMENT, `gone|ReadOnly|8${String(i).padStart(11, '0')}`)));
  const replace = planOf(REMOVAL, change(ASSIGNMENT, 'team|ReadOnly|111111111111', ['delete', 'create'], { id: 'a' }, { id: 'a' }));

  function repo(): string {
    const root = tempRepo(ORG);
    for (const [name, plan] of Object.entries({ 'removal.json': planOf(REMOVAL), 'swap.json': swap, 'mass.json': massDelete, 'replace.json': replace })) fs.writeFileSync(path.join(root, name), JSON.stringify(plan));
    return root;
  }

  it('exits 0 on removals only with the rails passing, 3 on anything more, 1 when a rail trips, 2 on a usage error', async () => {
    const root = repo();
    const code = async (...args: string[]): Promise<[number, string]> => {
      const r = await run(['plan-summary', ...args], root);
      return [r.code, r.stderr];
    };
    const more = 'plan-summary: not removals only: a person must review and apply these plans\n';
    expect(await code('removal.json', '--removals-only')).toEqual([0, '']);
    expect(await code('swap.json', '--removals-only')).toEqual([3, more]);
    expect(await code('removal.json', 'swap.json', '--removals-only', '--format', 'json')).toEqual([3, more]);
    // Without the flag the exit code says only whether a rail tripped.
    expect(await code('swap.json')).toEqual([0, '']);
    // A tripped rail is exit 1, removals only (mass revocation) or not (replace); accepted, the verdict is the flag's.
    expect((await code('mass.json', '--removals-only'))[0]).toBe(1);
    expect((await code('replace.json', '--removals-only'))[0]).toBe(1);
    expect(await code('mass.json', '--removals-only', '--allow-revoke')).toEqual([0, '']);
    expect(await code('replace.json', '--removals-only', '--allow-revoke')).toEqual([3, more]);
    expect((await code('removal.json', '--removals-only', '--max-revoke', 'ten'))[0]).toBe(2);
  });

  it('prints the same summary as without the flag', async () => {
    const root = repo();
    const [flagged, plain] = [await run(['plan-summary', 'swap.json', '--removals-only', '--format', 'json'], root), await run(['plan-summary', 'swap.json', '--format', 'json'], root)];
    expect(flagged.stdout).toBe(plain.stdout);
    expect(JSON.parse(plain.stdout).removalsOnly).toBe(false);
  });
});
