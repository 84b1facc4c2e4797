// Plans that pay for what changed (issue 25): refresh-due.sh decides from the
// apply record whether a plan refreshes; plan-stack.sh and plan-run.sh pass
// -refresh=false or not; drift-stack.sh (drift.yml) is the one that refreshes,
// with -refresh-only, and turns resource_drift into the drift issue's text.
import { kept, plan, removeJobs, scriptJob, type ScriptJob } from '../support/script-job';

afterEach(removeJobs);

const RECORD = { version: 1, stacks: { okta: { digest: 'd1', commit: 'c1', appliedAt: '2026-12-01T00:00:00Z' }, aws: { digest: 'd2', commit: 'c1', appliedAt: '2026-12-01T00:00:00Z' } } };

function job(stacks: Record<string, object>, record?: object): ScriptJob {
  const j = scriptJob();
  j.lockFile();
  for (const [stack, doc] of Object.entries(stacks)) {
    j.stack(stack);
    j.tofu(`${stack}.plan.json`, doc);
  }
  if (record) j.write('applied.json', record);
  return j;
}

const planCalls = (j: ScriptJob): string[] => j.calls().filter((c) => / plan /.test(c));
const PLAN = (stack: string, mode: string, parallelism = 10, extra = ''): string =>
  `tofu -chdir=${stack} plan -input=false -no-color -lock=false -parallelism=${parallelism}${mode ? ` ${mode}` : ''} -out=tfplan${extra}`;

describe('refresh-due.sh', () => {
  it.each([
    ['the record has the stack (applied and recorded): no refresh', RECORD, 'aws', 'false'],
    ['the stack was never applied or recorded: refresh', RECORD, 'aws-prod', 'true'],
    ['the empty record (nothing applied yet): refresh', { version: 1, stacks: {} }, 'okta', 'true'],
    ['no record in the job: refresh', undefined, 'okta', 'true'],
    ['a file that is not a record: refresh', { stacks: ['okta'] }, 'okta', 'true'],
  ])('%s', (_what, record, stack, due) => {
    const j = job({}, record);
    const r = j.run('refresh-due.sh', [stack]);
    expect([r.code, r.stdout]).toEqual([0, `${due}\n`]);
  });

  it('ACCESSCTL_REFRESH=always refreshes a recorded stack too', () => {
    const j = job({}, RECORD);
    expect(j.run('refresh-due.sh', ['aws'], { ACCESSCTL_REFRESH: 'always' }).stdout).toBe('true\n');
  });
});

describe('plan-stack.sh REFRESH', () => {
  it.each([
    [undefined, ''],
    ['true', ''],
    ['false', '-refresh=false'],
    ['only', '-refresh-only'],
  ])('REFRESH=%s plans with "%s"', (refresh, mode) => {
    const j = job({ aws: plan(kept(2)) });
    expect(j.run('plan-stack.sh', ['aws'], refresh === undefined ? {} : { REFRESH: refresh }).code).toBe(0);
    expect(planCalls(j)).toEqual([PLAN('aws', mode)]);
  });

  it('REFRESH=auto asks the record: a recorded stack skips the refresh, a new one refreshes (pr.yml)', () => {
    const j = job({ aws: plan(kept(2)), 'aws-prod': plan(kept(2)) }, RECORD);
    expect(j.run('plan-stack.sh', ['aws'], { REFRESH: 'auto' }).code).toBe(0);
    expect(j.run('plan-stack.sh', ['aws-prod'], { REFRESH: 'auto' }).code).toBe(0);
    expect(planCalls(j)).toEqual([PLAN('aws', '-refresh=false'), PLAN('aws-prod', '')]);
  });

  it('refuses an unknown REFRESH or PARALLELISM before planning', () => {
    const j = job({ aws: plan(kept(2)) });
    expect(j.run('plan-stack.sh', ['aws'], { REFRESH: 'maybe' }).code).toBe(1);
    expect(j.run('plan-stack.sh', ['aws'], { PARALLELISM: '0' }).code).toBe(1);
    expect(j.run('plan-stack.sh', ['aws'], { PARALLELISM: '1; rm -rf /' }).code).toBe(1);
    expect(planCalls(j)).toEqual([]);
  });
});

