import { changeFacts, type BreakGlassGrant } from '../../approvals/facts';
import { alreadyOpened, appliedBreakGlassGrants, openedRetrospectives, retrospectiveMarker } from '../../approvals/retrospective-history';
import { diffRevisions, resolveRef } from '../../diff/revisions';
import { latestDecisive } from '../../approvals/evaluate';
import { Git } from '../../git/git';
import { GitHubApiError, GITHUB_TEAM, type GitHubClient } from '../../github/api';
import type { AccessRow } from '../../model/access';
import { foldLogin } from '../../model/logins';
import type { AccessModel } from '../../model/types';
import { codeSpan, esc } from '../../reporters/diff/markdown';
import { ruleAwareValidator } from '../../policy-schema';
import { instantOf, parseDateArg } from '../../util/dates';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Io } from '../io';
import { githubClients } from '../github-clients';
import { readAppliedRecord } from '../applied-record';
import { loadBoth } from './diff';

/** One retrospective issue to open. */
export interface RetrospectiveIssue {
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly assignees: readonly string[];
  readonly group: string;
  readonly user: string;
  readonly expires: string;
  /** With --applied: the commit that made the grant (its marker names it). */
  readonly commit?: string;
}

/** GitHub assigns at most this many people to an issue. */
const MAX_ASSIGNEES = 10;

/** How far back --applied looks when --since is not given. */
export const DEFAULT_LOOKBACK_DAYS = 30;
/** The label every retrospective carries; the issues with it are read to leave out grants already opened. */
const LABEL = 'retrospective';
const LABELS = ['break-glass', LABEL];

