// The engine suite's Okta provisioning tests: real OpenTofu plans and applies
// of the okta stack against the emulated Okta (engine/okta-schema in emulator
// mode), which hands out one id per object and logs every call in order.
// They prove what mock_provider cannot: which group is assigned and which is
// pushed, in which order a first apply and the migration from the layout
// before the assignment group run, and that nobody is unassigned on the way.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeEngine } from '../../engine/jest';
import { actionsOf, Stack, Workspace, type Engine, type PlanJson } from '../../engine/harness';
import { expectedOkta } from '../../engine/okta';
import { OktaEmulator, oktaUserId, TEST_SCIM_TOKEN, type OktaCall } from '../../engine/okta-emulator';
import { EXAMPLE_ORG, edit } from '../../engine/orgs';
import { loadAccessDir } from '../../src/model/load';

jest.setTimeout(900_000);

const TODAY = '2026-12-01';
/** The layout before the assignment group (accessctl up to this change) for the example org: every AWS group both assigned and pushed. */
const BEFORE = path.join(__dirname, 'fixtures', 'okta-assigned-and-pushed.json');
/** Everyone in a group with apps: [aws] in the example org. */
const PROVISIONED = [
  'alice.nguyen@example.com', 'bob.martin@example.com', 'carol.smith@example.com', 'dave.okafor@example.com', 'erin.kowalski@example.com',
  'frank.li@example.com', 'grace.park@example.com', 'heidi.schmidt@example.com', 'ivan.petrov@example.com', 'judy.adams@example.com',
];
const PUSHED = ['aws-incident-responders', 'aws-payments-admins', 'aws-payments-developers', 'aws-platform-admins', 'aws-sandbox-users', 'aws-security-auditors'];

const index = (calls: readonly OktaCall[], pred: (c: OktaCall) => boolean): number => calls.findIndex(pred);
const lastIndex = (calls: readonly OktaCall[], pred: (c: OktaCall) => boolean): number => calls.map(pred).lastIndexOf(true);

