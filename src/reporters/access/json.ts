import type { AccessRow } from '../../model/access';
import type { ProvisioningLine, WhoCanRow } from './types';

/**
 * `{"access": [ACCESS…]}`, and with --user `"provisioning": [{user, provisioned, assignmentGroup, groups}]`.
 * With --action each row also has `decision`, `by` ({policy, statement, sid?} or null),
 * `conditions` and `unknownPolicies` (arrays, possibly empty); with --usage, then `lastUsed` (an ISO instant or null) and
 * `lastUsedEvent` ({eventId, eventName} or null). Plain who-can rows keep exactly the ACCESS shape.
 */
export function formatAccessJson(rows: readonly WhoCanRow[], provisioning?: readonly ProvisioningLine[]): string {
  return `${JSON.stringify({ access: rows.map(whoCanJson), ...(provisioning ? { provisioning } : {}) }, null, 2)}\n`;
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

/** ACCESS, then with --action: decision, by, conditions, unknownPolicies; then with --usage: lastUsed, lastUsedEvent. */
function whoCanJson(r: WhoCanRow): Record<string, unknown> {
  const d = r.decision;
  const u = r.usage;
  return {
    ...accessJson(r),
    ...(d !== undefined
      ? { decision: d.decision, by: d.by !== undefined ? { ...d.by } : null, conditions: [...(d.conditions ?? [])], unknownPolicies: [...(d.unknownPolicies ?? [])] }
      : {}),
    ...(u !== undefined ? { lastUsed: u.lastUsed, lastUsedEvent: u.event !== null ? { ...u.event } : null } : {}),
  };
}
