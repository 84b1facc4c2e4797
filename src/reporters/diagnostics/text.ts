import { countBySeverity, type Diagnostic } from '../../diagnostics';

/** `file:line:col severity CODE message`, an indented hint, then a count. */
export function formatDiagnosticsText(list: readonly Diagnostic[]): string {
  return list.map(formatDiagnosticLine).join('');
}

export function formatDiagnosticLine(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`;
  return d.hint === undefined ? head : `${head}  hint: ${d.hint}\n`;
}

export function formatCounts(list: readonly Diagnostic[]): string {
  const { errors, warnings } = countBySeverity(list);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
