import { hasErrors } from '../../diagnostics';
import { instantOf } from '../../util/dates';
import { formatCounts } from '../../reporters/diagnostics/text';
import { DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { baseOption, SYNTH_OPTIONS, synthesizeToDisk } from '../synth-run';
import { summarize } from './validate';
import { diffRevisions } from '../../diff/revisions';
import { formatDiffText } from '../../reporters/diff/text';
import { EXIT_OK } from '../io';

export const plan: Command = {
  name: 'plan',
  summary: 'the main job (npm start): validate, guardrails, synth, and the access diff against the base',
  usage: `accessctl plan [--dir DIR] [--out DIR] [--base REF | --no-base]

Runs validate with the guardrails and synth (see accessctl synth --help),
prints what each stack holds, and the access diff against the base revision
(default: the merge base with the default branch, on that branch the commit
before HEAD; none without such history, as in a shallow clone, which it says).
Exit code 0 when the stacks were written, 1 on errors or blocking findings, 2
when git cannot read the base (ACC060).`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, ...SYNTH_OPTIONS });
    const { code, prepared } = await synthesizeToDisk({ dir: values.dir, out: values.out, base: baseOption(values) }, io);
    if (code !== EXIT_OK || !prepared.model || hasErrors(prepared.diagnostics)) return code;
    io.stdout(`${values.dir}: valid, ${summarize(prepared.model)}; ${formatCounts(prepared.diagnostics, prepared.waived.length).replace(/^0 errors, /, '')}\n`);
    const head = { label: 'working tree', model: prepared.model, sources: prepared.sources, diagnostics: prepared.diagnostics };
    const base = prepared.base?.loaded ?? { label: 'nothing', diagnostics: [], sources: [] };
    io.stdout(`\n${formatDiffText(diffRevisions(base, head, instantOf(io.now())))}`);
    return code;
  },
};
