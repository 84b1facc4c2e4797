import { hasErrors, type Diagnostic } from '../../diagnostics';
import type { WaivedFinding } from '../../guardrails/run';
import type { ReportExtras } from './types';

/**
 * `{"ok": boolean, "errors": [diagnostic…], "waived": [finding…]}`: every
 * diagnostic, warnings included, in file order; waived findings apart.
 */
export function formatDiagnosticsJson(list: readonly Diagnostic[], extras: ReportExtras = {}): string {
  const errors = list.map((d) => ({
    code: d.code,
    severity: d.severity,
    file: d.file,
    line: d.line,
    column: d.column,
    message: d.message,
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
    ...(d.subject !== undefined ? { subject: d.subject } : {}),
  }));
  const waived = (extras.waived ?? []).map((w: WaivedFinding) => ({
    rule: w.rule,
    subject: w.subject,
    file: w.file,
    line: w.line,
    column: w.column,
    message: w.message,
    reason: w.reason,
    expires: w.expires,
    ...(w.approvedBy !== undefined ? { approvedBy: w.approvedBy } : {}),
    waiver: { file: w.waiver.file, line: w.waiver.line },
  }));
  return `${JSON.stringify({ ok: !hasErrors(list), errors, waived }, null, 2)}\n`;
}
