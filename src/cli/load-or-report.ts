import { hasErrors } from '../diagnostics';
import { loadAccessDir } from '../model/load';
import type { AccessModel } from '../model/types';
import { formatCounts, formatDiagnosticsText } from '../reporters/diagnostics/text';
import type { Io } from './io';

/**
 * Loads the model for a command that needs a valid one. Diagnostics go to
 * stderr (warnings too, so they are never lost); on an error there is no model.
 */
export function loadOrReport(dir: string, io: Io): AccessModel | undefined {
  const { model, diagnostics } = loadAccessDir(dir, io.cwd);
  if (diagnostics.length > 0) io.stderr(formatDiagnosticsText(diagnostics));
  if (!model || hasErrors(diagnostics)) {
    io.stderr(`${dir}: ${formatCounts(diagnostics)}; run accessctl validate for details\n`);
    return undefined;
  }
  return model;
}
