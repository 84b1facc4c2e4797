import { csvLine } from '../csv';
import { decisionCells } from './decision';
import type { AuditReport } from './types';

export function formatAuditCsv(r: AuditReport): string {
  const lines = [
    csvLine(
      [
        'date',
        'action',
        'reason',
        'user',
        'account',
        'accountId',
        'permissionSet',
        'via',
        'expires',
        'commit',
        'pr',
        'author',
        'committer',
        'directPush',
        'breakGlass',
        ...(r.question ? ['decision', 'by', 'conditions', 'unknownPolicies', 'cause'] : []),
      ],
    ),
  ];
  for (const e of r.events) {
    lines.push(
      csvLine(
        [
          e.date,
          e.action,
          e.reason,
          e.user,
          e.account,
          e.accountId,
          e.permissionSet,
          e.via.join(';'),
          e.expires ?? '',
          e.commit ?? '',
          e.pr === null ? '' : String(e.pr),
          e.author ?? '',
          e.committer ?? '',
          e.direct ? 'yes' : '',
          e.breakGlass ? 'yes' : '',
          ...(r.question ? decisionCells(e) : []),
        ],
      ),
    );
  }
  return lines.join('');
}
