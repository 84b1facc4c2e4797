// Security properties of the GitHub workflows, checked on the parsed YAML.
// Each check is a function from a workflow to a list of violations, so the
// same checks run on the real workflows (no violations) and on a deliberately
// bad one (every check reports), which proves that they can fail.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { BREAK_GLASS_FORM_FIELDS } from '../src/edit/issue-form';
import { APPROVALS_END, APPROVALS_START } from '../src/reporters/approvals/markdown';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface Step extends Obj {}
interface Job {
  permissions?: Json;
  environment?: Json;
  steps?: Step[];
  env?: Obj;
  [k: string]: Json | undefined;
}
interface Workflow {
  on: Json;
  permissions?: Json;
  jobs: Record<string, Job>;
  concurrency?: Json;
}

const ROOT = path.join(__dirname, '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

function read(file: string): Workflow {
  return parse(fs.readFileSync(file, 'utf8')) as Workflow;
}

function triggers(wf: Workflow): string[] {
  const on = wf.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys(on as Obj);
}

function steps(job: Job): Step[] {
  return job.steps ?? [];
}

function uses(step: Step): string | undefined {
  return typeof step.uses === 'string' ? step.uses : undefined;
}

function perms(p: Json | undefined): Record<string, string> {
  if (p === undefined || p === null) return {};
  if (typeof p === 'string') return { '*': p };
  return Object.fromEntries(Object.entries(p as Obj).map(([k, v]) => [k, String(v)]));
}

/** The raw source line of every `uses:` (the parsed value has lost its comment). */
function usesLines(source: string): string[] {
  return source.split('\n').filter((l) => /^\s*(-\s+)?uses:\s/.test(l));
}

type Check = (wf: Workflow, source: string) => string[];

const CHECKS: Record<string, Check> = {
  'no privileged triggers': (wf) =>
    triggers(wf).filter((t) => t === 'pull_request_target' || t === 'workflow_run').map((t) => `trigger ${t}`),

  'actions pinned to a commit with the version in a comment': (_wf, source) =>
    usesLines(source)
      .filter((l) => !/uses:\s+\.\//.test(l))
      .filter((l) => !/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s+v[0-9]+\.[0-9]+\.[0-9]+\s*$/.test(l))
      .map((l) => `unpinned: ${l.trim()}`),

  'permissions declared for the workflow and every job': (wf) => [
    ...(wf.permissions === undefined ? ['workflow has no permissions'] : []),
    ...Object.entries(wf.jobs)
      .filter(([, job]) => job.permissions === undefined)
      .map(([name]) => `job ${name} has no permissions`),
  ],

  'workflow-level permissions read at most': (wf) =>
    Object.entries(perms(wf.permissions))
      .filter(([, v]) => v !== 'read' && v !== 'none')
      .map(([k, v]) => `workflow permission ${k}: ${v}`),

  'no write-all or read-all': (wf) =>
    [wf.permissions, ...Object.values(wf.jobs).map((j) => j.permissions)]
      .filter((p) => p === 'write-all' || p === 'read-all')
      .map((p) => `permissions: ${String(p)}`),

  'jobs that write to pull requests or issues run no repository code': (wf) =>
    Object.entries(wf.jobs).flatMap(([name, job]) => {
      const p = perms(job.permissions);
      const writes = ['pull-requests', 'issues', 'contents', 'actions', 'checks', 'statuses', 'deployments', 'packages']
        .filter((k) => p[k] === 'write');
      if (writes.length === 0) return [];
      const problems: string[] = [];
      for (const s of steps(job)) {
        const u = uses(s) ?? '';
        if (u.startsWith('actions/checkout@')) problems.push(`job ${name} (${writes.join(', ')}: write) checks out the repository`);
        if (u.startsWith('./')) problems.push(`job ${name} (${writes.join(', ')}: write) runs a local action ${u}`);
        if (typeof s.run === 'string') problems.push(`job ${name} (${writes.join(', ')}: write) runs a shell step`);
      }
      if (job.env && Object.values(job.env).some((v) => typeof v === 'string' && v.includes('secrets.'))) {
        problems.push(`job ${name} (${writes.join(', ')}: write) has secrets in its environment`);
      }
      return problems;
    }),

  'id-token only where AWS credentials are assumed': (wf) =>
    Object.entries(wf.jobs).flatMap(([name, job]) => {
      const oidc = perms(job.permissions)['id-token'] === 'write';
      const assumes = steps(job).some((s) => (uses(s) ?? '').startsWith('aws-actions/configure-aws-credentials@'));
      if (oidc && !assumes) return [`job ${name} has id-token: write but assumes no AWS role`];
      if (!oidc && assumes) return [`job ${name} assumes an AWS role without id-token: write`];
      return [];
    }),

  'no event data expanded inside shell scripts': (wf) =>
    Object.entries(wf.jobs).flatMap(([name, job]) =>
      steps(job)
        .filter((s) => typeof s.run === 'string' && /\$\{\{[^}]*github\.(event|head_ref)/.test(s.run as string))
        .map((s) => `job ${name} step "${String(s.name ?? s.run).split('\n')[0]}" expands github.event in run:`)),

  'checkouts do not keep the token': (wf) =>
    Object.entries(wf.jobs).flatMap(([name, job]) =>
      steps(job)
        .filter((s) => (uses(s) ?? '').startsWith('actions/checkout@'))
        .filter((s) => (s.with as Obj | undefined)?.['persist-credentials'] !== false)
        .map(() => `job ${name}: checkout without persist-credentials: false`)),

  'every job has a timeout': (wf) =>
    Object.entries(wf.jobs)
      .filter(([, job]) => job.uses === undefined && typeof job['timeout-minutes'] !== 'number')
      .map(([name]) => `job ${name} has no timeout`),

  'secrets only in the steps that run Terraform or read GitHub teams': (wf) => [
    ...(JSON.stringify(wf as unknown as Obj).length > 0 && JSON.stringify((wf as unknown as { env?: Json }).env ?? {}).includes('secrets.') ? ['the workflow env has secrets'] : []),
    ...Object.entries(wf.jobs).flatMap(([name, job]) => [
      ...(job.env && JSON.stringify(job.env).includes('secrets.') ? [`job ${name} has secrets in its env`] : []),
      ...steps(job)
        .filter((st) => JSON.stringify(st.env ?? {}).includes('secrets.') && !(typeof st.run === 'string' && /\.github\/scripts\/(plan-stack|apply-stack|apply-okta|approvals|retrospective)\.sh/.test(st.run)))
        .map((st) => `job ${name} step "${String(st.name ?? st.uses ?? st.run)}" has secrets but runs no Terraform or approvals script`),
    ]),
  ],

  'jobs with credentials install no dev dependencies and share no cache': (wf) =>
    Object.entries(wf.jobs).flatMap(([name, job]) => {
      const privileged = perms(job.permissions)['id-token'] === 'write' || JSON.stringify(job).includes('secrets.');
      if (!privileged) return [];
      return steps(job).flatMap((st) => [
        ...(typeof st.run === 'string' && /\bnpm (ci|install|i)\b(?![^\n]*--omit=dev[^\n]*--ignore-scripts)/.test(st.run) ? [`job ${name} runs npm with dev dependencies or package scripts`] : []),
        ...((uses(st) ?? '').startsWith('actions/setup-node@') && (st.with as Obj | undefined)?.cache !== undefined ? [`job ${name} uses a shared npm cache`] : []),
      ]);
    }),

  'reusable workflows are local': (wf) =>
    Object.entries(wf.jobs)
      .filter(([, job]) => typeof job.uses === 'string' && !job.uses.startsWith('./.github/workflows/'))
      .map(([name, job]) => `job ${name} calls ${String(job.uses)}`),
};

function violations(wf: Workflow, source: string): string[] {
  return Object.entries(CHECKS).flatMap(([check, fn]) => fn(wf, source).map((v) => `${check}: ${v}`));
}

const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();

describe('workflows', () => {
  it('are the ones the docs describe', () => {
    expect(files).toEqual(['access-request.yml', 'apply.yml', 'approvals.yml', 'drift.yml', 'expire.yml', 'open-pr.yml', 'pr.yml', 'retrospective.yml']);
  });

  it.each(files)('%s breaks none of the security checks', (file) => {
    const source = fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
    expect(violations(read(path.join(WORKFLOWS, file)), source)).toEqual([]);
  });

  it('the checks fail on a workflow that breaks them', () => {
    const source = `name: bad
on: [pull_request_target]
permissions: write-all
jobs:
  comment:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
      id-token: write
    env:
      TOKEN: \${{ secrets.OKTA_TOKEN }}
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - name: greet
        run: echo "\${{ github.event.pull_request.title }}"
      - run: npm ci
  assume:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c
  call:
    permissions: {}
    uses: someone/else/.github/workflows/x.yml@main
`;
    expect(violations(parse(source) as Workflow, source)).toEqual([
      'no privileged triggers: trigger pull_request_target',
      'actions pinned to a commit with the version in a comment: unpinned: - uses: actions/checkout@v4',
      'actions pinned to a commit with the version in a comment: unpinned: - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c',
      'actions pinned to a commit with the version in a comment: unpinned: uses: someone/else/.github/workflows/x.yml@main',
      'permissions declared for the workflow and every job: job assume has no permissions',
      'workflow-level permissions read at most: workflow permission *: write-all',
      'no write-all or read-all: permissions: write-all',
      'jobs that write to pull requests or issues run no repository code: job comment (pull-requests: write) checks out the repository',
      'jobs that write to pull requests or issues run no repository code: job comment (pull-requests: write) runs a shell step',
      'jobs that write to pull requests or issues run no repository code: job comment (pull-requests: write) runs a shell step',
      'jobs that write to pull requests or issues run no repository code: job comment (pull-requests: write) has secrets in its environment',
      'id-token only where AWS credentials are assumed: job comment has id-token: write but assumes no AWS role',
      'id-token only where AWS credentials are assumed: job assume assumes an AWS role without id-token: write',
      'no event data expanded inside shell scripts: job comment step "greet" expands github.event in run:',
      'checkouts do not keep the token: job comment: checkout without persist-credentials: false',
      'every job has a timeout: job comment has no timeout',
      'secrets only in the steps that run Terraform or read GitHub teams: job comment has secrets in its env',
      'jobs with credentials install no dev dependencies and share no cache: job comment runs npm with dev dependencies or package scripts',
      'reusable workflows are local: job call calls someone/else/.github/workflows/x.yml@main',
    ]);
  });
});

describe('pr.yml', () => {
  const wf = read(path.join(WORKFLOWS, 'pr.yml'));

  it('runs on pull_request only', () => {
    expect(triggers(wf)).toEqual(['pull_request']);
  });

  it('plans each stack with the read-only plan role and the read-only Okta scopes', () => {
    const plan = wf.jobs.plan!;
    const aws = steps(plan).find((s) => (uses(s) ?? '').startsWith('aws-actions/configure-aws-credentials@'))!;
    expect((aws.with as Obj)['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_PLAN_ROLE_ARN }}');
    const planStep = steps(plan).find((st) => st.run === '.github/scripts/plan-stack.sh "$STACK"')!;
    expect((planStep.env as Obj).OKTA_API_SCOPES).toBe('okta.groups.read,okta.users.read,okta.apps.read,okta.policies.read');
    expect((planStep.env as Obj).OKTA_API_PRIVATE_KEY).toBe('${{ secrets.OKTA_PLAN_PRIVATE_KEY }}');
    expect((planStep.env as Obj).TF_VAR_okta_aws_scim_token).toBe('used-only-by-apply');
    expect((plan.strategy as Obj).matrix).toEqual({ stack: '${{ fromJSON(needs.synth.outputs.stacks) }}' });
    // Only the stacks the change touches are planned; none means no plan job.
    expect(plan.if).toBe("${{ needs.synth.outputs.stacks != '[]' }}");
    const list = steps(wf.jobs.synth!).find((s) => s.id === 'stacks')!;
    expect(list.run).toContain('npx accessctl affected --base "$BASE_SHA" --format json > affected.json');
  });

  it('no job of the pull request workflow can reach apply credentials', () => {
    const text = fs.readFileSync(path.join(WORKFLOWS, 'pr.yml'), 'utf8');
    expect(text).not.toMatch(/APPLY/);
    expect(Object.values(wf.jobs).map((j) => j.environment)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('comments with pull-requests: write alone, from artifacts, and validates with annotations', () => {
    expect(perms(wf.jobs.comment!.permissions)).toEqual({ 'pull-requests': 'write' });
    const runs = Object.values(wf.jobs).flatMap((j) => steps(j)).map((s) => s.run).filter((r): r is string => typeof r === 'string');
    expect(runs).toContain('npm test');
    expect(runs).toContain('npx accessctl validate --format github');
    expect(runs).toContain('npx accessctl codeowners --check');
    expect(runs.some((r) => r.includes('npx accessctl plan-summary plans/*.json'))).toBe(true);
    // A stack whose plan failed fails the summary even when the other stacks' plans are fine.
    expect(runs.some((r) => r.includes('if [ "$PLAN_RESULT" = failure ] || [ "$PLAN_RESULT" = cancelled ]; then') && r.includes('status=1'))).toBe(true);
  });
});

describe('apply.yml', () => {
  const wf = read(path.join(WORKFLOWS, 'apply.yml'));
  const job = (n: string): Job => wf.jobs[n]!;
  const step = (n: string, pred: (s: Step) => boolean): Step => steps(job(n)).find(pred)!;

  it('runs on pushes to main, hourly, and by hand with an allow_revoke switch; never two at once', () => {
    expect(wf.on).toEqual({
      push: { branches: ['main'] },
      schedule: [{ cron: '17 * * * *' }],
      workflow_dispatch: { inputs: { allow_revoke: { description: 'Accept tripped revocation and replacement rails (only after reviewing them)', type: 'boolean', default: false } } },
    });
    expect(wf.concurrency).toEqual({ group: 'accessctl-apply', 'cancel-in-progress': false });
    expect(Object.keys(wf.jobs)).toEqual(['record', 'synth', 'plan-okta', 'apply-okta', 'plan-aws', 'apply-aws', 'unapplied']);
  });

  it('chooses the stacks by the apply record, synthesized now, never by the previous push', () => {
    const text = fs.readFileSync(path.join(WORKFLOWS, 'apply.yml'), 'utf8');
    expect(text).not.toContain('github.event.before');
    expect(step('record', (s) => s.name === 'Fetch the apply record').run).toBe('.github/scripts/fetch-record.sh');
    expect(step('synth', (s) => s.id === 'stacks').run).toContain('npx accessctl affected --applied applied.json --format json > affected.json');
    expect(perms(job('synth').permissions)).toEqual({ contents: 'read' });
    expect(JSON.stringify(job('synth'))).not.toContain('secrets.');
  });

  it('plans in jobs without an environment, with the plan role and read-only Okta scopes, and never the SCIM token', () => {
    for (const n of ['plan-okta', 'plan-aws']) {
      expect(job(n).environment).toBeUndefined();
      expect((step(n, (s) => (uses(s) ?? '').startsWith('aws-actions/configure-aws-credentials@')).with as Obj)['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_PLAN_ROLE_ARN }}');
    }
    const plan = step('plan-okta', (s) => s.id === 'plan');
    expect((plan.env as Obj).OKTA_API_SCOPES).toBe('okta.groups.read,okta.users.read,okta.apps.read,okta.policies.read');
    expect((plan.env as Obj).TF_VAR_okta_aws_scim_token).toBe('used-only-by-apply');
    expect(plan.run).toContain('npx accessctl plan-summary plans/okta.json --format markdown >> "$GITHUB_STEP_SUMMARY"');
  });

  it('the gated jobs apply the plan an earlier job made, checked by its digest, and record each apply', () => {
    expect(job('apply-okta').needs).toEqual(['synth', 'plan-okta']);
    expect(job('apply-aws').needs).toEqual(['synth', 'plan-aws']);
    for (const n of ['apply-okta', 'apply-aws']) {
      expect(job(n).environment).toBe("${{ github.event_name == 'schedule' && 'production-expiry' || 'production' }}");
      expect(perms(job(n).permissions)).toEqual({ contents: 'read', 'id-token': 'write' });
      expect((step(n, (s) => (uses(s) ?? '').startsWith('aws-actions/configure-aws-credentials@')).with as Obj)['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_APPLY_ROLE_ARN }}');
      expect(steps(job(n)).some((s) => typeof s.run === 'string' && s.run.includes('plan-stack.sh'))).toBe(false);
    }
    const okta = step('apply-okta', (s) => s.name === 'Apply okta (exactly the approved plan)');
    expect([okta.run, (okta.env as Obj).DIGEST, (okta.env as Obj).TF_VAR_okta_aws_scim_token]).toEqual(['.github/scripts/apply-okta.sh "$DIGEST"', '${{ needs.plan-okta.outputs.digest }}', '${{ secrets.OKTA_AWS_SCIM_TOKEN }}']);
    expect(step('apply-okta', (s) => s.name === 'Record the apply').run).toBe('.github/scripts/record-applied.sh okta');
    const aws = step('apply-aws', (s) => typeof s.run === 'string' && s.run.includes('apply-stack.sh'));
    expect((aws.env as Obj).DIGESTS).toBe('${{ needs.plan-aws.outputs.digests }}');
    expect(aws.run).toContain('.github/scripts/apply-stack.sh "$stack" "$(jq -r --arg s "$stack" \'.[$s]\' <<<"$DIGESTS")"');
    expect(aws.run).toContain('.github/scripts/record-applied.sh "$stack"');
    const script = fs.readFileSync(path.join(ROOT, '.github', 'scripts', 'apply-stack.sh'), 'utf8');
    const lines = script.split('\n').filter((l) => !l.startsWith('#') && l.trim() !== '');
    const refuse = lines.findIndex((l) => l.includes('if [ "${actual}" != "${expected}" ]; then'));
    const summary = lines.findIndex((l) => l.includes('npx accessctl plan-summary'));
    const applyLine = lines.findIndex((l) => l.startsWith('terraform ') && l.includes(' apply '));
    expect(refuse).toBeGreaterThan(0);
    expect(summary).toBeGreaterThan(refuse);
    expect(applyLine).toBeGreaterThan(summary);
    expect(lines[applyLine]).toMatch(/ tfplan$/);
    expect(lines.filter((l) => /^terraform .* plan /.test(l))).toEqual([]);
  });

  it('okta first, then the aws plan once SCIM has pushed; on the schedule only removals apply, the rest is reported', () => {
    expect(job('plan-aws').needs).toEqual(['synth', 'apply-okta']);
    expect(step('plan-aws', (s) => s.name === 'Wait until SCIM has pushed new groups to AWS').run).toBe('.github/scripts/wait-for-scim.sh 20 30');
    expect(job('apply-okta').if).toBe("${{ github.event_name != 'schedule' || needs.plan-okta.outputs.removals-only == 'true' }}");
    expect(job('apply-aws').if).toContain("(github.event_name != 'schedule' || needs.plan-aws.outputs.removals-only == 'true')");
    expect(perms(job('unapplied').permissions)).toEqual({ issues: 'write' });
    expect(job('unapplied').if).toContain("github.event_name == 'schedule'");
  });

  it('the jobs with credentials check out only the scripts and the access files plan-summary reads', () => {
    for (const n of ['plan-okta', 'apply-okta', 'plan-aws', 'apply-aws']) {
      const co = step(n, (s) => (uses(s) ?? '').startsWith('actions/checkout@'));
      expect((co.with as Obj)['sparse-checkout']).toBe('.github/scripts\naccess\n');
    }
  });

  it('the scripts plan without the lock and check what they install', () => {
    const plan = fs.readFileSync(path.join(ROOT, '.github', 'scripts', 'plan-stack.sh'), 'utf8');
    expect(plan).toContain('plan -input=false -no-color -lock=false');
    const install = fs.readFileSync(path.join(ROOT, '.github', 'scripts', 'install-tool.sh'), 'utf8');
    expect(install).toContain('npm ci --omit=dev --ignore-scripts');
    expect(install.indexOf('if [ "${actual}" != "${expected}" ]; then')).toBeLessThan(install.indexOf('tar -xzf tool.tgz'));
  });
});

describe('access-request.yml, expire.yml and open-pr.yml', () => {
  const request = read(path.join(WORKFLOWS, 'access-request.yml'));
  const expire = read(path.join(WORKFLOWS, 'expire.yml'));
  const openPr = read(path.join(WORKFLOWS, 'open-pr.yml'));

  it('turn an issue form, or the daily expiry, into a change in a read-only job', () => {
    expect(request.on).toEqual({ issues: { types: ['opened', 'edited', 'labeled'] } });
    expect(triggers(expire)).toEqual(['schedule', 'workflow_dispatch']);
    for (const wf of [request, expire]) {
      expect(perms(wf.jobs.prepare!.permissions)).toEqual({ contents: 'read' });
      expect(wf.jobs['open-pr']).toMatchObject({ needs: 'prepare', uses: './.github/workflows/open-pr.yml' });
    }
    const step = steps(request.jobs.prepare!).find((s) => s.name === 'Turn the form into a change')!;
    expect(step.env).toEqual({ BODY: '${{ github.event.issue.body }}', ISSUE: '${{ github.event.issue.number }}', AUTHOR: '${{ github.event.issue.user.login }}', BREAK_GLASS: "${{ contains(github.event.issue.labels.*.name, 'break-glass') }}" });
    expect(step.run).toContain('npx accessctl "$command" --issue-form "$RUNNER_TEMP/form.md" --format markdown');
    // The branch names approvals reads the requester from (the issue's author).
    expect(step.run).toContain('command=break-glass; branch="break-glass/issue-$ISSUE"');
    expect(step.run).toContain('command=request; branch="access-request/issue-$ISSUE"');
    expect(steps(expire.jobs.prepare!).map((s) => s.run).join('\n')).toContain('npx accessctl expire --write --format markdown');
  });

  it('open the pull request from a job that only calls the API, and only for files under access/', () => {
    expect(triggers(openPr)).toEqual(['workflow_call']);
    const open = openPr.jobs.open!;
    expect(perms(open.permissions)).toEqual({ contents: 'write', 'pull-requests': 'write', issues: 'write' });
    expect(steps(open).map((s) => (uses(s) ?? '').split('@')[0])).toEqual(['actions/download-artifact', 'actions/github-script']);
    const script = String((steps(open)[1]!.with as Obj).script);
    expect(script).toContain("if (!/^access\\/[A-Za-z0-9._\\/-]+\\.ya?ml$/.test(f) || f.split('/').includes('..')) throw new Error(`refusing to write ${f}`);");
  });
});

describe('drift.yml', () => {
  const wf = read(path.join(WORKFLOWS, 'drift.yml'));

  it('runs on a schedule and reports from a job that can only write issues', () => {
    expect(triggers(wf)).toEqual(['schedule', 'workflow_dispatch']);
    expect(perms(wf.jobs.report!.permissions)).toEqual({ issues: 'write' });
    expect(perms(wf.jobs.plan!.permissions)).toEqual({ contents: 'read', 'id-token': 'write' });
    const aws = steps(wf.jobs.plan!).find((s) => (uses(s) ?? '').startsWith('aws-actions/configure-aws-credentials@'))!;
    expect((aws.with as Obj)['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_PLAN_ROLE_ARN }}');
  });
});

describe('approvals.yml', () => {
  const wf = read(path.join(WORKFLOWS, 'approvals.yml'));
  const job = (n: string): Job => wf.jobs[n]!;

  it('runs on every push and every review of a pull request', () => {
    expect(wf.on).toEqual({
      pull_request: { types: ['opened', 'synchronize', 'reopened', 'edited', 'ready_for_review'] },
      pull_request_review: { types: ['submitted', 'edited', 'dismissed'] },
    });
  });

  it('judges with the CLI and scripts of the base commit, and reads the pull request head through git only', () => {
    const tool = steps(job('tool')).find((s) => (uses(s) ?? '').startsWith('actions/checkout@'))!;
    expect((tool.with as Obj).ref).toBe('${{ github.event.pull_request.base.sha }}');
    const [scripts, head] = steps(job('approvals')).filter((s) => (uses(s) ?? '').startsWith('actions/checkout@'));
    expect(scripts!.with).toMatchObject({ ref: '${{ github.event.pull_request.base.sha }}', 'sparse-checkout': '.github/scripts' });
    expect(head!.with).toMatchObject({ ref: '${{ github.event.pull_request.head.sha }}', path: 'pr', 'fetch-depth': 0 });
    expect(perms(job('approvals').permissions)).toEqual({ contents: 'read', 'pull-requests': 'read' });
    const verdict = steps(job('approvals')).find((s) => typeof s.run === 'string' && s.run.includes('approvals.sh'))!;
    expect(verdict.run).toBe('.github/scripts/approvals.sh "$PR" "$BASE_SHA" "$HEAD_SHA"');
    expect((verdict.env as Obj).ACCESSCTL_GITHUB_TEAMS_TOKEN).toBe('${{ secrets.ACCESSCTL_GITHUB_TEAMS_TOKEN }}');
    const script = fs.readFileSync(path.join(ROOT, '.github', 'scripts', 'approvals.sh'), 'utf8');
    expect(script).toContain('(cd pr && node "${tool}" approvals --pr "${pr}" --base "${base}" --head "${head}" --format markdown)');
    expect(script.trimEnd().endsWith('exit "${status}"')).toBe(true);
  });

  it('writes only its own section of the sticky comment, from a job that can do nothing else', () => {
    expect(perms(job('comment').permissions)).toEqual({ 'pull-requests': 'write' });
    const script = String((steps(job('comment')).find((s) => (uses(s) ?? '').startsWith('actions/github-script@'))!.with as Obj).script);
    const pr = read(path.join(WORKFLOWS, 'pr.yml'));
    const prScript = String((steps(pr.jobs.comment!).find((s) => (uses(s) ?? '').startsWith('actions/github-script@'))!.with as Obj).script);
    for (const s of [script, prScript]) {
      expect(s).toContain(`const start = '${APPROVALS_START}';`);
      expect(s).toContain(`const end = '${APPROVALS_END}';`);
    }
    expect(prScript).toContain('const body = `${marker}\\n${kept ? `${kept}\\n` : \'\'}${own}`;');
  });
});

describe('retrospective.yml and the break-glass form', () => {
  const wf = read(path.join(WORKFLOWS, 'retrospective.yml'));

  it('opens the retrospectives of each push to main from a job that can only write issues', () => {
    expect(wf.on).toEqual({ push: { branches: ['main'], paths: ['access/groups/**'] } });
    expect(perms(wf.jobs.open!.permissions)).toEqual({ issues: 'write' });
    expect(perms(wf.jobs.prepare!.permissions)).toEqual({ contents: 'read', 'pull-requests': 'read' });
    const find = steps(wf.jobs.prepare!).find((s) => s.name === 'The break-glass grants of this push')!;
    expect(find.run).toBe('.github/scripts/retrospective.sh "$BEFORE" "$AFTER"');
    const script = String((steps(wf.jobs.open!).find((s) => (uses(s) ?? '').startsWith('actions/github-script@'))!.with as Obj).script);
    expect(script).toContain('await github.rest.issues.create({ ...issue, assignees: i.assignees });');
  });

  it('the break-glass form has the fields break-glass --issue-form reads', () => {
    const form = parse(fs.readFileSync(path.join(ROOT, '.github', 'ISSUE_TEMPLATE', 'break-glass.yml'), 'utf8')) as { labels: string[]; body: Array<{ type: string; attributes: { label?: string } }> };
    expect(form.labels).toEqual(['break-glass']);
    expect(form.body.filter((b) => b.type !== 'markdown').map((b) => b.attributes.label)).toEqual(Object.values(BREAK_GLASS_FORM_FIELDS));
  });
});
