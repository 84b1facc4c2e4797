import type { AccessRow } from '../../model/access';
import { formatTable } from '../table';
import type { ProvisioningLine } from './types';

export function formatAccessText(rows: readonly AccessRow[], provisioning: readonly ProvisioningLine[] = []): string {
  const lines = provisioning.map((p) => p.provisioned
    ? `${p.user}: has an AWS IAM Identity Center user (SCIM), as a member of ${p.assignmentGroup} through ${p.groups.join(', ')}\n`
    : `${p.user}: no AWS IAM Identity Center user: in no group pushed to AWS, so not in ${p.assignmentGroup} (SCIM deactivates a user who leaves it)\n`).join('');
  return `${formatRows(rows)}${lines}`;
}

function formatRows(rows: readonly AccessRow[]): string {
  if (rows.length === 0) return 'no access matches\n';
  const table = formatTable(
    ['USER', 'ACCOUNT', 'ACCOUNT ID', 'PERMISSION SET', 'VIA', 'UNTIL'],
    rows.map((r) => [r.user, r.account, r.accountId, r.permissionSet, r.via.join(', '), r.expires ?? '']),
  );
  return `${table}${rows.length} row${rows.length === 1 ? '' : 's'}\n`;
}
