// What a change grants, for every approval rule, and when it may take the
// break-glass route: on the example org, one row per way of extending access
// and per way of writing a break-glass entry the base's policy does not allow.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requirementsOf } from '../../src/approvals/evaluate';
import type { ChangeFacts } from '../../src/approvals/facts';
import { startReplay } from '../support/github-replay';
import { exampleFiles, factsOf as factsOfFiles, type Edits } from '../support/approvals-facts';
import { exampleOrg, run } from '../support/helpers';

const NOW = '2026-11-23T12:00:00Z';


const EXAMPLE = exampleFiles();


/** The facts of changing the example org by `edits`. */
const factsOf = (edits: Edits, now = NOW): ChangeFacts => factsOfFiles(EXAMPLE, edits, now);

const rules = (f: ChangeFacts): string[] => requirementsOf(f).requirements.map((r) => `${r.rule} ${r.subject}`);
const ERIN = 'groups/aws-payments-admins.yaml';

describe('anything that extends access is a grant, for every rule', () => {
  it.each<[string, Record<string, Array<[string, string]>>, string[], string[]]>([
    ['a later expires on AdministratorAccess in payments-prod', { [ERIN]: [['expires: 2027-01-15', 'expires: 2027-03-02']] },
      ['group-owners aws-payments-admins', 'security-team security-team', 'high-privilege-approvers high-privilege', 'scoped-approvers production'], ['erin.kowalski@example.com: AdministratorAccess on payments-prod, PowerUser on payments-staging, keeps aws-payments-admins longer']],
    ['expires removed', { [ERIN]: [['    expires: 2027-01-15\n', '']] },
      ['group-owners aws-payments-admins', 'security-team security-team', 'high-privilege-approvers high-privilege', 'scoped-approvers production'], ['erin.kowalski@example.com: AdministratorAccess on payments-prod, PowerUser on payments-staging, keeps aws-payments-admins longer']],
    ['an earlier expires takes access away: no grant', { [ERIN]: [['expires: 2027-01-15', 'expires: 2026-12-20']] },
      ['group-owners aws-payments-admins'], []],
    ['a wider account selector: ReadOnly for the incident responders on every account, not only production', { 'groups/aws-incident-responders.yaml': [['accounts: { tags: { env: prod } }', 'accounts: { tags: { team: payments } }']] },
      ['group-owners aws-incident-responders', 'security-team security-team', 'scoped-approvers production'], ['ivan.petrov@example.com: ReadOnly on payments-staging']],
  ])('%s', (_name, edits, required, gains) => {
    const f = factsOf(edits);
    expect(rules(f)).toEqual(required);
    expect([...f.grantees.values()].map((g) => `${g.login}: ${g.gains.join(', ')}`)).toEqual(gains);
  });

  it('a permission set given AdministratorAccess widens it on every account it is assigned to: its holders gain, and a high-privilege policy needs the security team', () => {
    const sets = Object.keys(EXAMPLE).filter((k) => k.startsWith('permission-sets/'));
    const rel = sets.find((k) => /name: PaymentsDeployer/.test(EXAMPLE[k]!))!;
    const f = factsOf({ [rel]: [['managedPolicies:', 'managedPolicies:\n  - AdministratorAccess']] });
    const deployers = f.grants.filter((r) => r.permissionSet === 'PaymentsDeployer');
    expect(deployers.length).toBeGreaterThan(0);
    expect(f.highPrivilege).toEqual(deployers);
    expect(rules(f)).toContain('security-team security-team');
    expect(rules(f)).toContain('high-privilege-approvers high-privilege');
    for (const r of deployers) expect(f.grantees.get(r.user)?.gains).toContain(`PaymentsDeployer on ${r.account}`);
  });

  it('a description change of a permission set grants nothing', () => {
    const rel = Object.keys(EXAMPLE).find((k) => k.startsWith('permission-sets/') && /name: PaymentsDeployer/.test(EXAMPLE[k]!))!;
    const f = factsOf({ [rel]: [['through the pipeline;', 'through the release pipeline;']] });
    expect([f.grants, [...f.grantees.keys()]]).toEqual([[], []]);
    // A longer session is a widening.
    expect(factsOf({ [rel]: [['sessionDuration: PT2H', 'sessionDuration: PT8H']] }).grants.length).toBeGreaterThan(0);
  });
});

