// Sensitive actions (issue 27): the IAM actions whose gain or loss diff,
// plan-summary, permissions and review name, from policy.yaml
// sensitiveActions or the default list below. A pattern (iam:Create*) is
// expanded through the shipped action catalogue, and each action is asked of
// the evaluator on some resource: a PassRole scoped to a few roles is still
// PassRole.

import { expandActions } from '../aws/action-catalogue';
import type { AccessModel, PermissionSet } from '../model/types';
import { evaluate, type DecisionKind, type EvaluationOptions, type PermissionSetPolicies } from './evaluate';
import { policiesOf } from './permission-set';

/** The default: passing roles, creating IAM principals and keys, decrypting, reading objects, assuming roles, the organization. */
export const DEFAULT_SENSITIVE_ACTIONS: readonly string[] = [
  'iam:PassRole', 'iam:Create*', 'kms:Decrypt', 's3:GetObject', 'sts:AssumeRole', 'organizations:*',
];

/** The patterns in force for a model: policy.yaml sensitiveActions, else the default. */
export function sensitivePatterns(model: Pick<AccessModel, 'policy'>): readonly string[] {
  return model.policy.sensitiveActions?.actions ?? DEFAULT_SENSITIVE_ACTIONS;
}

export type HeldDecision = Extract<DecisionKind, 'allowed' | 'conditional' | 'unknown'>;

/** One sensitive pattern a permission set can perform (some of it, on some resource). */
export interface SensitiveHit {
  readonly pattern: string;
  /** The catalogue's actions of the pattern that are allowed, conditional or unknown, sorted. */
  readonly actions: readonly string[];
  /** How many actions the pattern names in the catalogue. */
  readonly total: number;
  /** The strongest answer among them: allowed over conditional over unknown. */
  readonly decision: HeldDecision;
}

const RANK: Record<HeldDecision, number> = { allowed: 0, conditional: 1, unknown: 2 };

/** The sensitive patterns a permission set's policies can perform, in pattern order; patterns it cannot perform are left out. */
export function sensitiveHits(policies: PermissionSetPolicies, patterns: readonly string[], options: EvaluationOptions = {}): SensitiveHit[] {
  const out: SensitiveHit[] = [];
  for (const pattern of patterns) {
    const actions = expandActions(pattern);
    const held: string[] = [];
    let best: HeldDecision | undefined;
    for (const a of actions) {
      const d = evaluate({ action: a.action, someResource: true }, policies, options).decision;
      if (d !== 'allowed' && d !== 'conditional' && d !== 'unknown') continue;
      held.push(a.action);
      if (best === undefined || RANK[d] < RANK[best]) best = d;
    }
    if (best !== undefined) out.push({ pattern, actions: held, total: actions.length, decision: best });
  }
  return out;
}

/** A hit in a few words: the pattern, with "(3 of 14)" when only some of its actions are held and ", conditional"/", unknown" when not plainly allowed. */
export function sensitiveLabel(hit: SensitiveHit): string {
  const part = hit.actions.length < hit.total && hit.total > 1 ? ` (${hit.actions.length} of ${hit.total})` : '';
  const how = hit.decision === 'allowed' ? '' : `, ${hit.decision}`;
  return `${hit.pattern}${part}${how}`;
}

/** Sensitive hits per permission set of a model, computed once per permission set on first ask. */
export class SensitiveIndex {
  private readonly byName: Map<string, PermissionSet>;
  private readonly cache = new Map<string, readonly SensitiveHit[]>();
  readonly patterns: readonly string[];

  constructor(model: Pick<AccessModel, 'permissionSets' | 'policy'>, patterns?: readonly string[], private readonly options: EvaluationOptions = {}) {
    this.byName = new Map(model.permissionSets.map((p) => [p.name, p]));
    this.patterns = patterns ?? sensitivePatterns(model);
  }

  /** The hits of a permission set by name; empty for a name the model does not have. */
  of(permissionSet: string): readonly SensitiveHit[] {
    let hits = this.cache.get(permissionSet);
    if (hits === undefined) {
      const ps = this.byName.get(permissionSet);
      hits = ps === undefined ? [] : sensitiveHits(policiesOf(ps), this.patterns, this.options);
      this.cache.set(permissionSet, hits);
    }
    return hits;
  }
}
