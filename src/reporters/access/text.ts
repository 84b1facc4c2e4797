import { formatTable } from '../table';
import { lastUsedText } from '../../usage/rows';
import type { ProvisioningLine, RowDecision, WhoCanRow } from './types';

export function formatAccessText(rows: readonly WhoCanRow[], provisioning: readonly ProvisioningLine[] = []): string {
  const lines = provisioning.map((p) => p.provisioned
    ? `${p.user}: has an AWS IAM Identity Center user (SCIM), as a member of ${p.assignmentGroup} through ${p.groups.join(', ')}\n`
    : `${p.user}: no AWS IAM Identity Center user: in no group pushed to AWS, so not in ${p.assignmentGroup} (SCIM deactivates a user who leaves it)\n`).join('');
  return `${formatRows(rows)}${lines}`;
}

/** "POLICY statement N", with the Sid in parentheses when there is one. */
export function byText(by: NonNullable<RowDecision['by']>): string {
  return `${by.policy} statement ${by.statement}${by.sid !== undefined ? ` (${by.sid})` : ''}`;
}

/** The DECISION cell: "allowed by P statement N", "conditional by … if K, K", "unknown: depends on P, P". */
function decisionText(d: RowDecision): string {
  const parts: string[] = [d.decision];
  if (d.by !== undefined) parts.push(`by ${byText(d.by)}`);
  if (d.conditions !== undefined && d.conditions.length > 0) parts.push(`if ${d.conditions.join(', ')}`);
  if (d.unknownPolicies !== undefined && d.unknownPolicies.length > 0) parts.push(`${d.decision === 'unknown' ? 'depends on' : 'unless denied by'} ${d.unknownPolicies.join(', ')}`);
  return parts.join(' ');
}

function formatRows(rows: readonly WhoCanRow[]): string {
  if (rows.length === 0) return 'no access matches\n';
  const decided = rows.some((r) => r.decision !== undefined);
  const used = rows.some((r) => r.usage !== undefined);
  const head = ['USER', 'ACCOUNT', 'ACCOUNT ID', 'PERMISSION SET', 'VIA', 'UNTIL'];
  if (decided) head.push('DECISION');
  if (used) head.push('LAST USED');
  const table = formatTable(
    head,
    rows.map((r) => {
      const cells = [r.user, r.account, r.accountId, r.permissionSet, r.via.join(', '), r.expires ?? ''];
      if (decided) cells.push(r.decision ? decisionText(r.decision) : '');
      if (used) cells.push(r.usage ? lastUsedText(r.usage) : '');
      return cells;
    }),
  );
  return `${table}${rows.length} row${rows.length === 1 ? '' : 's'}\n`;
}
