import { esc } from '../diff/markdown';
import { decisionOf, decisionWords } from './decision';
import { breakGlassSentence } from './summary';
import type { AuditReport } from './types';

export function formatAuditMarkdown(r: AuditReport): string {
  const range = [
    r.range.since ? `from ${r.range.since}` : '',
    r.range.until ? `until ${r.range.until}` : '',
  ].filter(Boolean).join(' ') || 'over the whole history';
  const out = [
    '# Access audit',
    '',
    `${r.events.length} ${r.question ? `event${r.events.length === 1 ? '' : 's'} in which someone became able, or stopped being able, to perform ` +
        `\`${r.question.action}\` on \`${r.question.resource}\`` : `access event${r.events.length === 1 ? '' : 's'}`} ${range}, from ${r.commits} commit${r.commits === 1 ? '' : 's'} that changed the ` +
        `access files. ${breakGlassSentence(r.events)}Generated ${r.generated}.`,
  ];
  if (r.directPushes.length > 0) {
    out.push(
      '',
      `## :warning: ${r.directPushes.length} change${r.directPushes.length === 1 ? '' : 's'} without a pull request`,
      '',
      '| Date | Commit | Author | Subject |',
      '| --- | --- | --- | --- |',
    );
    for (const d of r.directPushes) out.push(`| ${d.date} | ${commitLink(r, d.commit)} | ${esc(d.author)} | ${esc(d.subject)} |`);
  }
  if (r.unreadable.length > 0) {
    out.push(
      '',
      `## :warning: ${r.unreadable.length} commit${r.unreadable.length === 1 ? '' : 's'} whose access files did not validate`,
      '',
      'The access stayed as the previous readable commit left it.',
      '',
      '| Date | Commit | Author | First error |',
      '| --- | --- | --- | --- |',
    );
    for (const u of r.unreadable) out.push(`| ${u.date} | ${commitLink(r, u.commit)} | ${esc(u.author)} | ` +
        `${u.diagnostics[0] ? esc(`${u.diagnostics[0].file}:${u.diagnostics[0].line} ${u.diagnostics[0].code} ${u.diagnostics[0].message}`) : ''} |`);
  }
  out.push(
    '',
    '## Events',
    '',
    `| Date | Action | User | Account | Permission set | Via |${r.question ? ' Decision |' : ''} Commit | PR | Author |`,
    `| --- | --- | --- | --- | --- | --- |${r.question ? ' --- |' : ''} --- | --- | --- |`,
  );
  for (const e of r.events) {
    const d = decisionOf(e);
    const notes = [e.reason === 'expired' ? 'expired' : '', d?.cause === 'policy' ? 'policy change' : '', e.breakGlass ? 'break-glass' : ''].filter(Boolean);
    const action = notes.length > 0 ? `${e.action} (${notes.join(', ')})` : e.action;
    out.push(`| ${e.date} | ${action}${e.direct ? ' :warning:' : ''} | ${esc(e.user)} | ${esc(e.account)} \`${e.accountId}\` | ${esc(e.permissionSet)} | ` +
        `${esc(e.via.join(', '))} |${r.question ? ` ${d ? esc(decisionWords(d)) : ''} |` : ''} ${e.commit ? commitLink(r, e.commit) : ''} | ${e.pr === null ? '' : prLink(r, e.pr)} | ${esc(e.author ?? '')} |`);
  }
  return `${out.join('\n')}\n`;
}

function commitLink(r: AuditReport, commit: string): string {
  return r.repoUrl ? `[\`${commit.slice(0, 12)}\`](${r.repoUrl}/commit/${commit})` : `\`${commit.slice(0, 12)}\``;
}

function prLink(r: AuditReport, pr: number): string {
  return r.repoUrl ? `[#${pr}](${r.repoUrl}/pull/${pr})` : `#${pr}`;
}
