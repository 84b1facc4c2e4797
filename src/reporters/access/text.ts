import type { AccessRow } from '../../model/access';
import { formatTable } from '../table';

export function formatAccessText(rows: readonly AccessRow[]): string {
  if (rows.length === 0) return 'no access matches\n';
  const table = formatTable(
    ['USER', 'ACCOUNT', 'ACCOUNT ID', 'PERMISSION SET', 'VIA', 'UNTIL'],
    rows.map((r) => [r.user, r.account, r.accountId, r.permissionSet, r.via.join(', '), r.expires ?? '']),
  );
  return `${table}${rows.length} row${rows.length === 1 ? '' : 's'}\n`;
}
