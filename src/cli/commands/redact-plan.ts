import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayPath } from '../../load/source';
import { PlanFormatError } from '../../plan/plan-json';
import { redactPlan } from '../../plan/redact';
import { writeFileAtomic } from '../../util/fs';
import { HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

export const redactPlanCommand: Command = {
  name: 'redact-plan',
  summary: 'cut a terraform show -json plan down to what plan-summary and CI read, fit to upload',
  usage: `accessctl redact-plan IN [--out OUT]

Reads the JSON of terraform show -json PLANFILE from IN (- for stdin) and
writes only what accessctl plan-summary and the CI scripts read: the format
version, each resource change's address, previous address, mode, type, name,
index, actions and before/after values (every value a *_sensitive mask marks
becomes "(sensitive)"; data sources keep only the Okta users' id and login),
the output pending_scim_groups, and from the prior state the Okta users' id and
login and the Okta groups' id and name. Everything else (variables,
configuration, resource_drift, output_changes, checks, anything unknown) is
left out. Prints the JSON, or writes it atomically to OUT.`,
  defaultFormat: 'json',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...HELP_OPTION, out: { type: 'string', short: 'o' } }, true);
    if (positionals.length !== 1) throw new UsageError('name one plan JSON file, or - for stdin (terraform show -json PLANFILE | accessctl redact-plan -)');
    const [file] = positionals as [string];
    const shown = file === '-' ? 'stdin' : displayPath(io.cwd, path.resolve(io.cwd, file));
    let text: string;
    try {
      text = fs.readFileSync(file === '-' ? 0 : path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
      io.stderr(`${shown}: cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT_FINDINGS;
    }
    let redacted: object;
    try {
      redacted = redactPlan(parseJson(text));
    } catch (e) {
      if (!(e instanceof PlanFormatError)) throw e;
      io.stderr(`${shown}: ${e.message}\n`);
      return EXIT_FINDINGS;
    }
    const json = `${JSON.stringify(redacted, null, 2)}\n`;
    if (values.out === undefined) {
      io.stdout(json);
      return EXIT_OK;
    }
    try {
      writeFileAtomic(path.resolve(io.cwd, values.out), json);
    } catch (e) {
      io.stderr(`cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT_FINDINGS;
    }
    return EXIT_OK;
  },
};

/** The document; never the parser's message, which quotes the input, and the input holds the secrets this command removes. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PlanFormatError('not JSON: give the output of terraform show -json PLANFILE');
  }
}
