import { CODES, type Code } from './codes';
import type { Severity } from './severity';
import { plural } from './util/plural';

export type { Severity } from './severity';

/** The one shape of every error and warning accessctl reports. */
export interface Diagnostic {
  /** A catalogue code (ACC…, IAM…) or, for a guardrail finding, the rule id. */
  readonly code: Code | string;
  readonly severity: Severity;
  /** Path relative to the working directory, with "/" separators. */
  readonly file: string;
  /** 1-based; 1 for findings about a whole file. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly message: string;
  readonly hint?: string;
  /** Guardrail findings: what the finding is about, as a waiver names it. */
  readonly subject?: string;
}

export interface Position {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Builds a diagnostic with the severity the catalogue gives its code. */
export function diag(code: Code, at: Position, message: string, hint?: string): Diagnostic {
  const d: Diagnostic = { code, severity: CODES[code].severity, file: at.file, line: at.line, column: at.column, message };
  return hint === undefined ? d : { ...d, hint };
}

export function fileStart(file: string): Position {
  return { file, line: 1, column: 1 };
}

/** Stable order: file, line, column, code, message. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

export function countBySeverity(list: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const d of list) if (d.severity === 'error') errors++;
  return { errors, warnings: list.length - errors };
}

/** "1 error, 2 warnings", with ", 3 waived" when a waived count is given. */
export function formatCounts(list: readonly Diagnostic[], waived?: number): string {
  const { errors, warnings } = countBySeverity(list);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${waived === undefined ? '' : `, ${waived} waived`}`;
}

/** Code-point string comparison: the same order on every machine and locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
