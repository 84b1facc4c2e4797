import { DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { baseOption, SYNTH_OPTIONS, synthesizeToDisk } from '../synth-run';

export const synth: Command = {
  name: 'synth',
  summary: 'validate, then write Terraform JSON for the okta and aws stacks to cdktf.out/',
  usage: `accessctl synth [--dir DIR] [--out DIR] [--base REF | --no-base]

Validates DIR (default: access) and writes OUT/stacks/<stack>/cdk.tf.json
(default OUT: cdktf.out) for the stacks okta, aws and one per AWS shard.
Files are written to a temporary directory first and moved into place only
when every stack was synthesized: on any error nothing under OUT changes.

--base REF is the revision renames and new groups are found against (default:
the merge base with the default branch, or the previous commit on it; the
first line of output names it). A renamed group or permission set gets
Terraform moved blocks; a group new since REF may wait for its SCIM push
instead of failing the AWS plan. Exit code 2 when git cannot read the base
(ACC060).`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, ...SYNTH_OPTIONS });
    const { code } = await synthesizeToDisk({ dir: values.dir, out: values.out, base: baseOption(values) }, io);
    return code;
  },
};
