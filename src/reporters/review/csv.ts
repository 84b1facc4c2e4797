import { csvLine } from '../csv';
import { sensitiveCell } from './sensitive';
import type { ReviewMember, ReviewSheet } from './types';

export function formatReviewCsv(s: ReviewSheet): string {
  const lines = [
    csvLine(
      [
        'group',
        'owners',
        'member',
        'since',
        'sinceCommit',
        'sincePr',
        'lastChange',
        'lastChangeCommit',
        'lastChangePr',
        'expires',
        'reason',
        'breakGlass',
        'expired',
        'sensitiveActions',
        ...(s.usage ? ['lastUsed', 'unusedDays', 'unused'] : []),
        'decision',
      ],
    ),
  ];
  for (const g of s.groups) {
    for (const m of g.members) {
      lines.push(
        csvLine(
          [
            g.name,
            g.owners.join(';'),
            m.user,
            m.since.date,
            m.since.commit,
            m.since.pr === null ? '' : String(m.since.pr),
            m.lastChange.date,
            m.lastChange.commit,
            m.lastChange.pr === null ? '' : String(m.lastChange.pr),
            m.expires ?? '',
            m.reason ?? '',
            m.breakGlass ? 'yes' : '',
            m.expired ? 'yes' : '',
            sensitiveCell(g, m),
            ...(s.usage ? usageCells(m) : []),
            '',
          ],
        ),
      );
    }
  }
  return lines.join('');
}

/** With --usage: lastUsed (an ISO instant; empty when never used), unusedDays (empty when not known), unused (true or false). */
function usageCells(m: ReviewMember): string[] {
  const u = m.usage;
  if (u === undefined) return ['', '', 'false'];
  return [u.lastUsed ?? '', u.unusedDays === null ? '' : String(u.unusedDays), String(u.unused)];
}
