import type { PlanSummary } from '../../plan/summary';
import { esc } from '../diff/markdown';
import { sensitiveMarkdown } from '../diff/sensitive';
import { sign } from './text';

/** The plan section shares the PR comment with the diff, which names them all: a few lines here. */
export const PLAN_SENSITIVE_BUDGET = { lines: 20, names: 5 };

/** GitHub comment and step summary section; kept short by listing at most `maxLines` changes. */
export function formatPlanMarkdown(s: PlanSummary, maxLines = 300): string {
  const c = s.counts;
  const out = [`### Terraform plan: ${c.create} to create, ${c.update} to change, ${c.delete} to delete, ${c.replace} to replace`, ''];
  for (const r of s.rails) out.push(`- ${r.tripped ? (r.overridden ? ':large_orange_diamond: allowed' : ':x: **tripped**') : ':white_check_mark:'} ` +
      `\`${r.id}\`: ${esc(r.message)}`);
  if (!s.ok) out.push('', '**Blocked.** Fix the cause, or, for intended revocations and replacements, add the `accessctl/allow-revoke` label after review.');
  if (s.sensitive.length > 0) out.push('', ...sensitiveMarkdown(s.sensitive, PLAN_SENSITIVE_BUDGET, 'run `npx accessctl diff`'));
  if (s.pendingScimGroups.length > 0) out.push('', `Waiting for the SCIM push: ${s.pendingScimGroups.map(esc).join(', ')}.`);
  const words = s.items.flatMap((i) => i.words.map((w) => `- \`${sign(i.kind)}\` ${esc(w)} (${esc(i.plan)})`));
  if (words.length > 0) {
    out.push('', `<details><summary>Changes (${words.length})</summary>`, '', ...words.slice(0, maxLines));
    if (words.length > maxLines) out.push(`- … and ${words.length - maxLines} more: see the job log`);
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}
