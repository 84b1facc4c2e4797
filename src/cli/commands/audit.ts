import * as path from 'node:path';
import { ShallowCloneError, progressBar, readAccessHistory } from '../../audit/history-source';
import { ActionLens, type WalkLens } from '../../audit/lens';
import { walkHistory, type AuditEvent } from '../../audit/walk';
import { Git } from '../../git/git';
import { displayPath } from '../../load/source';
import { knownPeople } from '../../model/access';
import { foldLogin } from '../../model/logins';
import { actionRequest, knownValues } from './who-can';
import { AUDIT_FORMATS, AUDIT_REPORTERS } from '../../reporters/audit';
import type { AuditReport } from '../../reporters/audit/types';
import { ruleAwareValidator } from '../../policy-schema';
import { parseDateArg, instantOf } from '../../util/dates';
import { writeFileAtomic } from '../../util/fs';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

export const audit: Command = {
  name: 'audit',
  defaultFormat: 'json',
  summary: 'every change of effective access in git history: who, what, when, through which commit and PR',
  usage: `accessctl audit [--since DATE] [--until DATE] [--user LOGIN] [--account NAME|ID]
                [--permission-set NAME] [--action ACTION [--resource ARN]] [--first]
                [--format json|csv|markdown|html] [--out FILE] [--dir DIR]

Walks the first-parent history of DIR once and reports one event per change
of effective access (commit, date, author, committer, PR number, added or
removed, user, account, permission set, via), plus access that lapsed by its
expires date (dated the day after, or at the end time of a break-glass grant,
with no commit). The grant and end of break-glass access are marked
(breakGlass). Commits without a PR reference and commits whose files did not
validate are listed in every format. DATE is YYYY-MM-DD or an ISO 8601
date-time, read as UTC. html is a self-contained page with filters and
timelines. Exit code 1 in a shallow clone.
--action service:Name (such as iam:CreateUser; no wildcards) keeps the events
of access whose permission set, as it was at that commit, allows the action on
--resource ARN (default *: every resource), conditionally or unknown, as
who-can --action decides; and adds an event for every holder when a change to
a permission set's policies made it allow the action, or stop allowing it
(cause policy). Each event then carries the decision and the statement.
--first keeps, for each user, only the added events at the first instant they
gained access (with --action: became able) among the events the other
options keep. See docs/audit.md.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...DIR_OPTION,
      ...HELP_OPTION,
      since: { type: 'string' },
      until: { type: 'string' },
      user: { type: 'string', multiple: true },
      account: { type: 'string', multiple: true },
      'permission-set': { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      action: { type: 'string' },
      resource: { type: 'string' },
      first: { type: 'boolean' },
    });
    const format = choice('format', values.format, AUDIT_FORMATS, 'json');
    const since = values.since === undefined ? undefined : dateOption('since', values.since).start;
    const until = values.until === undefined ? undefined : dateOption('until', values.until).end;
    if (since !== undefined && until !== undefined && since > until) throw new UsageError(`--since ${values.since} is after --until ${values.until}: no ` +
        `date is in that range`);
    const question = actionRequest(values.action, values.resource, io);
    const walked = walk(values.dir, io, question ? new ActionLens(question) : undefined);
    if ('code' in walked) return walked.code;

    const { users, accounts, sets } = knownFilters(walked.result, values.user ?? [], values.account ?? [], values['permission-set'] ?? []);
    const keep = (e: AuditEvent): boolean =>
      (since === undefined || e.date >= since) &&
      (until === undefined || e.date <= until) &&
      (users.size === 0 || users.has(foldLogin(e.user))) &&
      (accounts.size === 0 || accounts.has(e.account) || accounts.has(e.accountId)) &&
      (sets.size === 0 || sets.has(e.permissionSet));
    const inRange = (date: string): boolean => (since === undefined || date >= since) && (until === undefined || date <= until);
    const kept = walked.result.events.filter(keep);
    const report: AuditReport = {
      events: values.first === true ? firstGains(kept) : kept,
      unreadable: walked.result.unreadable.filter((u) => inRange(u.date)),
      directPushes: walked.result.directPushes.filter((d) => inRange(d.date)),
      commits: walked.result.commits,
      range: { ...(since ? { since } : {}), ...(until ? { until } : {}) },
      ...(io.env.GITHUB_SERVER_URL && io.env.GITHUB_REPOSITORY ? { repoUrl: `${io.env.GITHUB_SERVER_URL}/${io.env.GITHUB_REPOSITORY}` } : {}),
      generated: io.now().toISOString().replace(/\.[0-9]{3}Z$/, 'Z'),
      ...(question ? { question } : {}),
    };
    const text = AUDIT_REPORTERS[format](report);
    if (values.out !== undefined) {
      const out = path.resolve(io.cwd, values.out);
      writeFileAtomic(out, text);
      io.stdout(`wrote ${displayPath(io.cwd, out)}: ${report.events.length} events, ${report.directPushes.length} without a PR, ` +
          `${report.unreadable.length} unreadable commits\n`);
    } else io.stdout(text);
    return EXIT_OK;
  },
};

/** The filter values as sets; a name that neither the history nor HEAD knows is a usage error with a suggestion. */
function knownFilters(
  result: ReturnType<typeof walkHistory>,
  users: string[],
  accounts: string[],
  sets: string[],
): { users: Set<string>; accounts: Set<string>; sets: Set<string> } {
  const { events, model } = result;
  const where = ' in the history';
  return {
    users: knownValues('user', users, [...events.map((e) => e.user), ...(model ? knownPeople(model).values() : [])], where, foldLogin),
    accounts: knownValues(
      'account',
      accounts,
      [...events.flatMap((e) => [e.account, e.accountId]), ...(model?.accounts.flatMap((a) => [a.name, a.id]) ?? [])],
      where,
    ),
    sets: knownValues('permission-set', sets, [...events.map((e) => e.permissionSet), ...(model?.permissionSets.map((p) => p.name) ?? [])], where),
  };
}

/** For each user, the added events at the first instant they appear in (several when access to more than one account came at once). */
export function firstGains(events: readonly AuditEvent[]): AuditEvent[] {
  const first = new Map<string, string>();
  for (const e of events) {
    const u = foldLogin(e.user);
    if (e.action === 'added' && (!first.has(u) || e.date < first.get(u)!)) first.set(u, e.date);
  }
  return events.filter((e) => e.action === 'added' && first.get(foldLogin(e.user)) === e.date);
}

function dateOption(flag: string, v: string): { start: string; end: string } {
  const d = parseDateArg(v);
  if (!d) throw new UsageError(`--${flag} takes a date (2026-03-01) or an ISO 8601 date-time (2026-03-01T12:00:00Z), not "${v}"`);
  return d;
}

/** Reads and walks the history, or says why it cannot. */
export function walk(dir: string, io: Io, lens?: WalkLens): { result: ReturnType<typeof walkHistory> } | { code: number } {
  const git = Git.forDir(io.cwd, dir);
  if (!git.isRepository()) throw new UsageError(`${git.shown(dir)} is not in a git repository: the audit reads its history`);
  let history;
  try {
    history = readAccessHistory(git, dir);
  } catch (e) {
    if (e instanceof ShallowCloneError) {
      io.stderr(`accessctl: ${e.message}\n`);
      return { code: EXIT_FINDINGS };
    }
    throw e;
  }
  const shown = git.shown(dir);
  const onProgress = progressBar(io.isTTY === true && !io.env.CI, io.stderr, 'reading history');
  return {
    result: walkHistory(history.commits, history.blobs, {
      dirLabel: shown,
      validator: ruleAwareValidator(),
      today: instantOf(io.now()),
      ...(onProgress ? { onProgress } : {}),
      ...(lens ? { lens } : {}),
    }),
  };
}
