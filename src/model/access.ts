import { cmp } from '../diagnostics';
import { foldLogin } from './logins';
import type { AccessModel, Member } from './types';

/** One row of effective access: a person holds a permission set on an account through groups. */
export interface AccessRow {
  readonly user: string;
  readonly account: string;
  readonly accountId: string;
  readonly permissionSet: string;
  /** The groups that give it, sorted. */
  readonly via: readonly string[];
  /** The last day of the access when every membership behind it is temporary (the latest of their dates). */
  readonly expires?: string;
}

/** "YYYY-MM-DD" of an instant, in UTC: expiry dates are compared as UTC calendar days. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** A member counts until the end of their `expires` day; from the day after, they have no access. */
export function isActive(member: Member, today: string): boolean {
  return member.expires === undefined || member.expires >= today;
}

/**
 * Every (user, account, permission set) that active group members hold,
 * sorted by user, account name and permission set. People are compared by
 * their folded login and shown as people.yaml spells them, else as the
 * first spelling in sort order.
 */
export function effectiveAccess(model: AccessModel, today: string): AccessRow[] {
  const display = new Map<string, string>();
  for (const g of model.groups) {
    for (const m of g.members) {
      const cur = display.get(m.key);
      if (cur === undefined || cmp(m.login, cur) < 0) display.set(m.key, m.login);
    }
  }
  for (const p of model.people) display.set(foldLogin(p.login), p.login);
  const groups = new Map(model.groups.map((g) => [g.name, g]));
  const rows = new Map<string, { user: string; account: string; accountId: string; permissionSet: string; via: Set<string>; expires: string[]; permanent: boolean }>();
  for (const a of model.assignments) {
    const group = groups.get(a.group)!;
    for (const m of group.members) {
      if (!isActive(m, today)) continue;
      const k = `${m.key}|${a.accountId}|${a.permissionSet}`;
      const row = rows.get(k) ?? { user: m.key, account: a.accountName, accountId: a.accountId, permissionSet: a.permissionSet, via: new Set<string>(), expires: [], permanent: false };
      rows.set(k, row);
      row.via.add(a.group);
      if (m.expires === undefined) row.permanent = true;
      else row.expires.push(m.expires);
    }
  }
  return [...rows.values()]
    .map((r): AccessRow => ({
      user: display.get(r.user)!,
      account: r.account,
      accountId: r.accountId,
      permissionSet: r.permissionSet,
      via: [...r.via].sort(cmp),
      ...(r.permanent ? {} : { expires: r.expires.sort(cmp)[r.expires.length - 1] }),
    }))
    .sort((x, y) => cmp(foldLogin(x.user), foldLogin(y.user)) || cmp(x.account, y.account) || cmp(x.permissionSet, y.permissionSet));
}
