import { hasErrors, type Diagnostic } from '../../diagnostics';

/** `{"ok": boolean, "errors": [diagnostic…]}`: every diagnostic, warnings included, in file order. */
export function formatDiagnosticsJson(list: readonly Diagnostic[]): string {
  const errors = list.map((d) => ({
    code: d.code,
    severity: d.severity,
    file: d.file,
    line: d.line,
    column: d.column,
    message: d.message,
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
  }));
  return `${JSON.stringify({ ok: !hasErrors(list), errors }, null, 2)}\n`;
}
