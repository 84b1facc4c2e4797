import { csvLine } from '../csv';
import { byText } from './text';
import type { WhoCanRow } from './types';
import { usageEventText } from '../../usage/rows';

/**
 * RFC 4180 CSV with a header; groups in `via` are joined with ";". With
 * who-can --action (rows carry a decision) the columns decision, by,
 * conditions and unknownPolicies follow (lists joined with ";"). With
 * --usage (rows carry their usage), lastUsed (an ISO instant, empty when
 * never used) and lastUsedEvent ("EVENTNAME EVENTID") come last.
 */
export function formatAccessCsv(rows: readonly WhoCanRow[]): string {
  const decided = rows.some((r) => r.decision !== undefined);
  const used = rows.some((r) => r.usage !== undefined);
  const head = ['user', 'account', 'accountId', 'permissionSet', 'via', 'expires'];
  if (decided) head.push('decision', 'by', 'conditions', 'unknownPolicies');
  if (used) head.push('lastUsed', 'lastUsedEvent');
  const lines = [csvLine(head)];
  for (const r of rows) {
    const cells = [r.user, r.account, r.accountId, r.permissionSet, r.via.join(';'), r.expires ?? ''];
    const d = r.decision;
    if (decided) cells.push(d?.decision ?? '', d?.by ? byText(d.by) : '', (d?.conditions ?? []).join(';'), (d?.unknownPolicies ?? []).join(';'));
    if (used) cells.push(r.usage?.lastUsed ?? '', r.usage ? usageEventText(r.usage) : '');
    lines.push(csvLine(cells));
  }
  return lines.join('');
}
