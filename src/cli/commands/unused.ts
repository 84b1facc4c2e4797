import * as path from 'node:path';
import { EditError, removeMembers } from '../../edit/edits';
import { checkAndWrite, loadForEdit, sourceOf, type EditBase } from '../../edit/session';
import { Git, GitError } from '../../git/git';
import { highPrivilegeOf } from '../../guardrails/rules/unused-access';
import { displayPath } from '../../load/source';
import { foldLogin } from '../../model/logins';
import { DIFF_FORMATS, DIFF_REPORTERS } from '../../reporters/diff';
import { codeSpan, esc } from '../../reporters/diff/markdown';
import { formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { UsageIndex, type UsageFile } from '../../usage/file';
import { unusedThresholds } from '../../usage/threshold';
import { describeLastUse, membershipKey, unusedMemberships, type UnusedMembership } from '../../usage/unused';
import { dayOf, instantOf } from '../../util/dates';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { editDeps } from '../edit-command';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io';
import { walk } from './audit';
import { readUsageArg } from './validate';

export const unused: Command = {
  name: 'unused',
  summary: 'list, or with --write remove, memberships whose every account and permission set went unused (usage file from CloudTrail)',
  usage: `accessctl unused --usage FILE [--days N] [--write] [--branch] [--format text|markdown|json] [--dir DIR]

Lists the group members none of whose accounts and permission sets were used
for more than N days, by the usage file accessctl usage writes. N is
policy.yaml rules.unused-access days (default 90), or highPrivilegeDays
(default 30) for a group that grants a high-privilege permission set;
--days N sets both. A member is unused only when every row the group gives
is. Break-glass members and members who joined less than N days ago (by the
git history of DIR) are never listed. With --write, removes them like expire
(comments kept, checked like validate, all files written together) and
prints the access diff; --format markdown writes a pull request body that
lists each removal with its last use. --branch then commits the change on
accessctl/unused-<today>.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...DIR_OPTION, ...HELP_OPTION, usage: { type: 'string' }, days: { type: 'string' }, write: { type: 'boolean' }, branch: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
    });
    const format = choice('format', values.format, DIFF_FORMATS, 'text');
    if (values.usage === undefined) throw new UsageError('--usage FILE is required: write it with accessctl usage');
    if (values.days !== undefined && !/^[1-9][0-9]{0,3}$/.test(values.days)) throw new UsageError(`--days: "${values.days}" is not a whole number of days (1-9999)`);
    if (values.branch && !values.write) throw new UsageError('--branch commits what --write removes: give --write too');
    const usage = readUsageArg(values.usage, io.cwd);
    const now = instantOf(io.now());
    const today = dayOf(now);
    const walked = walk(values.dir, io);
    if ('code' in walked) return walked.code;
    const base = loadForEdit(values.dir, io.cwd, now, io.stderr, 'unused', editDeps());
    if (!base) return EXIT_FINDINGS;
    const thresholds = values.days !== undefined ? { days: Number(values.days), highPrivilegeDays: Number(values.days) } : unusedThresholds(base.model);
    const since = new Map(walked.result.memberships.map((m) => [membershipKey(m.group, m.user), m.since.date]));
    const found = unusedMemberships(base.model, new UsageIndex(usage), { thresholds, highPrivilege: highPrivilegeOf(base.model), today: now, since });
    if (!values.write) return list(io, found, usage, today, format);
    if (found.length === 0) return list(io, found, usage, today, format);
    return remove(io, base, found, usage, { today, now, format, branch: values.branch === true });
  },
};

function json(u: UnusedMembership): Record<string, unknown> {
  return { group: u.group, user: u.login, file: u.file, line: u.line, days: u.days, highPrivilege: u.highPrivilege, lastUse: u.lastUse ?? null,
    rows: u.rows.map((r) => ({ accountId: r.accountId, permissionSet: r.permissionSet, lastUsed: r.lastUse?.lastUsed ?? null })) };
}

function lines(found: readonly UnusedMembership[], usage: UsageFile, today: string): string[] {
  return found.map((u) => `${u.file}:${u.line}: ${u.login} in ${u.group}, unused for more than ${u.days} days: ${describeLastUse(u, today, usage.since)}`);
}

function list(io: Io, found: readonly UnusedMembership[], usage: UsageFile, today: string, format: string): number {
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ today, since: usage.since, until: usage.until, unused: found.map(json), written: [] }, null, 2)}\n`);
  } else if (found.length === 0) {
    io.stdout(`no unused membership as of ${today}\n`);
  } else {
    io.stdout(`${lines(found, usage, today).join('\n')}\n${found.length} unused as of ${today}; run with --write to remove them\n`);
  }
  return EXIT_OK;
}

