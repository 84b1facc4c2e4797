import { diffModels } from '../../src/diff/diff';
import type { RevisionDiff } from '../../src/diff/revisions';
import { DIFF_MARKDOWN_LIMIT, formatDiffMarkdown } from '../../src/reporters/diff/markdown';
import type { AccessModel } from '../../src/model/types';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BASE, load, run, tempRepo } from '../support/helpers';
import { initRepo } from '../support/git';

const TODAY = '2026-11-23';

/** A small org: payments-prod and payments-dev, one permission set held by three people on payments-prod. */
const ORG: Readonly<Record<string, string>> = {
  ...BASE,
  'accounts.yaml': `accounts:
  - { name: payments-prod, id: "123456789012", ou: Workloads/Prod, tags: { team: payments } }
  - { name: payments-dev, id: "234567890123", ou: Workloads/Dev, tags: { team: payments } }
`,
  'permission-sets/ReadOnly.yaml': 'name: ReadOnly\nmanagedPolicies: [ReadOnlyAccess]\n',
  'permission-sets/Deploy.yaml': `name: Deploy
managedPolicies: [ViewOnlyAccess]
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - { Effect: Allow, Action: ["codepipeline:StartPipelineExecution"], Resource: "*" }
`,
  'permission-sets/AdministratorAccess.yaml': 'name: AdministratorAccess\nmanagedPolicies: [AdministratorAccess]\n',
  'groups/payments.yaml': `name: payments
mode: additive
members: [alice@example.com, bob@example.com, carol@example.com]
apps: [aws]
aws:
  - { permissionSet: ReadOnly, accounts: [payments-prod] }
  - { permissionSet: Deploy, accounts: [payments-dev] }
`,
  'groups/admins.yaml': `name: admins
mode: additive
members: [dave@example.com]
apps: [aws]
aws:
  - { permissionSet: AdministratorAccess, accounts: [payments-prod] }
`,
};

