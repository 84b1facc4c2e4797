// The scripts that plan and apply (.github/scripts: plan-stack.sh,
// apply-stack.sh, apply-scim.sh, apply-okta.sh, wait-for-scim.sh), run as
// their jobs run them: bash in a checkout, OpenTofu the stand-in of
// test/stand-ins/tofu (fixtures in, every call logged, applies noted), the
// compiled CLI for redact-plan and plan-summary. Each deciding branch, the
// one that applies and the ones that refuse, with the exact calls made.
import * as fs from 'node:fs';
import { change, kept, plan, PLAN_SECRET, removeJobs, revoked, SCRIPTS, scriptJob, sha256, type ScriptJob } from '../support/script-job';

afterEach(removeJobs);

/** The small org of test/support/helpers.ts and a group "team" holding ReadOnly on prod (111111111111) and dev (022222222222). */
const ORG = {
  'groups/team.yaml': 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com, new@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n',
};

const init = (stack: string): string => `tofu -chdir=${stack} init -input=false -no-color -lockfile=readonly`;

describe('plan-stack.sh', () => {
  const PLAN = 'tofu -chdir=okta plan -input=false -no-color -lock=false -parallelism=10 -out=tfplan';
  const SHOW = 'tofu -chdir=okta show -json tfplan';
  const CHANGES = plan([change({ type: 'okta_group', key: 'team', actions: ['create'] }), change({ type: 'okta_group', key: 'old', actions: ['no-op'] })]);

  function planJob(): ScriptJob {
    const j = scriptJob();
    j.lockFile();
    j.stack('okta');
    j.stack('okta-scim');
    return j;
  }

  it('refuses okta-scim without calling tofu at all', () => {
    const j = planJob();
    j.tofu('okta-scim.plan.json', CHANGES);
    const r = j.run('plan-stack.sh', ['okta-scim']);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '::error::plan-stack.sh does not plan okta-scim: it holds the SCIM token, and only the apply job plans it (apply-scim.sh)\n', '']);
    expect(j.calls()).toEqual([]);
    expect(j.exists('plans')).toBe(false);
  });

  it('refuses to plan without the provider lock file, naming scripts/lock-providers.sh', () => {
    const j = scriptJob();
    j.stack('okta');
    j.tofu('okta.plan.json', CHANGES);
    const r = j.run('plan-stack.sh', ['okta']);
    expect([r.code, r.stdout]).toEqual([1, `::error::no provider lock file at ${j.path('.terraform.lock.hcl')}: create it with scripts/lock-providers.sh and commit it (docs/ci.md#the-provider-lock-file); plans and applies refuse to run without it\n`]);
    expect(j.calls()).toEqual([]);
    expect(j.list('plans')).toEqual([]);
  });

  it('a plan that fails (exit 1) writes no plan files and exits 1', () => {
    const j = planJob();
    j.tofu('okta.plan.json', CHANGES);
    j.tofu('okta.plan-exit', '1');
    const r = j.run('plan-stack.sh', ['okta', '-detailed-exitcode']);
    expect(r.code).toBe(1);
    expect(j.calls()).toEqual([init('okta'), `${PLAN} -detailed-exitcode`]);
    expect(j.list('plans')).toEqual([]);
  });

  it('changes (exit 2): the redacted plan in plans/okta.json and the saved plan\'s sha256 in plans/okta.sha256', () => {
    const j = planJob();
    const bytes = j.tofu('okta.plan.json', CHANGES);
    const r = j.run('plan-stack.sh', ['okta', '-detailed-exitcode']);
    expect([r.code, r.stderr]).toEqual([2, '']);
    expect(j.calls()).toEqual([init('okta'), `${PLAN} -detailed-exitcode`, SHOW]);
    expect(j.list('plans')).toEqual(['okta.json', 'okta.sha256']);
    expect(j.read('plans/okta.sha256')).toBe(`${sha256(bytes)}\n`);
    const written = JSON.parse(j.read('plans/okta.json')) as Record<string, unknown>;
    expect(Object.keys(written).sort()).toEqual(['format_version', 'planned_values', 'resource_changes', 'terraform_version']);
    expect(written).not.toHaveProperty('variables');
    expect(written).not.toHaveProperty('resource_drift');
    expect(j.read('plans/okta.json')).not.toContain(PLAN_SECRET);
    expect((written.resource_changes as Array<{ address: string }>).map((c) => c.address)).toEqual(['okta_group.this["team"]', 'okta_group.this["old"]']);
    // init -lockfile=readonly (in the calls) with the stack's blocks of the lock file only.
    const lock = j.read('cdktf.out/stacks/okta/.terraform.lock.hcl');
    expect(lock).toContain('provider "registry.opentofu.org/okta/okta" {');
    expect(lock).not.toContain('hashicorp/aws');
  });

  it('no changes (exit 0): the plan files are written too', () => {
    const j = planJob();
    const bytes = j.tofu('okta.plan.json', plan(kept(2)));
    const r = j.run('plan-stack.sh', ['okta', '-detailed-exitcode']);
    expect(r.code).toBe(0);
    expect(j.calls()).toEqual([init('okta'), `${PLAN} -detailed-exitcode`, SHOW]);
    expect(j.read('plans/okta.sha256')).toBe(`${sha256(bytes)}\n`);
  });
});

