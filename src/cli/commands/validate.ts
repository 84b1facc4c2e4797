import { hasErrors } from '../../diagnostics';
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
  usage: `accessctl validate [--dir DIR] [--format ${DIAGNOSTICS_FORMATS.join('|')}]

Loads every file under DIR (default: access), validates it against schemas/,
resolves every reference and account selector, runs the guardrails of
policy.yaml (docs/rules.md), and reports every problem found, with file:line.
Findings a waiver accepts are counted apart. Exit code 0 when there is no
error (warnings allowed), 1 when there is one.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, format: { type: 'string', short: 'f' } });
    const format = choice('format', values.format, DIAGNOSTICS_FORMATS, 'text');
    // The model is only reported on, never handed on, so it is not frozen
    // (the guardrails are tested against frozen models; freezing 10^5 objects costs ~0.1 s).
    const { model, diagnostics, waived } = checkAccessDir(values.dir, io.cwd, { today: instantOf(io.now()), validator: ruleAwareValidator(), freeze: false });
    io.stdout(DIAGNOSTICS_REPORTERS[format](diagnostics, { waived }));
    if (format !== 'json') {
      const counts = formatCounts(diagnostics, waived.length);
      io.stdout(model && !hasErrors(diagnostics) ? `${values.dir}: valid, ${summarize(model)}; ${counts.replace(/^0 errors, /, '')}\n` : `${values.dir}: ${counts}\n`);
    }
    return hasErrors(diagnostics) ? EXIT_FINDINGS : EXIT_OK;
  },
};

export function summarize(model: AccessModel): string {
  return [
    plural(model.groups.length, 'group'),
    plural(model.permissionSets.length, 'permission set'),
    plural(model.accounts.length, 'account'),
    plural(model.assignments.length, 'account assignment'),
  ].join(', ');
}
