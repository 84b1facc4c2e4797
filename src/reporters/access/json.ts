import type { AccessRow } from '../../model/access';
import type { ProvisioningLine } from './types';

/** `{"access": [ACCESS…]}`, and with --user `"provisioning": [{user, provisioned, assignmentGroup, groups}]`. */
export function formatAccessJson(rows: readonly AccessRow[], provisioning?: readonly ProvisioningLine[]): string {
  return `${JSON.stringify({ access: rows.map(accessJson), ...(provisioning ? { provisioning } : {}) }, null, 2)}\n`;
}

/** The ACCESS shape scripts rely on: user, account, accountId, permissionSet, via, and expires when the access is temporary. */
export function accessJson(r: AccessRow): Record<string, unknown> {
  return {
    user: r.user,
    account: r.account,
    accountId: r.accountId,
    permissionSet: r.permissionSet,
    via: [...r.via],
    ...(r.expires !== undefined ? { expires: r.expires } : {}),
  };
}
