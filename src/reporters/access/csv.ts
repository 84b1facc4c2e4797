import type { AccessRow } from '../../model/access';
import { csvLine } from '../csv';

/** RFC 4180 CSV with a header; groups in `via` are joined with ";". */
export function formatAccessCsv(rows: readonly AccessRow[]): string {
  const lines = [csvLine(['user', 'account', 'accountId', 'permissionSet', 'via', 'expires'])];
  for (const r of rows) lines.push(csvLine([r.user, r.account, r.accountId, r.permissionSet, r.via.join(';'), r.expires ?? '']));
  return lines.join('');
}