function model(files: Record<string, string | null> = {}): AccessModel {
  const r = load(files, ORG);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

function sensitiveRisks(head: Record<string, string | null>, base: Record<string, string | null> = {}): string[] {
  return diffModels(model(base), model(head), TODAY).risks.filter((r) => r.flag === 'sensitive-actions').map((r) => r.message);
}

const PEOPLE = '(alice@example.com, bob@example.com, carol@example.com)';
const POWER_USER = 'name: ReadOnly\nmanagedPolicies: [PowerUserAccess]\n';
const PASS_ROLE = `name: Deploy
managedPolicies: [ViewOnlyAccess]
inlinePolicy:
  Version: "2012-10-17"
  Statement:
    - { Effect: Allow, Action: ["codepipeline:StartPipelineExecution"], Resource: "*" }
    - { Effect: Allow, Action: ["iam:PassRole"], Resource: "arn:aws:iam::*:role/deploy-*" }
`;
const ADMIN_PATTERNS = ['iam:PassRole', 'iam:Create*', 'kms:Decrypt', 's3:GetObject', 'sts:AssumeRole', 'organizations:*'];

describe('sensitive actions in the diff', () => {
  it('names what swapping ReadOnlyAccess for PowerUserAccess gives and takes from its three holders on payments-prod', () => {
    const d = diffModels(model(), model({ 'permission-sets/ReadOnly.yaml': POWER_USER }), TODAY);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.risks.filter((r) => r.flag === 'sensitive-actions').map((r) => r.message)).toEqual([
      `+3 people can iam:Create* (1 of 15 actions) on payments-prod ${PEOPLE}`,
      `+3 people can kms:Decrypt on payments-prod ${PEOPLE}`,
      `+3 people can sts:AssumeRole on payments-prod ${PEOPLE}`,
      `-3 people can no longer organizations:* (27 of 63 actions) on payments-prod ${PEOPLE}`,
    ]);
    const people = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
    const at = { account: 'payments-prod', accountId: '123456789012', decision: 'allowed', people };
    expect(d.sensitive.slice(0, 3)).toEqual([
      { pattern: 'iam:Create*', ...at, change: 'gained', actions: ['iam:CreateServiceLinkedRole'], total: 15 },
      { pattern: 'kms:Decrypt', ...at, change: 'gained', actions: ['kms:Decrypt'], total: 1 },
      { pattern: 'sts:AssumeRole', ...at, change: 'gained', actions: ['sts:AssumeRole'], total: 1 },
    ]);
    const read = ['DescribeAccount', 'DescribeCreateAccountStatus', 'DescribeHandshake', 'DescribeOrganizationalUnit', 'DescribePolicy',
      'DescribeResourcePolicy', 'DescribeResponsibilityTransfer', 'ListAWSServiceAccessForOrganization', 'ListAccounts', 'ListAccountsForParent',
      'ListAccountsWithInvalidEffectivePolicy', 'ListChildren', 'ListCreateAccountStatus', 'ListDelegatedAdministrators', 'ListDelegatedServicesForAccount',
      'ListEffectivePolicyValidationErrors', 'ListHandshakesForAccount', 'ListHandshakesForOrganization', 'ListInboundResponsibilityTransfers',
      'ListOrganizationalUnitsForParent', 'ListOutboundResponsibilityTransfers', 'ListParents', 'ListPolicies', 'ListPoliciesForTarget', 'ListRoots',
      'ListTagsForResource', 'ListTargetsForPolicy'];
    expect(d.sensitive[3]).toEqual({ pattern: 'organizations:*', ...at, change: 'lost', actions: read.map((a) => `organizations:${a}`), total: 63 });
    expect(d.sensitive).toHaveLength(4);
  });

  it('names iam:PassRole added to an inline policy, scoped to some roles, for the three holders on payments-dev', () => {
    expect(sensitiveRisks({ 'permission-sets/Deploy.yaml': PASS_ROLE })).toEqual([`+3 people can iam:PassRole on payments-dev ${PEOPLE}`]);
  });

  it('names every sensitive action a new member of a group granting AdministratorAccess gains', () => {
    const admins = ORG['groups/admins.yaml'].replace('[dave@example.com]', '[dave@example.com, erin@example.com]');
    expect(sensitiveRisks({ 'groups/admins.yaml': admins })).toEqual(
      ADMIN_PATTERNS.map((p) => `+1 person can ${p} on payments-prod (erin@example.com)`),
    );
  });

  it('says "no longer" for a member who leaves, and nothing for what another grant still gives them', () => {
    // carol also holds ReadOnly there: s3:GetObject and 29 organizations read actions stay; the rest of AdministratorAccess goes.
    const base = { 'groups/admins.yaml': ORG['groups/admins.yaml'].replace('[dave@example.com]', '[dave@example.com, carol@example.com]') };
    expect(sensitiveRisks({}, base)).toEqual([
      '-1 person can no longer iam:PassRole on payments-prod (carol@example.com)',
      '-1 person can no longer iam:Create* on payments-prod (carol@example.com)',
      '-1 person can no longer kms:Decrypt on payments-prod (carol@example.com)',
      '-1 person can no longer sts:AssumeRole on payments-prod (carol@example.com)',
      '-1 person can no longer organizations:* (34 of 63 actions) on payments-prod (carol@example.com)',
    ]);
  });

  it('says "conditional" for a PassRole under a condition, and names dropping the condition as a gain', () => {
    const conditional = PASS_ROLE.replace('Resource: "arn:aws:iam::*:role/deploy-*" }', 'Resource: "*", Condition: { Bool: { aws:MultiFactorAuthPresent: "true" } } }');
    expect(sensitiveRisks({ 'permission-sets/Deploy.yaml': conditional })).toEqual([`+3 people can iam:PassRole (conditional) on payments-dev ${PEOPLE}`]);
    expect(sensitiveRisks({ 'permission-sets/Deploy.yaml': PASS_ROLE }, { 'permission-sets/Deploy.yaml': conditional })).toEqual([
      `+3 people can iam:PassRole on payments-dev ${PEOPLE}`,
    ]);
    expect(sensitiveRisks({ 'permission-sets/Deploy.yaml': conditional }, { 'permission-sets/Deploy.yaml': PASS_ROLE })).toEqual([]);
  });

  it('names an action added to a pattern its holders already partly had (iam:CreateUser next to PowerUserAccess\'s iam:CreateServiceLinkedRole)', () => {
    const power = { 'permission-sets/ReadOnly.yaml': POWER_USER };
    const withUser = { 'permission-sets/ReadOnly.yaml': `${POWER_USER}inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - { Effect: Allow, Action: "iam:CreateUser", Resource: "*" }\n` };
    expect(sensitiveRisks(withUser, power)).toEqual([`+3 people can iam:Create* (1 of 15 actions) on payments-prod ${PEOPLE}`]);
    expect(diffModels(model(power), model(withUser), TODAY).sensitive[0].actions).toEqual(['iam:CreateUser']);
  });

  it('names what a permissions boundary takes away from every holder', () => {
    const bounded = 'name: ReadOnly\nmanagedPolicies: [ReadOnlyAccess]\npermissionsBoundary: { managedPolicy: ViewOnlyAccess }\n';
    expect(sensitiveRisks({ 'permission-sets/ReadOnly.yaml': bounded })).toEqual([
      `-3 people can no longer s3:GetObject on payments-prod ${PEOPLE}`,
      `-3 people can no longer organizations:* (9 of 63 actions) on payments-prod ${PEOPLE}`,
    ]);
  });

  it('says nothing for a permission set renamed with the same policies', () => {
    const renamed = { 'permission-sets/ReadOnly.yaml': null, 'permission-sets/Reader.yaml': 'name: Reader\nmanagedPolicies: [ReadOnlyAccess]\n',
      'groups/payments.yaml': ORG['groups/payments.yaml'].replace('permissionSet: ReadOnly', 'permissionSet: Reader') };
    const d = diffModels(model(), model(renamed), TODAY);
    expect(d.removed).toHaveLength(3);
    expect(d.sensitive).toEqual([]);
  });

  it('says nothing when a change adds only actions that are not sensitive', () => {
    const deploy = ORG['permission-sets/Deploy.yaml'].replace('["codepipeline:StartPipelineExecution"]', '["codepipeline:StartPipelineExecution", "codepipeline:RetryStageExecution"]');
    const d = diffModels(model(), model({ 'permission-sets/Deploy.yaml': deploy }), TODAY);
    expect(d.changes.map((c) => `${c.kind} ${c.action} ${c.name}`)).toEqual(['permission-set changed Deploy']);
    expect(d.sensitive).toEqual([]);
    expect(d.risks).toEqual([]);
  });

  it('a policy.yaml that drops iam:PassRole from sensitiveActions in the same change does not hide the PassRole it grants', () => {
    const shrunk = 'sensitiveActions: [s3:GetObject]\n';
    expect(sensitiveRisks({ 'permission-sets/Deploy.yaml': PASS_ROLE, 'policy.yaml': shrunk })).toEqual([
      `+3 people can iam:PassRole on payments-dev ${PEOPLE}`,
    ]);
    // Once the base has the short list too, it is the list in force.
    expect(sensitiveRisks({ 'permission-sets/Deploy.yaml': PASS_ROLE, 'policy.yaml': shrunk }, { 'policy.yaml': shrunk })).toEqual([]);
  });

  it('a pattern the head adds to the list flags nothing by itself: both sides are judged by it', () => {
    expect(sensitiveRisks({ 'policy.yaml': `sensitiveActions: [${[...ADMIN_PATTERNS, 'ec2:RunInstances'].join(', ')}]\n` })).toEqual([]);
  });
});

