import { SENSITIVE_RISK_NAMES } from '../../diff/diff';
import { sensitiveWords } from '../../diff/sensitive';
import type { PlanSummary } from '../../plan/summary';

/** The plan in words, per plan file, then the rails with their verdicts. */
export function formatPlanText(s: PlanSummary): string {
  const c = s.counts;
  const lines = [`terraform plan (${s.plans.join(', ')}): ${c.create} to create, ${c.update} to change, ${c.delete} to delete, ${c.replace} to replace`];
  let plan = '';
  for (const i of s.items) {
    if (i.plan !== plan) lines.push(`${(plan = i.plan)}:`);
    for (const w of i.words) lines.push(`  ${sign(i.kind)} ${w}`);
  }
  for (const c of s.sensitive) lines.push(`  ! sensitive-actions: ${sensitiveWords(c, SENSITIVE_RISK_NAMES)}`);
  if (s.pendingScimGroups.length > 0) lines.push(`waiting for the SCIM push: ${s.pendingScimGroups.join(', ')} (their assignments are planned once AWS has ` +
      `them)`);
  lines.push('safety rails:');
  for (const r of s.rails) lines.push(`  ${r.tripped ? (r.overridden ? 'ALLOWED' : 'TRIPPED') : 'ok'} ${r.id}: ${r.message}`);
  lines.push(s.ok ? 'plan-summary: ok' : 'plan-summary: blocked (see the tripped rails; --allow-revoke accepts intended revocations and replacements)');
  return `${lines.join('\n')}\n`;
}

export function sign(kind: string): string {
  return kind === 'create' ? '+' : kind === 'delete' ? '-' : kind === 'replace' ? '!' : '~';
}
