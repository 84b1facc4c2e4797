import type { Verdict } from '../../approvals/evaluate';
import { inertMarkers, sectionEnd, sectionStart } from '../../github/sticky-comment';
import { codeSpan, esc } from '../diff/markdown';

/** Marks the approvals section of the sticky pull-request comment, which the approvals workflow rewrites alone. */
export const APPROVALS_START = sectionStart('approvals');
export const APPROVALS_END = sectionEnd('approvals');

/** How much of the reason a "Not judged" section shows; the job log has all of it. */
const REASON_LINES = 20;
const REASON_LINE_LENGTH = 500;

/** A handle in a code span: named without notifying them on every update of the comment. */
const who = (text: string): string => esc(text).replace(
  /@\u200b([A-Za-z0-9][A-Za-z0-9-]*(?:\[bot\])?(?:\/[A-Za-z0-9._-]+)?)/g,
  (_, h: string) => `\`@${codeSpan(h.replace(/\\/g, ''))}\``,
);

/** The verdict as the approvals section of the sticky pull-request comment, between its markers. */
export function formatApprovalsMarkdown(v: Verdict): string {
  const out: string[] = [];
  const unmet = v.requirements.filter((r) => !r.met);
  if (v.met) {
    out.push(
      v.requirements.length === 0
        ? `**Approved**: no approval is required${v.breakGlass ? ' (break-glass)' : ''}.`
        : `**Approved**${v.breakGlass ? ' (break-glass)' : ''}: every requirement is met at \`${codeSpan(v.head.slice(0, 7))}\`.`,
    );
  } else {
    out.push(`**Not approved yet**: ${unmet.length} of ${v.requirements.length} requirement${v.requirements.length === 1 ? '' : 's'} missing at ` +
      `\`${codeSpan(v.head.slice(0, 7))}\`.`);
  }
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
  return approvalsSection(out);
}

/**
 * The approvals section when there is no verdict: the exit code, and the
 * reason (what the command wrote on stderr, which can quote the files) in a
 * code block that no line of it can close.
 */
export function formatApprovalsNotJudged(reason: string, code: number): string {
  const lines = reason.trim() === '' ? ['(no message: the job log may say more)'] : reason.trimEnd().split(/\r\n|[\r\n\u2028\u2029]/);
  const shown = lines.slice(0, REASON_LINES).map((l) => {
    const points = [...codeSpan(l)];
    return points.length > REASON_LINE_LENGTH ? `${points.slice(0, REASON_LINE_LENGTH).join('')}…` : points.join('');
  });
  const out = [`**Not judged**: accessctl approvals ended with exit code ${code}, without a verdict:`, '', '```text', ...shown, '```'];
  if (lines.length > shown.length) out.push('', `… and ${lines.length - shown.length} more lines: the job log has all of them.`);
  return approvalsSection(out);
}

/** Lines of Markdown between the markers of the approvals section, under its heading; nothing in them is a marker or opens an HTML comment. */
function approvalsSection(lines: readonly string[]): string {
  return `${[APPROVALS_START, '### Approvals', '', ...lines.map(inertMarkers), '', APPROVALS_END].join('\n')}\n`;
}
