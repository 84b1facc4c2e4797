// Joining effective access to a usage file (issue 28): the last use of each
// who-can row, and of each membership on the review sheet, with the days
// since and, for a membership, whether it has gone unused past policy.yaml's
// unused-access threshold. "Never" is only ever "never since" the first day
// the file covers: the file knows nothing before its window.

import * as path from 'node:path';
import type { MembershipRecord } from '../audit/walk';
import type { Io } from '../cli/io';
import { displayPath } from '../load/source';
import type { AccessRow } from '../model/access';
import type { Group } from '../model/types';
import { daysBetween, dayOf } from '../util/dates';
import { readUsageFile, UsageFileError, UsageIndex, usageWindowStart, type UsageFile } from './file';
import type { UnusedThresholds } from './threshold';

/** What a usage file says of one row: its last use (null: none in the file) and the days since. */
export interface RowUsage {
  /** ISO 8601 UTC instant of the latest use; null when the file has none. */
  readonly lastUsed: string | null;
  readonly event: { readonly eventId: string; readonly eventName: string } | null;
  /** Calendar days (UTC) from the last use to now, as accessctl unused counts them; null when never used. */
  readonly days: number | null;
  /** The first day the file covers (its since, else its earliest use), for "never since DAY"; null when it has no events. */
  readonly window: string | null;
}

/** A membership's last use (the latest of the rows it gives) and whether it is unused past its threshold. */
export interface MemberUsage extends RowUsage {
  /** The membership gives AWS access (some permission set on some account); false: Okta only, nothing to use. */
  readonly aws: boolean;
  /** Days without use that count: since the later of the last use (or the file's first day) and the membership's start; null when not known. */
  readonly unusedDays: number | null;
  readonly threshold: number;
  /** A permission set the group gives is high privilege: the stricter threshold applies. */
  readonly highPrivilege: boolean;
  /** unusedDays is past the threshold, and the membership is still in force. */
  readonly unused: boolean;
}

/** The usage file and what the sheet and rows say about it. */
export interface Usage {
  readonly index: UsageIndex;
  /** The file as shown to the user (relative to the working directory). */
  readonly shown: string;
  /** The instant day counts run to: the command's now. */
  readonly now: string;
  readonly window: string | null;
}

/** Reads --usage FILE; null (the error, naming the file and the JSON path, on stderr) when it cannot be read. */
export function readUsage(file: string, io: Io): Usage | null {
  const abs = path.resolve(io.cwd, file);
  const shown = displayPath(io.cwd, abs);
  let usage: UsageFile;
  try {
    usage = readUsageFile(abs, shown);
  } catch (e) {
    if (!(e instanceof UsageFileError)) throw e;
    io.stderr(`accessctl: usage file ${e.file}: ${e.message}\n`);
    return null;
  }
  return { index: new UsageIndex(usage), shown, now: io.now().toISOString(), window: usageWindowStart(usage) };
}

/** The last use of one (user, account, permission set). */
export function rowUsage(usage: Usage, user: string, accountId: string, permissionSet: string): RowUsage {
  const e = usage.index.lastUse(user, accountId, permissionSet);
  if (e === undefined) return { lastUsed: null, event: null, days: null, window: usage.window };
  return { lastUsed: e.lastUsed, event: { eventId: e.eventId, eventName: e.eventName }, days: daysBetween(e.lastUsed, usage.now), window: usage.window };
}

/** Each row with its usage. */
export function withUsage<R extends AccessRow>(rows: readonly R[], usage: Usage): Array<R & { readonly usage: RowUsage }> {
  return rows.map((r) => ({ ...r, usage: rowUsage(usage, r.user, r.accountId, r.permissionSet) }));
}

/** The latest use among rows (the first of equal ones); never used when none was used. */
function latest(uses: readonly RowUsage[], usage: Usage): RowUsage {
  let best: RowUsage = { lastUsed: null, event: null, days: null, window: usage.window };
  for (const u of uses) if (u.lastUsed !== null && (best.lastUsed === null || u.lastUsed > best.lastUsed)) best = u;
  return best;
}

/** The thresholds and high-privilege permission sets a membership is judged by. */
export interface UnusedRule {
  readonly thresholds: UnusedThresholds;
  /** Names of the high-privilege permission sets. */
  readonly highPrivilege: ReadonlySet<string>;
}

/**
 * A membership's usage: the latest use of every (account, permission set)
 * the group gives, unused for the calendar days from the later of that use
 * (or, never used, the file's first day) and the membership's start, so
 * neither a member who joined last week nor a file that covers a month makes
 * "unused for 90 days" (nor break-glass access, hours old). Flagged past
 * the threshold (more days, not as many); never an expired membership,
 * already to remove.
 */
export function memberUsage(usage: Usage, rule: UnusedRule, group: Group, member: MembershipRecord & { expired?: true }): MemberUsage {
  const targets = group.grants.flatMap((gr) => gr.accountIds.map((accountId) => ({ accountId, permissionSet: gr.permissionSet })));
  const highPrivilege = targets.some((t) => rule.highPrivilege.has(t.permissionSet));
  const threshold = highPrivilege ? rule.thresholds.highPrivilegeDays : rule.thresholds.days;
  const last = latest(targets.map((t) => rowUsage(usage, member.user, t.accountId, t.permissionSet)), usage);
  const from = last.lastUsed !== null ? dayOf(last.lastUsed) : usage.window;
  const joined = new Date(member.since.date).toISOString().slice(0, 10);
  const aws = targets.length > 0;
  const unusedDays = !aws || from === null ? null : daysBetween(from > joined ? from : joined, usage.now);
  const flagged = unusedDays !== null && unusedDays > threshold && member.expired !== true;
  return { ...last, aws, unusedDays, threshold, highPrivilege, unused: flagged };
}

/** "2026-11-20 (3 days)", or "never since 2026-01-01" (the file's first day), or "never" when the file has no events. */
export function lastUsedText(u: RowUsage): string {
  if (u.lastUsed === null) return u.window === null ? 'never' : `never since ${u.window}`;
  return `${u.lastUsed.slice(0, 10)} (${u.days} day${u.days === 1 ? '' : 's'})`;
}

/** The event of a last use for a csv cell: "GetRoleCredentials EVENTID"; empty when never used. */
export function usageEventText(u: RowUsage): string {
  return u.event === null ? '' : `${u.event.eventName} ${u.event.eventId}`;
}

/** A member's last use cell: as a row's, or "Okta only" when the membership gives no AWS access. */
export function memberLastUsedText(u: MemberUsage): string {
  return u.aws ? lastUsedText(u) : 'Okta only';
}

/** "unused 143 days (threshold 30, high privilege)"; empty when the membership is not flagged. */
export function unusedText(u: MemberUsage): string {
  return u.unused ? `unused ${u.unusedDays} days (threshold ${u.threshold}${u.highPrivilege ? ', high privilege' : ''})` : '';
}

/** The sheet's header line: the file (as the format shows it), how far its events reach, and the thresholds. */
export function usageHeader(u: { readonly file: string; readonly window: string | null; readonly until: string | null; readonly thresholds: UnusedThresholds }): string {
  const reach = u.until === null ? 'no events' : `events ${u.window !== null ? `from ${u.window} ` : ''}up to ${u.until}`;
  return `Last use from ${u.file}, ${reach}; a membership is flagged unused after ${u.thresholds.days} days without use ` +
      `(${u.thresholds.highPrivilegeDays} for high privilege).`;
}
