import { hasErrors } from '../diagnostics';
import { defaultBase, type DefaultBase, type RevisionRef } from '../git/default-base';
import { GitError, type Git } from '../git/git';
import { readAccessDir, type SourceFile } from '../load/source';
import { loadAccessModel, type ParseCache } from '../model/load';
import type { AccessModel } from '../model/types';
import type { SchemaValidator } from '../schema/validate';
import { detectRenames, pairRenamedFiles } from '../synth/renames';
import { diffModels } from './diff';
import type { Revision, RevisionDiff } from './revision-types';

export type { Revision, RevisionDiff } from './revision-types';

/**
 * A revision cannot be read from git: its ref does not resolve, or git failed
 * while reading it. Not a finding in the access files: the CLI reports it as
 * ACC060 without a file position and exits 2.
 */
export class RevisionError extends Error {
  readonly code = 'ACC060';
}

/** A ref as the user gave it: labelled as given, resolved to its commit. */
export function resolveRef(git: Git, ref: string): RevisionRef {
  try {
    return { label: ref, commit: git.resolve(ref) };
  } catch (e) {
    throw new RevisionError(e instanceof Error ? e.message : String(e));
  }
}

/** The base to compare with: `requested` when given, else the default base (see defaultBase), or why there is none. */
export function chooseBase(git: Git, requested: string | undefined, dir: string): DefaultBase {
  if (requested !== undefined) return resolveRef(git, requested);
  try {
    return defaultBase(git, dir);
  } catch (e) {
    throw e instanceof GitError ? new RevisionError(`cannot find the default base: ${gitFailure(e)}`) : e;
  }
}

/** Loads access/ at a git ref (read through git, never checked out). A ref that does not resolve is a RevisionError. */
export function loadRevision(git: Git, ref: string, dir: string, validator: SchemaValidator, cache?: ParseCache): Revision {
  return loadCommit(git, resolveRef(git, ref), dir, validator, cache);
}

/**
 * Loads access/ at a resolved revision: git reads `rev.commit`, `rev.label` is
 * only shown. A git failure is a RevisionError with git's own message.
 * With a cache (diff and affected compare two revisions and only read them), the models are not frozen: freezing both costs more than the comparison.
 */
export function loadCommit(git: Git, rev: RevisionRef, dir: string, validator: SchemaValidator, cache?: ParseCache): Revision {
  const { label, commit } = rev;
  let sources: SourceFile[];
  try {
    sources = git.readDirAt(commit, dir);
  } catch (e) {
    throw e instanceof GitError ? new RevisionError(`cannot read ${git.shown(dir)} at ${label} (${commit.slice(0, 12)}): ${gitFailure(e)}`) : e;
  }
  if (sources.length === 0) return { label, commit, diagnostics: [], sources, model: undefined };
  const loaded = loadAccessModel(sources, { validator, dirLabel: dir, ...(cache ? { cache, freeze: false } : {}) });
  return { label, commit, diagnostics: loaded.diagnostics, sources, ...(loaded.model && !hasErrors(loaded.diagnostics) ? { model: loaded.model } : {}) };
}

/** "git <command>: <git's message>". */
function gitFailure(e: GitError): string {
  return e.command === undefined ? e.message : `${e.command}: ${e.message}`;
}

export function loadWorkingTree(dir: string, cwd: string, validator: SchemaValidator, cache?: ParseCache): Revision {
  const read = readAccessDir(dir, cwd);
  if (read.diagnostics.some((d) => d.code === 'ACC005')) return { label: 'working tree', diagnostics: read.diagnostics, sources: [] };
  const loaded = loadAccessModel(read.sources, { validator, dirLabel: dir, ...(cache ? { cache, freeze: false } : {}) });
  const diagnostics = [...read.diagnostics, ...loaded.diagnostics];
  return { label: 'working tree', diagnostics, sources: read.sources, ...(loaded.model && !hasErrors(diagnostics) ? { model: loaded.model } : {}) };
}

/** The access diff between two loaded revisions; the head must have a model. */
export function diffRevisions(base: Revision, head: Revision & { model: AccessModel }, today: string): RevisionDiff {
  const renames = base.model ? detectRenames(base.model, head.model, pairRenamedFiles(base.sources, head.sources)) : [];
  return { base, head, renames, diff: diffModels(base.model, head.model, today, renames) };
}
