// Security properties of the GitHub workflows, checked on the parsed YAML.
// Each check is a function from a workflow to a list of violations, so the
// same checks run on the real workflows (no violations) and on a deliberately
// bad one (every check reports), which proves that they can fail.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { BREAK_GLASS_FORM_FIELDS } from '../../src/edit/issue-form';
import { APPROVALS_END, APPROVALS_START } from '../../src/reporters/approvals/markdown';

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

const ROOT = path.join(__dirname, '..', '..');
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

const BASE_REF = '${{ github.event.pull_request.base.sha }}';
const HEAD_REF = '${{ github.event.pull_request.head.sha }}';
/** opentofu/setup-opentofu v2.0.2, read from the action's repository. */
const SETUP_OPENTOFU = 'a1320f892987e89d278cc92dc5adc984fb93aca4';

/** A job that can reach something a pull request author must not: a cloud role, a secret, or a token that writes. */
function holdsCredential(job: Job): boolean {
  const p = perms(job.permissions);
  return p['id-token'] === 'write' || Object.values(p).includes('write') || JSON.stringify(job).includes('secrets.');
}

/** A job that checks out the pull request (the default ref of a pull_request run) and runs something. */
function runsPullRequestCode(job: Job): boolean {
  const checksOutPr = steps(job).some((s) => (uses(s) ?? '').startsWith('actions/checkout@') && ((s.with as Obj | undefined)?.ref === undefined || (s.with as Obj).ref === HEAD_REF && (s.with as Obj).path === undefined));
  return checksOutPr && steps(job).some((s) => typeof s.run === 'string');
}

/** Every job `name` needs, directly or not. */
function upstream(wf: Workflow, name: string): string[] {
  const out = new Set<string>();
  const visit = (n: string): void => {
    const needs = wf.jobs[n]?.needs;
    for (const d of (Array.isArray(needs) ? needs : needs === undefined ? [] : [needs]).map(String)) if (!out.has(d)) { out.add(d); visit(d); }
  };
  visit(name);
  return [...out].sort();
}

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
        .filter((st) => JSON.stringify(st.env ?? {}).includes('secrets.') && !(typeof st.run === 'string' && /\.github\/scripts\/(plan-stack|plan-run|drift-stack|apply-stack|apply-okta|approvals|retrospective)\.sh/.test(st.run)))
        .map((st) => `job ${name} step "${String(st.name ?? st.uses ?? st.run)}" has secrets but runs no Terraform or approvals script`),
    ]),
  ],

  'jobs with credentials install no dev dependencies and share no cache': (wf) =>
    Object.entries(wf.jobs).flatMap(([name, job]) => {
      if (!holdsCredential(job)) return [];
      return steps(job).flatMap((st) => [
        ...(typeof st.run === 'string' && /\bnpm (ci|install|i)\b(?![^\n]*--omit=dev[^\n]*--ignore-scripts)/.test(st.run) ? [`job ${name} runs npm with dev dependencies or package scripts`] : []),
        ...((uses(st) ?? '').startsWith('actions/setup-node@') && (st.with as Obj | undefined)?.cache !== undefined ? [`job ${name} uses a shared npm cache`] : []),
      ]);
    }),

  'in pull request workflows, a job that holds a credential runs only the base commit\'s code': (wf) => {
    if (!triggers(wf).some((t) => t.startsWith('pull_request'))) return [];
    return Object.entries(wf.jobs).flatMap(([name, job]) => {
      if (!holdsCredential(job)) return [];
      const problems: string[] = [];
      for (const s of steps(job)) {
        if ((uses(s) ?? '').startsWith('actions/checkout@')) {
          const w = (s.with ?? {}) as Obj;
          if (w.ref === BASE_REF) continue;
          if (w.ref === HEAD_REF && typeof w.path === 'string') continue;
          problems.push(`job ${name} checks out ${w.ref === undefined ? 'the pull request (the default ref)' : String(w.ref)}${w.ref === HEAD_REF ? ' without a path of its own' : ''}`);
        }
        if (typeof s.run === 'string') {
          for (const line of s.run.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
            if (!/^\.github\/scripts\/[a-z-]+\.sh( |$)/.test(line) && !/^exit [0-9]+$/.test(line)) problems.push(`job ${name} runs "${line}", not a script of the base checkout`);
          }
        }
      }
      for (const dep of upstream(wf, name)) if (runsPullRequestCode(wf.jobs[dep]!)) problems.push(`job ${name} needs job ${dep}, which runs the pull request's code`);
      return problems;
    });
  },

  'the engine is OpenTofu, pinned': (_wf, source) =>
    usesLines(source)
      .filter((l) => /uses:\s+(hashicorp\/setup-terraform|opentofu\/setup-opentofu)@/.test(l) && !l.includes(`opentofu/setup-opentofu@${SETUP_OPENTOFU}`))
      .map((l) => `engine: ${l.trim()}`),

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
    expect(files).toEqual(['access-request.yml', 'apply.yml', 'approvals.yml', 'drift.yml', 'expire.yml', 'open-pr.yml', 'pr.yml', 'retrospective.yml', 'unused.yml']);
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
  own-tests:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - run: npm test
  plan:
    needs: own-tests
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          path: pr
          persist-credentials: false
      - uses: hashicorp/setup-terraform@dfe3c3f87815947d99a8997f908cb6525fc44e9e # v4.0.1
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
      - run: pr/.github/scripts/plan-stack.sh okta
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
      "in pull request workflows, a job that holds a credential runs only the base commit's code: job comment checks out ${{ github.event.pull_request.head.sha }} without a path of its own",
      'in pull request workflows, a job that holds a credential runs only the base commit\'s code: job comment runs "echo "${{ github.event.pull_request.title }}"", not a script of the base checkout',
      'in pull request workflows, a job that holds a credential runs only the base commit\'s code: job comment runs "npm ci", not a script of the base checkout',
      'in pull request workflows, a job that holds a credential runs only the base commit\'s code: job plan runs "pr/.github/scripts/plan-stack.sh okta", not a script of the base checkout',
      "in pull request workflows, a job that holds a credential runs only the base commit's code: job plan needs job own-tests, which runs the pull request's code",
      'the engine is OpenTofu, pinned: engine: - uses: hashicorp/setup-terraform@dfe3c3f87815947d99a8997f908cb6525fc44e9e # v4.0.1',
      'reusable workflows are local: job call calls someone/else/.github/workflows/x.yml@main',
    ]);
  });
});

