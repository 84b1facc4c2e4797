// An authoritative group whose last member expired stays enforced: real
// OpenTofu plans and applies of the okta stack against the emulated Okta.
// The expiry empties the group's okta_group_memberships (an update, removals
// only, never a delete), and someone added to the group directly in Okta
// afterwards is seen by the next plan and removed by its apply.

import * as fs from 'node:fs';
import { describeEngine } from '../../engine/jest';
import { actionsOf, Workspace, type Engine, type PlanJson, type Stack } from '../../engine/harness';
import { expectedOkta } from '../../engine/okta';
import { OktaEmulator, oktaUserId } from '../../engine/okta-emulator';
import { EXAMPLE_ORG } from '../../engine/orgs';
import { loadAccessDir } from '../../src/model/load';

jest.setTimeout(900_000);

const DAY1 = '2026-12-01';
const DAY2 = '2026-12-02';
const GROUP = 'okta-release-managers';
const ADDRESS = `okta_group_memberships.this["${GROUP}"]`;
/** Authoritative, no apps: its one member's access ends after DAY1. */
const GROUP_FILE = `name: ${GROUP}
description: Approvers of production releases
owners: [carol.smith@example.com]
mode: authoritative
members:
  - user: judy.adams@example.com
    expires: ${DAY1}
    reason: release train 42
`;
const JUDY = oktaUserId('judy.adams@example.com');
/** In the org, never in this group's file. */
const HEIDI = oktaUserId('heidi.schmidt@example.com');

/**
 * Someone added to a group in Okta's admin console, not through Terraform: the
 * emulator's store holds a group's members in its okta_group_memberships object
 * (engine/okta-schema/README.md, "The store file": the harness may edit objects
 * to stand for changes made outside Terraform).
 */
function addDirectly(okta: OktaEmulator, groupId: string, userId: string): void {
  const store = JSON.parse(fs.readFileSync(okta.file, 'utf8')) as { objects: Record<string, Record<string, { users: string[] }>> };
  const m = store.objects.okta_group_memberships![groupId]!;
  m.users = [...m.users, userId];
  const tmp = `${okta.file}.direct`;
  fs.writeFileSync(tmp, JSON.stringify(store, null, 2));
  fs.renameSync(tmp, okta.file);
}

/** The before and after of one resource change of a plan. */
function changeOf(plan: PlanJson, address: string): { actions: readonly string[]; before: Record<string, unknown>; after: Record<string, unknown> } {
  const c = plan.resource_changes!.find((x) => x.address === address)!.change;
  return { actions: c.actions, before: c.before as Record<string, unknown>, after: c.after as Record<string, unknown> };
}

describeEngine('engine: an authoritative group with no active member stays enforced', (engine: () => Engine) => {
  let ws: Workspace;
  let okta: OktaEmulator;

  afterEach(() => {
    ws?.remove();
    okta?.remove();
  });

  async function summary(planFile: string): Promise<{ ok: boolean; removalsOnly: boolean; changes: { address: string; words: string[] }[] }> {
    const r = await ws.accessctl(['plan-summary', planFile, '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    return JSON.parse(r.stdout);
  }

  async function dayOne(): Promise<{ stack: Stack; groupId: string }> {
    ws = new Workspace(engine(), { today: DAY1, name: 'okta-empty' }).copyFrom(EXAMPLE_ORG).write({ [`groups/${GROUP}.yaml`]: GROUP_FILE });
    okta = new OktaEmulator(expectedOkta(loadAccessDir('access', ws.dir).model!, DAY1).logins);
    ws.okta = okta;
    ws.commit('example org with a release group');
    await ws.synth();
    const stack = ws.stack('okta').init();
    stack.planAndApply('day1');
    const groupId = [...okta.groupNames()].find(([, name]) => name === GROUP)![0];
    expect(okta.members().get(groupId)).toEqual(new Set([JUDY]));
    return { stack, groupId };
  }

  it('the last member lapses: the memberships become empty (an update, removals only); a member added in Okta afterwards is planned out and removed', async () => {
    const { stack, groupId } = await dayOne();

    // Day 2, nothing merged: judy's membership has lapsed. The resource stays, with no users.
    ws.setToday(DAY2);
    await ws.synth();
    const lapse = stack.plan('lapse');
    expect(actionsOf(lapse.json!)).toEqual({ [ADDRESS]: 'update' });
    expect(changeOf(lapse.json!, ADDRESS)).toEqual({
      actions: ['update'],
      before: { id: groupId, group_id: groupId, track_all_users: true, users: [JUDY] },
      after: { id: groupId, group_id: groupId, track_all_users: true, users: [] },
    });
    const lapsed = await summary(lapse.jsonFile);
    expect([lapsed.ok, lapsed.removalsOnly]).toEqual([true, true]);
    expect(lapsed.changes.map((c) => [c.address, c.words])).toEqual([[ADDRESS, ['judy.adams@example.com leaves okta-release-managers']]]);
    stack.apply(lapse.planFile);
    expect(okta.members().get(groupId)).toEqual(new Set());

    // Someone adds heidi to the group in Okta. The next plan (the daily drift plan) reads her in and removes her.
    addDirectly(okta, groupId, HEIDI);
    okta.clearCalls();
    const drift = stack.plan('drift');
    expect(actionsOf(drift.json!)).toEqual({ [ADDRESS]: 'update' });
    expect(changeOf(drift.json!, ADDRESS)).toEqual({
      actions: ['update'],
      before: { id: groupId, group_id: groupId, track_all_users: true, users: [HEIDI] },
      after: { id: groupId, group_id: groupId, track_all_users: true, users: [] },
    });
    const drifted = await summary(drift.jsonFile);
    expect([drifted.ok, drifted.removalsOnly]).toEqual([true, true]);
    expect(drifted.changes.map((c) => [c.address, c.words])).toEqual([[ADDRESS, ['heidi.schmidt@example.com leaves okta-release-managers']]]);
    stack.apply(drift.planFile);
    expect(okta.members().get(groupId)).toEqual(new Set());
    expect(okta.calls()).toEqual([{ seq: 1, op: 'update', type: 'okta_group_memberships', id: groupId }]);
    expect(actionsOf(stack.plan('after').json!)).toEqual({});
  });
});
