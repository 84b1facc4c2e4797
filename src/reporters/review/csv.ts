import { csvLine } from '../csv';
import { sensitiveCell } from './sensitive';
import type { ReviewSheet } from './types';

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
            '',
          ],
        ),
      );
    }
  }
  return lines.join('');
}
