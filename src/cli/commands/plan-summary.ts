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
import { ruleAwareValidator } from '../../policy-schema';
import { buildLayout, stackLayouts } from '../../synth/layout';
import { accessFacts } from '../../synth/lapsed';
import { choice, DIR_OPTION, HELP_OPTION, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io';
import { strayRemovals } from '../../plan/lapsed-check';
import type { RevisionDiff } from '../../diff/revision-types';
import { computeDiff } from './diff';

/** --removals-only: the plans do more than remove known access (PlanSummary.removalsOnly is false). */
export const EXIT_NOT_REMOVALS = 3;

export const planSummary: Command = {
  name: 'plan-summary',
  summary: 'read terraform show -json plans, say what changes in plain words, and enforce the safety rails',
  usage: `accessctl plan-summary PLAN.json… [--max-revoke N|N%] [--allow-revoke] [--removals-only [--lapsed FILE]] [--base REF]
  [--dir DIR] [--format text|markdown|json]

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
--lapsed FILE (the --affected file of accessctl synth --expiry) narrows it to
expiries: a removal in plans/<stack>.json of access that DIR grants must be
access that lapsed in the commit the stack was last applied from, else exit
${EXIT_NOT_REMOVALS}, naming them (access applied by another run after the
record was read must not be taken away unattended).
--base REF also compares DIR with its state at the git revision REF, as
accessctl diff --base REF does, and names the sensitive actions
(policy.yaml sensitiveActions) people gain or lose, in the diff's words.
Exit codes: 0 ok, 1 a rail tripped or a file is not a readable plan, 2 usage,
${EXIT_NOT_REMOVALS} not removals only (with --removals-only).`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        ...DIR_OPTION,
        ...HELP_OPTION,
        format: { type: 'string', short: 'f' },
        'max-revoke': { type: 'string' },
        'allow-revoke': { type: 'boolean' },
        'removals-only': { type: 'boolean' },
        lapsed: { type: 'string' },
        base: { type: 'string' },
      },
      true,
    );
    const format = choice('format', values.format, PLAN_FORMATS, 'text');
    const limit = parseLimit(values['max-revoke']);
    if (positionals.length === 0) throw new UsageError('name at least one plan JSON file (terraform show -json PLANFILE > plan.json)');
    if (values.lapsed !== undefined && !values['removals-only']) throw new UsageError('--lapsed narrows --removals-only: give both');
    const lapsed = values.lapsed === undefined ? undefined : readLapsed(values.lapsed, io);
    if (lapsed === null) return EXIT_FINDINGS;

    const { model, diagnostics } = loadAccessDir(values.dir, io.cwd, { validator: ruleAwareValidator() });
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
    const layout = buildLayout({ model, today });
    const sensitive = values.base === undefined ? undefined : sensitiveSince(values.dir, io, values.base);
    if (typeof sensitive === 'number') return sensitive;
    const summary = summarizePlans(plans, layout, model, { limit, allowRevoke: values['allow-revoke'] ?? false, ...(sensitive ? { sensitive } : {}) }, today);
    io.stdout(PLAN_REPORTERS[format](summary));
    if (!summary.ok) return EXIT_FINDINGS;
    if (values['removals-only'] && !summary.removalsOnly) {
      io.stderr('plan-summary: not removals only: a person must review and apply these plans\n');
      return EXIT_NOT_REMOVALS;
    }
    if (lapsed) {
      const granted = new Map(stackLayouts(layout).map((l) => [l.stack, new Set(accessFacts(l))]));
      const stray = strayRemovals(plans, lapsed, granted);
      if (stray.length > 0) {
        io.stderr(`plan-summary: not only expiries: these removals take away access that main grants and that did not lapse in what was applied (applied ` +
            `by another run after this one read the record, or not recorded), so a person must review them:\n${stray.map((l) => `  - ${l}\n`).join('')}`);
        return EXIT_NOT_REMOVALS;
      }
    }
    return EXIT_OK;
  },
};

/** --base: the sensitive actions gained and lost since REF, as accessctl diff --base REF finds them; an exit code when it cannot compare. */
function sensitiveSince(dir: string, io: Io, base: string): RevisionDiff['diff']['sensitive'] | number {
  const compared = computeDiff(dir, io, base);
  return 'code' in compared ? compared.code : compared.diff.sensitive;
}

/** The "lapsed" lists of synth --expiry's --affected file; null (said on stderr) when it has none. */
function readLapsed(file: string, io: Io): Readonly<Record<string, readonly string[]>> | null {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(path.resolve(io.cwd, file), 'utf8'));
  } catch (e) {
    io.stderr(`${file}: cannot be read as JSON: ${(e as Error).message}\n`);
    return null;
  }
  const lapsed = (data as { lapsed?: unknown } | null)?.lapsed;
  const ok = lapsed !== null && typeof lapsed === 'object' && !Array.isArray(lapsed) && Object.values(lapsed).every(
    (v) => Array.isArray(v) && v.every((f) => typeof f === 'string'),
  );
  if (!ok) {
    io.stderr(`${file}: has no "lapsed" lists (write it with accessctl synth --expiry RECORD --affected ${file})\n`);
    return null;
  }
  return lapsed as Record<string, string[]>;
}

function parseLimit(v: string | undefined): RevokeLimit {
  if (v === undefined) return DEFAULT_REVOKE_LIMIT;
  const m = /^([0-9]{1,7})(%?)$/.exec(v);
  if (!m || (m[2] === '%' && Number(m[1]) > 100)) throw new UsageError(`--max-revoke takes a count (25) or a percentage up to 100 (10%), not "${v}"`);
  return m[2] === '%' ? { kind: 'percent', value: Number(m[1]) } : { kind: 'count', value: Number(m[1]) };
}
