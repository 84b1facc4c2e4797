// Expiry end to end, with both emulators: the example org applied to the
// emulated Okta and to moto, SCIM's effect carried from one to the other, then
// a day passes with nothing merged. The apply record lists the okta stack, its
// plan only removes access and is applied, the aws stack has nothing to do,
// and once SCIM has run the member's access is gone when read back through
// the AWS API.

import { describeEngine } from '../../engine/jest';
import { actionsOf, Moto, Workspace, type Engine, type LiveAws } from '../../engine/harness';
import { expectedOkta } from '../../engine/okta';
import { OktaEmulator } from '../../engine/okta-emulator';
import { EXAMPLE_ORG } from '../../engine/orgs';
import { loadAccessDir } from '../../src/model/load';

jest.setTimeout(900_000);

/** Who holds what, as AWS has it: the members of each group with a live assignment. */
function access(live: LiveAws): string[] {
  return live.assignments.flatMap((a) => (a.group === null ? [] : (live.members[a.group] ?? []).map((u) => `${u} ${a.permissionSet} ${a.accountId}`))).sort();
}

describeEngine('engine: an expiry reaches AWS with nothing merged', (engine: () => Engine) => {
  let moto: Moto;
  let okta: OktaEmulator;
  let ws: Workspace;

  afterAll(async () => {
    ws?.remove();
    okta?.remove();
    await moto?.stop();
  });

  it('the scheduled run applies the removals-only okta plan, the aws stack is unchanged, and the access is gone in AWS', async () => {
    moto = await Moto.start(engine());
    ws = new Workspace(engine(), { moto, today: '2027-01-15', name: 'expiry' }).copyFrom(EXAMPLE_ORG);
    const model = loadAccessDir('access', ws.dir).model!;
    okta = new OktaEmulator(expectedOkta(model, '2027-01-15').logins);
    ws.okta = okta;
    const head = ws.commit('example org');
    moto.seed(model.groups.filter((g) => g.pushedToAws).map((g) => g.name));
    const stacks = await ws.synth();
    const accounts = model.accounts.map((a) => a.id);

    // Day 1: everything applied and recorded, SCIM has run.
    const record = async (): Promise<{ stacks: string[]; digests: Record<string, string> }> => {
      const r = await ws.accessctl(['affected', '--applied', 'applied.json', '--format', 'json']);
      return JSON.parse(r.stdout);
    };
    const okStack = ws.stack('okta').init();
    okStack.planAndApply('day1');
    const appId = Object.keys(okta.objects('okta_app_saml'))[0]!;
    moto.scim(okta.scimView(appId));
    for (const s of stacks.filter((x) => x.startsWith('aws'))) ws.stack(s).init().planAndApply('day1');
    const day1 = await record();
    for (const s of day1.stacks) expect((await ws.accessctl(['record-applied', '--record', 'applied.json', '--stack', s, '--digest', day1.digests[s]!, '--commit', head])).code).toBe(0);
    const before = access(moto.read(accounts));
    const erin = before.filter((r) => r.startsWith('erin.kowalski@example.com '));
    // Exactly what who-can says she holds, and more than nothing.
    const whoCan = JSON.parse((await ws.accessctl(['who-can', '--user', 'erin.kowalski@example.com', '--format', 'json'])).stdout) as { access: { user: string; accountId: string; permissionSet: string }[] };
    expect(erin).toEqual(whoCan.access.map((r) => `${r.user} ${r.permissionSet} ${r.accountId}`).sort());
    expect(erin.length).toBeGreaterThan(0);

    // Day 2: erin.kowalski's membership of aws-payments-admins ended after 2027-01-15. Nothing is merged.
    ws.setToday('2027-01-16');
    expect((await record()).stacks).toEqual(['okta']);
    await ws.synth();
    const plan = okStack.plan('day2');
    const summary = JSON.parse((await ws.accessctl(['plan-summary', plan.jsonFile, '--format', 'json'])).stdout) as { ok: boolean; removalsOnly: boolean };
    expect([summary.ok, summary.removalsOnly]).toEqual([true, true]);
    okStack.apply(plan.planFile);
    for (const s of stacks.filter((x) => x.startsWith('aws'))) expect(actionsOf(ws.stack(s).plan('day2').json!)).toEqual({});
    // SCIM carries the change to AWS: the user leaves the group and, no longer assigned to the app, is deactivated.
    moto.scim(okta.scimView(appId));
    const after = moto.read(accounts);
    expect(access(after)).toEqual(before.filter((r) => !r.startsWith('erin.kowalski@example.com ')));
    expect(after.members['aws-payments-admins']).toEqual(['dave.okafor@example.com']);
  });
});
