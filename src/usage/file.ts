// The usage file (issue 28): when each user last used each permission set on
// each account, as `accessctl usage` distils it from CloudTrail, and as
// who-can, review, unused and the unused-access guardrail read it
// (`--usage FILE`). Written atomically; read with every field checked, a bad
// file an error naming the JSON path.

import * as fs from 'node:fs';
import { foldLogin } from '../model/logins';

export const USAGE_FILE_VERSION = 1;

/** One (user, account, permission set): its last use. */
export interface LastUse {
  /** The Okta login (people.yaml), as the Identity Store names the user. */
  readonly user: string;
  readonly accountId: string;
  readonly permissionSet: string;
  /** ISO 8601 UTC instant of the latest event. */
  readonly lastUsed: string;
  /** The CloudTrail eventID of that event, and its name (GetRoleCredentials, Federate, AssumeRoleWithSAML, or the API call of a role session). */
  readonly eventId: string;
  readonly eventName: string;
}

/** Events that could not be tied to a user or a permission set: counted and listed, never dropped in silence. */
export interface Unmatched {
  /** Identity Store user ids (or user names of older events) no export maps to a login, with how many events. */
  readonly users: readonly { readonly user: string; readonly events: number }[];
  /** Role names that are not AWSReservedSSO_<permission set>_<suffix>, with the account and how many events. */
  readonly roles: readonly { readonly accountId: string; readonly roleName: string; readonly events: number }[];
}

export interface UsageFile {
  readonly version: typeof USAGE_FILE_VERSION;
  /** When the file was written (ISO 8601 UTC). */
  readonly generatedAt: string;
  /** Events before this day (YYYY-MM-DD) were skipped; null: all events read. */
  readonly since: string | null;
  /** The latest event time seen: "unused for N days" is counted up to today, but the data only reach this far. */
  readonly until: string | null;
  readonly sources: { readonly files: number; readonly records: number; readonly used: number };
  /** Sorted by user (folded), account id, permission set. */
  readonly lastUse: readonly LastUse[];
  readonly unmatched: Unmatched;
}

export class UsageFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
  }
}

/** The key of a (user, account, permission set). */
export function usageKey(user: string, accountId: string, permissionSet: string): string {
  return `${foldLogin(user)}|${accountId}|${permissionSet}`;
}

/** The file's text: stable order, one lastUse entry per line. */
export function formatUsageFile(u: UsageFile): string {
  const { lastUse, ...rest } = u;
  const head = JSON.stringify({ ...rest, lastUse: [] }, null, 2);
  if (lastUse.length === 0) return `${head}\n`;
  const entries = lastUse.map((e) => `    ${JSON.stringify(e)}`).join(',\n');
  return `${head.replace('"lastUse": []', `"lastUse": [\n${entries}\n  ]`)}\n`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function fail(file: string, where: string, what: string): never {
  throw new UsageFileError(file, `${where}: ${what}`);
}

function str(file: string, o: Record<string, unknown>, key: string, where: string, pattern?: RegExp): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') fail(file, `${where}.${key}`, 'is not a non-empty string');
  if (pattern && !pattern.test(v)) fail(file, `${where}.${key}`, `"${v}" is not ${pattern === ISO_INSTANT ? 'an ISO 8601 UTC time' : 'valid'}`);
  return v;
}

function lastUseAt(file: string, raw: unknown, i: number): LastUse {
  const where = `lastUse[${i}]`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(file, where, 'is not an object');
  const o = raw as Record<string, unknown>;
  return {
    user: str(file, o, 'user', where),
    accountId: str(file, o, 'accountId', where, /^\d{12}$/),
    permissionSet: str(file, o, 'permissionSet', where),
    lastUsed: str(file, o, 'lastUsed', where, ISO_INSTANT),
    eventId: str(file, o, 'eventId', where),
    eventName: str(file, o, 'eventName', where),
  };
}

/** Reads and checks a usage file; a UsageFileError names the file and the JSON path of the first bad field. */
export function readUsageFile(file: string, shown = file): UsageFile {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageFileError(shown, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file: write it with accessctl usage' : `not JSON: ${(e as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail(shown, 'the file', 'is not a JSON object');
  const o = data as Record<string, unknown>;
  if (o.version !== USAGE_FILE_VERSION) fail(shown, 'version', `is ${JSON.stringify(o.version)}, not ${USAGE_FILE_VERSION}: write it again with this accessctl`);
  if (!Array.isArray(o.lastUse)) fail(shown, 'lastUse', 'is not an array');
  const lastUse = o.lastUse.map((e, i) => lastUseAt(shown, e, i));
  const sources = (o.sources ?? {}) as Record<string, unknown>;
  const unmatched = (o.unmatched ?? {}) as Record<string, unknown>;
  return {
    version: USAGE_FILE_VERSION,
    generatedAt: str(shown, o, 'generatedAt', 'the file', ISO_INSTANT),
    since: typeof o.since === 'string' ? o.since : null,
    until: typeof o.until === 'string' ? o.until : null,
    sources: { files: Number(sources.files ?? 0), records: Number(sources.records ?? 0), used: Number(sources.used ?? 0) },
    lastUse,
    unmatched: {
      users: Array.isArray(unmatched.users) ? (unmatched.users as Unmatched['users']) : [],
      roles: Array.isArray(unmatched.roles) ? (unmatched.roles as Unmatched['roles']) : [],
    },
  };
}

/** The first day a file covers (YYYY-MM-DD): its since, else the day of its earliest use; null when it has neither. */
export function usageWindowStart(u: UsageFile): string | null {
  if (u.since !== null) return u.since;
  const first = u.lastUse.reduce<string | null>((min, e) => (min === null || e.lastUsed < min ? e.lastUsed : min), null);
  return first === null ? null : first.slice(0, 10);
}

/** Last use by (user, account id, permission set), for the commands that read a usage file. */
export class UsageIndex {
  private readonly byKey = new Map<string, LastUse>();

  constructor(readonly file: UsageFile) {
    for (const e of file.lastUse) {
      const k = usageKey(e.user, e.accountId, e.permissionSet);
      const prev = this.byKey.get(k);
      if (prev === undefined || prev.lastUsed < e.lastUsed) this.byKey.set(k, e);
    }
  }

  /** The last use of a row; undefined when the file has none (never used since the file's start). */
  lastUse(user: string, accountId: string, permissionSet: string): LastUse | undefined {
    return this.byKey.get(usageKey(user, accountId, permissionSet));
  }
}

/** UTC calendar days from an instant's day to today's (YYYY-MM-DD or an instant): for "unused for N days", the same count unused and review use. */
export function daysSince(instant: string, today: string): number {
  const day = (x: string): number => Date.parse(`${x.slice(0, 10)}T00:00:00Z`);
  return Math.round((day(today) - day(instant)) / 86_400_000);
}