describeEngine('engine: Okta to AWS provisioning against the emulated Okta', (engine: () => Engine) => {
  let ws: Workspace;
  let okta: OktaEmulator;

  async function workspace(name: string): Promise<Stack> {
    ws = new Workspace(engine(), { today: TODAY, name });
    ws.copyFrom(EXAMPLE_ORG);
    const model = loadAccessDir('access', ws.dir).model!;
    okta = new OktaEmulator(expectedOkta(model, TODAY).logins);
    ws.okta = okta;
    ws.commit('example org');
    await ws.synth();
    return ws.stack('okta').init();
  }

  const appId = (): string => Object.keys(okta.objects('okta_app_saml'))[0]!;

  async function summary(planFile: string): Promise<{ json: { revocations: number; ok: boolean; removalsOnly: boolean; changes: { address: string; action: string; words: string[] }[] }; text: string }> {
    const j = await ws.accessctl(['plan-summary', planFile, '--format', 'json']);
    const t = await ws.accessctl(['plan-summary', planFile]);
    expect([j.code, j.stderr, t.stderr]).toEqual([0, '', '']);
    return { json: JSON.parse(j.stdout), text: t.stdout };
  }

  afterEach(() => {
    ws?.remove();
    okta?.remove();
  });

  it('one apply from nothing: user provisioning, then the assignment group and its members, its assignment, then the pushes; no group both assigned and pushed', async () => {
    const stack = await workspace('okta-first');
    const first = stack.plan('first');
    // The okta stack holds no SCIM token at all: the connection is the okta-scim stack's (test/engine/secrets.test.ts).
    expect(fs.readFileSync(first.jsonFile, 'utf8')).not.toContain(TEST_SCIM_TOKEN);
    expect(first.json!.resource_changes!.filter((c) => c.type === 'okta_app_connection')).toEqual([]);
    stack.apply(first.planFile);
    const calls = okta.calls();
    const create = (type: string): number => index(calls, (c) => c.op === 'create' && c.type === type);
    const assignmentGroupId = Object.entries(okta.objects('okta_group')).find(([, g]) => g.name === 'aws-iam-identity-center-users')![0];
    const order = {
      features: create('okta_app_features'),
      members: index(calls, (c) => c.op === 'create' && c.type === 'okta_group_memberships' && c.id === assignmentGroupId),
      assigned: index(calls, (c) => c.op === 'assign' && c.type === 'okta_app_group_assignment' && c.group === assignmentGroupId),
      onlyAssigned: create('okta_app_group_assignments'),
      firstPush: create('okta_push_group'),
    };
    expect(Object.values(order).every((i) => i >= 0)).toBe(true);
    expect(order.features).toBeLessThan(order.assigned);
    expect(order.members).toBeLessThan(order.assigned);
    expect(order.assigned).toBeLessThan(order.onlyAssigned);
    expect(order.onlyAssigned).toBeLessThan(order.firstPush);
    // What Okta holds: the assignment group alone assigned, the six AWS groups pushed, everyone in them provisioned.
    expect(okta.assignedGroups(appId())).toEqual(['aws-iam-identity-center-users']);
    expect(okta.pushedGroups(appId())).toEqual(PUSHED);
    expect(okta.provisioned(appId())).toEqual(PROVISIONED);
    // Then the okta-scim stack connects SCIM to the app the okta stack made.
    ws.stack('okta-scim').init().planAndApply('connect');
    expect(Object.values(okta.objects('okta_app_connection'))).toEqual([expect.objectContaining({ id: appId(), action: 'activate', base_url: 'https://scim.us-east-1.amazonaws.com/5f0c2b7e-8d4a-4c1e-9b3f-2a6d8e1c7f90/scim/v2' })]);
    expect(Object.values(okta.objects('okta_push_group')).every((p) => p.delete_target_group_on_destroy === false)).toBe(true);
    // Nothing left to do.
    const again = stack.plan('again');
    expect(actionsOf(again.json!)).toEqual({});
  });

  it('a member removed from their last AWS group leaves the assignment group: the plan unassigns them from the app, so SCIM deactivates them', async () => {
    const stack = await workspace('okta-leave');
    stack.planAndApply('first');
    const base = ws.commit('applied');
    // heidi.schmidt is in aws-security-auditors only.
    ws.write({ 'groups/aws-security-auditors.yaml': edit(ws.read('groups/aws-security-auditors.yaml'), '  - heidi.schmidt@example.com\n', '') });
    await ws.synth({ base });
    const plan = stack.plan('leave');
    expect(actionsOf(plan.json!)).toEqual({
      'okta_group_memberships.assignment["aws"]': 'update',
      'okta_group_memberships.this["aws-security-auditors"]': 'update',
    });
    const change = plan.json!.resource_changes!.find((c) => c.address === 'okta_group_memberships.assignment["aws"]')!.change as { before: { users: string[] }; after: { users: string[] } };
    expect(change.before.users.filter((u) => !change.after.users.includes(u))).toEqual([oktaUserId('heidi.schmidt@example.com')]);
    const s = await summary(plan.jsonFile);
    // What CI uploads (accessctl redact-plan: an allowlist, no profiles, no other state) says exactly the same.
    const redacted = await ws.accessctl(['redact-plan', plan.jsonFile]);
    expect([redacted.code, redacted.stderr]).toEqual([0, '']);
    expect(redacted.stdout).not.toContain('"email"');
    fs.writeFileSync(plan.jsonFile, redacted.stdout);
    expect(await summary(plan.jsonFile)).toEqual(s);
    expect(s.json.changes.find((i) => i.address === 'okta_group_memberships.assignment["aws"]')!.words).toEqual([
      'heidi.schmidt@example.com leaves aws-iam-identity-center-users: SCIM deactivates their AWS IAM Identity Center user (no longer in a group pushed to AWS)',
    ]);
    const diff = await ws.accessctl(['diff', '--base', base]);
    expect(diff.stdout).toContain('- heidi.schmidt@example.com leaves aws-iam-identity-center-users: SCIM deactivates their AWS IAM Identity Center user (no longer in a group pushed to AWS)');
    stack.apply(plan.planFile);
    expect(okta.provisioned(appId())).toEqual(PROVISIONED.filter((l) => l !== 'heidi.schmidt@example.com'));
  });

  it('an expiry that passes, with nothing merged, is a removals-only plan: the apply record lists the stack, the apply removes the member and SCIM deactivates them', async () => {
    const stack = await workspace('okta-expiry');
    const pending = async (): Promise<{ stacks: string[]; digests: Record<string, string> }> => {
      const r = await ws.accessctl(['affected', '--applied', 'applied.json', '--format', 'json']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      return JSON.parse(r.stdout);
    };
    const head = ws.git(['rev-parse', 'HEAD']);
    stack.planAndApply('first');
    const first = await pending();
    for (const s of first.stacks) expect((await ws.accessctl(['record-applied', '--record', 'applied.json', '--stack', s, '--digest', first.digests[s]!, '--commit', head])).code).toBe(0);
    expect((await pending()).stacks).toEqual([]);
    // erin.kowalski's membership of aws-payments-admins, her only AWS group, ends after 2027-01-15.
    ws.setToday('2027-01-16');
    expect((await pending()).stacks).toEqual(['okta']);
    await ws.synth();
    const plan = stack.plan('expiry');
    expect(actionsOf(plan.json!)).toEqual({
      'okta_group_memberships.assignment["aws"]': 'update',
      'okta_group_memberships.this["aws-payments-admins"]': 'update',
    });
    const s = await summary(plan.jsonFile);
    expect([s.json.ok, s.json.removalsOnly, s.json.revocations]).toEqual([true, true, 2]);
    stack.apply(plan.planFile);
    expect(okta.provisioned(appId())).toEqual(PROVISIONED.filter((l) => l !== 'erin.kowalski@example.com'));
    const admins = [...okta.groupNames()].find(([, n]) => n === 'aws-payments-admins')![0];
    expect([...okta.members().get(admins)!]).toEqual([oktaUserId('dave.okafor@example.com')]);
  });

  it('a member moving between two AWS groups keeps their user: the assignment group does not change', async () => {
    const stack = await workspace('okta-move');
    stack.planAndApply('first');
    const base = ws.commit('applied');
    // carol.smith moves from aws-security-auditors to aws-incident-responders.
    ws.write({
      'groups/aws-security-auditors.yaml': edit(ws.read('groups/aws-security-auditors.yaml'), '  - carol.smith@example.com\n', ''),
      'groups/aws-incident-responders.yaml': edit(ws.read('groups/aws-incident-responders.yaml'), 'members:\n', 'members:\n  - carol.smith@example.com\n'),
    });
    await ws.synth({ base });
    const plan = stack.plan('move');
    expect(actionsOf(plan.json!)).toEqual({
      'okta_group_memberships.this["aws-incident-responders"]': 'update',
      'okta_group_memberships.this["aws-security-auditors"]': 'update',
    });
    const diff = await ws.accessctl(['diff', '--base', base]);
    expect(diff.stdout).not.toContain('aws-iam-identity-center-users');
    // A move also adds access: never applied without a person.
    expect((await summary(plan.jsonFile)).json).toMatchObject({ removalsOnly: false });
    okta.clearCalls();
    stack.apply(plan.planFile);
    expect(okta.calls().filter((c) => c.op === 'assign' || c.op === 'unassign')).toEqual([]);
    expect(okta.provisioned(appId())).toEqual(PROVISIONED);
  });

  it('migrates an org on the layout before the assignment group without unassigning anyone, and says so in words', async () => {
    const stack = await workspace('okta-migrate');
    // Today's state: the example org applied by the previous layout (every AWS group assigned and pushed).
    const current = fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8');
    fs.copyFileSync(BEFORE, path.join(stack.dir, 'cdk.tf.json'));
    stack.init().planAndApply('before');
    const app = appId();
    expect(okta.assignedGroups(app)).toEqual(PUSHED);
    const before = okta.provisioned(app);
    expect(before).toEqual(PROVISIONED);
    const assignedIds = [...okta.groupNames()].filter(([, n]) => PUSHED.includes(n)).map(([id]) => id);
    const start = okta.snapshot(app);

    // The upgrade: the new layout of the same files.
    fs.writeFileSync(path.join(stack.dir, 'cdk.tf.json'), current);
    const plan = stack.init().plan('upgrade');
    const actions = actionsOf(plan.json!);
    expect(Object.values(actions).filter((a) => a.startsWith('delete') || a.includes('create,delete') || a.includes('delete,create'))).toEqual([]);
    expect(actions).toEqual({
      'okta_app_features.this["aws"]': 'create',
      'okta_app_group_assignment.assignment["aws"]': 'create',
      'okta_app_group_assignments.this["aws"]': 'update',
      'okta_group.assignment["aws"]': 'create',
      'okta_group_memberships.assignment["aws"]': 'create',
    });
    const s = await summary(plan.jsonFile);
    expect([s.json.revocations, s.json.ok]).toEqual([0, true]);
    expect(s.json.changes.find((i) => i.address === 'okta_app_group_assignments.this["aws"]')!.words).toEqual([
      `the aws app: ${PUSHED.join(', ')} are no longer assigned to it, only pushed (a one-time change: Okta does not support a group both assigned and pushed). Their members stay assigned through aws-iam-identity-center-users, which is assigned first`,
    ]);
    expect(s.text).toContain('aws-iam-identity-center-users is assigned to the app aws');

    okta.clearCalls();
    stack.apply(plan.planFile);
    const calls = okta.calls();
    // The assignment group is assigned before any AWS group is unassigned, so nobody loses the app on the way.
    expect(index(calls, (c) => c.op === 'assign' && c.type === 'okta_app_group_assignment' && c.app === app)).toBeLessThan(index(calls, (c) => c.op === 'unassign'));
    expect(calls.filter((c) => c.op === 'unassign').map((c) => c.group).sort()).toEqual([...assignedIds].sort());
    expect(lastIndex(calls, (c) => c.op === 'unassign')).toBeGreaterThan(0);
    expect(okta.lostOnTheWay(app, start)).toEqual([]);
    expect(okta.assignedGroups(app)).toEqual(['aws-iam-identity-center-users']);
    expect(okta.pushedGroups(app)).toEqual(PUSHED);
    expect(okta.provisioned(app)).toEqual(before);
    expect(actionsOf(stack.plan('after').json!)).toEqual({});
  });

  it('the replay of the calls is a real check: going back to the old layout would unassign everyone on the way', async () => {
    const stack = await workspace('okta-replay');
    stack.planAndApply('first');
    const app = appId();
    const start = okta.snapshot(app);
    fs.copyFileSync(BEFORE, path.join(stack.dir, 'cdk.tf.json'));
    okta.clearCalls();
    stack.init().planAndApply('back');
    // okta_app_group_assignments removes before it adds: the assignment group goes first, and with it everyone.
    expect(okta.lostOnTheWay(app, start)).toEqual(PROVISIONED);
    expect(okta.provisioned(app)).toEqual(PROVISIONED);
  });

  it('the SCIM token: plans without it change nothing; a new tokenIssued re-creates the connection with the token of that run', async () => {
    const stack = await workspace('okta-token');
    stack.planAndApply('first');
    let scim = ws.stack('okta-scim').init();
    scim.planAndApply('connect');
    const base = ws.commit('applied');
    // A plan with another token value: nothing to do (the token is sent only when the connection is made).
    const other = new Stack(scim.engine, scim.dir, 'okta-scim', { ...okta.env(), TF_VAR_okta_aws_scim_token: 'another-token' });
    expect(actionsOf(other.plan('other').json!)).toEqual({});
    // An empty token is refused before anything is planned.
    const empty = new Stack(scim.engine, scim.dir, 'okta-scim', { ...okta.env(), TF_VAR_okta_aws_scim_token: ' ' });
    const refused = empty.plan('empty');
    expect([refused.code, refused.output.replace(/\s+/g, ' ')]).toEqual([1, expect.stringContaining('The SCIM token is empty: set TF_VAR_okta_aws_scim_token from the CI secret OKTA_AWS_SCIM_TOKEN')]);
    // Rotation: the new day in settings, the new token in the secret. The okta stack does not change.
    ws.write({ 'settings.yaml': edit(ws.read('settings.yaml'), 'tokenIssued: 2026-11-02', 'tokenIssued: 2026-12-01') });
    await ws.synth({ base });
    expect(actionsOf(stack.plan('okta-unchanged').json!)).toEqual({});
    scim = new Stack(scim.engine, scim.dir, 'okta-scim', { ...okta.env(), TF_VAR_okta_aws_scim_token: 'the-new-token' });
    const plan = scim.plan('rotate');
    expect(actionsOf(plan.json!)).toEqual({ 'okta_app_connection.this["aws"]': 'delete,create', 'terraform_data.scim_token["aws"]': 'delete,create' });
    const s = await summary(plan.jsonFile);
    expect(s.json.changes.find((c) => c.address === 'okta_app_connection.this["aws"]')!.words).toEqual(['SCIM provisioning of the aws app is re-created with the token of this run (scim.tokenIssued changed)']);
    scim.apply(plan.planFile);
    expect(Object.values(okta.objects('okta_app_connection'))).toEqual([expect.objectContaining({ profile: expect.objectContaining({ token: 'the-new-token' }) })]);
    expect(okta.provisioned(appId())).toEqual(PROVISIONED);
  });

  it('the okta-scim stack refuses to connect before the okta stack has made the app', async () => {
    const stack = await workspace('okta-scim-first');
    const scim = ws.stack('okta-scim').init();
    // No okta state at all: the engine stops at the remote state.
    const none = scim.plan('no-state');
    expect([none.code, none.output.replace(/\s+/g, ' ')]).toEqual([1, expect.stringContaining('Unable to find remote state')]);
    // An okta state without the app's id (the layout before okta-scim, before its first apply in this layout): the precondition.
    const config = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8'));
    delete config.output.aws_app_ids;
    fs.writeFileSync(path.join(stack.dir, 'cdk.tf.json'), JSON.stringify(config));
    stack.planAndApply('without-output');
    const early = scim.plan('too-early');
    expect([early.code, early.output.replace(/\s+/g, ' ')]).toEqual([1, expect.stringContaining('The okta stack has no AWS app "aws" yet: apply the okta stack first (apply-okta.sh does).')]);
    expect(okta.objects('okta_app_connection')).toEqual({});
  });

  it('imports existing pushes with one in-place change (delete_target_group_on_destroy, which the provider never reads) and no diff after', async () => {
    const stack = await workspace('okta-import');
    stack.planAndApply('first');
    const app = appId();
    const names = okta.groupNames();
    const pushes = Object.entries(okta.objects('okta_push_group')).map(([id, p]) => ({ id, group: names.get(String(p.source_group_id))! }));
    // Pushes made outside Terraform: forget them, then adopt them through imports.yaml.
    stack.ok(['state', 'rm', '-no-color', 'okta_push_group.this']);
    ws.write({
      'imports.yaml': `imports:\n${pushes.map((p) => `  - resource: okta_push_group\n    key: ${p.group}\n    id: ${app}/${p.id}\n`).join('')}`,
    });
    await ws.synth();
    const plan = stack.plan('import');
    expect(actionsOf(plan.json!)).toEqual(Object.fromEntries(PUSHED.map((g) => [`okta_push_group.this["${g}"]`, 'update (import)'])));
    for (const c of plan.json!.resource_changes!.filter((x) => x.type === 'okta_push_group')) {
      const { before, after } = c.change as { before: Record<string, unknown>; after: Record<string, unknown> };
      const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      expect([c.address, changed, before.delete_target_group_on_destroy, after.delete_target_group_on_destroy]).toEqual([c.address, ['delete_target_group_on_destroy'], null, false]);
    }
    stack.apply(plan.planFile);
    const again: PlanJson = stack.plan('again').json!;
    expect(actionsOf(again)).toEqual({});
  });
});