const SET_FILES = (name: string): string => Object.keys(EXAMPLE).find((k) => k.startsWith('permission-sets/') && new RegExp(`^name: ${name}$`, 'm').test(EXAMPLE[k]!))!;
const PIPELINES = 'Resource: arn:aws:codepipeline:us-east-1:*:payments-*';
const DEPLOYERS = [
  'frank.li@example.com: PaymentsDeployer on payments-prod, PaymentsDeployer on payments-staging',
  'grace.park@example.com: PaymentsDeployer on payments-prod, PaymentsDeployer on payments-staging',
  'judy.adams@example.com: PaymentsDeployer on payments-prod, PaymentsDeployer on payments-staging',
];

describe('a permission set change grants its holders access only when it widens what the set allows', () => {
  it.each<[string, string, Array<[string, string]>, Array<{ name: string; reasons: string[] }>, string[]]>([
    ['a narrower pipeline resource', 'PaymentsDeployer', [[PIPELINES, 'Resource: arn:aws:codepipeline:us-east-1:*:payments-api-*']], [], []],
    ['an action removed', 'PaymentsDeployer', [['        - codepipeline:RetryStageExecution\n', '']], [], []],
    ['the statements reordered', 'PaymentsDeployer', [['    - Sid: ProtectKeysAndTrails', '    - Sid: ReleasePipelines\n      Effect: Allow\n      Action:\n        - codepipeline:StartPipelineExecution\n        - codepipeline:RetryStageExecution\n      Resource: arn:aws:codepipeline:us-east-1:*:payments-*\n    - Sid: ProtectKeysAndTrails'], ['    - Sid: ReleasePipelines\n      Effect: Allow\n      Action:\n        - codepipeline:StartPipelineExecution\n        - codepipeline:RetryStageExecution\n      Resource: arn:aws:codepipeline:us-east-1:*:payments-*\ntags', 'tags']], [], []],
    ['a shorter session', 'PaymentsDeployer', [['sessionDuration: PT2H', 'sessionDuration: PT1H']], [], []],
    ['another pipeline resource', 'PaymentsDeployer', [[PIPELINES, 'Resource: [arn:aws:codepipeline:us-east-1:*:payments-*, arn:aws:codepipeline:us-east-1:*:platform-*]']],
      [{ name: 'PaymentsDeployer', reasons: ['inline statement 1 (ReleasePipelines) allows codepipeline:StartPipelineExecution on arn:aws:codepipeline:us-east-1:*:platform-*, codepipeline:RetryStageExecution on arn:aws:codepipeline:us-east-1:*:platform-*'] }], DEPLOYERS],
    ['the Deny on keys and trails narrowed to one region', 'PaymentsDeployer', [['        - cloudtrail:DeleteTrail\n      Resource: "*"', '        - cloudtrail:DeleteTrail\n      Resource: arn:aws:*:us-east-1:*:*']],
      [{ name: 'PaymentsDeployer', reasons: ['inline statement 0 (ProtectKeysAndTrails) denied kms:ScheduleKeyDeletion on *, kms:DisableKey on *, cloudtrail:StopLogging on * and 1 more, and nothing denies it now'] }], DEPLOYERS],
    ['a longer session', 'PaymentsDeployer', [['sessionDuration: PT2H', 'sessionDuration: PT8H']], [{ name: 'PaymentsDeployer', reasons: ['sessions last PT8H, not PT2H'] }], DEPLOYERS],
    ['the permissions boundary removed', 'PowerUser', [['permissionsBoundary:\n  customerManagedPolicy: { name: workload-boundary, path: /accessctl/ }\n', '']],
      [{ name: 'PowerUser', reasons: ['removes the permissions boundary customer managed policy /accessctl/workload-boundary'] }],
      ['dave.okafor@example.com: PowerUser on payments-staging', 'erin.kowalski@example.com: PowerUser on payments-staging', 'frank.li@example.com: PowerUser on payments-staging, PowerUser on sandbox-shared',
        'grace.park@example.com: PowerUser on payments-staging, PowerUser on sandbox-shared', 'ivan.petrov@example.com: PowerUser on sandbox-shared', 'judy.adams@example.com: PowerUser on payments-staging']],
    ['a Deny added to AdministratorAccess', 'AdministratorAccess', [['tags:', 'inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - { Effect: Deny, Action: "organizations:*", Resource: "*" }\ntags:']], [], []],
  ])('%s', (_name, set, pairs, widened, gains) => {
    const f = factsOf({ [SET_FILES(set)]: pairs });
    expect(f.widened).toEqual(widened);
    expect([...f.grantees.values()].map((g) => `${g.login}: ${g.gains.join(', ')}`)).toEqual(gains);
    expect(new Set(f.grants.map((r) => r.permissionSet))).toEqual(new Set(widened.map((w) => w.name)));
  });
});

