// The cdktf app entry (cdktf.json "app"). Until the stacks exist it loads and
// validates access/ and exits non-zero on any error, so `cdktf synth` never
// runs on an invalid model.
import { hasErrors } from './src/diagnostics';
import { loadAccessDir } from './src/model/load';
import { formatCounts, formatDiagnosticsText } from './src/reporters/diagnostics/text';

const dir = process.env.ACCESSCTL_DIR ?? 'access';
const { model, diagnostics } = loadAccessDir(dir, process.cwd());
process.stderr.write(formatDiagnosticsText(diagnostics));
if (!model || hasErrors(diagnostics)) {
  process.stderr.write(`${dir}: ${formatCounts(diagnostics)}\n`);
  process.exitCode = 1;
}