describe('pr.yml', () => {
  const wf = read(path.join(WORKFLOWS, 'pr.yml'));
  const job = (n: string): Job => wf.jobs[n]!;
  const checkouts = (n: string): Obj[] => steps(job(n)).filter((s) => (uses(s) ?? '').startsWith('actions/checkout@')).map((s) => s.with as Obj);

  it('runs on pull_request only', () => {
    expect(triggers(wf)).toEqual(['pull_request']);
    expect(Object.keys(wf.jobs)).toEqual(['test', 'preview', 'synth', 'plan', 'summary', 'comment']);
  });

  it("runs the pull request's own code only in jobs with no credential that feed no other job", () => {
    for (const n of ['test', 'preview']) {
      expect(checkouts(n).map((c) => c.ref)).toEqual([undefined]);
      expect(holdsCredential(job(n))).toBe(false);
    }
    expect(Object.values(wf.jobs).flatMap((j) => (Array.isArray(j.needs) ? j.needs : j.needs === undefined ? [] : [j.needs]).map(String)).filter((d) => d === 'test' || d === 'preview')).toEqual([]);
  });

  it("judges the access change with the base commit's CLI, reading the pull request's files as data", () => {
    expect(checkouts('synth')).toEqual([
      { ref: '${{ github.event.pull_request.base.sha }}', 'persist-credentials': false },
      { ref: '${{ github.event.pull_request.head.sha }}', path: 'pr', 'fetch-depth': 0, 'persist-credentials': false },
    ]);
    expect(steps(job('synth')).map((s) => s.run).filter(Boolean)).toEqual([
      'npm ci',
      '.github/scripts/judge-pr.sh "$BASE_SHA"',
      'jq -r \'.stacks[] as $s | "\\($s): \\(.reasons[$s])"\' pr/affected.json\necho "stacks=$(jq -c \'[.stacks[] | select(. != "okta-scim")]\' pr/affected.json)" >> "$GITHUB_OUTPUT"\n',
      expect.stringContaining('tar -czf tool.tgz bin dist package.json package-lock.json'),
    ]);
    const judge = fs.readFileSync(path.join(ROOT, '.github', 'scripts', 'judge-pr.sh'), 'utf8');
    for (const c of ['validate --format github', 'codeowners --check', 'diff --base "${base}" --format markdown > diff.md', 'affected --base "${base}" --format json > affected.json', 'synth --base "${base}"']) {
      expect(judge).toContain(`node "\${tool}" ${c}`);
    }
  });

  it('plans each stack the change touches with the read-only plan role, the base scripts and lock file, and the archives checked by digest', () => {
    const plan = job('plan');
    expect(checkouts('plan')).toEqual([{ ref: '${{ github.event.pull_request.base.sha }}', 'persist-credentials': false, 'sparse-checkout': '.github/scripts' }]);
    const aws = steps(plan).find((s) => (uses(s) ?? '').startsWith('aws-actions/configure-aws-credentials@'))!;
    expect((aws.with as Obj)['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_PLAN_ROLE_ARN }}');
    const planStep = steps(plan).find((st) => st.run === '.github/scripts/plan-stack.sh "$STACK"')!;
    expect(planStep.env).toEqual({
      STACK: '${{ matrix.stack }}',
      REFRESH: 'auto',
      OKTA_API_CLIENT_ID: '${{ vars.OKTA_PLAN_CLIENT_ID }}',
      OKTA_API_PRIVATE_KEY: '${{ secrets.OKTA_PLAN_PRIVATE_KEY }}',
      OKTA_API_SCOPES: 'okta.groups.read,okta.users.read,okta.apps.read,okta.policies.read',
    });
    const unpack = steps(plan).find((st) => st.name === "Install the base commit's CLI and unpack what it synthesized")!;
    expect([unpack.run, unpack.env]).toEqual(['.github/scripts/install-tool.sh "$TOOL"\n.github/scripts/unpack.sh synth.tgz "$SYNTH"\n', { TOOL: '${{ needs.synth.outputs.tool }}', SYNTH: '${{ needs.synth.outputs.synth }}' }]);
    expect((plan.strategy as Obj).matrix).toEqual({ stack: '${{ fromJSON(needs.synth.outputs.stacks) }}' });
    // Only the stacks the change touches are planned; none means no plan job; okta-scim never.
    expect(plan.if).toBe("${{ needs.synth.outputs.stacks != '[]' }}");
    expect(steps(plan).some((s) => (uses(s) ?? '') === `opentofu/setup-opentofu@${SETUP_OPENTOFU}`)).toBe(true);
  });

  it('no job of the pull request workflow can reach apply credentials or the SCIM token', () => {
    const text = fs.readFileSync(path.join(WORKFLOWS, 'pr.yml'), 'utf8');
    expect(text).not.toMatch(/APPLY|SCIM_TOKEN|TF_VAR/);
    expect(Object.values(wf.jobs).map((j) => j.environment)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it("sums up with the base commit's CLI and comments with pull-requests: write alone, from files checked by digest", () => {
    expect(steps(job('summary')).find((s) => s.id === 'summary')!.run).toBe('.github/scripts/pr-summary.sh');
    expect(checkouts('summary')).toEqual([{ ref: '${{ github.event.pull_request.base.sha }}', 'persist-credentials': false, 'sparse-checkout': '.github/scripts' }]);
    // plan-summary reads access/: it comes, as data, in the archive the synth job checked and packed (the checkout has none).
    expect(steps(job('synth')).find((s) => s.id === 'pack')!.run).toContain('tar -C pr -czf synth.tgz cdktf.out diff.md affected.json access\n');
    expect(perms(job('comment').permissions)).toEqual({ 'pull-requests': 'write' });
    const summary = fs.readFileSync(path.join(ROOT, '.github', 'scripts', 'pr-summary.sh'), 'utf8');
    expect(summary).toContain('npx accessctl plan-summary plans/*.json ${allow} --format markdown > summary.md || status=$?');
    // A stack whose plan failed fails the summary even when the other stacks' plans are fine.
    expect(summary).toContain('if [ "${PLAN_RESULT:-}" = failure ] || [ "${PLAN_RESULT:-}" = cancelled ]; then');
    expect(steps(job('test')).map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm test']);
  });
});

describe('apply.yml', () => {
  const wf = read(path.join(WORKFLOWS, 'apply.yml'));
  const job = (n: string): Job => wf.jobs[n]!;
  const step = (n: string, pred: (s: Step) => boolean): Step => steps(job(n)).find(pred)!;
  const script = (n: string): string => fs.readFileSync(path.join(ROOT, '.github', 'scripts', n), 'utf8');

  it('runs on pushes to main, hourly, and by hand with an allow_revoke switch; expiry runs never queue behind change runs', () => {
    expect(wf.on).toEqual({
      push: { branches: ['main'] },
      schedule: [{ cron: '17 * * * *' }],
      workflow_dispatch: {
        inputs: {
          allow_revoke: { description: 'Accept tripped revocation and replacement rails (only after reviewing them)', type: 'boolean', default: false },
          stacks: { description: 'Also plan these stacks (space-separated), refreshed, though their files did not change (repairs drift the drift issue reports)', type: 'string', default: '' },
        },
      },
    });
    // The stacks asked for reach the script as data (an environment variable), never as script text.
    expect((step('synth', (s) => s.id === 'stacks').env as Obj).FORCE_STACKS).toBe('${{ inputs.stacks }}');
    // A change run waiting for approval holds its own group only; the state lock keeps two applies of one state apart.
    expect(wf.concurrency).toEqual({ group: "accessctl-apply-${{ github.event_name == 'schedule' && 'expiry' || 'change' }}", 'cancel-in-progress': false });
    expect(script('apply-stack.sh')).toContain('apply -input=false -no-color -lock-timeout=60m -parallelism=10 tfplan');
    expect(Object.keys(wf.jobs)).toEqual(['record', 'synth', 'plan', 'apply-okta', 'plan-aws', 'apply-aws', 'unapplied']);
  });

  it('chooses the stacks by the apply record, never by the previous push; the schedule synthesizes the applied commits, today', () => {
    const text = fs.readFileSync(path.join(WORKFLOWS, 'apply.yml'), 'utf8');
    expect(text).not.toContain('github.event.before');
    expect(step('record', (s) => s.name === 'Fetch the apply record').run).toBe('.github/scripts/fetch-record.sh');
    const stacks = step('synth', (s) => s.id === 'stacks');
    expect([stacks.run, (stacks.env as Obj).EVENT]).toEqual(['.github/scripts/synth-apply.sh "$EVENT"', '${{ github.event_name }}']);
    expect(script('synth-apply.sh')).toContain('accessctl synth --expiry applied.json --affected affected.json');
    expect(script('synth-apply.sh')).toContain('accessctl affected --applied applied.json --format json > affected.json');
    expect(perms(job('synth').permissions)).toEqual({ contents: 'read' });
    expect(JSON.stringify(job('synth'))).not.toContain('secrets.');
  });

  it('plans in jobs without an environment, with the plan role and read-only Okta scopes, and never the SCIM token', () => {
    for (const n of ['plan', 'plan-aws']) {
      expect(job(n).environment).toBeUndefined();
      expect((step(n, (s) => (uses(s) ?? '').startsWith('aws-actions/configure-aws-credentials@')).with as Obj)['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_PLAN_ROLE_ARN }}');
    }
    const plan = step('plan', (s) => s.id === 'plan');
    expect((plan.env as Obj).OKTA_API_SCOPES).toBe('okta.groups.read,okta.users.read,okta.apps.read,okta.policies.read');
    // The token reaches one step of one job: the gated okta apply (okta-scim is planned and applied there alone).
    const text = fs.readFileSync(path.join(WORKFLOWS, 'apply.yml'), 'utf8');
    expect(text.match(/TF_VAR_okta_aws_scim_token.*/g)).toEqual(['TF_VAR_okta_aws_scim_token: ${{ secrets.OKTA_AWS_SCIM_TOKEN }}']);
    for (const f of ['pr.yml', 'drift.yml', 'approvals.yml']) expect(fs.readFileSync(path.join(WORKFLOWS, f), 'utf8')).not.toContain('SCIM_TOKEN');
  });

  it('every stack of the run is planned, and the plans judged together, before anything is applied', () => {
    expect([job('plan').needs, (step('plan', (s) => s.id === 'plan').env as Obj).STACKS]).toEqual(['synth', "${{ join(fromJSON(needs.synth.outputs.plan), ' ') }}"]);
    expect(step('plan', (s) => s.id === 'plan').run).toContain('.github/scripts/plan-run.sh $STACKS\n');
    expect(job('apply-okta').needs).toEqual(['synth', 'plan']);
    expect(job('apply-aws').needs).toEqual(['synth', 'plan', 'apply-okta', 'plan-aws']);
    // The rails of every apply count all the plans of the run in plans/, not the one stack.
    expect(script('apply-stack.sh')).toContain('accessctl plan-summary plans/*.json ${ALLOW_REVOKE:-}\n');
    expect(script('plan-run.sh')).toContain('accessctl plan-summary plans/*.json --removals-only "${lapsed[@]}" > /dev/null || status=$?\n');
    // The re-plan of the aws stacks starts from the plan job's plans (okta's among them), so they are counted too.
    const downloads = steps(job('plan-aws')).filter((s) => (uses(s) ?? '').startsWith('actions/download-artifact@')).map((s) => (s.with as Obj).name);
    expect(downloads).toEqual(['synth', 'plan']);
  });

  it('the gated jobs apply the plan an earlier job made, checked by its digest, and record each apply', () => {
    for (const n of ['apply-okta', 'apply-aws']) {
      expect(job(n).environment).toBe("${{ github.event_name == 'schedule' && 'production-expiry' || 'production' }}");
      expect(perms(job(n).permissions)).toEqual({ contents: 'read', 'id-token': 'write' });
      expect((step(n, (s) => (uses(s) ?? '').startsWith('aws-actions/configure-aws-credentials@')).with as Obj)['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_APPLY_ROLE_ARN }}');
      expect(steps(job(n)).some((s) => typeof s.run === 'string' && /plan-(stack|run)\.sh/.test(s.run))).toBe(false);
    }
    const okta = step('apply-okta', (s) => s.name === 'Apply okta (exactly the approved plan), and the SCIM connection (okta-scim) where it changed');
    expect([okta.run, (okta.env as Obj).DIGEST, (okta.env as Obj).TF_VAR_okta_aws_scim_token]).toEqual(['.github/scripts/apply-okta.sh "$DIGEST"', '${{ fromJSON(needs.plan.outputs.digests).okta }}', '${{ secrets.OKTA_AWS_SCIM_TOKEN }}']);
    expect(step('apply-okta', (s) => s.name === 'Record the apply').run).toBe('while read -r stack; do .github/scripts/record-applied.sh "$stack"; done < applied-stacks.txt\n');
    const aws = step('apply-aws', (s) => typeof s.run === 'string' && s.run.includes('apply-stack.sh'));
    expect((aws.env as Obj).DIGESTS).toBe("${{ needs.plan-aws.result == 'success' && needs.plan-aws.outputs.digests || needs.plan.outputs.digests }}");
    expect(aws.run).toContain('.github/scripts/apply-stack.sh "$stack" "$(jq -r --arg s "$stack" \'.[$s]\' <<<"$DIGESTS")"');
    expect(aws.run).toContain('.github/scripts/record-applied.sh "$stack"');
    const lines = script('apply-stack.sh').split('\n').filter((l) => !l.startsWith('#') && l.trim() !== '');
    const refuse = lines.findIndex((l) => l.includes('if [ "${actual}" != "${expected}" ]; then'));
    const summary = lines.findIndex((l) => l.startsWith('accessctl plan-summary'));
    const applyLine = lines.findIndex((l) => l.startsWith('"${TOFU}" ') && l.includes(' apply '));
    expect(refuse).toBeGreaterThan(0);
    expect(summary).toBeGreaterThan(refuse);
    expect(applyLine).toBeGreaterThan(summary);
    expect(lines[applyLine]).toMatch(/ tfplan$/);
    expect(lines.filter((l) => l.startsWith('"${TOFU}" ') && l.includes(' plan '))).toEqual([]);
  });

  it('okta first, then the aws plan once SCIM has pushed; on the schedule only unattended plans apply, the rest is reported', () => {
    expect(job('plan-aws').needs).toEqual(['synth', 'plan', 'apply-okta']);
    expect(job('plan-aws').if).toContain("github.event_name != 'schedule' && needs.apply-okta.result == 'success'");
    expect(step('plan-aws', (s) => s.name === 'Wait until SCIM has pushed new groups to AWS').run).toBe('.github/scripts/wait-for-scim.sh 20 30');
    expect(job('apply-okta').if).toBe("${{ needs.synth.outputs.okta == 'true' && (github.event_name != 'schedule' || needs.plan.outputs.unattended == 'true') }}");
    expect(job('apply-aws').if).toContain("(github.event_name != 'schedule' || needs.plan.outputs.unattended == 'true')");
    expect(perms(job('unapplied').permissions)).toEqual({ issues: 'write' });
    expect(job('unapplied').if).toBe("${{ !cancelled() && github.event_name == 'schedule' && (needs.plan.outputs.unattended == 'false' || needs.synth.outputs.unapplied == 'true') }}");
    // unattended comes from plan-summary --removals-only's exit code: only 0 (or plans that change nothing) is true; a rail (1) or more than removals (3) is false; anything else fails the job.
    const run = script('plan-run.sh');
    expect(run).not.toContain('removalsOnly');
    expect(run).toContain('  0) unattended=true; rails=ok ;;\n  3) unattended=false; rails=ok ;;\n  1) unattended=false; rails=tripped ;;\n  *) exit "${status}" ;;\n');
  });

  it('the jobs with credentials check out only the scripts and the access files plan-summary reads', () => {
    for (const n of ['plan', 'apply-okta', 'plan-aws', 'apply-aws']) {
      const co = step(n, (s) => (uses(s) ?? '').startsWith('actions/checkout@'));
      expect((co.with as Obj)['sparse-checkout']).toBe('.github/scripts\naccess\n');
    }
  });

  it('the scripts plan without the state lock, install providers only from the lock file, and check what they unpack', () => {
    expect(script('plan-stack.sh')).toContain('plan -input=false -no-color -lock=false');
    expect(script('plan-stack.sh')).toContain('show -json tfplan | accessctl redact-plan - --out "plans/${stack}.json"');
    expect(script('engine.sh')).toContain('"${TOFU}" -chdir="$1" init -input=false -no-color -lockfile=readonly');
    for (const n of ['plan-stack.sh', 'apply-stack.sh', 'apply-scim.sh']) expect(script(n)).toContain('init_stack "${dir}"');
    expect(script('install-tool.sh')).toContain('"${here}/unpack.sh" tool.tgz "$1"\nnpm ci --omit=dev --ignore-scripts');
    const unpack = script('unpack.sh');
    expect(unpack.indexOf('if [ "${actual}" != "${expected}" ]; then')).toBeLessThan(unpack.indexOf('tar -xzf "${archive}"'));
    for (const n of ['apply.yml', 'pr.yml', 'drift.yml']) {
      const text = fs.readFileSync(path.join(WORKFLOWS, n), 'utf8');
      expect([n, text.includes('setup-terraform'), text.includes(`opentofu/setup-opentofu@${SETUP_OPENTOFU} # v2.0.2`)]).toEqual([n, false, true]);
    }
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

describe('unused.yml', () => {
  const wf = read(path.join(WORKFLOWS, 'unused.yml'));

  it('monthly: the job with the plan role only copies the usage file from S3; a read-only job removes; open-pr opens the pull request', () => {
    expect(wf.on).toEqual({ schedule: [{ cron: '17 6 3 * *' }], workflow_dispatch: null });
    expect(Object.keys(wf.jobs)).toEqual(['usage', 'prepare', 'open-pr']);
    const usage = wf.jobs.usage!;
    expect(perms(usage.permissions)).toEqual({ 'id-token': 'write' });
    expect(steps(usage).map((s) => (uses(s) ?? '').split('@')[0] || s.name)).toEqual(['aws-actions/configure-aws-credentials', 'Copy the usage file', 'actions/upload-artifact']);
    expect((steps(usage)[0]!.with as Obj)['role-to-assume']).toBe('${{ vars.ACCESSCTL_AWS_PLAN_ROLE_ARN }}');
    expect(steps(usage)[1]).toEqual({ name: 'Copy the usage file', env: { USAGE_URI: '${{ vars.ACCESSCTL_USAGE_S3_URI }}' },
      run: 'mkdir -p usage\naws s3 cp --only-show-errors "$USAGE_URI" usage/usage.json\n' });
    const prepare = wf.jobs.prepare!;
    expect([prepare.needs, perms(prepare.permissions)]).toEqual(['usage', { contents: 'read' }]);
    expect((steps(prepare)[0]!.with as Obj)['fetch-depth']).toBe(0);
    expect(steps(prepare).find((s) => s.name === 'Remove unused memberships')!.run).toBe('mkdir -p change\n' +
        'npx accessctl unused --usage "$RUNNER_TEMP/usage/usage.json" --write --format markdown > change/diff.md\n' +
        '.github/scripts/collect-change.sh accessctl/unused "Remove unused access ($(date -u +%F))"\n');
    expect(wf.jobs['open-pr']).toMatchObject({ needs: 'prepare', uses: './.github/workflows/open-pr.yml', with: { artifact: 'unused' } });
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

  it('refreshes one stack per job (-refresh-only), two at a time, the aws stacks at -parallelism=1: under 10 of the 20 requests/s (docs/scale.md)', () => {
    expect(wf.jobs.plan!.strategy).toEqual({ 'fail-fast': false, 'max-parallel': 2, matrix: { stack: '${{ fromJSON(needs.synth.outputs.stacks) }}' } });
    const refresh = steps(wf.jobs.plan!).find((s) => String(s.run ?? '').includes('drift-stack.sh'))!;
    expect([refresh.run, (refresh.env as Obj).AWS_PARALLELISM]).toEqual(['.github/scripts/drift-stack.sh "$STACK"', 1]);
    const script = fs.readFileSync(path.join(ROOT, '.github', 'scripts', 'drift-stack.sh'), 'utf8');
    expect(script).toContain('REFRESH=only PARALLELISM="${parallelism}" "${here}/plan-stack.sh" "${stack}" -detailed-exitcode');
    expect(script).toContain('aws|aws-*) parallelism="${AWS_PARALLELISM:-1}" ;;');
    // The report reads every job's state, even when some job failed.
    expect(wf.jobs.report!.if).toBe('${{ !cancelled() }}');
    expect(steps(wf.jobs.report!).find((s) => (uses(s) ?? '').startsWith('actions/download-artifact@'))!.with).toEqual({ pattern: 'drift-*', path: 'drift', 'merge-multiple': true });
  });
});

describe('plans without refresh (issue 25)', () => {
  const pr = read(path.join(WORKFLOWS, 'pr.yml'));
  const apply = read(path.join(WORKFLOWS, 'apply.yml'));
  const planStack = fs.readFileSync(path.join(ROOT, '.github', 'scripts', 'plan-stack.sh'), 'utf8');

  it('pr.yml plans with REFRESH=auto after fetching the apply record; a record it cannot read means a refresh, not a failure', () => {
    const s = steps(pr.jobs.plan!);
    const fetch = s.findIndex((x) => x.run === '.github/scripts/fetch-record.sh');
    const planIdx = s.findIndex((x) => x.run === '.github/scripts/plan-stack.sh "$STACK"');
    expect([fetch > 0, planIdx > fetch, s[fetch]!['continue-on-error'], (s[planIdx]!.env as Obj).REFRESH]).toEqual([true, true, true, 'auto']);
  });

  it('pr.yml runs at most 4 stack plans at once (a plan that refreshes reads every assignment)', () => {
    expect(pr.jobs.plan!.strategy).toEqual({ 'fail-fast': false, 'max-parallel': 4, matrix: { stack: '${{ fromJSON(needs.synth.outputs.stacks) }}' } });
  });

  it('apply.yml plans by the record, and refreshes everything on a run by hand', () => {
    const runs = Object.values(apply.jobs).flatMap(steps).filter((x) => String(x.run ?? '').includes('plan-run.sh'));
    expect(runs.map((x) => (x.env as Obj).REFRESH)).toEqual(Array(2).fill("${{ github.event_name == 'workflow_dispatch' && 'true' || 'auto' }}"));
  });

  it('plan-stack.sh plans at -parallelism=PARALLELISM (default 10) with the refresh mode REFRESH asks for', () => {
    expect(planStack).toContain('parallelism="${PARALLELISM:-10}"');
    expect(planStack).toContain('plan -input=false -no-color -lock=false "-parallelism=${parallelism}" "${mode[@]}" -out=tfplan "$@"');
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

  it('writes only its own section of the sticky comment, with the base commit\'s module, from files checked by digest', () => {
    const pr = read(path.join(WORKFLOWS, 'pr.yml'));
    for (const [wfile, section, tool] of [[wf, 'approvals', 'needs.tool.outputs.tool'], [pr, 'access', 'needs.synth.outputs.tool']] as const) {
      const comment = wfile.jobs.comment!;
      expect(perms(comment.permissions)).toEqual({ 'pull-requests': 'write' });
      const step = steps(comment).find((s) => (uses(s) ?? '').startsWith('actions/github-script@'))!;
      expect((step.env as Obj).TOOL).toBe(`\${{ ${tool} }}`);
      const script = String((step.with as Obj).script);
      expect(script).toContain("if (sha256('tool.tgz') !== process.env.TOOL) throw new Error(");
      expect(script).toContain("require(`${process.cwd()}/dist/src/github/sticky-comment.js`)");
      expect(script).toContain(`const body = mergeComment(mine?.body, '${section}', fs.readFileSync(`);
      expect(script).not.toContain(APPROVALS_START);
      expect(script).not.toContain(APPROVALS_END);
    }
  });
});

describe('retrospective.yml and the break-glass form', () => {
  const wf = read(path.join(WORKFLOWS, 'retrospective.yml'));

  it('opens the retrospectives of the applied grants every hour, never on push, from a job that can only write issues', () => {
    expect(triggers(wf)).toEqual(['schedule', 'workflow_dispatch']);
    expect(perms(wf.jobs.open!.permissions)).toEqual({ issues: 'write' });
    expect(perms(wf.jobs.prepare!.permissions)).toEqual({ contents: 'read', issues: 'read', 'pull-requests': 'read' });
    expect(perms(wf.jobs.record!.permissions)).toEqual({ contents: 'read', 'id-token': 'write' });
    const find = steps(wf.jobs.prepare!).find((s) => s.name === 'The applied break-glass grants without a retrospective')!;
    expect(find.run).toBe('.github/scripts/retrospective.sh applied.json');
    const script = String((steps(wf.jobs.open!).find((s) => (uses(s) ?? '').startsWith('actions/github-script@'))!.with as Obj).script);
    expect(script).toContain('await github.rest.issues.create({ ...issue, assignees: i.assignees });');
  });

  it('the break-glass form has the fields break-glass --issue-form reads', () => {
    const form = parse(fs.readFileSync(path.join(ROOT, '.github', 'ISSUE_TEMPLATE', 'break-glass.yml'), 'utf8')) as { labels: string[]; body: Array<{ type: string; attributes: { label?: string } }> };
    expect(form.labels).toEqual(['break-glass']);
    expect(form.body.filter((b) => b.type !== 'markdown').map((b) => b.attributes.label)).toEqual(Object.values(BREAK_GLASS_FORM_FIELDS));
  });
});
