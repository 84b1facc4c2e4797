import { hasErrors } from '../../diagnostics';
import { instantOf } from '../../util/dates';
import { chooseBase, diffRevisions, loadCommit, loadRevision, loadWorkingTree, type Revision } from '../../diff/revisions';
import { Git } from '../../git/git';
import type { ParseCache } from '../../model/load';
import type { AccessModel } from '../../model/types';
import { DIFF_FORMATS, DIFF_REPORTERS } from '../../reporters/diff';
import { formatCounts, formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { ruleAwareValidator } from '../../policy-schema';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

export const diff: Command = {
  name: 'diff',
  summary: 'who gains or loses which access where between two git revisions, in plain words',
  usage: `accessctl diff [--base REF] [--head REF] [--dir DIR] [--format text|markdown|json]

Loads DIR at REF (through git, without checking anything out) and at --head
(default: the working tree), and reports the effective access added and
removed (user, account, permission set, via), the object changes, and risk
flags (production grants, high-privilege sets, new owners, mass revocation,
policy.yaml changes, sensitive actions people gain or lose: see
docs/permissions.md). --base defaults to the merge base with the default
branch (on the default branch itself: the commit before HEAD, or HEAD when DIR
has uncommitted edits). markdown is the pull-request comment. Exit code 1 when
the head has errors; 2 when there is no base to compare with (no default
branch, a shallow clone) or git cannot read a revision (ACC060).`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      { ...DIR_OPTION, ...HELP_OPTION, format: { type: 'string', short: 'f' }, base: { type: 'string' }, head: { type: 'string' } },
    );
    const format = choice('format', values.format, DIFF_FORMATS, 'text');
    const result = computeDiff(values.dir, io, values.base, values.head);
    if ('code' in result) return result.code;
    io.stdout(DIFF_REPORTERS[format](result));
    return EXIT_OK;
  },
};

/**
 * Loads both revisions and diffs them, reporting problems on stderr. Returns
 * an exit code instead of a diff when the head cannot be diffed.
 */
export function computeDiff(dir: string, io: Io, baseRef: string | undefined, headRef?: string): ReturnType<typeof diffRevisions> | { code: number } {
  const both = loadBoth(dir, io, baseRef, headRef);
  if ('code' in both) return both;
  if (!both.base.model && both.base.diagnostics.length > 0) {
    io.stderr(`warning: the base ${both.base.label} has ${formatCounts(both.base.diagnostics)}; every access in the head is listed as added\n`);
  }
  return diffRevisions(both.base, both.head, instantOf(io.now()));
}

/**
 * Loads DIR at the base (default: the default base, see defaultBase) and at
 * the head (default: the working tree). No default base is a usage error (pass
 * --base); a revision git cannot read is a RevisionError; a head with errors
 * is reported on stderr and returned as exit code 1.
 */
export function loadBoth(
  dir: string,
  io: Io,
  baseRef: string | undefined,
  headRef?: string,
): { base: Revision; head: Revision & { model: AccessModel } } | { code: number } {
  const git = Git.forDir(io.cwd, dir);
  if (!git.isRepository()) throw new UsageError(`${git.shown(dir)} is not in a git repository: this command compares git revisions`);
  const validator = ruleAwareValidator();
  const chosen = chooseBase(git, baseRef, dir);
  if ('none' in chosen) throw new UsageError(`no base revision: ${chosen.none}; ${chosen.hint ? `${chosen.hint}, or ` : ''}pass --base REF`);
  // Files that did not change between the two are parsed once.
  const cache: ParseCache = new Map();
  const base = loadCommit(git, chosen, dir, validator, cache);
  const head = headRef === undefined ? loadWorkingTree(dir, io.cwd, validator, cache) : loadRevision(git, headRef, dir, validator, cache);
  if (!head.model || hasErrors(head.diagnostics)) {
    io.stderr(formatDiagnosticsText(head.diagnostics));
    io.stderr(`${head.label}: ${formatCounts(head.diagnostics)}; cannot compare\n`);
    return { code: EXIT_FINDINGS };
  }
  return { base, head: head as Revision & { model: AccessModel } };
}
