// The cdktf app entry (cdktf.json "app"): `npx cdktf synth` runs this and
// gets the same files as `accessctl synth`. It validates access/ first and
// synthesizes nothing when there is an error.
//   ACCESSCTL_DIR   the access directory (default: access)
//   ACCESSCTL_BASE  the base revision (default: as accessctl synth chooses)
//   CDKTF_OUTDIR    set by the cdktf CLI (default: cdktf.out)
import * as path from 'node:path';
import { synthesizeLayout } from './stacks';
import { hasErrors } from './src/diagnostics';
import { formatCounts, formatDiagnosticsText } from './src/reporters/diagnostics/text';
import { RevisionError } from './src/diff/revisions';
import { localStateDirFor, prepareSynth, type Prepared } from './src/synth/prepare';

/** Synthesizes into CDKTF_OUTDIR; returns the exit code. */
export function synthApp(env: Readonly<Record<string, string | undefined>>, cwd: string, now: Date, write: (text: string) => void): number {
  const dir = env.ACCESSCTL_DIR ?? 'access';
  const out = path.resolve(cwd, env.CDKTF_OUTDIR ?? 'cdktf.out');
  let prepared: Prepared;
  try {
    prepared = prepareSynth({ dir, cwd, now, ...(env.ACCESSCTL_BASE ? { base: env.ACCESSCTL_BASE } : {}) });
  } catch (e) {
    if (!(e instanceof RevisionError)) throw e;
    write(`error ${e.code} ${e.message}\n`);
    return 2;
  }
  write(formatDiagnosticsText(prepared.diagnostics));
  if (!prepared.layout || !prepared.model || hasErrors(prepared.diagnostics)) {
    write(`${dir}: ${formatCounts(prepared.diagnostics)}\n`);
    return 1;
  }
  synthesizeLayout(prepared.layout, { backend: prepared.model.settings.backend, localStateDir: localStateDirFor(out, cwd) }, out);
  return 0;
}

if (require.main === module) {
  process.exitCode = synthApp(process.env, process.cwd(), new Date(), (t) => process.stderr.write(t));
}
