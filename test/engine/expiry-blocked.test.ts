// An expiry lands whatever else the files say, with both emulators. The
// example org is applied and recorded; then main gets a merge that is never
// applied (its approval is pending), and time passes:
// - day 2, a waiver lapses on the day a member's access ends: main no longer
//   synthesizes ("1 error … nothing was written"), and the scheduled run's
//   synth --expiry still removes the member, and nothing else;
// - day 3, the SCIM token's age turns from a warning into an error on the day
//   another member's access ends: the same.
// Nothing of the unapplied merge reaches Okta, and the aws stacks are not
// touched (their layout did not lapse).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeEngine } from '../../engine/jest';
import { actionsOf, Moto, Workspace, type Engine, type PlanJson } from '../../engine/harness';
import { expectedOkta } from '../../engine/okta';
import { OktaEmulator, oktaUserId } from '../../engine/okta-emulator';
import { EXAMPLE_ORG } from '../../engine/orgs';
import { loadAccessDir } from '../../src/model/load';

jest.setTimeout(900_000);

function edit(ws: Workspace, rel: string, from: string, to: string): void {
  const text = ws.read(rel);
  if (!text.includes(from)) throw new Error(`${rel} has no ${from}`);
  ws.write({ [rel]: text.replace(from, to) });
}

describeEngine('engine: an expiry lands whatever else the files say', (engine: () => Engine) => {
  let moto: Moto;
  let okta: OktaEmulator;
  let ws: Workspace;

  afterAll(async () => {
    ws?.remove();
    okta?.remove();
    await moto?.stop();
  });

  it('a lapsed waiver, then the SCIM token age error: each day the expiry is applied, and nothing else', async () => {
    moto = await Moto.start(engine());
    ws = new Workspace(engine(), { moto, today: '2027-01-15', name: 'expiry-blocked' }).copyFrom(EXAMPLE_ORG);
    // dave.okafor's standing admin waiver ends with erin.kowalski's membership (2027-01-15); judy.adams's
    // contract ends 2027-01-20, the day before the SCIM token is a year old.
    edit(ws, 'policy.yaml', 'expires: 2027-10-31', 'expires: 2027-01-15');
    edit(ws, 'groups/aws-payments-developers.yaml', 'expires: 2027-02-28', 'expires: 2027-01-20');
    edit(ws, 'settings.yaml', 'tokenIssued: 2026-11-02', 'tokenIssued: 2026-01-21');
    const model = loadAccessDir('access', ws.dir).model!;
    okta = new OktaEmulator(expectedOkta(model, '2027-01-15').logins);
    ws.okta = okta;
    const applied = ws.commit('example org');
    moto.seed(model.groups.filter((g) => g.pushedToAws).map((g) => g.name));

    // Day 1: every stack applied from that commit and recorded.
    const stacks = (await ws.synth()).filter((s) => s !== 'okta-scim');
    for (const s of stacks) ws.stack(s).init().planAndApply('day1');
    const day1 = JSON.parse((await ws.accessctl(['affected', '--applied', 'applied.json', '--format', 'json'])).stdout) as { digests: Record<string, string> };
    for (const s of stacks) expect((await ws.accessctl(['record-applied', '--record', 'applied.json', '--stack', s, '--digest', day1.digests[s]!, '--commit', applied])).code).toBe(0);
    const groupId = (name: string): string => [...okta.groupNames()].find(([, n]) => n === name)![0];
    const members = (name: string): string[] => [...(okta.members().get(groupId(name)) ?? [])].sort();
    const before = okta.members();

    // Merged, never applied: carol.smith joins the payments admins.
    edit(ws, 'groups/aws-payments-admins.yaml', 'members:\n', 'members:\n  - user: carol.smith@example.com\n    expires: 2027-01-30\n    reason: INC-5200 payments outage\n');
    ws.commit('carol.smith joins aws-payments-admins');

    /** The scheduled run: synth --expiry, plan, plan-summary --removals-only, apply, record. Returns the plan. */
    const scheduled = async (day: string): Promise<PlanJson> => {
      expect(await ws.synthExpiry('applied.json')).toEqual(['okta']);
      const affected = JSON.parse(fs.readFileSync(path.join(ws.dir, 'affected.json'), 'utf8')) as { stacks: string[]; digests: Record<string, string>; commits: Record<string, string> };
      expect([affected.stacks, affected.commits]).toEqual([['okta'], { okta: applied }]);
      const plan = ws.stack('okta').init().plan(day);
      // Another run's plan of the same state, made before this run applies (a change run waiting for approval).
      const other = ws.stack('okta').plan(`${day}-other`);
      const judged = await ws.accessctl(['plan-summary', plan.jsonFile, '--removals-only']);
      expect([judged.code, judged.stderr]).toEqual([0, '']);
      ws.stack('okta').apply(plan.planFile);
      // The state lock is no queue: what keeps the other run from applying over this one is that OpenTofu refuses its saved plan as stale.
      const late = ws.stack('okta').tofu(['apply', '-input=false', '-no-color', '-auto-approve', other.planFile]);
      expect([late.code, late.stderr.replace(/\s+/g, ' ')]).toEqual([1, expect.stringContaining('Saved plan is stale')]);
      expect((await ws.accessctl(['record-applied', '--record', 'applied.json', '--stack', 'okta', '--digest', affected.digests.okta!, '--commit', affected.commits.okta!])).code).toBe(0);
      return plan.json!;
    };

    // Day 2: the waiver has lapsed, so main's synth refuses; erin.kowalski's membership ended yesterday.
    ws.setToday('2027-01-16');
    const main2 = await ws.accessctl(['synth', '--no-base']);
    expect(main2.code).toBe(1);
    expect(main2.stderr).toContain('high-privilege-expiry');
    expect(main2.stderr).toContain('nothing was written');
    // She leaves the group, and with it the AWS app's assignment group (she has no other AWS access).
    expect(actionsOf(await scheduled('day2'))).toEqual({ 'okta_group_memberships.assignment["aws"]': 'update', 'okta_group_memberships.this["aws-payments-admins"]': 'update' });
    expect(members('aws-payments-admins')).toEqual([oktaUserId('dave.okafor@example.com')]);

    // Day 3: the SCIM token is a year old today (an error); judy.adams's contract ended yesterday.
    ws.setToday('2027-01-21');
    const main3 = await ws.accessctl(['validate']);
    expect(main3.code).toBe(1);
    expect(main3.stdout + main3.stderr).toMatch(/the SCIM token of the AWS app "aws" \(issued 2026-01-21\) expired on 2027-01-21/);
    expect(actionsOf(await scheduled('day3'))).toEqual({ 'okta_group_memberships.assignment["aws"]': 'update', 'okta_group_memberships.this["aws-payments-developers"]': 'update' });
    expect(members('aws-payments-developers')).toEqual(['frank.li@example.com', 'grace.park@example.com'].map(oktaUserId).sort());

    // Nothing else changed in Okta: each group holds what it held on day 1 less the two who lapsed; carol.smith joined nothing.
    const after = okta.members();
    const lapsed = new Set(['erin.kowalski@example.com', 'judy.adams@example.com'].map(oktaUserId));
    for (const [id, users] of before) {
      const name = okta.groupNames().get(id)!;
      expect([name, [...(after.get(id) ?? [])].sort()]).toEqual([name, [...users].filter((u) => !lapsed.has(u)).sort()]);
    }
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    // A later scheduled run that day has nothing to do.
    expect(await ws.synthExpiry('applied.json')).toEqual([]);
  });
});
