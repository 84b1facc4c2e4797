import { DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import { readAppliedRecord } from '../applied-record';
import type { Command } from '../command';
import { EXIT_FINDINGS } from '../io';
import { baseOption, SYNTH_OPTIONS, synthesizeLapsed, synthesizeToDisk } from '../synth-run';

export const synth: Command = {
  name: 'synth',
  summary: 'validate, then write Terraform JSON for the okta and aws stacks to cdktf.out/',
  usage: `accessctl synth [--dir DIR] [--out DIR] [--base REF | --no-base]
       accessctl synth --expiry RECORD [--affected FILE] [--dir DIR] [--out DIR]

Validates DIR (default: access) and writes OUT/stacks/<stack>/cdk.tf.json
(default OUT: cdktf.out) for the stacks okta, aws and one per AWS shard.
Files are written to a temporary directory first and moved into place only
when every stack was synthesized: on any error nothing under OUT changes.

--base REF is the revision renames and new groups are found against (default:
the merge base with the default branch, or the previous commit on it; the
first line of output names it). A renamed group or permission set gets
Terraform moved blocks; a group new since REF may wait for its SCIM push
instead of failing the AWS plan. Exit code 2 when git cannot read the base
(ACC060).

--expiry RECORD is what the scheduled apply run synthesizes: for each stack
of the apply record (accessctl record-applied), DIR as it was at the commit
the stack was last applied from, laid out with today's date. Those files were
applied already, so only what lapsed since (members, owners and assignments
past their expires) can differ: whatever main holds or lacks now (an
unapplied change, a lapsed waiver, the SCIM token's age) holds no expiry
back. Guardrails are not run on them (they were judged when applied). Only
the stacks whose layout differs are written, never okta-scim; --affected FILE
gets {"stacks", "all", "removed", "reasons", "digests", "commits"} in the
shape of accessctl affected --applied, plus the commit each stack comes from,
which the apply job records. A stack that cannot be expired from its commit
(the files there no longer load, or git cannot read it) is named on stderr
and the exit code is 1; the other stacks are still written.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, ...SYNTH_OPTIONS, expiry: { type: 'string' }, affected: { type: 'string' } });
    if (values.expiry !== undefined) {
      if (values.base !== undefined || values['no-base']) throw new UsageError('--expiry synthesizes the commits the record names: --base and --no-base do ' +
          'not apply');
      const record = readAppliedRecord(values.expiry, io);
      if (!record) return EXIT_FINDINGS;
      return synthesizeLapsed({ dir: values.dir, out: values.out, record, ...(values.affected !== undefined ? { affected: values.affected } : {}) }, io);
    }
    if (values.affected !== undefined) throw new UsageError('--affected is written with --expiry only (for synth of main, use accessctl affected --applied)');
    const { code } = await synthesizeToDisk({ dir: values.dir, out: values.out, base: baseOption(values) }, io);
    return code;
  },
};
