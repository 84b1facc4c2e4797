import { csvLine } from '../csv';
import { byText } from './text';
import type { WhoCanRow } from './types';

/**
 * RFC 4180 CSV with a header; groups in `via` are joined with ";". With
 * who-can --action (rows carry a decision) the columns decision, by,
 * conditions and unknownPolicies follow (lists joined with ";").
 */
export function formatAccessCsv(rows: readonly WhoCanRow[]): string {
  const decided = rows.some((r) => r.decision !== undefined);
  const head = ['user', 'account', 'accountId', 'permissionSet', 'via', 'expires'];
  const lines = [csvLine(decided ? [...head, 'decision', 'by', 'conditions', 'unknownPolicies'] : head)];
  for (const r of rows) {
    const cells = [r.user, r.account, r.accountId, r.permissionSet, r.via.join(';'), r.expires ?? ''];
    const d = r.decision;
    if (decided) cells.push(d?.decision ?? '', d?.by ? byText(d.by) : '', (d?.conditions ?? []).join(';'), (d?.unknownPolicies ?? []).join(';'));
    lines.push(csvLine(cells));
  }
  return lines.join('');
}
