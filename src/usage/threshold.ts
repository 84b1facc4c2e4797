// How long access may go unused (issue 28): policy.yaml rules.unused-access
// `days` (default 90) and `highPrivilegeDays` for high-privilege permission
// sets (default 30), which review, unused and the unused-access guardrail
// all read from here. The rule's options are checked by its schema
// (src/guardrails/rules/unused-access.ts).

import type { AccessModel } from '../model/types';

export const DEFAULT_UNUSED_DAYS = 90;
export const DEFAULT_UNUSED_HIGH_PRIVILEGE_DAYS = 30;

export interface UnusedThresholds {
  readonly days: number;
  readonly highPrivilegeDays: number;
}

/** The thresholds in force for a model (the defaults when policy.yaml does not set them, or turns the rule off). */
export function unusedThresholds(model: Pick<AccessModel, 'policy'>): UnusedThresholds {
  const s = model.policy.rules['unused-access'];
  const o = s !== null && typeof s === 'object' ? (s as Record<string, unknown>) : {};
  const days = typeof o.days === 'number' ? o.days : DEFAULT_UNUSED_DAYS;
  const high = typeof o.highPrivilegeDays === 'number' ? o.highPrivilegeDays : Math.min(days, DEFAULT_UNUSED_HIGH_PRIVILEGE_DAYS);
  return { days, highPrivilegeDays: high };
}
