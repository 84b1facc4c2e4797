// .github/scripts/plan-run.sh, the plan jobs of apply.yml: every stack of the
// run planned (the tofu stand-in), then all the plans judged together, and
// the job outputs the gated jobs decide by. "unattended" is what lets the
// hourly run apply without a person; each row below is one way it must be
// false, or may be true.
import { change, kept, plan, removeJobs, revoked, scriptJob, sha256, type ScriptJob } from '../support/script-job';

afterEach(removeJobs);

/** main: team holds ReadOnly on prod and dev; lead and new are its members. */
const ORG = {
  'groups/team.yaml': 'name: team\nmode: authoritative\nowners: [lead@example.com]\nmembers: [lead@example.com, new@example.com]\napps: [aws]\naws:\n  - { permissionSet: ReadOnly, accounts: [prod, dev] }\n',
};

function runJob(plans: Record<string, object>, affected?: object): ScriptJob {
  const j = scriptJob();
  j.access(ORG);
  j.lockFile();
  for (const [stack, doc] of Object.entries(plans)) {
    j.stack(stack);
    j.tofu(`${stack}.plan.json`, doc);
  }
  if (affected) j.write('affected.json', affected);
  return j;
}

const outputs = (j: ScriptJob): Record<string, string> => Object.fromEntries(j.outputs().trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const digestsOf = (j: ScriptJob, ...stacks: string[]): string => JSON.stringify(Object.fromEntries(stacks.map((s) => [s, sha256(j.read(`cdktf.out/stacks/${s}/tfplan`))])));

/** An okta plan in which team's members go from `before` to `after` (user ids; logins from the prior state). */
function members(before: string[], after: string[]): object {
  const doc = plan([change({ type: 'okta_group_memberships', key: 'team', actions: ['update'], before: { group_id: '00g1', track_all_users: true, users: before }, after: { group_id: '00g1', track_all_users: true, users: after } })]) as Record<string, unknown>;
  const users = [['00u1', 'lead@example.com'], ['00u2', 'new@example.com'], ['00u3', 'direct@example.com']].map(([id, login]) => ({ id, login }));
  return { ...doc, prior_state: { values: { root_module: { resources: [
    { address: 'data.okta_users.this["000"]', mode: 'data', type: 'okta_users', name: 'this', values: { users } },
    { address: 'okta_group.this["team"]', mode: 'managed', type: 'okta_group', name: 'this', values: { id: '00g1', name: 'team' } },
  ] } } } };
}

describe('plan-run.sh', () => {
  it('two shards each under the revocation limit but over it together: rails tripped, nothing unattended, and neither applies', () => {
    // Each alone revokes 3 of 20 (within "never fewer than 3"); together 6 of 40 (at most 4).
    const j = runJob({ aws: plan([...kept(17), ...revoked(3)]), 'aws-prod': plan([...kept(17, 'kept-prod'), ...revoked(3, 'gone-prod')]) });
    const r = j.run('plan-run.sh', ['aws', 'aws-prod']);
    expect(r.code).toBe(0);
    expect(outputs(j)).toEqual({ digests: digestsOf(j, 'aws', 'aws-prod'), unattended: 'false', rails: 'tripped' });
    expect(r.stdout).toContain('  TRIPPED mass-revocation: 6 revocations across aws (3), aws-prod (3) (at most 4 allowed: 10% of the 40 existing)\n');
    // The gated job (a change run, with a person) refuses each of them for the same reason: nothing is applied.
    for (const stack of ['aws', 'aws-prod']) expect(j.run('apply-stack.sh', [stack, JSON.parse(outputs(j).digests!)[stack]]).code).toBe(1);
    expect(j.applied()).toEqual([]);
  });

  it('only known removals under the limit: unattended', () => {
    const j = runJob({ aws: plan([...kept(37), ...revoked(3)]) });
    expect(j.run('plan-run.sh', ['aws']).code).toBe(0);
    expect(outputs(j)).toEqual({ digests: digestsOf(j, 'aws'), unattended: 'true', rails: 'ok' });
  });

  it('plans that change nothing: unattended, so applying them records the stacks', () => {
    const j = runJob({ okta: plan([]), aws: plan(kept(3)) });
    expect(j.run('plan-run.sh', ['okta', 'aws']).code).toBe(0);
    expect(outputs(j)).toEqual({ digests: digestsOf(j, 'okta', 'aws'), unattended: 'true', rails: 'ok' });
  });

  it('a grant beside the removals: not unattended, the rails pass', () => {
    const j = runJob({ aws: plan([...kept(37), ...revoked(1), change({ key: 'team|ReadOnly|022222222222', actions: ['create'] })]) });
    expect(j.run('plan-run.sh', ['aws']).code).toBe(0);
    expect(outputs(j)).toEqual({ digests: digestsOf(j, 'aws'), unattended: 'false', rails: 'ok' });
  });

  it('a stack that cannot be planned stops the run with no outputs', () => {
    const j = runJob({ okta: plan([]), aws: plan(kept(3)) });
    j.tofu('aws.plan-exit', '1');
    const r = j.run('plan-run.sh', ['okta', 'aws']);
    expect([r.code, r.stdout]).toEqual([1, expect.stringContaining('::error::aws could not be planned: nothing of this run is applied\n')]);
    expect(outputs(j)).toEqual({});
  });

  describe('an expiry run (affected.json from synth --expiry has "lapsed")', () => {
    const LAPSED = (facts: string[]) => ({ stacks: ['okta'], digests: {}, commits: {}, lapsed: { okta: facts } });

    it('a member who lapsed in the applied commit leaves: unattended', () => {
      const j = runJob({ okta: members(['00u1', '00u2'], ['00u1']) }, LAPSED(['okta_group_memberships.this["team"] new@example.com']));
      expect(j.run('plan-run.sh', ['okta']).code).toBe(0);
      expect(outputs(j).unattended).toBe('true');
    });

    it('a member main grants leaves without having lapsed (another run applied them): not unattended, and the log names them', () => {
      const j = runJob({ okta: members(['00u1', '00u2'], ['00u1']) }, LAPSED([]));
      const r = j.run('plan-run.sh', ['okta']);
      expect([r.code, outputs(j).unattended, outputs(j).rails]).toEqual([0, 'false', 'ok']);
      expect(r.stderr).toContain('  - okta: new@example.com leaves team; main grants it and it did not lapse\n');
    });

    it('someone no file grants (added in Okta directly) leaves: unattended', () => {
      const j = runJob({ okta: members(['00u1', '00u3'], ['00u1']) }, LAPSED([]));
      expect(j.run('plan-run.sh', ['okta']).code).toBe(0);
      expect(outputs(j).unattended).toBe('true');
    });
  });
});
