// Which memberships nobody uses (issue 28): a group member whose every
// (account, permission set) row has no use in the usage file, or none within
// the threshold. Pure: the caller brings the model, the usage index, the day
// and when each membership began (git history), and decides what to do.

import { isActive } from '../model/access';
import { foldLogin } from '../model/logins';
import type { AccessModel, Group, Member } from '../model/types';
import { addDays, dayOf, daysBetween } from '../util/dates';
import { usageWindowStart, type LastUse, type UsageIndex } from './file';
import type { UnusedThresholds } from './threshold';

export interface UnusedRow {
  readonly accountId: string;
  readonly permissionSet: string;
  /** Absent: no use in the file's window. */
  readonly lastUse?: LastUse;
}

export interface UnusedMembership {
  readonly group: string;
  readonly login: string;
  /** The file that declares the member, as diagnostics show it. */
  readonly file: string;
  readonly line: number;
  /** The threshold applied: highPrivilegeDays when the group grants a high-privilege permission set. */
  readonly days: number;
  readonly highPrivilege: boolean;
  /** The latest use over all rows; absent when no row was used in the file's window. */
  readonly lastUse?: LastUse;
  readonly rows: readonly UnusedRow[];
}

export interface UnusedOptions {
  readonly thresholds: UnusedThresholds;
  /** Permission sets judged with highPrivilegeDays. */
  readonly highPrivilege: ReadonlySet<string>;
  /** YYYY-MM-DD or an instant. */
  readonly today: string;
  /**
   * When each membership began (key: group|folded login, value YYYY-MM-DD or an instant). A member with no
   * entry, or one that began less than the threshold ago, is never unused: the file cannot show use before it.
   * Undefined: every membership is taken as old enough (the guardrail, which has no history).
   */
  readonly since?: ReadonlyMap<string, string>;
}

export function membershipKey(group: string, login: string): string {
  return `${group}|${foldLogin(login)}`;
}

/** The (account, permission set) rows a group's grants give, in grant order, each once. */
export function groupRows(g: Group): Array<{ accountId: string; permissionSet: string }> {
  const seen = new Set<string>();
  const out: Array<{ accountId: string; permissionSet: string }> = [];
  for (const gr of g.grants) {
    for (const accountId of gr.accountIds) {
      const k = `${accountId}|${gr.permissionSet}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ accountId, permissionSet: gr.permissionSet });
    }
  }
  return out;
}

/** Calendar days (UTC) from a last use to today. */
export function daysAgo(lastUse: LastUse, today: string): number {
  return daysBetween(dayOf(lastUse.lastUsed), dayOf(today));
}

/**
 * True when the row's last use is more than `days` calendar days before
 * today; a row without a use, when the file's window (its first day) starts
 * more than `days` days before today.
 */
export function rowUnused(lastUse: LastUse | undefined, today: string, days: number, window: string | null): boolean {
  if (lastUse !== undefined) return daysAgo(lastUse, today) > days;
  return window !== null && daysBetween(window, dayOf(today)) > days;
}

/** The memberships of the model whose every row is unused past its threshold, by group then login. */
export function unusedMemberships(model: AccessModel, usage: UsageIndex, options: UnusedOptions): UnusedMembership[] {
  const out: UnusedMembership[] = [];
  for (const g of model.groups) {
    const rows = groupRows(g);
    if (rows.length === 0) continue;
    const highPrivilege = rows.some((r) => options.highPrivilege.has(r.permissionSet));
    const days = highPrivilege ? options.thresholds.highPrivilegeDays : options.thresholds.days;
    for (const m of g.members) {
      const found = judgeMember(g, m, rows, usage, { ...options, days });
      if (found) out.push({ ...found, highPrivilege });
    }
  }
  return out;
}

function judgeMember(
  g: Group,
  m: Member,
  rows: ReadonlyArray<{ accountId: string; permissionSet: string }>,
  usage: UsageIndex,
  options: UnusedOptions & { days: number },
): Omit<UnusedMembership, 'highPrivilege'> | undefined {
  const { today, days } = options;
  if (m.breakGlass === true || !isActive(m, today)) return undefined;
  if (options.since !== undefined) {
    const since = options.since.get(membershipKey(g.name, m.login));
    if (since === undefined || dayOf(since) > addDays(dayOf(today), -days)) return undefined;
  }
  const judged = rows.map((r) => {
    const lastUse = usage.lastUse(m.login, r.accountId, r.permissionSet);
    return { ...r, ...(lastUse ? { lastUse } : {}) };
  });
  // A row never used counts as unused only when the file reaches back further than the threshold:
  // a file of last month's events cannot say that nobody used something for 90 days.
  const window = usageWindowStart(usage.file);
  if (!judged.every((r) => rowUnused(r.lastUse, today, days, window))) return undefined;
  const latest = judged.reduce<LastUse | undefined>((a, r) => (r.lastUse && (!a || a.lastUsed < r.lastUse.lastUsed) ? r.lastUse : a), undefined);
  return { group: g.name, login: m.login, file: m.source.file, line: m.source.line, days, ...(latest ? { lastUse: latest } : {}), rows: judged };
}

/** "last used 2026-08-01 (payments-prod/AdministratorAccess, 114 days ago)" or "never in the file's window since <since>". */
export function describeLastUse(u: UnusedMembership, today: string, since: string | null): string {
  if (!u.lastUse) return `never used in the usage file's window${since !== null ? ` (since ${since})` : ''}`;
  return `last used ${dayOf(u.lastUse.lastUsed)} (${u.lastUse.accountId} ${u.lastUse.permissionSet}, ${daysAgo(u.lastUse, today)} days ago)`;
}
