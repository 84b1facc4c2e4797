import { codeSpan, esc } from '../diff/markdown';
import { expiryText } from './expiry';
import { SENSITIVE_LEAD } from './sensitive';
import { memberLastUsedText, unusedText, usageHeader } from '../../usage/rows';
import type { ReviewMember, ReviewSheet } from './types';

/** One section per group for its owners to tick: keep or remove each member. */
export function formatReviewMarkdown(s: ReviewSheet): string {
  const out = [
    '# Access review',
    '',
    `Generated ${s.generated}. For each member, the owners tick **keep** or **remove**; a removal is a pull request that deletes the entry.`,
    ...(s.usage ? ['', usageHeader({ ...s.usage, file: `\`${codeSpan(s.usage.file)}\`` })] : []),
  ];
  for (const g of s.groups) {
    out.push('', `## ${esc(g.name)}`, '');
    if (g.description) out.push(esc(g.description), '');
    out.push(
      `- Owners: ${g.owners.length > 0 ? g.owners.map(esc).join(', ') : '**none**'}`,
      `- Mode: ${esc(g.mode)}`,
      `- Gives: ${g.grants.length > 0 ? g.grants.map(esc).join('; ') : 'Okta only'}`,
      ...(g.sensitive.length > 0
        ? [`- ${SENSITIVE_LEAD}:`, ...g.sensitive.map((x) => `  - ${esc(x.permissionSet)}: ${x.actions.map((a) => `\`${codeSpan(a)}\``).join('; ') || 'none'}`)]
        : [`- ${SENSITIVE_LEAD}: none (Okta only)`]),
      '',
    );
    if (g.members.length === 0) {
      out.push('No members.');
      continue;
    }
    out.push(s.usage
      ? '| Member | Since | Last change | Expires | Last used | Unused | Reason | Keep | Remove |'
      : '| Member | Since | Last change | Expires | Reason | Keep | Remove |', `| --- | --- | --- | --- |${s.usage ? ' --- | --- |' : ''} --- | :---: | :---: |`);
    for (const m of g.members) {
      out.push(`| ${esc(m.user)} | ${m.since.date.slice(0, 10)} ${ref(s, m.since.commit, m.since.pr)} | ${m.lastChange.date.slice(0, 10)} ` +
          `${ref(s, m.lastChange.commit, m.lastChange.pr)} | ${expiryText(m)} |${usageCells(m)} ${esc(m.reason ?? '')} | [ ] | [ ] |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** With --usage: " LAST USED | **UNUSED** |" (the flag in bold, empty when not flagged); nothing without. */
function usageCells(m: ReviewMember): string {
  if (m.usage === undefined) return '';
  const flag = unusedText(m.usage);
  return ` ${memberLastUsedText(m.usage)} | ${flag === '' ? '' : `**${flag}**`} |`;
}

function ref(s: ReviewSheet, commit: string, pr: number | null): string {
  const c = s.repoUrl ? `[\`${commit.slice(0, 8)}\`](${s.repoUrl}/commit/${commit})` : `\`${commit.slice(0, 8)}\``;
  return pr === null ? `${c} (no PR)` : s.repoUrl ? `${c} [#${pr}](${s.repoUrl}/pull/${pr})` : `${c} #${pr}`;
}
