import { countBySeverity, type Diagnostic } from '../../diagnostics';

/** `file:line:col severity CODE message`, an indented hint, then a count. */
export function formatDiagnosticsText(list: readonly Diagnostic[]): string {
  return list.map(formatDiagnosticLine).join('');
}

export function formatDiagnosticLine(d: Diagnostic): string {
  let text = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`;
  if (d.subject !== undefined) text += `  subject: ${d.subject}\n`;
  if (d.hint !== undefined) text += `  hint: ${d.hint}\n`;
  return text;
}

/** "1 error, 2 warnings", with ", 3 waived" when a waived count is given. */
export function formatCounts(list: readonly Diagnostic[], waived?: number): string {
  const { errors, warnings } = countBySeverity(list);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${waived === undefined ? '' : `, ${waived} waived`}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
