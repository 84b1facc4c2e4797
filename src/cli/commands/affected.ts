import { affectedStacks } from '../../synth/affected';
import { utcDate } from '../../model/access';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT_OK } from '../io';
import { loadBoth } from './diff';

const FORMATS = ['text', 'json'] as const;

export const affected: Command = {
  name: 'affected',
  summary: 'the stacks a change touches, so CI plans only those',
  usage: `accessctl affected [--base REF] [--head REF] [--format text|json] [--dir DIR]

Lays out DIR at --base (default: the merge base with the default branch) and
at --head (default: the working tree) the way synth does, and lists the
stacks whose configuration differs: only their plans can change. json prints
{"stacks": [...], "all": [...], "removed": [...], "reasons": {...}}; the pull
request workflow plans "stacks". A stack the head no longer has (a removed
shard) is listed under removed with a warning. Exit code 1 when the head has
errors; 2 for an unknown ref.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, format: { type: 'string', short: 'f' }, base: { type: 'string' }, head: { type: 'string' } });
    const format = choice('format', values.format, FORMATS, 'text');
    const both = loadBoth(values.dir, io, values.base, values.head);
    if ('code' in both) return both.code;
    const result = affectedStacks(both.base, both.head, utcDate(io.now()));
    for (const s of result.removed) io.stderr(`warning: the stack ${s} is gone at the head; its resources stay in its state until it is destroyed or moved by hand (docs/scale.md)\n`);
    if (format === 'json') {
      io.stdout(`${JSON.stringify({ base: both.base.commit ?? null, ...result }, null, 2)}\n`);
      return EXIT_OK;
    }
    if (result.stacks.length === 0) io.stdout(`no stack changes between ${both.base.label} and ${both.head.label}\n`);
    for (const s of result.stacks) io.stdout(`${s}\t${result.reasons[s]}\n`);
    return EXIT_OK;
  },
};