describe('plan-run.sh (apply.yml)', () => {
  it('plans a recorded stack with -refresh=false and a never-applied one with a refresh', () => {
    const j = job({ okta: plan([]), 'aws-prod': plan(kept(2)) }, RECORD);
    expect(j.run('plan-run.sh', ['okta', 'aws-prod']).code).toBe(0);
    expect(planCalls(j)).toEqual([PLAN('okta', '-refresh=false', 10, ' -detailed-exitcode'), PLAN('aws-prod', '', 10, ' -detailed-exitcode')]);
  });

  it('a run by hand (REFRESH=true) refreshes every stack, recorded or not', () => {
    const j = job({ okta: plan([]), aws: plan(kept(2)) }, RECORD);
    expect(j.run('plan-run.sh', ['okta', 'aws'], { REFRESH: 'true' }).code).toBe(0);
    expect(planCalls(j)).toEqual([PLAN('okta', '', 10, ' -detailed-exitcode'), PLAN('aws', '', 10, ' -detailed-exitcode')]);
  });
});

describe('drift-stack.sh (drift.yml)', () => {
  const drifted = (doc: object, drift: object[]): object => ({ ...doc, resource_changes: [], resource_drift: drift });
  const DELETED = { address: 'aws_ssoadmin_account_assignment.this["team|ReadOnly|011111111111"]', type: 'aws_ssoadmin_account_assignment', change: { actions: ['delete'], before: { principal_id: 'secret-id' }, after: null } };
  const CHANGED = { address: 'okta_group_memberships.this["team"]', type: 'okta_group_memberships', change: { actions: ['update'], before: { users: ['00u1'] }, after: { users: ['00u1', '00u9'] } } };

  it('refreshes an aws stack with -refresh-only at -parallelism=1 and reports what was deleted outside Terraform, without values', () => {
    const j = job({ aws: drifted(plan([]), [DELETED]) });
    expect(j.run('drift-stack.sh', ['aws']).code).toBe(0);
    expect(planCalls(j)).toEqual([PLAN('aws', '-refresh-only', 1, ' -detailed-exitcode')]);
    expect(j.read('drift/aws.state')).toBe('drifted\n');
    const md = j.read('drift/aws.md');
    expect(md).toContain('- `aws_ssoadmin_account_assignment.this["team|ReadOnly|011111111111"]`: deleted outside Terraform\n');
    expect(md).not.toContain('secret-id');
    // How to repair it: apply.yml's stacks input plans the stack with a refresh.
    expect(md).toContain('run apply.yml by hand with aws in its stacks input: it plans the stack with a refresh');
  });

  it('refreshes okta at -parallelism=10 (the provider paces itself) and reports a direct change', () => {
    const j = job({ okta: drifted(plan([]), [CHANGED]) });
    expect(j.run('drift-stack.sh', ['okta']).code).toBe(0);
    expect(planCalls(j)).toEqual([PLAN('okta', '-refresh-only', 10, ' -detailed-exitcode')]);
    expect(j.read('drift/okta.state')).toBe('drifted\n');
    expect(j.read('drift/okta.md')).toContain('- `okta_group_memberships.this["team"]`: changed outside Terraform (update)\n');
    expect(j.read('drift/okta.md')).not.toContain('00u9');
  });

  it('no drift: clean, and no issue text', () => {
    const j = job({ 'aws-prod': drifted(plan([]), []) });
    expect(j.run('drift-stack.sh', ['aws-prod']).code).toBe(0);
    expect(j.read('drift/aws-prod.state')).toBe('clean\n');
    expect(j.exists('drift/aws-prod.md')).toBe(false);
  });

  it('a refresh that fails: failed, with the run named', () => {
    const j = job({ aws: plan([]) });
    j.tofu('aws.plan-exit', '1');
    expect(j.run('drift-stack.sh', ['aws'], { GITHUB_RUN_ID: '42' }).code).toBe(0);
    expect([j.read('drift/aws.state'), j.read('drift/aws.md')]).toEqual(['failed\n', 'The refresh of aws failed: see run 42.\n']);
  });
});
