import * as fs from 'node:fs';
import { instantOf } from '../../util/dates';
import * as path from 'node:path';
import { hasErrors } from '../../diagnostics';
import { displayPath } from '../../load/source';
import { loadAccessDir } from '../../model/load';
import { parsePlan, PlanFormatError, type PlanDocument } from '../../plan/plan-json';
import { DEFAULT_REVOKE_LIMIT, PERCENT_LIMIT_FLOOR, summarizePlans, type RevokeLimit } from '../../plan/summary';
import { formatCounts, formatDiagnosticsText } from '../../reporters/diagnostics/text';
import { PLAN_FORMATS, PLAN_REPORTERS } from '../../reporters/plan';
import { buildLayout } from '../../synth/layout';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../io';

/** --removals-only: the plans do more than remove known access (PlanSummary.removalsOnly is false). */
export const EXIT_NOT_REMOVALS = 3;

export const planSummary: Command = {
  name: 'plan-summary',
  summary: 'read terraform show -json plans, say what changes in plain words, and enforce the safety rails',
  usage: `accessctl plan-summary PLAN.json… [--max-revoke N|N%] [--allow-revoke] [--removals-only] [--dir DIR] [--format text|markdown|json]

Reads the JSON of terraform show -json PLANFILE for the accessctl stacks and
says what Terraform will change, in the words of accessctl diff. Exit code 1
when a safety rail trips:
  mass-revocation     more revocations (assignments deleted or replaced, members
                      removed) than --max-revoke (default 10% of the access that
                      exists; a percentage never trips on ${PERCENT_LIMIT_FLOOR} or fewer)
  replace             an account assignment or permission set is replaced
  unexplained-delete  Terraform deletes an object the files under DIR still declare
--allow-revoke accepts the first two after review; an unexplained delete is never accepted.
--removals-only exits ${EXIT_NOT_REMOVALS} when the rails pass but the plans are not removals
only: anything but deletes of account assignments, group owners and app group
assignments, and known members leaving groups (removalsOnly in docs/ci.md).
Exit codes: 0 ok, 1 a rail tripped or a file is not a readable plan, 2 usage,
${EXIT_NOT_REMOVALS} not removals only (with --removals-only).`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...DIR_OPTION, ...HELP_OPTION, format: { type: 'string', short: 'f' }, 'max-revoke': { type: 'string' }, 'allow-revoke': { type: 'boolean' }, 'removals-only': { type: 'boolean' } },
      true,
    );
    const format = choice('format', values.format, PLAN_FORMATS, 'text');
    const limit = parseLimit(values['max-revoke']);
    if (positionals.length === 0) throw new UsageError('name at least one plan JSON file (terraform show -json PLANFILE > plan.json)');

    const { model, diagnostics } = loadAccessDir(values.dir, io.cwd);
    if (!model || hasErrors(diagnostics)) {
      io.stderr(formatDiagnosticsText(diagnostics));
      io.stderr(`${values.dir}: ${formatCounts(diagnostics)}; the plan cannot be checked against the files\n`);
      return EXIT_FINDINGS;
    }
    const plans: Array<{ name: string; plan: PlanDocument }> = [];
    for (const file of positionals) {
      const shown = displayPath(io.cwd, path.resolve(io.cwd, file));
      try {
        plans.push({ name: shown, plan: parsePlan(fs.readFileSync(path.resolve(io.cwd, file), 'utf8')) });
      } catch (e) {
        const reason = e instanceof PlanFormatError ? e.message : `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
        io.stderr(`${shown}: ${reason}\n`);
        return EXIT_FINDINGS;
      }
    }
    const today = instantOf(io.now());
    const summary = summarizePlans(plans, buildLayout({ model, today }), model, { limit, allowRevoke: values['allow-revoke'] ?? false }, today);
    io.stdout(PLAN_REPORTERS[format](summary));
    if (!summary.ok) return EXIT_FINDINGS;
    if (values['removals-only'] && !summary.removalsOnly) {
      io.stderr('plan-summary: not removals only: a person must review and apply these plans\n');
      return EXIT_NOT_REMOVALS;
    }
    return EXIT_OK;
  },
};

function parseLimit(v: string | undefined): RevokeLimit {
  if (v === undefined) return DEFAULT_REVOKE_LIMIT;
  const m = /^([0-9]{1,7})(%?)$/.exec(v);
  if (!m || (m[2] === '%' && Number(m[1]) > 100)) throw new UsageError(`--max-revoke takes a count (25) or a percentage up to 100 (10%), not "${v}"`);
  return m[2] === '%' ? { kind: 'percent', value: Number(m[1]) } : { kind: 'count', value: Number(m[1]) };
}