describe('apply-stack.sh', () => {
  const apply = (stack: string): string => `tofu -chdir=${stack} apply -input=false -no-color -lock-timeout=60m -parallelism=10 tfplan`;
  const saved = (stack: string): string => `the saved plan of ${stack}`;

  /** The apply job of the aws stacks: each stack's saved plan (tfplan) and its plan JSON in plans/. */
  function applyJob(plans: Record<string, object>): ScriptJob {
    const j = scriptJob();
    j.access(ORG);
    j.lockFile();
    for (const [stack, doc] of Object.entries(plans)) {
      j.write(`${j.stack(stack)}/tfplan`, saved(stack));
      j.write(`plans/${stack}.json`, doc);
    }
    return j;
  }
  const applyStack = (j: ScriptJob, stack: string, env: Record<string, string> = {}) => j.run('apply-stack.sh', [stack, sha256(saved(stack))], env);

  it('applies exactly the saved plan (tfplan) with a lock timeout, after the rails', () => {
    const j = applyJob({ aws: plan([...kept(10), change({ key: 'team|ReadOnly|022222222222', actions: ['create'] })]) });
    const r = applyStack(j, 'aws');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(j.calls()).toEqual([init('aws'), apply('aws')]);
    expect(j.applied()).toEqual(['aws']);
    expect(r.stdout).toContain('  + team is granted ReadOnly on dev (022222222222)');
    expect(j.summary()).toContain('team is granted ReadOnly on dev (022222222222)');
  });

  it('refuses a saved plan whose digest is not the one planned, before any tofu call', () => {
    const j = applyJob({ aws: plan(kept(10)) });
    const other = sha256('another plan');
    const r = j.run('apply-stack.sh', ['aws', other]);
    expect([r.code, r.stdout]).toEqual([1, `::error::the saved plan of aws is not the one that was planned and shown (sha256 ${sha256(saved('aws'))}, expected ${other}): refusing to apply\n`]);
    expect(j.calls()).toEqual([]);
    expect(j.applied()).toEqual([]);
  });

  it('refuses a stack whose plan JSON is missing, though other plans are there', () => {
    const j = applyJob({ aws: plan(kept(10)), 'aws-prod': plan(kept(10)) });
    fs.rmSync(j.path('plans/aws.json'));
    const r = applyStack(j, 'aws');
    expect([r.code, r.stdout]).toEqual([1, '::error::no plan summary plans/aws.json for aws: refusing to apply a plan the rails have not judged\n']);
    expect(j.calls()).toEqual([]);
    expect(j.applied()).toEqual([]);
  });

  // The default limit is 10% of the access that exists, never under 3 (src/plan/summary.ts): each plan
  // alone revokes 3 of 20 (limit 3), both together 6 of 40 (limit 4).
  const SPLIT = { aws: plan([...kept(17), ...revoked(3)]), 'aws-prod': plan([...kept(17, 'kept-prod'), ...revoked(3, 'gone-prod')]) };

  it('each plan of the split mass revocation alone is under the limit (aws; aws-prod\'s is alike)', () => {
    const j = applyJob({ aws: SPLIT.aws });
    expect(applyStack(j, 'aws').code).toBe(0);
    expect(j.applied()).toEqual(['aws']);
  });

  it('refuses both stacks of a mass revocation split across two plans: the rails count plans/*.json together', () => {
    const j = applyJob(SPLIT);
    for (const stack of ['aws', 'aws-prod']) {
      const r = applyStack(j, stack);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('  TRIPPED mass-revocation: 6 revocations across aws (3), aws-prod (3) (at most 4 allowed: 10% of the 40 existing)\n');
    }
    expect(j.calls()).toEqual([init('aws'), init('aws-prod')]);
    expect(j.applied()).toEqual([]);
  });

  it('ALLOW_REVOKE=--allow-revoke applies the reviewed mass revocation', () => {
    const j = applyJob(SPLIT);
    const r = applyStack(j, 'aws', { ALLOW_REVOKE: '--allow-revoke' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  ALLOWED mass-revocation: 6 revocations across aws (3), aws-prod (3)');
    expect(j.calls()).toEqual([init('aws'), apply('aws')]);
    expect(j.applied()).toEqual(['aws']);
  });

  it('never applies an unexplained delete, even with ALLOW_REVOKE=--allow-revoke (aws-prod refused for a delete in aws\'s plan)', () => {
    const j = applyJob({ aws: plan([...kept(10), change({ key: 'team|ReadOnly|111111111111', actions: ['delete'] })]), 'aws-prod': plan(kept(10)) });
    const r = applyStack(j, 'aws-prod', { ALLOW_REVOKE: '--allow-revoke' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  TRIPPED unexplained-delete: 1 delete of objects the files still declare');
    expect(j.calls()).toEqual([init('aws-prod')]);
    expect(j.applied()).toEqual([]);
  });
});

/** The okta-scim stack's plans: the connection and its token-day trigger. */
const connection = (actions: string[]): object => change({ type: 'okta_app_connection', key: 'aws', actions });
const tokenDay = (actions: string[]): object => change({ type: 'terraform_data', name: 'scim_token', key: 'aws', actions });
const TOKEN = { TF_VAR_okta_aws_scim_token: 'the-scim-token' };
const SCIM_CALLS = [
  init('okta-scim'),
  'tofu -chdir=okta-scim plan -input=false -no-color -lock-timeout=5m -out=tfplan',
  'tofu -chdir=okta-scim show -json tfplan',
  'tofu -chdir=okta-scim apply -input=false -no-color -lock-timeout=5m tfplan',
];

/** A job whose okta-scim stack plans as DOC. apply-scim.sh plans without -detailed-exitcode, so real tofu exits 0 on changes: the fixture says so. */
function scimJob(doc: object): ScriptJob {
  const j = scriptJob();
  j.access(ORG);
  j.lockFile();
  j.stack('okta-scim');
  j.tofu('okta-scim.plan.json', doc);
  j.tofu('okta-scim.plan-exit', '0');
  return j;
}

describe('apply-scim.sh', () => {
  it.each([['unset', {}], ['empty', { TF_VAR_okta_aws_scim_token: '' }]])('refuses when the SCIM token is %s, before any tofu call', (_what, env) => {
    const j = scimJob(plan([connection(['create']), tokenDay(['create'])]));
    const r = j.run('apply-scim.sh', [], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TF_VAR_okta_aws_scim_token: the SCIM token (secret OKTA_AWS_SCIM_TOKEN of the production environment) is not set for this step');
    expect(j.calls()).toEqual([]);
    expect(j.applied()).toEqual([]);
  });

  it('applies a plan that creates the connection, and deletes the saved plan afterwards', () => {
    const j = scimJob(plan([connection(['create']), tokenDay(['create'])]));
    const r = j.run('apply-scim.sh', [], TOKEN);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(j.calls()).toEqual(SCIM_CALLS);
    expect(j.applied()).toEqual(['okta-scim']);
    expect(j.list('cdktf.out/stacks/okta-scim')).toEqual(['.terraform.lock.hcl', 'cdk.tf.json']);
    expect(j.read('plans/okta-scim.json')).not.toContain(PLAN_SECRET);
    expect(j.summary()).toContain('SCIM provisioning of the aws app');
  });

  it.each([
    ['a delete of the connection', [connection(['delete']), tokenDay(['no-op'])], 'okta_app_connection.this["aws"] delete'],
    ['another resource type', [connection(['create']), change({ type: 'okta_group', key: 'admins', actions: ['create'] })], 'okta_group.this["admins"] create'],
  ])('refuses a plan with %s, applies nothing and deletes the saved plan', (_what, changes, named) => {
    const j = scimJob(plan(changes));
    const r = j.run('apply-scim.sh', [], TOKEN);
    expect([r.code, r.stdout]).toEqual([1, `::error::the okta-scim plan does more than connect SCIM: ${named}; refusing to apply\n`]);
    expect(j.calls()).toEqual(SCIM_CALLS.slice(0, 3));
    expect(j.applied()).toEqual([]);
    expect(j.list('cdktf.out/stacks/okta-scim')).toEqual(['.terraform.lock.hcl', 'cdk.tf.json']);
  });
});

describe('apply-okta.sh', () => {
  const OKTA_CALLS = [init('okta'), 'tofu -chdir=okta apply -input=false -no-color -lock-timeout=60m -parallelism=10 tfplan'];
  const LOOKUP = [init('okta'), 'tofu -chdir=okta output -json aws_app_ids'];
  const SAVED = 'the saved plan of okta';

  /** The gated okta job: the okta stack's saved plan, the okta-scim stack, affected.json listing STACKS, and the okta state's outputs. */
  function oktaJob(stacks: string[], outputs?: object): ScriptJob {
    const j = scimJob(plan([connection(['create']), tokenDay(['create'])]));
    j.write(`${j.stack('okta')}/tfplan`, SAVED);
    j.write('plans/okta.json', plan([change({ type: 'okta_group', key: 'team', actions: ['create'] })]));
    j.write('affected.json', { stacks, digests: {} });
    if (outputs !== undefined) j.tofu('okta.outputs.json', outputs);
    return j;
  }
  const applyOkta = (j: ScriptJob, env: Record<string, string> = {}) => j.run('apply-okta.sh', [sha256(SAVED)], { ...TOKEN, GITHUB_EVENT_NAME: 'workflow_dispatch', ...env });
  const APP = { aws_app_ids: { aws: '0oa1234567890abcdef' } };

  it('applies only okta when affected.json does not list okta-scim', () => {
    const j = oktaJob(['okta'], APP);
    const r = applyOkta(j);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(j.calls()).toEqual(OKTA_CALLS);
    expect(j.applied()).toEqual(['okta']);
    expect(j.read('applied-stacks.txt')).toBe('okta\n');
  });

  it('connects SCIM first when the AWS app exists (okta output aws_app_ids not empty)', () => {
    const j = oktaJob(['okta', 'okta-scim'], APP);
    const r = applyOkta(j);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(j.calls()).toEqual([...LOOKUP, ...SCIM_CALLS, ...OKTA_CALLS]);
    expect(j.applied()).toEqual(['okta-scim', 'okta']);
    expect(j.read('applied-stacks.txt')).toBe('okta-scim\nokta\n');
  });

  it('applies okta first, then SCIM, when the AWS app does not exist (no okta state yet: no output)', () => {
    const j = oktaJob(['okta', 'okta-scim']);
    const r = applyOkta(j);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(j.calls()).toEqual([...LOOKUP, ...OKTA_CALLS, ...SCIM_CALLS]);
    expect(j.applied()).toEqual(['okta', 'okta-scim']);
    expect(j.read('applied-stacks.txt')).toBe('okta\nokta-scim\n');
  });

  it('on the schedule never connects SCIM: a warning, and only okta applied', () => {
    const j = oktaJob(['okta', 'okta-scim'], APP);
    const r = applyOkta(j, { GITHUB_EVENT_NAME: 'schedule' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('::warning::the SCIM connection (okta-scim) differs from what was applied; a scheduled run does not connect SCIM: run apply by hand');
    expect(j.calls()).toEqual(OKTA_CALLS);
    expect(j.applied()).toEqual(['okta']);
    expect(j.read('applied-stacks.txt')).toBe('okta\n');
  });

  it('when the okta apply fails: exits non-zero, and okta is not in applied-stacks.txt', () => {
    const j = oktaJob(['okta', 'okta-scim'], APP);
    j.tofu('okta.apply-exit', '1');
    const r = applyOkta(j);
    expect(r.code).toBe(1);
    expect(j.calls()).toEqual([...LOOKUP, ...SCIM_CALLS, ...OKTA_CALLS]);
    expect(j.applied()).toEqual(['okta-scim']);
    expect(j.read('applied-stacks.txt')).toBe('okta-scim\n');
  });
});

describe('wait-for-scim.sh', () => {
  const PLAN_CALLS = [init('aws'), 'tofu -chdir=aws plan -input=false -no-color -lock=false -parallelism=10 -out=tfplan', 'tofu -chdir=aws show -json tfplan'];

  /** The plan job of the aws stacks: it runs .github/scripts/plan-stack.sh from the checkout. */
  function waitJob(): ScriptJob {
    const j = scriptJob();
    j.lockFile();
    j.stack('aws');
    fs.mkdirSync(j.path('.github'));
    fs.symlinkSync(SCRIPTS, j.path('.github/scripts'));
    return j;
  }
  // Nothing but no-ops: the stand-in's plan exits 0, as real tofu's does without -detailed-exitcode.
  const pending = (groups: string[]): object => plan(kept(2), groups);

  it('re-plans until no group is pending, then exits 0', () => {
    const j = waitJob();
    j.tofu('aws.plan.1.json', pending(['new-team']));
    j.tofu('aws.plan.2.json', pending(['new-team']));
    j.tofu('aws.plan.json', pending([]));
    const r = j.run('wait-for-scim.sh', ['5', '0']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'try 1/5: waiting for SCIM to push: new-team\ntry 2/5: waiting for SCIM to push: new-team\nevery group is in the AWS Identity Store\n', '']);
    expect(j.calls()).toEqual([...PLAN_CALLS, ...PLAN_CALLS, ...PLAN_CALLS]);
  });

  it('fails naming the groups still pending after the last try', () => {
    const j = waitJob();
    j.tofu('aws.plan.json', pending(['new-team', 'other-team']));
    const r = j.run('wait-for-scim.sh', ['2', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'try 1/2: waiting for SCIM to push: new-team, other-team\n' +
        'try 2/2: waiting for SCIM to push: new-team, other-team\n' +
        "::error::SCIM has not pushed these groups to AWS after 0 s: new-team, other-team. Check the AWS IAM Identity Center app's provisioning in Okta (docs/okta-aws-setup.md).\n",
    );
    expect(j.calls()).toEqual([...PLAN_CALLS, ...PLAN_CALLS]);
  });

  it('stops at once when a plan fails', () => {
    const j = waitJob();
    j.tofu('aws.plan.json', pending(['new-team']));
    j.tofu('aws.plan-exit', '1');
    const r = j.run('wait-for-scim.sh', ['3', '0']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(j.calls()).toEqual(PLAN_CALLS.slice(0, 2));
  });
});
