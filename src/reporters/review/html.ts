import { expiryText, isMarked } from './expiry';
import { SENSITIVE_LEAD, sensitiveLine } from './sensitive';
import { memberLastUsedText, unusedText, usageHeader } from '../../usage/rows';
import type { ReviewMember, ReviewSheet } from './types';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A printable, self-contained review sheet: one table per group. */
export function formatReviewHtml(s: ReviewSheet): string {
  const sections = s.groups.map((g) => {
    const rows = unusedFirst(g.members)
      .map((m) => `<tr><td>${escape(m.user)}</td><td>${m.since.date.slice(0, 10)} ` +
          `<code>${m.since.commit.slice(0, 8)}</code>${m.since.pr === null ? ' (no PR)' : ` #${m.since.pr}`}</td><td>${m.lastChange.date.slice(0, 10)} ` +
          `<code>${m.lastChange.commit.slice(0, 8)}</code></td><td${isMarked(m) ? ' class="mark"' : ''}>${escape(expiryText(m))}</td>${usageCells(m)}<td>${escape(m.reason ?? '')}</td><td>&#9744; ` +
          `keep &#9744; remove</td></tr>`)
      .join('\n');
    return `<section><h2>${escape(g.name)}</h2>${g.description ? `<p>${escape(g.description)}</p>` : ''}
<p>Owners: ${g.owners.length > 0
  ? g.owners.map(escape).join(', ')
  : '<strong>none</strong>'} &middot; mode ${escape(g.mode)} &middot; gives ${g.grants.length > 0 ? g.grants.map(escape).join('; ') : 'Okta only'}</p>
${g.sensitive.length > 0
  ? `<p>${SENSITIVE_LEAD}:</p><ul class="sensitive">${g.sensitive.map((x) => `<li>${escape(sensitiveLine(x))}</li>`).join('')}</ul>`
  : `<p>${SENSITIVE_LEAD}: none (Okta only)</p>`}
${g.members.length > 0 ? `<table><thead><tr><th>Member</th><th>Since</th><th>Last ` +
    `change</th><th>Expires</th>${s.usage ? '<th>Last used</th><th>Unused</th>' : ''}<th>Reason</th><th>Decision</th></tr></thead><tbody>\n` +
    `${rows}\n</tbody></table>` : '<p>No members.</p>'}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Access review</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px}table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}th{background:#f6f8fa}section{page-break-inside:avoid;margin-bottom:24px}.mark{font-weight:600;color:#bc4c00}</style>
</head><body><h1>Access review</h1><p>Generated ${escape(s.generated)}.</p>${s.usage ? `<p>${escape(usageHeader(s.usage))}</p>` : ''}
${sections.join('\n')}
</body></html>
`;
}

/** With --usage, the members unused past their threshold first (each part in its order); as they are without. */
function unusedFirst(members: readonly ReviewMember[]): ReviewMember[] {
  return [...members.filter((m) => m.usage?.unused === true), ...members.filter((m) => m.usage?.unused !== true)];
}

/** With --usage: the last use, and the unused flag (marked); nothing without. */
function usageCells(m: ReviewMember): string {
  if (m.usage === undefined) return '';
  const flag = unusedText(m.usage);
  return `<td>${escape(memberLastUsedText(m.usage))}</td><td${flag === '' ? '' : ' class="mark"'}>${escape(flag)}</td>`;
}