describe('a renamed permission set is compared with what it was', () => {
  const renamed = (extra: Array<[string, string]>): ChangeFacts => factsOf({
    'permission-sets/ReadOnly.yaml': [['name: ReadOnly', 'name: Viewer'], ...extra],
    ...Object.fromEntries(['aws-incident-responders', 'aws-security-auditors', 'aws-platform-admins', 'aws-payments-developers']
      .map((g) => [`groups/${g}.yaml`, [['permissionSet: ReadOnly\n', 'permissionSet: Viewer\n']]])),
  });

  // (Its rows are grants either way: AWS replaces a renamed permission set, and the diff adds its rows.)
  it('renamed alone, it widens nothing', () => {
    expect(renamed([]).widened).toEqual([]);
  });

  it('renamed and widened in the same change, the widening is found and explained', () => {
    expect(renamed([['  - ViewOnlyAccess\n', '  - ViewOnlyAccess\n  - AdministratorAccess\n']]).widened)
      .toEqual([{ name: 'Viewer', reasons: ['AdministratorAccess statement 0 allows * on *'] }]);
  });
});

describe('the break-glass route is judged by the base\'s rules at the head', () => {
  const entry = (fields: string): Record<string, Array<[string, string]>> => ({ 'groups/aws-platform-admins.yaml': [['members:\n', `members:\n  - user: ivan.petrov@example.com\n    breakGlass: true\n${fields}`]] });
  const route = (f: ChangeFacts): [boolean, string[]] => {
    const r = requirementsOf(f);
    return [r.breakGlass, r.requirements.map((q) => q.rule)];
  };

  it('an allowed entry (end time within maxHours, a reason, an allowed group and person) takes it', () => {
    expect(route(factsOf(entry('    expires: 2026-11-23T15:00Z\n    reason: INC-9 database down\n')))).toEqual([true, ['break-glass']]);
  });

  it.each<[string, string, string]>([
    ['no expires', '    reason: INC-9 database down\n', 'break-glass access needs an end time in expires (YYYY-MM-DDTHH:MMZ, UTC), hours away'],
    ['a day, not an end time', '    expires: 2026-11-23\n    reason: INC-9 database down\n', 'break-glass access needs an end time in expires (YYYY-MM-DDTHH:MMZ, UTC), hours away'],
    ['an end beyond maxHours', '    expires: 2026-11-23T17:00Z\n    reason: INC-9 database down\n', 'ends at 2026-11-23T17:00Z, more than 4 hours from now (latest allowed: 2026-11-23T16:00Z)'],
    ['no reason', '    expires: 2026-11-23T15:00Z\n', 'break-glass access needs a reason (the incident or ticket)'],
  ])('%s: the usual approvals apply, and the note says why', (_name, fields, why) => {
    const f = factsOf(entry(fields));
    const r = requirementsOf(f);
    expect(r.breakGlass).toBe(false);
    expect(r.requirements.map((q) => q.rule)).toContain('security-team');
    expect(r.notes).toEqual([`break-glass members outside what the default branch's policy.yaml breakGlass allows (ivan.petrov@example.com in aws-platform-admins: ${why}): the usual approvals apply`]);
  });

  it('a person the base does not allow, in a group it allows, takes the usual route', () => {
    const f = factsOf({ 'groups/aws-platform-admins.yaml': [['members:\n', 'members:\n  - user: judy.adams@example.com\n    breakGlass: true\n    expires: 2026-11-23T15:00Z\n    reason: INC-9\n']] });
    expect(requirementsOf(f).breakGlass).toBe(false);
  });

  it('maxHours is measured from when the change is judged, not from when the entry was written', () => {
    const written = entry('    expires: 2026-11-23T15:00Z\n    reason: INC-9 database down\n');
    expect(route(factsOf(written, '2026-11-23T10:59:00Z'))[0]).toBe(false);
    expect(route(factsOf(written, '2026-11-23T11:00:00Z'))[0]).toBe(true);
  });
});

