import type { Verdict } from '../../approvals/evaluate';

/** The verdict in plain lines: what is met, what is missing, which reviews do not count. */
export function formatApprovalsText(v: Verdict): string {
  const out: string[] = [];
  const unmet = v.requirements.filter((r) => !r.met);
  out.push(v.met ? `pull request #${v.pr}: approvals met${v.breakGlass ? ' (break-glass)' : ''}` : `pull request #${v.pr}: not approved yet: ` +
      `${unmet.length} of ${v.requirements.length} requirement${v.requirements.length === 1 ? '' : 's'} missing`);
  for (const r of v.requirements) {
    out.push(r.met ? `  met      ${r.who}: approved by ${r.approvedBy.map((h) => `@${h}`).join(', ')}` : `  missing  ${r.who}: ${r.missing} (${r.why})`);
  }
  if (v.requirements.length === 0) out.push('  no approval is required');
  const refused = v.reviews.filter((r) => !r.counted);
  if (refused.length > 0) {
    out.push('not counted:');
    for (const r of refused) out.push(`  ${r.reason}`);
  }
  for (const n of v.notes) out.push(`note: ${n}`);
  return `${out.join('\n')}\n`;
}
