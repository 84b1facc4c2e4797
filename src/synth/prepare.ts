import * as path from 'node:path';
import { instantOf } from '../util/dates';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics';
import { NO_HISTORY, type NoBase } from '../git/default-base';
import { Git } from '../git/git';
import { chooseBase, loadCommit, RevisionError, type Revision } from '../diff/revisions';
import { newPastEntries } from '../diff/diff';
import { isActive } from '../model/access';
import type { SourceFile } from '../load/source';
import { checkAccessDir } from '../check';
import type { WaivedFinding } from '../guardrails/run';
import type { AccessModel } from '../model/types';
import { ruleAwareValidator } from '../policy-schema';
import type { SchemaValidator } from '../schema/validate';
import { baseLogins, buildLayout, type BaseRevision, type Layout } from './layout';
import { detectRenames, pairRenamedFiles } from './renames';

export interface SynthRequest {
  readonly dir: string;
  readonly cwd: string;
  readonly now: Date;
  /** A git ref; undefined picks the default base (see defaultBase in src/git/default-base.ts); null means no base. */
  readonly base?: string | null;
  /** The compiled schemas for the head and the base; by default one whose policy schema knows every rule (main.ts, the cdktf app, passes none). */
  readonly validator?: SchemaValidator;
}

export interface BaseInfo {
  /** How the base is shown (the ref as given, or the default base's label) and the commit git reads. */
  readonly label: string;
  readonly commit: string;
  /** When the base commit was committed (UTC instant): a member entry new since then whose expires had passed by then was written already past (ACC116). */
  readonly committed: string;
  /** The files and model at the base, for the access diff. */
  readonly loaded: Revision;
  readonly revision: BaseRevision;
}

export interface Prepared {
  readonly model?: AccessModel;
  /** The files read for the head. */
  readonly sources: readonly SourceFile[];
  readonly waived: readonly WaivedFinding[];
  readonly layout?: Layout;
  readonly base?: BaseInfo;
  /** Why there is no base, when there is a layout without one. */
  readonly noBase?: NoBase;
  readonly diagnostics: readonly Diagnostic[];
}

/** Path from a stack's working directory (<out>/stacks/<stack>) back to the directory local state lives in. */
export function localStateDirFor(out: string, cwd: string): string {
  return path.relative(path.join(out, 'stacks', 'stack'), cwd).split(path.sep).join('/') || '.';
}

/**
 * Everything synth needs, without cdktf: the checked model (guardrails
 * included), the base revision from git (for moved blocks and pending SCIM
 * pushes) and the layout. No layout when there is an error or a blocking
 * finding; nothing is written here. A base that git cannot read throws a
 * RevisionError: it is no finding in the files.
 */
export function prepareSynth(req: SynthRequest): Prepared {
  const validator = req.validator ?? ruleAwareValidator();
  const head = checkAccessDir(req.dir, req.cwd, { today: instantOf(req.now), validator });
  const diagnostics = head.diagnostics;
  if (!head.model || hasErrors(diagnostics)) return { diagnostics, waived: head.waived, sources: head.sources };

  const r = req.base === null ? NO_HISTORY : readBase(req.dir, req.cwd, req.base, head.model, head.sources, validator);
  if ('error' in r) return { model: head.model, diagnostics: [...diagnostics, r.error], waived: head.waived, sources: head.sources };
  const base = 'base' in r ? r.base : undefined;
  const past = base ? writtenPast(base, head.model, instantOf(req.now)) : [];
  if (past.length > 0) {
    const subjects = new Set(past.map((d) => d.subject));
    const kept = diagnostics.filter((d) => !(d.code === 'expired-members' && subjects.has(d.subject)));
    return { model: head.model, base: base!, diagnostics: sortDiagnostics([...kept, ...past]), waived: head.waived, sources: head.sources };
  }
  const layout = buildLayout({ model: head.model, today: instantOf(req.now), ...(base ? { base: base.revision } : {}) });
  const unmatched = layout.unmatchedImports.map((e) =>
    diag(
      'ACC091',
      e.source,
      `import of ${e.resource} "${e.key}" matches no resource the files declare; it is left out`,
      'remove the entry or correct its key',
    ));
  return {
    model: head.model,
    layout,
    ...('base' in r ? { base: r.base } : { noBase: r }),
    diagnostics: unmatched.length > 0 ? sortDiagnostics([...diagnostics, ...unmatched]) : diagnostics,
    waived: head.waived,
    sources: head.sources,
  };
}

function readBase(
  dir: string,
  cwd: string,
  requested: string | undefined,
  head: AccessModel,
  headSources: readonly SourceFile[],
  validator: SchemaValidator,
): { base: BaseInfo } | NoBase | { error: Diagnostic } {
  const git = Git.forDir(cwd, dir);
  if (!git.isRepository()) {
    if (requested === undefined) return NO_HISTORY;
    throw new RevisionError(`--base ${requested}: ${git.shown(dir)} is not in a git repository`);
  }
  const chosen = chooseBase(git, requested, dir);
  if ('none' in chosen) return chosen;
  const { label, commit } = chosen;
  const loaded = loadCommit(git, chosen, dir, validator);
  // The commit's own date (log reads the commit object only, never its tree).
  const committed = instantOf(new Date(git.text(['log', '-1', '--no-patch', '--format=%cI', commit])));
  if (loaded.sources.length === 0) {
    // The access directory did not exist yet: everything is new.
    return { base: { label, commit, committed, loaded, revision: { groups: new Set(), permissionSets: new Set(), renames: [] } } };
  }
  if (!loaded.model) {
    const first = loaded.diagnostics.find((d) => d.severity === 'error');
    const where = { file: path.posix.normalize(dir.split(path.sep).join('/')), line: 1, column: 1 };
    return {
      error: diag('ACC061', where, `the base revision ${label} (${commit.slice(0, 12)}) has errors, so renames cannot be ` +
          `detected${first ? `: ${first.file}:${first.line} ${first.code} ${first.message}` : ''}`,
        'fix the base branch, or pass --base with a revision whose access files are valid'),
    };
  }
  const renames = detectRenames(loaded.model, head, pairRenamedFiles(loaded.sources, headSources));
  return {
    base: {
      label,
      commit,
      committed,
      loaded,
      revision: {
        groups: new Set(loaded.model.groups.map((g) => g.name)),
        permissionSets: new Set(loaded.model.permissionSets.map((p) => p.name)),
        renames,
        logins: baseLogins(loaded.model),
      },
    },
  };
}

/**
 * ACC116: member entries new since the base whose expires had already passed
 * when the base was committed, so they were written already past (a mistyped
 * year, almost always). Each replaces the expired-members warning of its
 * entry. An entry whose date passed only after the base commit (access that
 * ran out while its pull request waited, or before the apply) stays that
 * warning: a lapse must never block an apply.
 */
function writtenPast(base: BaseInfo, head: AccessModel, today: string): Diagnostic[] {
  return newPastEntries(base.loaded.model, head, base.committed, base.revision.renames)
    .filter(({ member }) => !isActive(member, today))
    .map(({ group, member: m, before }) => ({
      ...diag('ACC116', m.source,
        before !== undefined && isActive(before, today)
          ? `${m.login}'s membership of "${group}" is set to end ${m.expires}, already past: it would end their access now`
          : `${m.login} is added to "${group}" with expires ${m.expires}, already past: no access is granted`,
        'check the year: write the last day the access is meant to last, or delete the entry if no access is meant'),
      subject: `${group}|${m.login}`,
    }));
}