describe('accessctl approvals, with recorded GitHub responses (one on-call approval by @bmartin on #43)', () => {
  async function approvals(edit: (root: string) => void): Promise<{ code: number; verdict: { met: boolean; breakGlass: boolean; notes: string[]; requirements: Array<{ rule: string; why: string; met: boolean; missing?: string }> } }> {
    const root = exampleOrg(true, (r) => {
      const file = path.join(r, 'access', 'policy.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('approvers: [alice.nguyen@example.com, bob.martin@example.com]', 'approvers: [bob.martin@example.com]'));
    });
    edit(root);
    const replay = await startReplay('break-glass');
    try {
      const r = await run(['approvals', '--pr', '43', '--repo', 'northwind/access', '--base', 'main', '--format', 'json'], root, NOW, { GITHUB_API_URL: replay.url, GITHUB_TOKEN: 'test-token' });
      return { code: r.code, verdict: JSON.parse(r.stdout) };
    } finally {
      await replay.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  const editGroup = (root: string, group: string, from: string, to: string): void => {
    const file = path.join(root, 'access', 'groups', `${group}.yaml`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
  };

  it('a break-glass entry with no end time and no reason is no break-glass change: the on-call approval is not enough', async () => {
    const { code, verdict } = await approvals((root) => editGroup(root, 'aws-payments-admins', 'members:\n', 'members:\n  - user: ivan.petrov@example.com\n    breakGlass: true\n'));
    expect([code, verdict.met, verdict.breakGlass]).toEqual([1, false, false]);
    expect(verdict.notes).toEqual(["break-glass members outside what the default branch's policy.yaml breakGlass allows (ivan.petrov@example.com in aws-payments-admins: break-glass access needs an end time in expires (YYYY-MM-DDTHH:MMZ, UTC), hours away): the usual approvals apply"]);
    expect(verdict.requirements.map((q) => [q.rule, q.met])).toEqual([['group-owners', false], ['security-team', false], ['high-privilege-approvers', false], ['scoped-approvers', false]]);
  });

  it('moving production AdministratorAccess to a later end needs what granting it needs', async () => {
    const { code, verdict } = await approvals((root) => editGroup(root, 'aws-payments-admins', 'expires: 2027-01-15', 'expires: 2027-03-02'));
    expect([code, verdict.met, verdict.breakGlass]).toEqual([1, false, false]);
    expect(verdict.requirements.map((q) => [q.rule, q.why])).toEqual([
      ['group-owners', 'the change touches aws-payments-admins'],
      ['security-team', 'it grants AdministratorAccess on payments-prod (high privilege); it grants access on payments-prod (production)'],
      ['high-privilege-approvers', 'the change grants high-privilege access'],
      ['scoped-approvers', 'the change grants AdministratorAccess on payments-prod'],
    ]);
  });
});
