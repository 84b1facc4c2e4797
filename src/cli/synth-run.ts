import * as fs from 'node:fs';
import * as path from 'node:path';
import { cmp, diag, hasErrors } from '../diagnostics';
import { RevisionError } from '../diff/revisions';
import { Git } from '../git/git';
import { ruleAwareValidator } from '../policy-schema';
import type { AppliedRecord } from '../synth/applied';
import { lapsedSinceApplied } from '../synth/lapsed';
import { instantOf } from '../util/dates';
import { writeFileAtomic } from '../util/fs';
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
  const prepared = prepareSynth(
    { dir: opts.dir, cwd: io.cwd, now: io.now(), validator: ruleAwareValidator(), ...(opts.base !== undefined ? { base: opts.base } : {}) },
  );
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
    reportWriteFailure(io, out, e);
    return { code: EXIT_FINDINGS, prepared };
  }

  const shownOut = displayPath(io.cwd, out);
  if (prepared.base) {
    const r = prepared.base.revision.renames;
    io.stdout(`base: ${prepared.base.label} ` +
        `(${prepared.base.commit.slice(0, 12)})${r.length > 0
          ? `, ${plural(r.length, 'rename')}: ${r.map((x) => `${x.kind} ${x.from} -> ${x.to}`).join(', ')}`
          : ', no renames'}\n`);
  } else {
    const none = prepared.noBase ?? NO_HISTORY;
    io.stdout(`base: none (${none.none}: renames are not detected and every group must already exist in ` +
        `AWS)\n${none.hint ? `  hint: ${none.hint}, or pass --base REF\n` : ''}`);
  }
  for (const line of summarizeLayout(layout)) io.stdout(`${shownOut}/stacks/${line.stack}/cdk.tf.json: ${line.text}\n`);
  return { code: EXIT_OK, prepared };
}

export interface LapsedOptions {
  readonly dir: string;
  readonly out: string;
  /** The apply record to expire from. */
  readonly record: AppliedRecord;
  /** Where the stacks, digests and commits go for the apply jobs (JSON, written atomically). */
  readonly affected?: string;
}

/** ACC062: the output directory could not be written (nothing was: the write is atomic). */
function reportWriteFailure(io: Io, out: string, e: unknown): void {
  const shown = displayPath(io.cwd, out);
  io.stderr(formatDiagnosticsText([diag('ACC062', { file: shown, line: 1, column: 1 }, `cannot write ${shown}: ${(e as Error).message}`)]));
}

/**
 * synth --expiry: the stacks of the apply record whose recorded commit, laid
 * out today, differs from what was applied (src/synth/lapsed.ts), each
 * synthesized from its own commit into OUT. Only those stacks are written; a
 * stack that cannot be expired from its commit is named on stderr and the
 * exit code is 1, the others are still written, so one stack's trouble holds
 * back no other stack's expiries.
 */
export async function synthesizeLapsed(opts: LapsedOptions, io: Io): Promise<number> {
  const git = Git.forDir(io.cwd, opts.dir);
  if (!git.isRepository()) throw new RevisionError(`--expiry: ${git.shown(opts.dir)} is not in a git repository, so the commits the record names cannot be ` +
      `read`);
  const lapsed = lapsedSinceApplied(opts.record, git, opts.dir, instantOf(io.now()), ruleAwareValidator());
  const out = path.resolve(io.cwd, opts.out);
  const localStateDir = localStateDirFor(out, io.cwd);
  const { synthesizeLayout } = await import('../../stacks');
  try {
    writeOutputAtomically(out, (tmp) => {
      const manifest: { stacks: Record<string, unknown>; version?: unknown } = { stacks: {} };
      lapsed.commits.forEach((c, i) => {
        const one = path.join(tmp, `.commit-${i}`);
        synthesizeLayout(c.layout, { backend: c.model.settings.backend, localStateDir }, one);
        const written = JSON.parse(fs.readFileSync(path.join(one, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown>; version: unknown };
        manifest.version = written.version;
        for (const s of c.stacks) {
          fs.mkdirSync(path.join(tmp, 'stacks'), { recursive: true });
          fs.renameSync(path.join(one, 'stacks', s), path.join(tmp, 'stacks', s));
          manifest.stacks[s] = written.stacks[s];
        }
        fs.rmSync(one, { recursive: true, force: true });
      });
      manifest.stacks = Object.fromEntries(Object.keys(manifest.stacks).sort(cmp).map((k) => [k, manifest.stacks[k]]));
      fs.writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    });
    if (opts.affected !== undefined) writeFileAtomic(path.resolve(io.cwd, opts.affected), `${JSON.stringify(lapsed.affected, null, 2)}\n`);
  } catch (e) {
    reportWriteFailure(io, out, e);
    return EXIT_FINDINGS;
  }
  const shownOut = displayPath(io.cwd, out);
  if (lapsed.affected.stacks.length === 0) io.stdout('expiry: nothing lapsed since the last apply of any stack\n');
  for (const s of lapsed.affected.stacks) io.stdout(`${shownOut}/stacks/${s}/cdk.tf.json: ${lapsed.affected.reasons[s]}\n`);
  for (const p of lapsed.problems) io.stderr(`error: ${p}\n`);
  return lapsed.problems.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
