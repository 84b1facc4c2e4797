import type { Diagnostic } from '../../diagnostics';
import { formatDiagnosticLine } from './text';

/** GitHub shows at most 10 annotations of each type per step; the rest are listed as plain lines. */
export const ANNOTATIONS_PER_TYPE = 10;

/** GitHub Actions workflow commands (`::error file=…,line=…::…`), one per diagnostic up to the limit. */
export function formatDiagnosticsGithub(list: readonly Diagnostic[]): string {
  const used = { error: 0, warning: 0 };
  const rest: Diagnostic[] = [];
  let out = '';
  for (const d of list) {
    if (used[d.severity] >= ANNOTATIONS_PER_TYPE) {
      rest.push(d);
      continue;
    }
    used[d.severity]++;
    const props = [`file=${prop(d.file)}`, `line=${d.line}`, `col=${d.column}`, `title=${prop(`${d.code} ${d.severity}`)}`].join(',');
    const text = d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`;
    out += `::${d.severity} ${props}::${data(text)}\n`;
  }
  if (rest.length > 0) {
    out += `${rest.length} more not annotated (GitHub shows ${ANNOTATIONS_PER_TYPE} per type):\n`;
    out += rest.map(formatDiagnosticLine).join('');
  }
  return out;
}

function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function prop(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
