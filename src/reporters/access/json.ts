import type { AccessRow } from '../../model/access';

/** `{"access": [{"user","account","accountId","permissionSet","via"}…]}` */
export function formatAccessJson(rows: readonly AccessRow[]): string {
  const access = rows.map((r) => ({ user: r.user, account: r.account, accountId: r.accountId, permissionSet: r.permissionSet, via: [...r.via] }));
  return `${JSON.stringify({ access }, null, 2)}\n`;
}
