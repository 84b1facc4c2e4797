import { changeFacts } from '../../approvals/facts';
import { diffRevisions } from '../../diff/revisions';
import { latestDecisive } from '../../approvals/evaluate';
import { GitHubApiError, GITHUB_TEAM } from '../../github/api';
import { foldLogin } from '../../model/logins';
import type { AccessModel } from '../../model/types';
import { codeSpan, esc } from '../../reporters/diff/markdown';
import { instantOf } from '../../util/dates';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
import { githubClients } from '../github-clients';
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
}

/** GitHub assigns at most this many people to an issue. */
const MAX_ASSIGNEES = 10;

export const retrospective: Command = {
  name: 'retrospective',
  defaultFormat: 'json',
  summary: 'the retrospective issues for break-glass access a merge granted: who, what, why, until when, approved by whom',
  usage: `accessctl retrospective --base REF [--head REF] [--pr N | --commit SHA] [--repo OWNER/NAME] [--dir DIR] [--format json|markdown]

Finds the members marked breakGlass that --head (default: the working tree)
adds to --base, and writes one issue for each, for the security team to
review after the fact: the person, the group, the AWS access it gave, the
reason, when it ends, the pull request, who approved and who merged it, and
what to check. The apply workflow opens them on every push to the default
branch. With --pr (or --commit, whose pull request is looked up) the
reviews are read from the GitHub REST API (GITHUB_TOKEN, GITHUB_API_URL,
GITHUB_REPOSITORY as for approvals); the issues are assigned to the members
of settings.yaml github.securityTeam (ACCESSCTL_GITHUB_TEAMS_TOKEN). When
GitHub cannot be read the issues still come out, saying what is unknown.
json prints {"issues": [{title, body, labels, assignees, group, user, expires}]}.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, base: { type: 'string' }, head: { type: 'string' }, pr: { type: 'string' }, commit: { type: 'string' }, repo: { type: 'string' }, format: { type: 'string', short: 'f' } });
    const format = choice('format', values.format, ['json', 'markdown'] as const, 'json');
    if (values.base === undefined) throw new UsageError('--base REF is required: the revision before the merge');
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
    const handles = new Map(facts.head.people.filter((p) => p.github !== undefined).map((p) => [foldLogin(p.login), p.github!]));
    const team = facts.base.settings.github.securityTeam;
    const issues: RetrospectiveIssue[] = facts.breakGlass.map((g) => {
      const rows = change.diff.added.filter((r) => foldLogin(r.user) === foldLogin(g.login));
      const handle = handles.get(foldLogin(g.login));
      const line = (k: string, v: string): string => `| ${k} | ${v} |`;
      const body = [
        `## Break-glass: ${esc(g.login)} in ${esc(g.group)}`,
        '',
        '| | |',
        '| --- | --- |',
        line('who', `${esc(g.login)}${handle !== undefined ? ` (\`@${codeSpan(handle)}\`)` : ''}`),
        line('group', esc(g.group)),
        line('AWS access', rows.length > 0 ? rows.map((r) => `${esc(r.permissionSet)} on ${esc(r.account)} (${r.accountId})`).join('; ') : 'none (Okta only)'),
        line('until', `${g.expires} (UTC)`),
        line('reason', esc(g.reason ?? '')),
        line('pull request', github.pr !== undefined ? `#${github.pr}` : github.prWords),
        line('approved by', github.approvedBy),
        line('merged by', github.mergedBy),
        '',
        `For the security team${team !== undefined ? ` (${team})` : ''} to review after the fact:`,
        '',
        '- [ ] the incident or ticket in the reason needed this access',
        `- [ ] what was done with it (CloudTrail for ${rows.length > 0 ? [...new Set(rows.map((r) => `${esc(r.permissionSet)} on ${r.accountId}`))].join(', ') : 'the Okta apps of the group'}) matches the reason`,
        `- [ ] the access ended at ${g.expires}: \`accessctl who-can --user ${codeSpan(g.login)} --at ${g.expires}\``,
        '- [ ] follow-ups are filed (a standing grant through the usual review, if one is needed)',
        '',
      ].join('\n');
      return {
        title: `Break-glass retrospective: ${g.login} in ${g.group} until ${g.expires}`,
        body,
        labels: ['break-glass', 'retrospective'],
        assignees: github.assignees,
        group: g.group,
        user: g.login,
        expires: g.expires,
      };
    });
    if (format === 'json') io.stdout(`${JSON.stringify({ issues }, null, 2)}\n`);
    else io.stdout(issues.map((i) => `# ${esc(i.title)}\n\n${i.body}`).join('\n'));
    return EXIT_OK;
  },
};

/** The pull request behind the change, its approvers and merger, and the security team's members; words for what could not be read. */
async function readGitHub(values: { pr?: string; commit?: string; repo?: string }, io: Parameters<Command['run']>[1], base: AccessModel): Promise<{ pr?: number; prWords: string; approvedBy: string; mergedBy: string; assignees: string[] }> {
  const unknown = (why: string) => ({ prWords: `unknown (${why})`, approvedBy: `unknown (${why})`, mergedBy: `unknown (${why})` });
  const repo = values.repo ?? io.env.GITHUB_REPOSITORY;
  if (repo === undefined || repo === '' || (values.pr === undefined && values.commit === undefined)) return { ...unknown('no pull request given'), assignees: [] };
  const { client, teams } = githubClients(repo, io.env);
  const team = base.settings.github.securityTeam;
  let assignees: string[] = [];
  try {
    if (team !== undefined) assignees = (GITHUB_TEAM.test(team) ? await teams.teamMembers(team) : [team.slice(1)]).slice(0, MAX_ASSIGNEES);
  } catch (e) {
    if (!(e instanceof GitHubApiError)) throw e;
    io.stderr(`retrospective: the issues are not assigned: ${e.message}\n`);
  }
  try {
    let number = values.pr !== undefined ? Number(values.pr) : undefined;
    if (number === undefined) {
      const found = await client.pullsForCommit(values.commit!);
      if (found.length === 0) return { prWords: `none: ${values.commit!.slice(0, 12)} was pushed without a pull request`, approvedBy: '**nobody** (no pull request)', mergedBy: 'a direct push', assignees };
      number = found[0];
    }
    const pull = await client.pullRequest(number);
    const reviews = await client.reviews(number);
    const latest = latestDecisive(reviews.flatMap((r) => (r.user ? [{ reviewer: r.user.login, state: r.state, commit: r.commitId, bot: r.user.type === 'Bot' }] : [])));
    const approvers = [...latest.values()].filter((r) => r.state === 'APPROVED' && r.commit === pull.headSha && !r.bot).map((r) => `\`@${codeSpan(r.reviewer)}\``);
    return {
      pr: number,
      prWords: `#${number}`,
      approvedBy: approvers.length > 0 ? approvers.join(', ') : '**nobody** (merged without an approval of its last commit)',
      mergedBy: pull.mergedBy ? `\`@${codeSpan(pull.mergedBy.login)}\`` : pull.merged ? 'unknown' : '**not merged**',
      assignees,
    };
  } catch (e) {
    if (!(e instanceof GitHubApiError)) throw e;
    io.stderr(`retrospective: ${e.message}\n`);
    return { ...unknown(`GitHub could not be read: ${e.message}`), assignees };
  }
}
