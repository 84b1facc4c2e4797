// The frame around every YAML edit (request, expire): load and check the
// files as they are, change some of them in memory, check the whole result
// the way validate does, show what the change does to access, and only then
// write every changed file at once.
import * as path from 'node:path';
import { checkAccessDir, checkSources, type CheckResult } from '../check';
import { formatCounts, hasErrors, type Diagnostic } from '../diagnostics';
import { diffRevisions, type Revision, type RevisionDiff } from '../diff/revisions';
import type { SourceFile } from '../load/source';
import type { AccessModel } from '../model/types';
import type { SchemaValidator } from '../schema/validate';
import { writeFilesAtomic } from '../util/fs';

export interface EditBase {
  readonly dir: string;
  readonly root: string;
  readonly model: AccessModel;
  readonly sources: readonly SourceFile[];
  readonly diagnostics: readonly Diagnostic[];
  readonly validator: SchemaValidator;
}

/** What an edit takes from the command that runs it: the edit layer sits below the reporters and knows no rule. */
export interface EditDeps {
  /** The compiled schemas, whose policy schema knows every rule (ruleAwareValidator). */
  readonly validator: SchemaValidator;
  /** Diagnostics as text, for the errors that stop an edit (the CLI's text reporter). */
  readonly formatDiagnostics: (list: readonly Diagnostic[]) => string;
}

/** Loads DIR for editing; undefined (after saying why on `err`) when it has errors already. */
export function loadForEdit(dir: string, cwd: string, today: string, err: (s: string) => void, command: string, deps: EditDeps): EditBase | undefined {
  const { validator } = deps;
  const checked = checkAccessDir(dir, cwd, { today, validator });
  if (!checked.model) {
    err(deps.formatDiagnostics(checked.diagnostics.filter((d) => d.severity === 'error')));
    err(`${dir}: ${formatCounts(checked.diagnostics)}; fix these before running ${command} (nothing was changed)\n`);
    return undefined;
  }
  // Guardrail errors already there (an expired waiver, say) do not block an
  // edit; the edit may only not add any.
  if (hasErrors(checked.diagnostics)) {
    err(`note: ${dir} already has ${formatCounts(checked.diagnostics)} (validate lists them); ${command} refuses only errors its change adds\n`);
  }
  return { dir, root: path.resolve(cwd, dir), model: checked.model, sources: checked.sources, diagnostics: checked.diagnostics, validator };
}

/** The source of the file that declares something, by the path diagnostics show. */
export function sourceOf(base: EditBase, file: string): SourceFile {
  const s = base.sources.find((x) => x.file === file);
  if (!s) throw new Error(`internal: no source file ${file}`);
  return s;
}

export interface EditResult {
  readonly check: CheckResult;
  readonly diff?: RevisionDiff;
  /** Diagnostics the edit introduced (by code, file and subject or message; line numbers may shift). */
  readonly introduced: readonly Diagnostic[];
}

/** Checks DIR with some files replaced, and diffs the result against the files as they were. */
export function checkEdit(base: EditBase, changes: ReadonlyMap<string, string>, today: string): EditResult {
  const sources = base.sources.map((s) => (changes.has(s.rel) ? { file: s.file, rel: s.rel, bytes: Buffer.from(changes.get(s.rel)!, 'utf8') } : s));
  const check = checkSources(sources, { today, validator: base.validator, dirLabel: base.dir });
  const known = new Set(base.diagnostics.map(signature));
  const introduced = check.diagnostics.filter((d) => !known.has(signature(d)));
  if (!check.model || hasErrors(introduced)) return { check, introduced };
  const before: Revision = { label: 'before', model: base.model, diagnostics: base.diagnostics, sources: base.sources };
  const after: Revision & { model: AccessModel } = { label: 'after', model: check.model, diagnostics: check.diagnostics, sources };
  return { check, introduced, diff: diffRevisions(before, after, today) };
}

function signature(d: Diagnostic): string {
  return `${d.code}\u0000${d.file}\u0000${d.subject ?? d.message}`;
}

/**
 * Checks an edit and writes it when it adds no error: the changed files' paths and the access diff, or
 * undefined after printing on `err` the errors that stop it (nothing written).
 */
export function checkAndWrite(
  base: EditBase,
  changes: ReadonlyMap<string, string>,
  today: string,
  err: (s: string) => void,
  refusal: string,
  formatDiagnostics: EditDeps['formatDiagnostics'],
): { written: string[]; diff: RevisionDiff } | undefined {
  const result = checkEdit(base, changes, today);
  if (!result.diff) {
    err(formatDiagnostics(result.introduced.filter((d) => d.severity === 'error')));
    err(`${refusal} (nothing was written)\n`);
    return undefined;
  }
  return { written: writeEdit(base, changes), diff: result.diff };
}

/** Writes the changed files, all or none. Returns their paths relative to DIR's parent. */
export function writeEdit(base: EditBase, changes: ReadonlyMap<string, string>): string[] {
  const files = [...changes.keys()].sort().map((rel) => ({ file: path.join(base.root, ...rel.split('/')), content: changes.get(rel)! }));
  writeFilesAtomic(files);
  return files.map((f) => f.file);
}
