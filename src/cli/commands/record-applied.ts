import * as path from 'node:path';
import { COMMIT, DIGEST, recordApplied } from '../../synth/applied';
import { writeFileAtomic } from '../../util/fs';
import { HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';
import { readAppliedRecord } from '../applied-record';

export const recordAppliedCommand: Command = {
  name: 'record-applied',
  summary: 'notes in the apply record that a stack was applied (the apply job, after each successful apply)',
  usage: `accessctl record-applied --record FILE --stack STACK --digest DIGEST --commit SHA

Sets STACK's entry of the apply record FILE (created when missing) to the
layout digest that was planned and applied (from accessctl affected --applied
--format json), the commit it was synthesized from and the time now, and
writes the file atomically. Only the apply job runs it: the record is what
accessctl affected --applied compares with (docs/ci.md).`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      args,
      { ...HELP_OPTION, record: { type: 'string' }, stack: { type: 'string' }, digest: { type: 'string' }, commit: { type: 'string' } },
    );
    for (const k of ['record', 'stack', 'digest', 'commit'] as const) if (values[k] === undefined) throw new UsageError(`--${k} is required`);
    if (!DIGEST.test(values.digest!)) throw new UsageError(`--digest must be sha256:<64 hex digits>, not ${JSON.stringify(values.digest)}`);
    if (!COMMIT.test(values.commit!)) throw new UsageError(`--commit must be a 40-digit commit id, not ${JSON.stringify(values.commit)}`);
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(values.stack!)) throw new UsageError(`--stack must be a stack name such as okta or aws-prod, not ` +
        `${JSON.stringify(values.stack)}`);
    const record = readAppliedRecord(values.record!, io);
    if (!record) return EXIT_FINDINGS;
    const next = recordApplied(record, values.stack!, { commit: values.commit!, digest: values.digest!, appliedAt: io.now().toISOString() });
    writeFileAtomic(path.resolve(io.cwd, values.record!), `${JSON.stringify(next, null, 2)}\n`);
    io.stdout(`${values.record}: ${values.stack} applied from ${values.commit!.slice(0, 12)}\n`);
    return EXIT_OK;
  },
};
