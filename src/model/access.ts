import { cmp } from '../diagnostics';
import { stillActive } from '../util/dates';
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

/**
 * A member counts until the end of their `expires` day (or, for a UTC time,
 * until that minute); from then on they have no access. `at` is a day or an instant.
 */
export function isActive(member: Member, at: string): boolean {
  return member.expires === undefined || stillActive(member.expires, at);
}

/** Restricts effectiveAccess to some rows before they are built (every set given must contain the row's value). */
export interface AccessScope {
  /** Folded logins. */
  readonly users?: ReadonlySet<string>;
  readonly accountIds?: ReadonlySet<string>;
  readonly permissionSets?: ReadonlySet<string>;
  /** "accountId|permissionSet" */
  readonly targets?: ReadonlySet<string>;
}

/**
 * Every (user, account, permission set) that active group members hold,
 * sorted by user, account name and permission set. People are compared by
 * their folded login and shown as people.yaml spells them, else as the
 * first spelling in sort order. A scope leaves out the rows outside it
 * without building them; `via` still names every group that gives a row.
 */
export function effectiveAccess(model: AccessModel, today: string, scope: AccessScope = {}): AccessRow[] {
  const display = new Map<string, string>();
  for (const g of model.groups) {
    for (const m of g.members) {
      const cur = display.get(m.key);
      if (cur === undefined || cmp(m.login, cur) < 0) display.set(m.key, m.login);
    }
  }
  for (const p of model.people) display.set(foldLogin(p.login), p.login);
  const groups = new Map(model.groups.map((g) => [g.name, g]));
  const rows = new Map<string, {
    user: string;
    account: string;
    accountId: string;
    permissionSet: string;
    via: Set<string>;
    expires: string[];
    permanent: boolean;
  }>();
  for (const a of model.assignments) {
    if (scope.accountIds && !scope.accountIds.has(a.accountId)) continue;
    if (scope.permissionSets && !scope.permissionSets.has(a.permissionSet)) continue;
    if (scope.targets && !scope.targets.has(`${a.accountId}|${a.permissionSet}`)) continue;
    const group = groups.get(a.group)!;
    for (const m of group.members) {
      if (scope.users && !scope.users.has(m.key)) continue;
      if (!isActive(m, today)) continue;
      const k = `${m.key}|${a.accountId}|${a.permissionSet}`;
      let row = rows.get(k);
      if (row === undefined) {
        row = {
          user: m.key,
          account: a.accountName,
          accountId: a.accountId,
          permissionSet: a.permissionSet,
          via: new Set<string>(),
          expires: [],
          permanent: false,
        };
        rows.set(k, row);
      }
      row.via.add(a.group);
      if (m.expires === undefined) row.permanent = true;
      else row.expires.push(m.expires);
    }
  }
  return [...rows.values()]
    .sort((x, y) => cmp(x.user, y.user) || cmp(x.account, y.account) || cmp(x.permissionSet, y.permissionSet))
    .map((r): AccessRow => ({
      user: display.get(r.user)!,
      account: r.account,
      accountId: r.accountId,
      permissionSet: r.permissionSet,
      via: [...r.via].sort(cmp),
      ...(r.permanent ? {} : { expires: r.expires.sort(cmp)[r.expires.length - 1] }),
    }));
}

/** How many rows effectiveAccess would return, without building them. */
export function countAccess(model: AccessModel, today: string): number {
  const targetIds = new Map<string, number>();
  const byGroup = new Map<string, number[]>();
  for (const a of model.assignments) {
    const t = `${a.accountId}|${a.permissionSet}`;
    let id = targetIds.get(t);
    if (id === undefined) targetIds.set(t, (id = targetIds.size));
    const list = byGroup.get(a.group);
    if (list) list.push(id);
    else byGroup.set(a.group, [id]);
  }
  const perUser = new Map<string, Set<number>>();
  for (const g of model.groups) {
    const targets = byGroup.get(g.name);
    if (!targets) continue;
    for (const m of g.members) {
      if (!isActive(m, today)) continue;
      let set = perUser.get(m.key);
      if (!set) perUser.set(m.key, (set = new Set()));
      for (const t of targets) set.add(t);
    }
  }
  let n = 0;
  for (const set of perUser.values()) n += set.size;
  return n;
}

/**
 * Everyone the org knows, by folded login, as first spelled: people.yaml
 * first, then group members, then group owners.
 */
export function knownPeople(model: AccessModel): Map<string, string> {
  const known = new Map<string, string>();
  for (const p of model.people) known.set(foldLogin(p.login), p.login);
  for (const g of model.groups) {
    for (const m of g.members) if (!known.has(m.key)) known.set(m.key, m.login);
    for (const o of g.owners) if (!known.has(foldLogin(o.login))) known.set(foldLogin(o.login), o.login);
  }
  return known;
}

/** Someone the AWS app's assignment group holds, and the pushed groups that put them there. */
export interface ProvisionedUser {
  readonly login: string;
  /** Groups with apps: [<aws app>] the person is an active member of, sorted. */
  readonly groups: readonly string[];
}

/**
 * Who SCIM provisions to AWS IAM Identity Center: the members of the AWS
 * app's assignment group, that is the active members of every group pushed
 * to AWS, keyed by folded login. Empty without an AWS app.
 */
export function provisionedUsers(model: AccessModel, today: string): Map<string, ProvisionedUser> {
  const out = new Map<string, { login: string; groups: string[] }>();
  if (!model.settings.okta.apps.some((a) => a.kind === 'aws')) return out;
  for (const g of model.groups) {
    if (!g.pushedToAws) continue;
    for (const m of g.members) {
      if (!isActive(m, today)) continue;
      const entry = out.get(m.key) ?? { login: m.login, groups: [] };
      entry.groups.push(g.name);
      out.set(m.key, entry);
    }
  }
  for (const e of out.values()) e.groups.sort(cmp);
  return out;
}
