import * as path from 'node:path';
import { diag, hasErrors } from '../diagnostics';
import { formatCounts, formatDiagnosticsText, plural } from '../reporters/diagnostics/text';
import { localStateDirFor, prepareSynth, type Prepared } from '../synth/prepare';
import { summarizeLayout } from '../synth/summary';
import { writeOutputAtomically } from '../synth/write';
import { displayPath } from '../load/source';
import { NO_HISTORY } from '../git/default-base';
import type { Io } from './io';
import { EXIT_FINDINGS, EXIT_OK } from './io';

export interface SynthOptions {
  readonly dir: string;
  readonly out: string;
  /** undefined: the default base; null: none. */
  readonly base?: string | null;
}

export const SYNTH_OPTIONS = {
  out: { type: 'string', short: 'o', default: 'cdktf.out' },
  base: { type: 'string' },
  'no-base': { type: 'boolean' },
} as const;

export function baseOption(values: { base?: string; 'no-base'?: boolean }): string | null | undefined {
  return values['no-base'] ? null : values.base;
}

/**
 * validate -> layout -> cdktf -> atomic write. On any error nothing under
 * --out changes. cdktf is loaded here, on demand: no other command pays for it.
 */
export async function synthesizeToDisk(opts: SynthOptions, io: Io): Promise<{ code: number; prepared: Prepared }> {
  const prepared = prepareSynth({ dir: opts.dir, cwd: io.cwd, now: io.now(), ...(opts.base !== undefined ? { base: opts.base } : {}) });
  if (prepared.diagnostics.length > 0) io.stderr(formatDiagnosticsText(prepared.diagnostics));
  if (!prepared.layout || !prepared.model || hasErrors(prepared.diagnostics)) {
    io.stderr(`${opts.dir}: ${formatCounts(prepared.diagnostics, prepared.waived.length)}; nothing was written\n`);
    return { code: EXIT_FINDINGS, prepared };
  }
  const out = path.resolve(io.cwd, opts.out);
  const localStateDir = localStateDirFor(out, io.cwd);
  const { synthesizeLayout } = await import('../../stacks');
  const layout = prepared.layout;
  const model = prepared.model;
  try {
    writeOutputAtomically(out, (tmp) => {
      synthesizeLayout(layout, { backend: model.settings.backend, localStateDir }, tmp);
    });
  } catch (e) {
    const shown = displayPath(io.cwd, out);
    io.stderr(formatDiagnosticsText([diag('ACC062', { file: shown, line: 1, column: 1 }, `cannot write ${shown}: ${(e as Error).message}`)]));
    return { code: EXIT_FINDINGS, prepared };
  }

  const shownOut = displayPath(io.cwd, out);
  if (prepared.base) {
    const r = prepared.base.revision.renames;
    io.stdout(`base: ${prepared.base.label} (${prepared.base.commit.slice(0, 12)})${r.length > 0 ? `, ${plural(r.length, 'rename')}: ${r.map((x) => `${x.kind} ${x.from} -> ${x.to}`).join(', ')}` : ', no renames'}\n`);
  } else {
    const none = prepared.noBase ?? NO_HISTORY;
    io.stdout(`base: none (${none.none}: renames are not detected and every group must already exist in AWS)\n${none.hint ? `  hint: ${none.hint}, or pass --base REF\n` : ''}`);
  }
  for (const line of summarizeLayout(layout)) io.stdout(`${shownOut}/stacks/${line.stack}/cdk.tf.json: ${line.text}\n`);
  return { code: EXIT_OK, prepared };
}
