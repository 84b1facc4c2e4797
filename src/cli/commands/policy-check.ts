import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../../diagnostics';
import { checkPolicyFile } from '../../iam/file';
import { displayPath } from '../../load/source';
import { formatCounts, formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { choice, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

const FORMATS = ['text', 'json'] as const;

export const policyCheck: Command = {
  name: 'policy-check',
  summary: 'check IAM policy JSON files: grammar, size and risky statements',
  usage: `accessctl policy-check FILE… [--format text|json]

Checks each IAM identity-based policy document: grammar (Version, Statement,
Effect, Action/NotAction, Resource/NotResource, condition operators, no
Principal), size against the inline policy limit, and risks (full
administrator, iam:PassRole on *, wildcard service prefixes, Allow with
NotAction or NotResource). Codes are explained in docs/errors.md.
Exit code 1 when a file has an error finding.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...HELP_OPTION, format: { type: 'string', short: 'f' } }, true);
    const format = choice('format', values.format, FORMATS, 'text');
    if (positionals.length === 0) throw new UsageError('name at least one policy file');
    const findings: Diagnostic[] = [];
    for (const name of positionals) {
      const abs = path.resolve(io.cwd, name);
      const shown = displayPath(io.cwd, abs);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(abs);
      } catch (e) {
        findings.push({ code: 'IAM001', severity: 'error', file: shown, line: 1, column: 1, message: `cannot read the file: ` +
            `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
        continue;
      }
      findings.push(...checkPolicyFile(shown, bytes));
    }
    const sorted = sortDiagnostics(findings);
    if (format === 'json') {
      const out = sorted.map((f) => ({ file: f.file, line: f.line, column: f.column, severity: f.severity, code: f.code, message: f.message }));
      io.stdout(`${JSON.stringify({ findings: out }, null, 2)}\n`);
    } else {
      io.stdout(formatDiagnosticsText(sorted));
      io.stdout(`${positionals.length} file${positionals.length === 1 ? '' : 's'}: ${formatCounts(sorted)}\n`);
    }
    return hasErrors(sorted) ? EXIT_FINDINGS : EXIT_OK;
  },
};
