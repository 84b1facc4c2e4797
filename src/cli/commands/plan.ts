import { hasErrors } from '../../diagnostics';
import { formatCounts } from '../../reporters/diagnostics/text';
import { DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { baseOption, SYNTH_OPTIONS, synthesizeToDisk } from '../synth-run';
import { summarize } from './validate';

export const plan: Command = {
  name: 'plan',
  summary: 'the main job (npm start): validate, synthesize, and summarize what the stacks hold',
  usage: `accessctl plan [--dir DIR] [--out DIR] [--base REF | --no-base]

Runs validate and synth (see accessctl synth --help) and prints what each
stack holds. Exit code 0 when the stacks were written, 1 on errors.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, ...SYNTH_OPTIONS });
    const { code, prepared } = await synthesizeToDisk({ dir: values.dir, out: values.out, base: baseOption(values) }, io);
    if (prepared.model && !hasErrors(prepared.diagnostics)) {
      io.stdout(`${values.dir}: valid, ${summarize(prepared.model)}; ${formatCounts(prepared.diagnostics, prepared.waived.length).replace(/^0 errors, /, '')}\n`);
    }
    return code;
  },
};
