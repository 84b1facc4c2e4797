import { hasErrors } from '../diagnostics';
import { loadAccessDir } from '../model/load';
import type { AccessModel } from '../model/types';
import { ruleAwareValidator } from '../policy-schema';
import { formatCounts, formatDiagnosticsText, plural } from '../reporters/diagnostics/text';
import type { Io } from './io';

/** --verbose: for read-only commands, list every warning instead of counting them. */
export const VERBOSE_OPTION = { verbose: { type: 'boolean' } } as const;

/**
 * Loads the model for a command that needs a valid one. Diagnostics go to
 * stderr (warnings too, so they are never lost); on an error there is no
 * model. With `countWarnings` (read-only commands), files with only warnings
 * get one line that counts them instead of the full list.
 */
export function loadOrReport(dir: string, io: Io, countWarnings = false): AccessModel | undefined {
  const { model, diagnostics } = loadAccessDir(dir, io.cwd, { validator: ruleAwareValidator() });
  const failed = !model || hasErrors(diagnostics);
  if (diagnostics.length > 0 && countWarnings && !failed) {
    io.stderr(`${dir}: ${plural(diagnostics.length, 'warning')} (--verbose lists them)\n`);
    return model;
  }
  if (diagnostics.length > 0) io.stderr(formatDiagnosticsText(diagnostics));
  if (failed) {
    io.stderr(`${dir}: ${formatCounts(diagnostics)}; run accessctl validate for details\n`);
    return undefined;
  }
  return model;
}
