/**
 * Step 6: assignments, one per group, permission set and account, from the
 * grants of every group; and the IAM Identity Center limit on them.
 */
import { diag, cmp, type Diagnostic, type Position } from '../../diagnostics';
import { assignmentKey, type Assignment, type Group } from '../types';
import type { AccountIndex } from './accounts';

/** IAM Identity Center: groups one permission set may be assigned to in one account (not raisable). */
export const GROUPS_PER_PERMISSION_SET_PER_ACCOUNT = 100;

/** An assignment and every grant that makes it, by assignment key, in the order they were found. */
export type Assignments = Map<string, { a: Omit<Assignment, 'sources'>; sources: Position[] }>;

/** Adds the assignments of `group`'s grants; a grant that repeats an assignment adds its place to it. */
export function addAssignments(assignments: Assignments, group: Group, accounts: AccountIndex): void {
  for (const gr of group.grants) {
    for (const id of gr.accountIds) {
      const key = assignmentKey(group.name, gr.permissionSet, id);
      const existing = assignments.get(key);
      if (existing) existing.sources.push(gr.source);
      else {
        const a = { key, group: group.name, permissionSet: gr.permissionSet, accountId: id, accountName: accounts.byId.get(id)!.name };
        assignments.set(key, { a, sources: [gr.source] });
      }
    }
  }
}

/** The assignments of the model, sorted by key. */
export function assignmentList(assignments: Assignments): Assignment[] {
  return [...assignments.values()].map(({ a, sources }) => ({ ...a, sources })).sort((x, y) => cmp(x.key, y.key));
}

/**
 * IAM Identity Center assigns a permission set in one account to at most 100
 * groups (ACC102), across every grant of every group file. The error is at
 * the grant of the 101st group in name order.
 */
export function checkGroupsPerPermissionSet(assignments: Assignments): Diagnostic[] {
  const byPair = new Map<string, Array<{ a: Omit<Assignment, 'sources'>; at: Position }>>();
  for (const { a, sources } of assignments.values()) {
    const k = `${a.permissionSet}\u0000${a.accountId}`;
    const list = byPair.get(k);
    if (list) list.push({ a, at: sources[0]! });
    else byPair.set(k, [{ a, at: sources[0]! }]);
  }
  const out: Diagnostic[] = [];
  const max = GROUPS_PER_PERMISSION_SET_PER_ACCOUNT;
  for (const list of byPair.values()) {
    if (list.length <= max) continue;
    list.sort((x, y) => cmp(x.a.group, y.a.group));
    const { a, at } = list[max]!;
    out.push(diag('ACC102', at,
      `permission set "${a.permissionSet}" is assigned to ${list.length} groups in account ${a.accountName} (${a.accountId});`
        + ` IAM Identity Center allows at most ${max} groups per permission set in one account (group "${a.group}" is the ${max + 1}st in name order)`,
      'grant the permission set in this account to fewer groups:'
        + ' merge groups that need the same access, or use one shared group (AWS does not raise this quota)'));
  }
  return out;
}
