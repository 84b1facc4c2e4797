import { diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics';
import { runGuardrails, type WaivedFinding } from './guardrails/run';
import { readAccessDir, type SourceFile } from './load/source';
import { loadAccessModel } from './model/load';
import type { AccessModel } from './model/types';
import { ruleAwareValidator } from './policy-schema';
import type { SchemaValidator } from './schema/validate';
import { dayOf } from './util/dates';

export interface CheckResult {
  /** Present when the files load and resolve; guardrail errors may still be among the diagnostics. */
  readonly model?: AccessModel;
  /** Sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  readonly waived: readonly WaivedFinding[];
  /** The files read, for callers that compare revisions. */
  readonly sources: readonly SourceFile[];
}

export interface CheckOptions {
  readonly today: string;
  /** The compiled schemas; by default a new one whose policy schema knows every rule (the check runs the rules). */
  readonly validator?: SchemaValidator;
  /** Deep-freeze the model (default true). validate, which only reports, skips it. */
  readonly freeze?: boolean;
}

/** The whole check: load -> validate -> resolve -> guardrails, for a directory on disk. */
export function checkAccessDir(dir: string, cwd: string, options: CheckOptions): CheckResult {
  const read = readAccessDir(dir, cwd);
  if (read.diagnostics.some((d) => d.code === 'ACC005')) return { diagnostics: read.diagnostics, waived: [], sources: [] };
  const result = checkSources(read.sources, { ...options, dirLabel: dir });
  return { ...result, diagnostics: sortDiagnostics([...read.diagnostics, ...result.diagnostics]) };
}

/** The whole check over files given as bytes. Guardrails run only on a model that resolved without error. */
export function checkSources(sources: readonly SourceFile[], options: CheckOptions & { dirLabel?: string }): CheckResult {
  const loaded = loadAccessModel(
    sources,
    {
      validator: options.validator ?? ruleAwareValidator(),
      ...(options.dirLabel ? { dirLabel: options.dirLabel } : {}),
      ...(options.freeze !== undefined ? { freeze: options.freeze } : {}),
    },
  );
  if (!loaded.model || hasErrors(loaded.diagnostics)) return { diagnostics: loaded.diagnostics, waived: [], sources };
  const guardrails = runGuardrails(loaded.model, options.today);
  return {
    model: loaded.model,
    diagnostics: sortDiagnostics([...loaded.diagnostics, ...futureDays(loaded.model, options.today), ...guardrails.diagnostics]),
    waived: guardrails.waived,
    sources,
  };
}

/**
 * Days in the files that cannot lie after today (ACC114), checked whatever
 * policy.yaml says: a SCIM token issued "in the future" would keep guardrail
 * scim-token-age quiet until long after the real token expired.
 */
function futureDays(model: AccessModel, today: string): Diagnostic[] {
  return model.settings.okta.apps.flatMap((app) =>
    app.kind === 'aws' && app.scim !== undefined && app.scim.tokenIssued > dayOf(today)
      ? [diag('ACC114', app.scim.tokenIssuedSource, `the SCIM token of the AWS app "${app.key}" is issued ${app.scim.tokenIssued}, after today ` +
          `(${dayOf(today)}, UTC): scim-token-age would not warn before it expires`, 'write the day the token in OKTA_AWS_SCIM_TOKEN was generated, as a ' +
              'UTC date no later than today')]
      : []);
}
