import { hasErrors } from '../../diagnostics';
import { loadAccessDir } from '../../model/load';
import type { AccessModel } from '../../model/types';
import { DIAGNOSTICS_FORMATS, DIAGNOSTICS_REPORTERS } from '../../reporters/diagnostics';
import { formatCounts, plural } from '../../reporters/diagnostics/text';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

export const validate: Command = {
  name: 'validate',
  summary: 'check access/ against the schemas, cross-references and AWS limits',
  usage: `accessctl validate [--dir DIR] [--format ${DIAGNOSTICS_FORMATS.join('|')}]

Loads every file under DIR (default: access), validates it against schemas/,
resolves every reference and account selector, and reports every problem
found, with file:line. Exit code 0 when there is no error (warnings allowed),
1 when there is one.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...DIR_OPTION, ...HELP_OPTION, format: { type: 'string', short: 'f' } });
    const format = choice('format', values.format, DIAGNOSTICS_FORMATS, 'text');
    const { model, diagnostics } = loadAccessDir(values.dir, io.cwd);
    io.stdout(DIAGNOSTICS_REPORTERS[format](diagnostics));
    if (format !== 'json') {
      io.stdout(model && !hasErrors(diagnostics) ? `${values.dir}: valid, ${summarize(model)}; ${formatCounts(diagnostics).replace(/^0 errors, /, '')}\n` : `${values.dir}: ${formatCounts(diagnostics)}\n`);
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
