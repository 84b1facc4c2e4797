import { CODES } from '../../codes';
import type { Diagnostic } from '../../diagnostics';

/** Each diagnostic as `file:line:col severity CODE message`, its subject and hint indented below, and last where its code is documented. */
export function formatDiagnosticsText(list: readonly Diagnostic[]): string {
  return list.map((d) => formatDiagnosticLine(d) + seeLine(d.code)).join('');
}

/** A diagnostic's line, subject and hint (the lines --format github lists past its annotations too). */
export function formatDiagnosticLine(d: Diagnostic): string {
  let text = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`;
  if (d.subject !== undefined) text += `  subject: ${d.subject}\n`;
  if (d.hint !== undefined) text += `  hint: ${d.hint}\n`;
  return text;
}

/** The last line of a diagnostic: where its code is documented, or nothing for a code with no page. */
export function seeLine(code: string): string {
  const link = docsLink(code);
  return link === undefined ? '' : `  see ${link}\n`;
}

/**
 * The documentation of a code, relative to the repository root: the heading of
 * a catalogue code in docs/errors.md ("## ACC041", whose anchor GitHub makes
 * "acc041"), or of a guardrail rule, the code of its findings, in docs/rules.md.
 */
export function docsLink(code: string): string | undefined {
  if (Object.hasOwn(CODES, code)) return `docs/errors.md#${code.toLowerCase()}`;
  if (/^[a-z][a-z0-9-]*$/.test(code)) return `docs/rules.md#${code}`;
  return undefined;
}

// Counting words live below the reporters (edit and synth use them too); re-exported for the commands.
export { formatCounts } from '../../diagnostics';
export { plural } from '../../util/plural';
