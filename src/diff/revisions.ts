import { hasErrors, type Diagnostic } from '../diagnostics';
import { Git, GitError } from '../git/git';
import { readAccessDir, type SourceFile } from '../load/source';
import { loadAccessModel, type ParseCache } from '../model/load';
import type { AccessModel } from '../model/types';
import { SchemaValidator } from '../schema/validate';
import { detectRenames, pairRenamedFiles, type Rename } from '../synth/renames';
import { diffModels, type AccessDiff } from './diff';

/** access/ as it is at one revision, or in the working tree. */
export interface Revision {
  /** How the revision was named: a ref, or "working tree". */
  readonly label: string;
  readonly commit?: string;
  /** Present when the files at the revision load without error. */
  readonly model?: AccessModel;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly SourceFile[];
}

export class UnknownRefError extends Error {}

/** Loads access/ at a git ref (read through git, never checked out). Unknown refs throw UnknownRefError. */
/** With a cache (diff and affected compare two revisions and only read them), the models are not frozen: freezing both costs more than the comparison. */
export function loadRevision(git: Git, ref: string, dir: string, validator: SchemaValidator, cache?: ParseCache): Revision {
  let commit: string;
  try {
    commit = git.resolve(ref);
  } catch (e) {
    throw new UnknownRefError(e instanceof GitError ? e.message : String(e));
  }
  const sources = git.readDirAt(commit, dir);
  if (sources.length === 0) return { label: ref, commit, diagnostics: [], sources, model: undefined };
  const loaded = loadAccessModel(sources, { validator, dirLabel: dir, ...(cache ? { cache, freeze: false } : {}) });
  return { label: ref, commit, diagnostics: loaded.diagnostics, sources, ...(loaded.model && !hasErrors(loaded.diagnostics) ? { model: loaded.model } : {}) };
}

export function loadWorkingTree(dir: string, cwd: string, validator: SchemaValidator, cache?: ParseCache): Revision {
  const read = readAccessDir(dir, cwd);
  if (read.diagnostics.some((d) => d.code === 'ACC005')) return { label: 'working tree', diagnostics: read.diagnostics, sources: [] };
  const loaded = loadAccessModel(read.sources, { validator, dirLabel: dir, ...(cache ? { cache, freeze: false } : {}) });
  const diagnostics = [...read.diagnostics, ...loaded.diagnostics];
  return { label: 'working tree', diagnostics, sources: read.sources, ...(loaded.model && !hasErrors(diagnostics) ? { model: loaded.model } : {}) };
}

export interface RevisionDiff {
  readonly base: Revision;
  readonly head: Revision;
  readonly diff: AccessDiff;
  readonly renames: readonly Rename[];
}

/** The access diff between two loaded revisions; the head must have a model. */
export function diffRevisions(base: Revision, head: Revision & { model: AccessModel }, today: string): RevisionDiff {
  const renames = base.model ? detectRenames(base.model, head.model, pairRenamedFiles(base.sources, head.sources)) : [];
  return { base, head, renames, diff: diffModels(base.model, head.model, today, renames) };
}
