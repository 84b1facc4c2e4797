import type { ActionDecisionFields } from '../../audit/lens';
import type { AuditEvent } from '../../audit/walk';
import { byText } from '../access/text';

/** The audit --action fields of an event, or undefined for a plain audit event. */
export function decisionOf(e: AuditEvent): ActionDecisionFields | undefined {
  return 'decision' in e ? (e as AuditEvent & ActionDecisionFields) : undefined;
}

/** The decision of an audit --action event in words: "allowed by inline statement 0 (Sid)", "conditional by … if K", "unknown depends on P". */
export function decisionWords(d: ActionDecisionFields): string {
  const parts: string[] = [d.decision];
  if (d.by !== null) parts.push(`by ${byText(d.by)}`);
  if (d.conditions.length > 0) parts.push(`if ${d.conditions.join(', ')}`);
  if (d.unknownPolicies.length > 0) parts.push(`${d.decision === 'unknown' ? 'depends on' : 'unless denied by'} ${d.unknownPolicies.join(', ')}`);
  return parts.join(' ');
}

/** The csv cells of an event's decision: decision, by, conditions, unknownPolicies, cause. */
export function decisionCells(e: AuditEvent): string[] {
  const d = decisionOf(e);
  if (!d) return ['', '', '', '', ''];
  return [d.decision, d.by === null ? '' : byText(d.by), d.conditions.join(';'), d.unknownPolicies.join(';'), d.cause];
}
