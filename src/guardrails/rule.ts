import type { Severity } from '../diagnostics';
import type { AccessModel, Source } from '../model/types';

/** One thing a rule objects to. `subject` names it stably, so a waiver can name it too. */
export interface Finding {
  readonly subject: string;
  readonly message: string;
  readonly at: Source;
  /** Overrides the rule's severity for this finding (a lint rule may mix errors and warnings). */
  readonly severity?: Severity;
  readonly hint?: string;
}

export interface RuleContext<O> {
  /** The rule's options: its defaults merged with policy.yaml. */
  readonly options: O;
  /** YYYY-MM-DD, UTC. */
  readonly today: string;
}

/** A guardrail: one file under src/guardrails/rules/, named after its id. */
export interface Rule<O = unknown> {
  readonly id: string;
  readonly title: string;
  /** error blocks validate, synth and CI; warning is reported. policy.yaml may override it. */
  readonly severity: Severity;
  /** Why the rule exists. */
  readonly rationale: string;
  /** What to do about a finding. */
  readonly remediation: string;
  /** JSON Schema (draft 2020-12) of the rule's options in policy.yaml, `properties` only. */
  readonly options: RuleOptionsSchema;
  readonly defaults: O;
  /** Pure: reads the model, returns findings, never throws on purpose (a throw is reported as an error). */
  check(model: AccessModel, context: RuleContext<O>): Finding[];
}

export interface RuleOptionsSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, unknown>>;
  readonly additionalProperties?: unknown;
}

/**
 * Declares a rule. Rules with options declare the schema `as const` and pass
 * `Required<FromSchema<typeof OPTIONS>>` as O, so the options type cannot
 * drift from what policy.yaml is validated against.
 */
export function defineRule<O>(rule: Rule<O>): Rule<O> {
  return rule;
}