describe('sensitive actions in the PR comment and the plan summary', () => {
  const many = Array.from({ length: 3000 }, (_, i) => `p${String(i).padStart(4, '0')}@example.com`);
  const crowd = `name: crowd\nmode: additive\nmembers: [${many.join(', ')}]\napps: [aws]\naws:\n  - { permissionSet: AdministratorAccess, accounts: [payments-prod] }\n`;

  function revisionDiff(base: AccessModel, head: AccessModel): RevisionDiff {
    return {
      base: { label: 'main', commit: 'a'.repeat(40), model: base, diagnostics: [], sources: [] },
      head: { label: 'working tree', model: head, diagnostics: [], sources: [] },
      renames: [],
      diff: diffModels(base, head, TODAY),
    };
  }

  it('names ten of 3,000 people and counts the rest, staying under the comment limit', () => {
    const text = formatDiffMarkdown(revisionDiff(model(), model({ 'groups/crowd.yaml': crowd })));
    expect(text.length).toBeLessThanOrEqual(DIFF_MARKDOWN_LIMIT);
    const names = many.slice(0, 10).join(', ');
    expect(text.split('\n').filter((l) => l.includes('sensitive-actions'))).toEqual(
      ADMIN_PATTERNS.map((p) => `> :warning: **sensitive-actions**: +3,000 people can \`${p}\` on payments-prod (${names}, and 2,990 more)`),
    );
  });

  it('cuts the lines themselves when there are too many, and says how many are left out', () => {
    const d = revisionDiff(model(), model({ 'groups/crowd.yaml': crowd }));
    const wide = { ...d, diff: { ...d.diff, sensitive: Array.from({ length: 40 }, () => d.diff.sensitive[0]) } };
    const text = formatDiffMarkdown(wide, 4_000);
    expect(text.length).toBeLessThanOrEqual(4_000);
    const lines = text.split('\n').filter((l) => l.includes('sensitive-actions'));
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('> :warning: **sensitive-actions**: +3,000 people can `iam:PassRole` on payments-prod');
    expect(lines[20]).toBe('> :warning: **sensitive-actions**: … and 20 more: run `npx accessctl diff`');
  });
});