export const retrospective: Command = {
  name: 'retrospective',
  defaultFormat: 'json',
  summary: 'the retrospective issues for break-glass access: who, what, why, until when, approved by whom; from the apply record, or for one merge',
  usage: `accessctl retrospective --applied RECORD [--since DATE] [--repo OWNER/NAME] [--dir DIR] [--format json|markdown]
       accessctl retrospective --base REF [--head REF] [--pr N | --commit SHA] [--repo OWNER/NAME] [--dir DIR] [--format json|markdown]

Writes one issue for each break-glass grant (a member marked breakGlass that
a change adds), for the security team to review after the fact: the person,
the group, the AWS access it gave, the reason, when it ends, the pull
request, who approved and who merged it, and what to check. The issues are
assigned to the members of settings.yaml github.securityTeam
(ACCESSCTL_GITHUB_TEAMS_TOKEN); pull requests and reviews are read from the
GitHub REST API (GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY as for
approvals). When they cannot be read the issues still come out, saying what
is unknown. json prints {"issues": [{title, body, labels, assignees, group,
user, expires}]}.

With --applied (what retrospective.yml runs every hour): the grants that
were applied, whatever workflow runs were skipped ([skip ci]), failed or
cancelled. RECORD is the apply record (accessctl record-applied); what is in
Okta came from its okta commit. Every commit on the first-parent line up to
that commit, made on or after --since (default: ${DEFAULT_LOOKBACK_DAYS} days ago; a commit
counts as made no earlier than its first parent), is compared with its
first parent, and each break-glass member it adds is a grant, looked up in
GitHub by that commit. Each issue's body starts with a marker naming the
grant (<!-- accessctl-retrospective: GROUP LOGIN COMMIT -->), and grants
whose marker is already on an issue labelled retrospective (any state)
opened by github-actions[bot] are left out, so no grant is opened twice;
issues by anyone else do not count. Grants older than --since are not
looked at: after an outage longer than that, run it with an earlier --since.
Exit code 2, with nothing on stdout, when those issues cannot be listed (the
next run tries again), when the record's commit is not in the clone or the
clone is shallow. json adds each issue's commit, and "applied", "since",
"from" (the oldest commit looked at) and "opened" (grants left out, with
their issue).

With --base: the members marked breakGlass that --head (default: the
working tree) adds to --base. With --pr (or --commit, whose pull request is
looked up) the reviews are read from GitHub.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      {
        ...DIR_OPTION,
        ...HELP_OPTION,
        base: { type: 'string' },
        head: { type: 'string' },
        pr: { type: 'string' },
        commit: { type: 'string' },
        repo: { type: 'string' },
        applied: { type: 'string' },
        since: { type: 'string' },
        format: { type: 'string', short: 'f' },
      },
    );
    const format = choice('format', values.format, ['json', 'markdown'] as const, 'json');
    if (values.applied !== undefined) {
      const other = (['base', 'head', 'pr', 'commit'] as const).find((k) => values[k] !== undefined);
      if (other !== undefined) throw new UsageError(`--${other} does not go with --applied: the grants come from the apply record`);
      return fromRecord({ ...values, applied: values.applied }, format, io);
    }
    if (values.since !== undefined) throw new UsageError('--since goes with --applied');
    if (values.base === undefined) throw new UsageError('--base REF is required (the revision before the merge), or --applied RECORD');
    if (values.pr !== undefined && !/^[1-9][0-9]{0,9}$/.test(values.pr)) throw new UsageError(`--pr: "${values.pr}" is not a pull request number`);
    if (values.commit !== undefined && !/^[0-9a-f]{7,64}$/i.test(values.commit)) throw new UsageError(`--commit: "${values.commit}" is not a commit id`);
    const now = instantOf(io.now());
    const both = loadBoth(values.dir, io, values.base, values.head);
    if ('code' in both) return both.code;
    if (!both.base.model) {
      io.stderr(`${both.base.label} does not load: cannot tell which break-glass access is new\n`);
      return EXIT_FINDINGS;
    }
    const change = diffRevisions(both.base, both.head, now);
    const facts = changeFacts(change as typeof change & { base: { model: AccessModel }; head: { model: AccessModel } }, now);
    if (facts.breakGlass.length === 0) {
      io.stdout(format === 'json' ? `${JSON.stringify({ issues: [] }, null, 2)}\n` : '');
      return EXIT_OK;
    }

    const github = await readGitHub(values, io, facts.base);
    const team = facts.base.settings.github.securityTeam;
    const issues = facts.breakGlass.map((g) => issueOf(g, { added: change.diff.added, people: facts.head, team, github }));
    io.stdout(render(issues, format));
    return EXIT_OK;
  },
};

/** What one issue says besides the grant itself. */
interface IssueContext {
  /** The access rows the change adds (the grantee's are listed). */
  readonly added: readonly AccessRow[];
  /** The model whose people.yaml gives the grantee's GitHub handle. */
  readonly people: AccessModel;
  readonly team: string | undefined;
  readonly github: PullRequestWords & { readonly assignees: readonly string[] };
}

function issueOf(g: BreakGlassGrant, ctx: IssueContext, commit?: string): RetrospectiveIssue {
  const rows = ctx.added.filter((r) => foldLogin(r.user) === foldLogin(g.login));
  const handle = ctx.people.people.find((p) => p.github !== undefined && foldLogin(p.login) === foldLogin(g.login))?.github;
  const { github, team } = ctx;
  const line = (k: string, v: string): string => `| ${k} | ${v} |`;
  const body = [
    ...(commit !== undefined ? [retrospectiveMarker(g.group, g.login, commit)] : []),
    `## Break-glass: ${esc(g.login)} in ${esc(g.group)}`,
    '',
    '| | |',
    '| --- | --- |',
    line('who', `${esc(g.login)}${handle !== undefined ? ` (\`@${codeSpan(handle)}\`)` : ''}`),
    line('group', esc(g.group)),
    line('AWS access', rows.length > 0 ? rows.map((r) => `${esc(r.permissionSet)} on ${esc(r.account)} (${r.accountId})`).join('; ') : 'none (Okta only)'),
    line('until', `${g.expires} (UTC)`),
    line('reason', esc(g.reason ?? '')),
    ...(commit !== undefined ? [line('commit', `\`${commit}\``)] : []),
    line('pull request', github.pr !== undefined ? `#${github.pr}` : github.prWords),
    line('approved by', github.approvedBy),
    line('merged by', github.mergedBy),
    '',
    `For the security team${team !== undefined ? ` (${team})` : ''} to review after the fact:`,
    '',
    '- [ ] the incident or ticket in the reason needed this access',
    `- [ ] what was done with it (CloudTrail for ` +
        `${rows.length > 0 ? [...new Set(rows.map((r) => `${esc(r.permissionSet)} on ${r.accountId}`))].join(', ') : 'the Okta apps of the group'}) ` +
        `matches the reason`,
    `- [ ] the access ended at ${g.expires}: \`accessctl who-can --user ${codeSpan(g.login)} --at ${g.expires}\``,
    '- [ ] follow-ups are filed (a standing grant through the usual review, if one is needed)',
    '',
  ].join('\n');
  return {
    title: titleOf(g),
    body,
    labels: LABELS,
    assignees: [...github.assignees],
    group: g.group,
    user: g.login,
    expires: g.expires,
    ...(commit !== undefined ? { commit } : {}),
  };
}

