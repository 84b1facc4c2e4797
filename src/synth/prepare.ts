import * as path from 'node:path';
import { instantOf } from '../util/dates';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics';
import { Git, GitError } from '../git/git';
import { loadRevision, UnknownRefError, type Revision } from '../diff/revisions';
import type { SourceFile } from '../load/source';
import { checkAccessDir } from '../check';
import type { WaivedFinding } from '../guardrails/run';
import type { AccessModel } from '../model/types';
import { SchemaValidator } from '../schema/validate';
import { baseLogins, buildLayout, type BaseRevision, type Layout } from './layout';
import { detectRenames, pairRenamedFiles } from './renames';

export interface SynthRequest {
  readonly dir: string;
  readonly cwd: string;
  readonly now: Date;
  /** A git ref; undefined picks the default base (see Git.defaultBase); null means no base. */
  readonly base?: string | null;
}

export interface BaseInfo {
  /** The ref as given or chosen, and its commit. */
  readonly ref: string;
  readonly commit: string;
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
 * finding; nothing is written here.
 */
export function prepareSynth(req: SynthRequest): Prepared {
  const validator = new SchemaValidator();
  const head = checkAccessDir(req.dir, req.cwd, { today: instantOf(req.now), validator });
  const diagnostics = head.diagnostics;
  if (!head.model || hasErrors(diagnostics)) return { diagnostics, waived: head.waived, sources: head.sources };

  let base: BaseInfo | undefined;
  if (req.base !== null) {
    const r = readBase(req.dir, req.cwd, req.base, head.model, head.sources, validator);
    if ('error' in r) return { model: head.model, diagnostics: [...diagnostics, r.error], waived: head.waived, sources: head.sources };
    base = r.base;
  }
  const layout = buildLayout({ model: head.model, today: instantOf(req.now), ...(base ? { base: base.revision } : {}) });
  const unmatched = layout.unmatchedImports.map((e) =>
    diag('ACC091', e.source, `import of ${e.resource} "${e.key}" matches no resource the files declare; it is left out`, 'remove the entry or correct its key'));
  return { model: head.model, layout, ...(base ? { base } : {}), diagnostics: unmatched.length > 0 ? sortDiagnostics([...diagnostics, ...unmatched]) : diagnostics, waived: head.waived, sources: head.sources };
}

function readBase(dir: string, cwd: string, requested: string | undefined, head: AccessModel, headSources: readonly SourceFile[], validator: SchemaValidator): { base?: BaseInfo } | { error: Diagnostic } {
  const git = Git.forDir(cwd, dir);
  const where = { file: path.posix.normalize(dir.split(path.sep).join('/')), line: 1, column: 1 };
  if (!git.isRepository()) {
    if (requested === undefined) return {};
    return { error: diag('ACC060', where, `--base ${requested}: ${git.shown(dir)} is not in a git repository`) };
  }
  try {
    const ref = requested ?? git.defaultBase(dir)?.ref;
    if (ref === undefined) return {};
    const loaded = loadRevision(git, ref, dir, validator);
    const commit = loaded.commit!;
    if (loaded.sources.length === 0) {
      // The access directory did not exist yet: everything is new.
      return { base: { ref, commit, loaded, revision: { groups: new Set(), permissionSets: new Set(), renames: [] } } };
    }
    if (!loaded.model) {
      const first = loaded.diagnostics.find((d) => d.severity === 'error');
      return {
        error: diag('ACC061', where, `the base revision ${ref} (${commit.slice(0, 12)}) has errors, so renames cannot be detected${first ? `: ${first.file}:${first.line} ${first.code} ${first.message}` : ''}`,
          'fix the base branch, or pass --base with a revision whose access files are valid'),
      };
    }
    const renames = detectRenames(loaded.model, head, pairRenamedFiles(loaded.sources, headSources));
    return {
      base: {
        ref,
        commit,
        loaded,
        revision: {
          groups: new Set(loaded.model.groups.map((g) => g.name)),
          permissionSets: new Set(loaded.model.permissionSets.map((p) => p.name)),
          renames,
          logins: baseLogins(loaded.model),
        },
      },
    };
  } catch (e) {
    if (e instanceof GitError || e instanceof UnknownRefError) return { error: diag('ACC060', where, e.message) };
    throw e;
  }
}