describe('accessctl diff and plan-summary --base through the CLI', () => {
  /** The org committed, then ReadOnly swapped for PowerUserAccess in the working tree. */
  function swapped(): string {
    const root = tempRepo({}, ORG);
    initRepo(root, 'base');
    fs.writeFileSync(path.join(root, 'access/permission-sets/ReadOnly.yaml'), POWER_USER);
    const plan = {
      format_version: '1.2',
      terraform_version: '1.13.3',
      resource_changes: [{
        address: 'aws_ssoadmin_managed_policy_attachment.this["ReadOnly|PowerUserAccess"]',
        mode: 'managed',
        type: 'aws_ssoadmin_managed_policy_attachment',
        name: 'this',
        index: 'ReadOnly|PowerUserAccess',
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: { actions: ['create'], before: null, after: {}, after_unknown: {} },
      }],
    };
    fs.writeFileSync(path.join(root, 'plan.json'), JSON.stringify(plan));
    return root;
  }
  const GAINS = [
    `+3 people can iam:Create* (1 of 15 actions) on payments-prod ${PEOPLE}`,
    `+3 people can kms:Decrypt on payments-prod ${PEOPLE}`,
    `+3 people can sts:AssumeRole on payments-prod ${PEOPLE}`,
    `-3 people can no longer organizations:* (27 of 63 actions) on payments-prod ${PEOPLE}`,
  ];

  it('diff --format json carries the risks and the structured sensitive list', async () => {
    const r = await run(['diff', '--base', 'HEAD', '--format', 'json'], swapped());
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.risks).toEqual(GAINS.map((message) => ({ flag: 'sensitive-actions', message })));
    expect(out.sensitive[1]).toEqual({
      pattern: 'kms:Decrypt', account: 'payments-prod', accountId: '123456789012', change: 'gained', actions: ['kms:Decrypt'], total: 1,
      decision: 'allowed', people: ['alice@example.com', 'bob@example.com', 'carol@example.com'],
    });
    expect(out.sensitive.map((c: { pattern: string; change: string }) => `${c.change} ${c.pattern}`)).toEqual(
      ['gained iam:Create*', 'gained kms:Decrypt', 'gained sts:AssumeRole', 'lost organizations:*'],
    );
  });

  it('diff text prints them as risk lines', async () => {
    const r = await run(['diff', '--base', 'HEAD'], swapped());
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  !'))).toEqual(GAINS.map((m) => `  ! sensitive-actions: ${m}`));
  });

  it('plan-summary --base names them in the same words, in text, markdown and json; without --base it names none', async () => {
    const root = swapped();
    const text = await run(['plan-summary', 'plan.json', '--base', 'HEAD'], root);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').slice(0, 7)).toEqual([
      'terraform plan (plan.json): 1 to create, 0 to change, 0 to delete, 0 to replace',
      'plan.json:',
      '  + aws_ssoadmin_managed_policy_attachment ReadOnly|PowerUserAccess is created',
      ...GAINS.map((m) => `  ! sensitive-actions: ${m}`),
    ]);
    const md = await run(['plan-summary', 'plan.json', '--base', 'HEAD', '--format', 'markdown'], root);
    expect(md.stdout.split('\n').filter((l) => l.includes('sensitive-actions'))).toEqual([
      `> :warning: **sensitive-actions**: +3 people can \`iam:Create*\` (1 of 15 actions) on payments-prod ${PEOPLE}`,
      `> :warning: **sensitive-actions**: +3 people can \`kms:Decrypt\` on payments-prod ${PEOPLE}`,
      `> :warning: **sensitive-actions**: +3 people can \`sts:AssumeRole\` on payments-prod ${PEOPLE}`,
      `> :warning: **sensitive-actions**: -3 people can no longer \`organizations:*\` (27 of 63 actions) on payments-prod ${PEOPLE}`,
    ]);
    const json = JSON.parse((await run(['plan-summary', 'plan.json', '--base', 'HEAD', '--format', 'json'], root)).stdout);
    expect(json.sensitive).toEqual(JSON.parse((await run(['diff', '--base', 'HEAD', '--format', 'json'], root)).stdout).sensitive);
    expect(JSON.parse((await run(['plan-summary', 'plan.json', '--format', 'json'], root)).stdout).sensitive).toEqual([]);
  });

  it('plan-summary --base with a ref git cannot resolve is an error with exit 2, not a stack trace', async () => {
    const r = await run(['plan-summary', 'plan.json', '--base', 'no-such-ref'], swapped());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('accessctl plan-summary: error ACC060 "no-such-ref" is not a commit in this repository\n');
  });
});