function titleOf(g: BreakGlassGrant): string {
  return `Break-glass retrospective: ${g.login} in ${g.group} until ${g.expires}`;
}

function render(issues: readonly RetrospectiveIssue[], format: 'json' | 'markdown', extra: Record<string, unknown> = {}): string {
  if (format === 'json') return `${JSON.stringify({ ...extra, issues }, null, 2)}\n`;
  return issues.map((i) => `# ${esc(i.title)}\n\n${i.body}`).join('\n');
}

/** --applied: the grants applied since --since that have no retrospective yet. */
async function fromRecord(values: { dir: string; applied: string; since?: string; repo?: string }, format: 'json' | 'markdown', io: Io): Promise<number> {
  let since: string;
  if (values.since !== undefined) {
    const d = parseDateArg(values.since);
    if (d === undefined) throw new UsageError(`--since: "${values.since}" is neither a date (YYYY-MM-DD) nor a UTC time (YYYY-MM-DDTHH:MMZ)`);
    since = d.start;
  } else {
    since = instantOf(new Date(io.now().getTime() - DEFAULT_LOOKBACK_DAYS * 86_400_000));
  }
  // A missing record here is a mistake, not "nothing applied".
  const record = readAppliedRecord(values.applied, io, { missingIsError: true, prefix: 'retrospective: ' });
  if (record === undefined) return EXIT_USAGE;
  const okta = record.stacks.okta;
  if (okta === undefined) {
    io.stderr(`retrospective: ${values.applied} has no okta stack: nothing was applied to Okta, so no break-glass access was granted\n`);
    io.stdout(render([], format, { applied: null, since, from: null, opened: [] }));
    return EXIT_OK;
  }
  const git = Git.forDir(io.cwd, values.dir);
  if (!git.isRepository()) throw new UsageError(`${git.shown(values.dir)} is not in a git repository: the grants are read from its history`);
  const tip = resolveRef(git, okta.commit).commit;
  const walk = appliedBreakGlassGrants(git, values.dir, tip, since, ruleAwareValidator());
  for (const u of walk.unreadable) io.stderr(`retrospective: ${u.commit.slice(0, 12)} (${u.subject}) does not load: it was not applied, its changes count ` +
      `with the next commit that loads\n`);
  io.stderr(`retrospective: ${walk.grants.length} break-glass grant${walk.grants.length === 1 ? '' : 's'} in ${walk.commits} ` +
      `commit${walk.commits === 1 ? '' : 's'} changing ${git.shown(values.dir)} from ${walk.from ? walk.from.commit.slice(0, 12) : '(none)'} to the ` +
      `applied ${tip.slice(0, 12)} (since ${since})\n`);
  const extra = { applied: tip, since, from: walk.from?.commit ?? null };
  if (walk.grants.length === 0) {
    io.stdout(render([], format, { ...extra, opened: [] }));
    return EXIT_OK;
  }

  const repo = values.repo ?? io.env.GITHUB_REPOSITORY;
  if (repo === undefined || repo === '') {
    io.stderr('retrospective: no repository (--repo or GITHUB_REPOSITORY): cannot tell which grants already have their issue\n');
    return EXIT_USAGE;
  }
  const { client, teams } = githubClients(repo, io.env);
  let listed;
  try {
    listed = await client.issuesWithLabel(LABEL);
  } catch (e) {
    if (!(e instanceof GitHubApiError)) throw e;
    // Without the list, every grant could be opened twice or, guessing the other way, never: write nothing; the next run tries again.
    io.stderr(`retrospective: cannot list the issues labelled ${LABEL}, so cannot tell which grants already have one; nothing written: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const opened = openedRetrospectives(listed);
  const done: { group: string; user: string; commit: string; issue: number }[] = [];
  const todo = walk.grants.filter((g) => {
    const n = alreadyOpened(opened, g, titleOf(g.grant));
    if (n !== undefined) done.push({ group: g.grant.group, user: g.grant.login, commit: g.commit, issue: n });
    return n === undefined;
  });

  const assigneesOf = new Map<string, Promise<string[]>>();
  const pullOf = new Map<string, Promise<PullRequestWords>>();
  const issues: RetrospectiveIssue[] = [];
  for (const g of todo) {
    const decides = g.facts?.base ?? g.head;
    const team = decides.settings.github.securityTeam;
    const key = team ?? '';
    if (!assigneesOf.has(key)) assigneesOf.set(key, readAssignees(teams, team, io));
    if (!pullOf.has(g.commit)) pullOf.set(g.commit, readPullRequest(client, { commit: g.commit }, io));
    const github = { ...(await pullOf.get(g.commit)!), assignees: await assigneesOf.get(key)! };
    issues.push(issueOf(g.grant, { added: g.change.diff.added, people: g.head, team, github }, g.commit));
  }
  for (const d of done) io.stderr(`retrospective: ${d.user} in ${d.group} (${d.commit.slice(0, 12)}) already has issue #${d.issue}\n`);
  io.stdout(render(issues, format, { ...extra, opened: done }));
  return EXIT_OK;
}

/** What the issue says about the pull request, its approvers and its merger. */
interface PullRequestWords {
  readonly pr?: number;
  readonly prWords: string;
  readonly approvedBy: string;
  readonly mergedBy: string;
}

const unknown = (why: string): PullRequestWords => ({ prWords: `unknown (${why})`, approvedBy: `unknown (${why})`, mergedBy: `unknown (${why})` });

/** The pull request behind the change, its approvers and merger, and the security team's members; words for what could not be read. */
async function readGitHub(
  values: { pr?: string; commit?: string; repo?: string },
  io: Io,
  base: AccessModel,
): Promise<PullRequestWords & { assignees: string[] }> {
  const repo = values.repo ?? io.env.GITHUB_REPOSITORY;
  if (repo === undefined || repo === '' || (values.pr === undefined && values.commit === undefined)) return {
    ...unknown('no pull request given'),
    assignees: [],
  };
  const { client, teams } = githubClients(repo, io.env);
  const assignees = await readAssignees(teams, base.settings.github.securityTeam, io);
  return { ...(await readPullRequest(client, values, io)), assignees };
}

/** The security team's members (at most GitHub's limit of assignees), or none when they cannot be read. */
async function readAssignees(teams: GitHubClient, team: string | undefined, io: Io): Promise<string[]> {
  try {
    if (team !== undefined) return (GITHUB_TEAM.test(team) ? await teams.teamMembers(team) : [team.slice(1)]).slice(0, MAX_ASSIGNEES);
  } catch (e) {
    if (!(e instanceof GitHubApiError)) throw e;
    io.stderr(`retrospective: the issues are not assigned: ${e.message}\n`);
  }
  return [];
}

async function readPullRequest(client: GitHubClient, values: { pr?: string; commit?: string }, io: Io): Promise<PullRequestWords> {
  try {
    let number = values.pr !== undefined ? Number(values.pr) : undefined;
    if (number === undefined) {
      const found = await client.pullsForCommit(values.commit!);
      if (found.length === 0) return {
        prWords: `none: ${values.commit!.slice(0, 12)} was pushed without a pull request`,
        approvedBy: '**nobody** (no pull request)',
        mergedBy: 'a direct push',
      };
      number = found[0];
    }
    const pull = await client.pullRequest(number);
    const reviews = await client.reviews(number);
    const latest = latestDecisive(
      reviews.flatMap((r) => (r.user ? [{ reviewer: r.user.login, state: r.state, commit: r.commitId, bot: r.user.type === 'Bot' }] : [])),
    );
    const approvers = [...latest.values()].filter(
      (r) => r.state === 'APPROVED' && r.commit === pull.headSha && !r.bot,
    ).map((r) => `\`@${codeSpan(r.reviewer)}\``);
    return {
      pr: number,
      prWords: `#${number}`,
      approvedBy: approvers.length > 0 ? approvers.join(', ') : '**nobody** (merged without an approval of its last commit)',
      mergedBy: pull.mergedBy ? `\`@${codeSpan(pull.mergedBy.login)}\`` : pull.merged ? 'unknown' : '**not merged**',
    };
  } catch (e) {
    if (!(e instanceof GitHubApiError)) throw e;
    io.stderr(`retrospective: ${e.message}\n`);
    return unknown(`GitHub could not be read: ${e.message}`);
  }
}
