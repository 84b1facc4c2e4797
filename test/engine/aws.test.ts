// Tests 2 to 4 of the engine suite: the example org's AWS stack applied by the
// real engine and provider against the emulated AWS, read back through the AWS
// API and compared with the model and with who-can; then real plans of the
// changes users make, and plan-summary on those plans (not on fixtures).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeEngine } from '../../engine/jest';
import { actionsOf, Moto, Workspace, type Engine, type LiveAws, type PlanJson } from '../../engine/harness';
import { EXAMPLE_ORG, edit, newGroup, renameGroupAndPermissionSet } from '../../engine/orgs';
import { isActive } from '../../src/model/access';
import { loadAccessDir } from '../../src/model/load';
import type { AccessModel } from '../../src/model/types';

jest.setTimeout(900_000);

const TODAY = '2026-12-01';

function model(ws: Workspace): AccessModel {
  const r = loadAccessDir('access', ws.dir);
  if (!r.model) throw new Error(`the workspace's files do not load: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
  return r.model;
}

/** What the files say IAM Identity Center must hold, in the shape the emulator read returns. */
function expectedAws(m: AccessModel): Pick<LiveAws, 'permissionSets' | 'assignments'> {
  const permissionSets: LiveAws['permissionSets'] = {};
  for (const ps of m.permissionSets) {
    const b = ps.permissionsBoundary;
    permissionSets[ps.name] = {
      description: ps.description ?? null,
      sessionDuration: ps.sessionDuration ?? null,
      relayState: ps.relayState ?? null,
      tags: { ...ps.tags },
      managedPolicies: ps.managedPolicies.map((p) => p.arn).sort(),
      customerManagedPolicies: ps.customerManagedPolicies.map((c) => `${c.path}${c.name}`).sort(),
      inlinePolicy: ps.inlinePolicyJson === undefined ? null : JSON.parse(ps.inlinePolicyJson),
      permissionsBoundary: b === undefined ? null : 'managedPolicyArn' in b ? { ManagedPolicyArn: b.managedPolicyArn } : { CustomerManagedPolicyReference: { Name: b.customerManagedPolicy.name, Path: b.customerManagedPolicy.path } },
    };
  }
  const assignments = m.assignments
    .map((a) => ({ group: a.group, principalType: 'GROUP', permissionSet: a.permissionSet, accountId: a.accountId }))
    .sort((x, y) => (x.group + x.permissionSet + x.accountId < y.group + y.permissionSet + y.accountId ? -1 : 1));
  return { permissionSets, assignments };
}

const triple = (a: { group: string | null; permissionSet: string; accountId: string }): string => `${a.group}|${a.permissionSet}|${a.accountId}`;

interface SummaryJson {
  ok: boolean;
  rails: { id: string; tripped: boolean; overridden: boolean; addresses: string[] }[];
  pendingScimGroups: string[];
  changes: { address: string; action: string; words: string[] }[];
}

describeEngine('engine: the AWS stack against the emulated AWS', (engine: () => Engine) => {
  let moto: Moto;
  let ws: Workspace;
  let base: string;
  let applied: PlanJson;
  let groupIds: Record<string, string>;

  beforeAll(async () => {
    moto = await Moto.start(engine());
    ws = new Workspace(engine(), { moto, today: TODAY, name: 'aws' }).copyFrom(EXAMPLE_ORG);
    base = ws.commit('the example org');
    const m = model(ws);
    // What SCIM Group Push would have created: every group assigned to the AWS app.
    groupIds = moto.seed(m.groups.filter((g) => g.pushedToAws).map((g) => g.name)).groups;
    await ws.synth({ base });
    applied = ws.stack('aws').init().planAndApply('apply');
  });

  afterAll(async () => {
    await moto?.stop();
    ws?.remove();
  });

  /**
   * Puts the files back to the applied revision, then applies the edits `change` makes of them (it reads the
   * restored files), synthesizes against the applied revision and plans the stacks.
   */
  async function planChange(change: (read: (rel: string) => string) => Readonly<Record<string, string | null>>, stacks = ['aws']): Promise<Record<string, ReturnType<ReturnType<Workspace['stack']>['plan']>>> {
    ws.git(['checkout', '-q', base, '--', 'access']);
    ws.git(['clean', '-q', '-fd', 'access']);
    ws.write(change((rel) => ws.read(rel)));
    await ws.synth({ base });
    return Object.fromEntries(stacks.map((s) => [s, ws.stack(s).plan(`change-${s}`)]));
  }

  async function summary(planFiles: string[], extra: string[] = []): Promise<{ code: number; json: SummaryJson; text: string }> {
    const j = await ws.accessctl(['plan-summary', ...planFiles, '--format', 'json', ...extra]);
    const t = await ws.accessctl(['plan-summary', ...planFiles, ...extra]);
    expect([j.code, j.stderr]).toEqual([t.code, '']);
    return { code: j.code, json: JSON.parse(j.stdout) as SummaryJson, text: t.stdout };
  }

  describe('apply of the example org', () => {
    it('creates every permission set, policy and assignment the files declare, and nothing else', () => {
      const creates = Object.values(actionsOf(applied));
      expect(new Set(creates)).toEqual(new Set(['create']));
      const live = moto.read(model(ws).accounts.map((a) => a.id));
      const expected = expectedAws(model(ws));
      expect(live.permissionSets).toEqual(expected.permissionSets);
      expect(live.assignments).toEqual(expected.assignments);
      expect(live.assignments).toHaveLength(31);
    });

    it('matches who-can: every row is held through a live assignment of one of its groups, and every live assignment of a group with members is a row', async () => {
      const r = await ws.accessctl(['who-can', '--format', 'json']);
      expect(r.code).toBe(0);
      const rows = (JSON.parse(r.stdout) as { access: { user: string; accountId: string; permissionSet: string; via: string[] }[] }).access;
      const live = new Set(moto.read(model(ws).accounts.map((a) => a.id)).assignments.map(triple));
      const fromRows = new Set(rows.flatMap((row) => row.via.map((g) => `${g}|${row.permissionSet}|${row.accountId}`)));
      for (const t of fromRows) expect([t, live.has(t)]).toEqual([t, true]);
      const withMembers = new Set(model(ws).groups.filter((g) => g.members.some((m) => isActive(m, TODAY))).map((g) => g.name));
      expect([...live].filter((t) => withMembers.has(t.split('|')[0]!)).sort()).toEqual([...fromRows].sort());
      expect(rows.length).toBeGreaterThan(30);
    });

    it('plans nothing the second time', () => {
      const p = ws.stack('aws').plan('second');
      expect(p.code).toBe(0);
      expect(actionsOf(p.json!)).toEqual({});
    });
  });

  describe('changes, each planned by the engine after the apply', () => {
    it('files reordered, reformatted and split: the same bytes, an empty plan', async () => {
      const before = fs.readFileSync(path.join(ws.stackDir('aws'), 'cdk.tf.json'), 'utf8');
      const flow = (a: AccessModel['accounts'][number]): string =>
        `  - { tags: ${JSON.stringify(a.tags)}, ou: ${JSON.stringify(a.ou)}, id: "${a.id}", name: ${a.name}${a.description ? `, description: ${JSON.stringify(a.description)}` : ''} }\n`;
      const accounts = [...model(ws).accounts].reverse();
      const plans = await planChange(() => ({
        // The group in a folder of its own, in flow style, keys in another order, comments gone, members reversed.
        'groups/aws-platform-admins.yaml': null,
        'groups/platform/aws-platform-admins.yaml': `aws: [{ accounts: { tags: { team: platform }, ou: "Workloads/**" }, permissionSet: AdministratorAccess }, { permissionSet: ReadOnly, accounts: { ou: "**" } }]
apps: [aws]
members: [{ reason: "Platform on-call rotation, winter 2026/27", expires: 2027-02-15, user: bob.martin@example.com }, alice.nguyen@example.com]
mode: authoritative
owners: [alice.nguyen@example.com]
description: Platform team administrators for platform accounts; read-only everywhere.
name: aws-platform-admins
`,
        // accounts.yaml split in two files, in reverse order.
        'accounts.yaml': null,
        'accounts/first.yaml': `accounts:\n${accounts.slice(0, 4).map(flow).join('')}`,
        'accounts/second.yaml': `accounts:\n${accounts.slice(4).map(flow).join('')}`,
      }));
      expect(fs.readFileSync(path.join(ws.stackDir('aws'), 'cdk.tf.json'), 'utf8')).toBe(before);
      expect(actionsOf(plans.aws!.json!)).toEqual({});
    });

    it('a member added: the AWS stack is unchanged and plans nothing; only okta is affected', async () => {
      const plans = await planChange((read) => ({
        'groups/aws-sandbox-users.yaml': edit(read('groups/aws-sandbox-users.yaml'), '  - frank.li@example.com\n', '  - frank.li@example.com\n  - judy.adams@example.com\n'),
      }));
      expect(actionsOf(plans.aws!.json!)).toEqual({});
      ws.commit('judy joins the sandbox');
      const affected = await ws.accessctl(['affected', '--base', base, '--head', 'HEAD', '--format', 'json']);
      ws.git(['reset', '-q', '--hard', base]);
      expect(JSON.parse(affected.stdout).stacks).toEqual(['okta']);
    });

    it('a grant removed: exactly its assignments are destroyed, and plan-summary says so in words', async () => {
      const plans = await planChange((read) => ({
        'groups/aws-payments-admins.yaml': edit(read('groups/aws-payments-admins.yaml'), '  - permissionSet: PowerUser\n    accounts: [payments-staging]\n', ''),
      }));
      expect(actionsOf(plans.aws!.json!)).toEqual({ 'aws_ssoadmin_account_assignment.this["aws-payments-admins|PowerUser|234567890123"]': 'delete' });
      const s = await summary([plans.aws!.jsonFile]);
      expect(s.code).toBe(0);
      expect(s.json.changes.map((c) => c.words).flat()).toEqual(['aws-payments-admins loses PowerUser on payments-staging (234567890123) (2 members: dave.okafor@example.com, erin.kowalski@example.com)']);
      expect(s.json.rails.map((r) => [r.id, r.tripped])).toEqual([['mass-revocation', false], ['replace', false], ['unexplained-delete', false]]);
    });

    it('a group and a permission set renamed in one change: moves, no assignment destroyed except those the permission set replacement forces, and words for them', async () => {
      const groupFiles = fs.readdirSync(path.join(ws.dir, 'access', 'groups')).map((f) => `groups/${f}`);
      const plans = await planChange((read) => renameGroupAndPermissionSet(read, groupFiles));
      const plan = plans.aws!.json!;
      const changes = plan.resource_changes!.filter((c) => c.change.actions.join(',') !== 'no-op' || c.previous_address !== undefined);
      const byAction = (a: string): string[] => changes.filter((c) => c.change.actions.join(',') === a).map((c) => c.address).sort();
      // Nothing is only deleted: every old address moved to a new one.
      expect(byAction('delete')).toEqual([]);
      expect(changes.filter((c) => c.previous_address !== undefined).map((c) => `${c.previous_address} -> ${c.address}`).sort()).toEqual([
        'aws_ssoadmin_account_assignment.this["aws-payments-admins|AdministratorAccess|123456789012"] -> aws_ssoadmin_account_assignment.this["aws-payments-oncall|AdministratorAccess|123456789012"]',
        'aws_ssoadmin_account_assignment.this["aws-payments-admins|PowerUser|234567890123"] -> aws_ssoadmin_account_assignment.this["aws-payments-oncall|PowerOperator|234567890123"]',
        'aws_ssoadmin_account_assignment.this["aws-payments-developers|PowerUser|234567890123"] -> aws_ssoadmin_account_assignment.this["aws-payments-developers|PowerOperator|234567890123"]',
        'aws_ssoadmin_account_assignment.this["aws-sandbox-users|PowerUser|067890123456"] -> aws_ssoadmin_account_assignment.this["aws-sandbox-users|PowerOperator|067890123456"]',
        'aws_ssoadmin_managed_policy_attachment.this["PowerUser|arn:aws:iam::aws:policy/PowerUserAccess"] -> aws_ssoadmin_managed_policy_attachment.this["PowerOperator|arn:aws:iam::aws:policy/PowerUserAccess"]',
        'aws_ssoadmin_permission_set.this["PowerUser"] -> aws_ssoadmin_permission_set.this["PowerOperator"]',
        'aws_ssoadmin_permissions_boundary_attachment.this["PowerUser"] -> aws_ssoadmin_permissions_boundary_attachment.this["PowerOperator"]',
      ]);
      // The group rename keeps its Identity Store group (looked up by the old name until SCIM renames it): the admins' assignment just moves.
      expect(changes.find((c) => c.address.includes('aws-payments-oncall|AdministratorAccess'))!.change.actions).toEqual(['no-op']);
      // A permission set's name forces its replacement, and with it every attachment and assignment of it.
      const replaced = byAction('delete,create').concat(byAction('create,delete')).sort();
      expect(replaced).toEqual([
        'aws_ssoadmin_account_assignment.this["aws-payments-developers|PowerOperator|234567890123"]',
        'aws_ssoadmin_account_assignment.this["aws-payments-oncall|PowerOperator|234567890123"]',
        'aws_ssoadmin_account_assignment.this["aws-sandbox-users|PowerOperator|067890123456"]',
        'aws_ssoadmin_managed_policy_attachment.this["PowerOperator|arn:aws:iam::aws:policy/PowerUserAccess"]',
        'aws_ssoadmin_permission_set.this["PowerOperator"]',
        'aws_ssoadmin_permissions_boundary_attachment.this["PowerOperator"]',
      ]);
      const s = await summary([plans.aws!.jsonFile]);
      expect(s.code).toBe(1);
      expect(s.json.rails.filter((r) => r.tripped).map((r) => r.id)).toEqual(['replace']);
      expect(s.text).toContain("aws-sandbox-users's PowerOperator on sandbox-shared (067890123456) is REPLACED: its members lose the access until it is re-created");
      expect(s.text).toContain('permission set PowerOperator is REPLACED: every assignment of it is re-created, and its holders lose access meanwhile');
      const diff = await ws.accessctl(['diff', '--base', base]);
      expect(diff.stdout).toContain('! permission-set-replaced: permission set PowerUser is renamed to PowerOperator: AWS replaces it, and its holders lose access until the new one is provisioned');
      // The group rename alone moves its assignments: its AdministratorAccess is neither lost nor gained.
      expect(diff.stdout).not.toContain('AdministratorAccess via aws-payments-');
    });

    it('a new group waits for its SCIM push: no error, its assignments deferred and listed; once pushed, the plan creates them', async () => {
      ws.git(['checkout', '-q', base, '--', 'access']);
      const plans = await planChange(() => newGroup());
      expect(plans.aws!.code).toBe(0);
      expect(actionsOf(plans.aws!.json!)).toEqual({});
      expect(plans.aws!.json!.planned_values!.outputs!.pending_scim_groups!.value).toEqual(['aws-data-analysts']);
      const s = await summary([plans.aws!.jsonFile]);
      expect([s.code, s.json.pendingScimGroups]).toEqual([0, ['aws-data-analysts']]);
      moto.changeGroups({ create: ['aws-data-analysts'] });
      try {
        const pushed = ws.stack('aws').plan('pushed');
        expect(actionsOf(pushed.json!)).toEqual({
          'aws_ssoadmin_account_assignment.this["aws-data-analysts|ReadOnly|234567890123"]': 'create',
          'aws_ssoadmin_account_assignment.this["aws-data-analysts|ReadOnly|456789012345"]': 'create',
        });
        expect(pushed.json!.planned_values!.outputs!.pending_scim_groups!.value).toEqual([]);
      } finally {
        moto.changeGroups({ delete: ['aws-data-analysts'] });
      }
    });
  });

  describe('plan-summary rails on real plans', () => {
    it('mass revocation: a selector grant over every account removed trips it, and --allow-revoke accepts it', async () => {
      const plans = await planChange((read) => ({
        'groups/aws-platform-admins.yaml': edit(read('groups/aws-platform-admins.yaml'), '  - permissionSet: ReadOnly\n    accounts: { ou: "**" }\n', ''),
      }));
      expect(Object.keys(actionsOf(plans.aws!.json!))).toHaveLength(8);
      const s = await summary([plans.aws!.jsonFile]);
      expect(s.code).toBe(1);
      expect(s.json.rails.filter((r) => r.tripped).map((r) => r.id)).toEqual(['mass-revocation']);
      expect((await summary([plans.aws!.jsonFile], ['--allow-revoke'])).code).toBe(0);
    });

    it('unexplained delete: an account moved to a new shard is deleted from the aws state although the files still declare it', async () => {
      const plans = await planChange((read) => ({
        'settings.yaml': edit(read('settings.yaml'), 'backend:\n  type: local', 'stacks:\n  aws:\n    shards:\n      - { name: sandbox, accounts: [sandbox-shared] }\nbackend:\n  type: local'),
      }), ['aws']);
      expect(Object.entries(actionsOf(plans.aws!.json!)).filter(([, a]) => a === 'delete').map(([k]) => k).sort()).toEqual([
        'aws_ssoadmin_account_assignment.this["aws-platform-admins|ReadOnly|067890123456"]',
        'aws_ssoadmin_account_assignment.this["aws-sandbox-users|PowerUser|067890123456"]',
        'aws_ssoadmin_account_assignment.this["aws-security-auditors|SecurityAuditor|067890123456"]',
      ]);
      const s = await summary([plans.aws!.jsonFile], ['--allow-revoke']);
      expect(s.code).toBe(1);
      expect(s.json.rails.find((r) => r.id === 'unexplained-delete')).toMatchObject({ tripped: true, overridden: false });
    });
  });

  describe('imports', () => {
    it('adopts an assignment that exists in AWS but not in the state, and defers the import of one whose group waits for SCIM', async () => {
      const key = 'aws-security-auditors|SecurityAuditor|391847562013';
      const address = `aws_ssoadmin_account_assignment.this[${JSON.stringify(key)}]`;
      const aws = ws.stack('aws');
      const arns = aws.outputs().permission_set_arns as Record<string, string>;
      const live = moto.read([]);
      aws.ok(['state', 'rm', '-no-color', address]);
      const id = (group: string, ps: string, account: string): string => `${group},GROUP,${account},AWS_ACCOUNT,${arns[ps]},${live.instanceArn}`;
      const plans = await planChange(() => ({
        ...newGroup(),
        'imports.yaml': `imports:
  - { resource: aws_ssoadmin_account_assignment, key: "${key}", id: "${id(groupIds['aws-security-auditors']!, 'SecurityAuditor', '391847562013')}" }
  - { resource: aws_ssoadmin_account_assignment, key: "aws-data-analysts|ReadOnly|234567890123", id: "${id('00000000-0000-0000-0000-000000000000', 'ReadOnly', '234567890123')}" }
`,
      }));
      expect(plans.aws!.code).toBe(0);
      expect(actionsOf(plans.aws!.json!)).toEqual({ [address]: 'no-op (import)' });
      expect(plans.aws!.json!.planned_values!.outputs!.pending_scim_groups!.value).toEqual(['aws-data-analysts']);
      aws.apply(plans.aws!.planFile);
      // Adopted, not created again: AWS still holds the one assignment it had.
      expect(moto.read(['391847562013']).assignments.filter((a) => a.group === 'aws-security-auditors').map(triple)).toEqual([
        'aws-security-auditors|ReadOnly|391847562013',
        'aws-security-auditors|SecurityAuditor|391847562013',
      ]);
      expect(actionsOf(aws.plan('after-import').json!)).toEqual({});
    });
  });

  describe('a group that vanished from the Identity Store', () => {
    it('fails the plan loudly with the precondition and destroys nothing', async () => {
      await planChange(() => ({}));
      moto.changeGroups({ delete: ['aws-security-auditors'] });
      const p = ws.stack('aws').plan('vanished');
      expect(p.code).toBe(1);
      expect(p.output).toContain('Group "aws-security-auditors" is not in the AWS Identity Store.');
      expect(p.json).toBeUndefined();
      expect(Object.keys(groupIds)).toContain('aws-security-auditors');
    });
  });
});
