import * as path from 'node:path';
import { hasErrors } from '../../diagnostics';
import { withUsage } from '../../guardrails/rules/unused-access';
import { readUsageFile, UsageIndex, type UsageFile } from '../../usage/file';
import { instantOf } from '../../util/dates';
import { checkAccessDir } from '../../check';
import type { AccessModel } from '../../model/types';
import { ruleAwareValidator } from '../../policy-schema';
import { DIAGNOSTICS_FORMATS, DIAGNOSTICS_REPORTERS } from '../../reporters/diagnostics';
import { formatCounts, plural } from '../../reporters/diagnostics/text';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

export const validate: Command = {
  name: 'validate',
  summary: 'check access/ against the schemas, cross-references, AWS limits and guardrails',
  usage: `accessctl validate [--dir DIR] [--format ${DIAGNOSTICS_FORMATS.join('|')}] [--usage FILE]

Loads every file under DIR (default: access), validates it against schemas/,
resolves every reference and account selector, runs the guardrails of
policy.yaml (docs/rules.md), and reports every problem found, with file:line.
Findings a waiver accepts are counted apart. Exit code 0 when there is no
error (warnings allowed), 1 when there is one. --usage FILE (written by
accessctl usage) lets the unused-access guardrail see who used what.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, format: { type: 'string', short: 'f' }, usage: { type: 'string' } });
    const format = choice('format', values.format, DIAGNOSTICS_FORMATS, 'text');
    // The model is only reported on, never handed on, so it is not frozen
    // (the guardrails are tested against frozen models; freezing 10^5 objects costs ~0.1 s).
    const usage = values.usage === undefined ? undefined : new UsageIndex(readUsageArg(values.usage, io.cwd));
    const { model, diagnostics, waived } = withUsage(usage, () =>
      checkAccessDir(values.dir, io.cwd, { today: instantOf(io.now()), validator: ruleAwareValidator(), freeze: false }));
    io.stdout(DIAGNOSTICS_REPORTERS[format](diagnostics, { waived }));
    if (format !== 'json') {
      const counts = formatCounts(diagnostics, waived.length);
      io.stdout(model && !hasErrors(diagnostics) ? `${values.dir}: valid, ${summarize(model)}; ${counts.replace(/^0 errors, /, '')}\n` : `${values.dir}: ${counts}\n`);
    }
    return hasErrors(diagnostics) ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** Reads --usage FILE; a bad file throws UsageFileError, which main reports with the file and JSON path (exit 1). */
export function readUsageArg(file: string, cwd: string): UsageFile {
  return readUsageFile(path.resolve(cwd, file), file);
}

export function summarize(model: AccessModel): string {
  return [
    plural(model.groups.length, 'group'),
    plural(model.permissionSets.length, 'permission set'),
    plural(model.accounts.length, 'account'),
    plural(model.assignments.length, 'account assignment'),
  ].join(', ');
}
