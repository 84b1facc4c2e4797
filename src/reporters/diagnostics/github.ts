import type { Diagnostic } from '../../diagnostics';
import { sanitizeText, workflowData, workflowProperty } from '../../util/sanitize';
import { formatDiagnosticLine } from './text';

/** GitHub shows at most 10 annotations of each type per step; the rest are listed as plain lines. */
export const ANNOTATIONS_PER_TYPE = 10;

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::…`), one per diagnostic up to the limit. This output
 * is printed as is (`--format github` is the one format whose `::` lines are wanted), so it escapes user text
 * itself: percent-encoded in the commands, sanitised in the plain lines, so that none can start a command.
 */
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
    const props = [`file=${workflowProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `title=${workflowProperty(`${d.code} ${d.severity}`)}`].join(',');
    const text = d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`;
    out += `::${d.severity} ${props}::${workflowData(text)}\n`;
  }
  if (rest.length > 0) {
    out += `${rest.length} more not annotated (GitHub shows ${ANNOTATIONS_PER_TYPE} per type):\n`;
    out += sanitizeText(rest.map(formatDiagnosticLine).join(''));
  }
  return out;
}
