import { affectedStacks } from '../../synth/affected';
import { instantOf } from '../../util/dates';
import { pendingStacks, stackDigests } from '../../synth/applied';
import { readAppliedRecord } from '../applied-record';
import { buildLayout } from '../../synth/layout';
import { loadOrReport } from '../load-or-report';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io';
import { loadBoth } from './diff';
import { revision } from '../../reporters/diff/text';

const FORMATS = ['text', 'json'] as const;

export const affected: Command = {
  name: 'affected',
  summary: 'the stacks a change touches, so CI plans only those',
  usage: `accessctl affected [--base REF] [--head REF] [--format text|json] [--dir DIR]
       accessctl affected --applied RECORD [--format text|json] [--dir DIR]

Lays out DIR at --base (default: as accessctl diff chooses it, named on stderr)
and at --head (default: the working tree) the way synth does, and lists the
stacks whose configuration differs: only their plans can change. json prints
{"stacks": [...], "all": [...], "removed": [...], "reasons": {...}}; the pull
request workflow plans "stacks". A stack the head no longer has (a removed
shard) is listed under removed with a warning. Exit code 1 when the head has
errors; 2 when there is no base or git cannot read a revision (ACC060).

With --applied, compares DIR as it is now, laid out with today's date, with
the apply record (written by accessctl record-applied after each successful
apply; a missing file means nothing was applied yet) and lists every stack
whose layout differs from what was last applied: changes merged since,
expiries that have passed, runs that were cancelled or failed. json adds
"digests": {stack: digest}, which the apply job records once the stack is
applied.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      {
        ...DIR_OPTION,
        ...HELP_OPTION,
        format: { type: 'string', short: 'f' },
        base: { type: 'string' },
        head: { type: 'string' },
        applied: { type: 'string' },
      },
    );
    const format = choice('format', values.format, FORMATS, 'text');
    if (values.applied !== undefined) return againstApplied(values.dir, values.applied, format, io);
    const both = loadBoth(values.dir, io, values.base, values.head);
    if ('code' in both) return both.code;
    if (values.base === undefined) io.stderr(`base: ${revision(both.base)}\n`);
    const result = affectedStacks(both.base, both.head, instantOf(io.now()));
    for (const s of result.removed) io.stderr(`warning: the stack ${s} is gone at the head; its resources stay in its state until it is destroyed or moved ` +
        `by hand (docs/scale.md)\n`);
    if (format === 'json') {
      io.stdout(`${JSON.stringify({ base: both.base.commit ?? null, ...result }, null, 2)}\n`);
      return EXIT_OK;
    }
    if (result.stacks.length === 0) io.stdout(`no stack changes between ${both.base.label} and ${both.head.label}\n`);
    for (const s of result.stacks) io.stdout(`${s}\t${result.reasons[s]}\n`);
    return EXIT_OK;
  },
};

function againstApplied(dir: string, file: string, format: (typeof FORMATS)[number], io: Io): number {
  const record = readAppliedRecord(file, io);
  if (!record) return EXIT_FINDINGS;
  const model = loadOrReport(dir, io);
  if (!model) return EXIT_FINDINGS;
  const digests = stackDigests(buildLayout({ model, today: instantOf(io.now()) }), model.settings.backend);
  const result = pendingStacks(record, digests);
  for (const s of result.removed) io.stderr(`warning: the stack ${s} was applied but is gone from the files; its resources stay in its state until it is ` +
      `destroyed or moved by hand (docs/scale.md)\n`);
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ applied: file, ...result, digests }, null, 2)}\n`);
    return EXIT_OK;
  }
  if (result.stacks.length === 0) io.stdout('every stack is as last applied\n');
  for (const s of result.stacks) io.stdout(`${s}\t${result.reasons[s]}\n`);
  return EXIT_OK;
}
