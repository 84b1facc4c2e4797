import type { Verdict } from '../../approvals/evaluate';
import { codeSpan, esc } from '../diff/markdown';

/** Marks the approvals section of the sticky pull-request comment, which the approvals workflow rewrites alone. */
export const APPROVALS_START = '<!-- accessctl:approvals -->';
export const APPROVALS_END = '<!-- /accessctl:approvals -->';

/** A handle in a code span: named without notifying them on every update of the comment. */
const who = (text: string): string => esc(text).replace(/@\u200b([A-Za-z0-9][A-Za-z0-9-]*(?:\[bot\])?(?:\/[A-Za-z0-9._-]+)?)/g, (_, h: string) => `\`@${codeSpan(h.replace(/\\/g, ''))}\``);

/** The verdict as the approvals section of the sticky pull-request comment, between its markers. */
export function formatApprovalsMarkdown(v: Verdict): string {
  const out: string[] = [APPROVALS_START, '### Approvals', ''];
  const unmet = v.requirements.filter((r) => !r.met);
  if (v.met) out.push(v.requirements.length === 0 ? `**Approved**: no approval is required${v.breakGlass ? ' (break-glass)' : ''}.` : `**Approved**${v.breakGlass ? ' (break-glass)' : ''}: every requirement is met at \`${codeSpan(v.head.slice(0, 7))}\`.`);
  else out.push(`**Not approved yet**: ${unmet.length} of ${v.requirements.length} requirement${v.requirements.length === 1 ? '' : 's'} missing at \`${codeSpan(v.head.slice(0, 7))}\`.`);
  if (v.requirements.length > 0) {
    out.push('', '| | who | why | state |', '| --- | --- | --- | --- |');
    for (const r of v.requirements) {
      const state = r.met ? `approved by ${r.approvedBy.map((h) => `\`@${codeSpan(h)}\``).join(', ')}` : who(r.missing ?? '');
      out.push(`| ${r.met ? '✅' : '❌'} | ${who(r.who)} | ${who(r.why)} | ${state} |`);
    }
  }
  const refused = v.reviews.filter((r) => !r.counted);
  if (refused.length > 0) {
    out.push('', 'Not counted:', '');
    for (const r of refused) out.push(`- ${who(r.reason ?? '')}`);
  }
  if (v.notes.length > 0) {
    out.push('');
    for (const n of v.notes) out.push(`> ${who(n)}`);
  }
  out.push('', APPROVALS_END);
  return `${out.join('\n')}\n`;
}