/** The pull request body's head: each removal with its last use. */
function markdownHead(found: readonly UnusedMembership[], usage: UsageFile, today: string): string {
  const window = `Usage file: CloudTrail ${usage.since !== null ? `from ${usage.since}` : 'from its start'} to ${usage.until ?? 'its end'}.`;
  const rows = found.map((u) => `| \`${codeSpan(u.group)}\` | \`${codeSpan(u.login)}\` | ${u.days} | ${esc(describeLastUse(u, today, usage.since))} |`);
  return `### Unused access\n\n${found.length} membership${found.length === 1 ? '' : 's'} unused as of ${today}. ${window}\n\n` +
      `| Group | Member | Threshold (days) | Last use |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n\n`;
}

interface RemoveOptions {
  readonly today: string;
  readonly now: string;
  readonly format: (typeof DIFF_FORMATS)[number];
  readonly branch: boolean;
}

function remove(io: Io, base: EditBase, found: readonly UnusedMembership[], usage: UsageFile, o: RemoveOptions): number {
  const changes = new Map<string, string>();
  try {
    for (const g of base.model.groups) {
      const keys = new Set(found.filter((u) => u.group === g.name).map((u) => foldLogin(u.login)));
      if (keys.size === 0) continue;
      const src = sourceOf(base, g.source.file);
      changes.set(src.rel, removeMembers(Buffer.from(src.bytes).toString('utf8'), keys).text);
    }
  } catch (e) {
    if (e instanceof EditError) {
      io.stderr(`unused: ${e.message} (nothing was written)\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  }
  const git = o.branch ? prepareBranch(io, base, [...changes.keys()], `accessctl/unused-${o.today}`) : undefined;
  const result = checkAndWrite(base, changes, o.now, io.stderr, `unused: without the unused memberships ${base.dir} does not validate`, formatDiagnosticsText);
  if (!result) return EXIT_FINDINGS;
  const written = result.written.map((f) => displayPath(io.cwd, f));
  if (o.format === 'json') {
    io.stdout(`${JSON.stringify({ today: o.today, since: usage.since, until: usage.until, unused: found.map(json), written }, null, 2)}\n`);
  } else if (o.format === 'markdown') {
    io.stdout(markdownHead(found, usage, o.today));
  } else {
    io.stdout(`${lines(found, usage, o.today).join('\n')}\nremoved ${found.length} unused membership${found.length === 1 ? '' : 's'} from ${written.join(', ')}\n\n`);
  }
  if (o.format !== 'json') io.stdout(DIFF_REPORTERS[o.format](result.diff));
  if (git && !commitBranch(io, git, written, found, usage, o.today)) return EXIT_FINDINGS;
  return EXIT_OK;
}

/** Checks, before anything is written, that the branch can be made and the files to change have no uncommitted edits. */
function prepareBranch(io: Io, base: EditBase, rels: readonly string[], branch: string): { git: Git; branch: string } {
  const git = Git.forDir(io.cwd, base.root);
  if (!git.isRepository()) throw new UsageError('--branch: not inside a git repository');
  let exists = true;
  try {
    git.resolve(`refs/heads/${branch}`);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    exists = false;
  }
  if (exists) throw new UsageError(`--branch: the branch ${branch} exists already`);
  for (const rel of rels) {
    const file = displayPath(io.cwd, path.join(base.root, ...rel.split('/')));
    if (git.text(['status', '--porcelain', '--', file]) !== '') throw new UsageError(`--branch: ${file} has uncommitted changes; commit them first`);
  }
  return { git, branch };
}

function commitBranch(io: Io, g: { git: Git; branch: string }, files: readonly string[], found: readonly UnusedMembership[], usage: UsageFile, today: string): boolean {
  const message = `Remove unused access (${today})\n\n${lines(found, usage, today).join('\n')}\n`;
  try {
    g.git.run(['switch', '-c', g.branch]);
    g.git.run(['add', '--', ...files]);
    g.git.run(['commit', '--quiet', '-m', message, '--', ...files]);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    io.stderr(`wrote ${files.join(', ')}, but git failed: ${e.message}\n`);
    return false;
  }
  io.stderr(`committed on branch ${g.branch}: push it and open a pull request\n`);
  return true;
}
