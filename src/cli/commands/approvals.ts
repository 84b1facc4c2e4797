import { changeFacts, type ChangedPaths } from '../../approvals/facts';
import { evaluate, teamsNeeded, type PullRequestFacts, type Verdict } from '../../approvals/evaluate';
import { diffRevisions, RevisionError } from '../../diff/revisions';
import { Git, GitError } from '../../git/git';
import { GitHubApiError } from '../../github/api';
import type { AccessModel } from '../../model/types';
import { APPROVALS_FORMATS, APPROVALS_REPORTERS } from '../../reporters/approvals';
import { formatApprovalsNotJudged } from '../../reporters/approvals/markdown';
import { formatCounts } from '../../reporters/diagnostics/text';
import { instantOf } from '../../util/dates';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Io } from '../io';
import { githubClients } from '../github-clients';
import { loadBoth } from './diff';

/** Branches the request workflows open pull requests from: the issue that asked for the change. */
const REQUEST_BRANCH = /^(?:access-request|break-glass)\/issue-([1-9][0-9]{0,9})$/;

export const approvals: Command = {
  name: 'approvals',
  summary: 'whether a pull request has the approvals policy.yaml asks for, and if not, what is missing',
  usage: `accessctl approvals --pr N [--repo OWNER/NAME] [--base REF] [--head REF] [--dir DIR] [--format text|markdown|json]

Compares DIR at --base (default: the merge base with the default branch) and
--head (default: the working tree), and lists every other path the change
touches in the repository (git diff of the two; with the working tree,
untracked files too), works out who must approve the change (policy.yaml
approvals, or breakGlass for a break-glass change; docs/rules.md),
and reads the pull request's reviews from the GitHub REST API: the latest
review of each reviewer counts if it approves the head commit and the
reviewer is a person of people.yaml who neither gains access through the
change, nor asked for it (the request issue), nor opened or pushed to it;
each person counts once. A commit GitHub links to no account (who pushed it
is unknown) needs the security team as well. Who may approve comes from the
base revision, never from the change itself.

Environment: GITHUB_TOKEN (pull requests: read), ACCESSCTL_GITHUB_TEAMS_TOKEN
(organization members: read, to read team membership; GITHUB_TOKEN when
unset), GITHUB_API_URL (default https://api.github.com), GITHUB_REPOSITORY
(when --repo is not given).

Exit code 0 when every requirement is met, 1 when something is missing (or
the head moved on), 2 for usage errors and failed GitHub requests.
With --format markdown the output is always a whole approvals section of the
sticky comment: "Not judged" and the reason when there is no verdict.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      {
        ...DIR_OPTION,
        ...HELP_OPTION,
        pr: { type: 'string' },
        repo: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        format: { type: 'string', short: 'f' },
      },
    );
    const format = choice('format', values.format, APPROVALS_FORMATS, 'text');
    // The sticky comment always gets a whole approvals section: without a verdict, one that says why (what went to stderr).
    const markdown = format === 'markdown';
    let said = '';
    const tee = (text: string): void => {
      said += text;
      io.stderr(text);
    };
    let judged: Verdict | number;
    try {
      judged = await judge(values, markdown ? { ...io, stderr: tee } : io);
    } catch (e) {
      if (markdown) io.stdout(
        formatApprovalsNotJudged(
          e instanceof UsageError ? e.message : e instanceof RevisionError ? `${e.code} ${e.message}` : `internal error: ${(e as Error).message}`,
          EXIT_USAGE,
        ),
      );
      throw e;
    }
    if (typeof judged === 'number') {
      if (markdown) io.stdout(formatApprovalsNotJudged(said, judged));
      return judged;
    }
    io.stdout(APPROVALS_REPORTERS[format](judged));
    return judged.met ? EXIT_OK : EXIT_FINDINGS;
  },
};

/**
 * Every path the change touches in the repository, base commit to head commit
 * (or the working tree), for the paths rule: a change outside the access files
 * is judged too. Git failing here is ACC060, as for the revisions themselves.
 */
function changedPaths(dir: string, io: Io, base: string | undefined, head: string | undefined): ChangedPaths {
  if (base === undefined) throw new RevisionError('the base revision has no commit, so the paths the change touches cannot be listed');
  const git = Git.forDir(io.cwd, dir);
  try {
    return { changedPaths: git.changedPaths(base, head), accessDir: git.repoPath(dir) };
  } catch (e) {
    throw e instanceof GitError ? new RevisionError(`cannot list the paths the change touches (${base.slice(0, 12)} to ` +
        `${head === undefined ? 'the working tree' : head.slice(0, 12)}): ${e.command !== undefined ? `${e.command}: ` : ''}${e.message}`) : e;
  }
}

/** The verdict on the pull request, or the exit code when there is none (the reason written on stderr). */
async function judge(values: { dir: string; pr?: string; repo?: string; base?: string; head?: string }, io: Io): Promise<Verdict | number> {
  if (values.pr === undefined) throw new UsageError('--pr N is required: the pull request whose reviews to read');
  if (!/^[1-9][0-9]{0,9}$/.test(values.pr)) throw new UsageError(`--pr: "${values.pr}" is not a pull request number`);
  const repo = values.repo ?? io.env.GITHUB_REPOSITORY;
  if (repo === undefined || repo === '') throw new UsageError('--repo OWNER/NAME is required outside GitHub Actions (GITHUB_REPOSITORY is not set)');
  const number = Number(values.pr);
  const now = instantOf(io.now());

  const both = loadBoth(values.dir, io, values.base, values.head);
  if ('code' in both) return both.code;
  if (!both.base.model) {
    io.stderr(`${both.base.label}: ${both.base.diagnostics.length > 0 ? formatCounts(both.base.diagnostics) : 'no access files'}: the base decides who may ` +
        `approve, so approvals cannot be judged\n`);
    return EXIT_FINDINGS;
  }
  const change = diffRevisions(both.base, both.head, now);
  const paths = changedPaths(values.dir, io, both.base.commit, values.head !== undefined ? both.head.commit : undefined);
  const facts = changeFacts(change as typeof change & { base: { model: AccessModel }; head: { model: AccessModel } }, now, paths);

  const { client, teams: teamsClient } = githubClients(repo, io.env);
  try {
    const pull = await client.pullRequest(number);
    const headCommit = values.head !== undefined ? both.head.commit : undefined;
    if (headCommit !== undefined && headCommit !== pull.headSha) {
      io.stderr(`pull request #${number} is at ${pull.headSha.slice(0, 12)}, not ${headCommit.slice(0, 12)}: it moved on while this ran, and the run for ` +
          `its new head decides\n`);
      return EXIT_FINDINGS;
    }
    const [reviews, commits] = await Promise.all([client.reviews(number), client.pullCommits(number)]);
    const requesters: Array<{ handle: string; issue: number }> = [];
    const linked = REQUEST_BRANCH.exec(pull.headRef);
    if (linked) {
      const issue = await client.issue(Number(linked[1]));
      if (!issue.isPullRequest) requesters.push({ handle: issue.user.login, issue: issue.number });
    }
    // Who pushed, as far as GitHub can tell from the commits: the accounts it links their author and committer
    // emails to (web-flow commits a web edit for its author). A commit it links to no account, or a web edit
    // without an author, hides its pusher: the security team then approves as well (evaluate()). Commit emails
    // are the pusher's to write, so branch protection's "Require approval of the most recent reviewable push"
    // is what binds the real pusher (docs/ci.md).
    const human = (u: { login: string; type: string } | null): u is { login: string; type: string } => u !== null && u.type !== 'Bot' && u.login !== 'web-flow';
    const pushers = [...new Set(commits.flatMap((c) => [c.author, c.committer]).filter(human).map((u) => u.login))];
    const unknownPushers = commits.filter((c) => c.author === null || c.committer === null).map((c) => c.sha);
    const pr: PullRequestFacts = {
      number,
      headSha: pull.headSha,
      author: pull.user.login,
      authorIsBot: pull.user.type === 'Bot',
      requesters,
      pushers,
      unknownPushers,
      reviews: reviews.filter((r) => r.user !== null).map(
        (r) => ({ reviewer: r.user!.login, bot: r.user!.type === 'Bot', state: r.state, commit: r.commitId }),
      ),
    };
    // Team membership is read only when an approval could depend on it.
    const teams = new Map<string, string[]>();
    if (pr.reviews.some((r) => r.state === 'APPROVED')) {
      for (const t of teamsNeeded(facts, pr)) teams.set(t, await teamsClient.teamMembers(t));
    }
    return evaluate(facts, pr, teams);
  } catch (e) {
    if (e instanceof GitHubApiError) {
      io.stderr(`approvals: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
