/**
 * Reads a date given on the command line: YYYY-MM-DD (a whole UTC day) or an
 * ISO 8601 date-time. A date-time without an offset is read as UTC.
 * Returns the first and last instant it covers, or undefined when it is not one.
 */
export function parseDateArg(s: string): { start: string; end: string } | undefined {
  const day = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (day) {
    const d = new Date(`${s}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return undefined;
    return { start: `${s}T00:00:00Z`, end: `${s}T23:59:59Z` };
  }
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$/.test(s)) return undefined;
  const t = new Date(/(Z|[+-][0-9]{2}:[0-9]{2})$/.test(s) ? s : `${s}Z`);
  if (Number.isNaN(t.getTime())) return undefined;
  const iso = t.toISOString().replace(/\.000Z$/, 'Z');
  return { start: iso, end: iso };
}

/** The day `days` after a YYYY-MM-DD day (UTC); an instant counts as its day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${dayOf(day)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from one YYYY-MM-DD day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${dayOf(to)}T00:00:00Z`) - Date.parse(`${dayOf(from)}T00:00:00Z`)) / 86_400_000);
}

/**
 * An expiry given on the command line: YYYY-MM-DD, or a duration from today
 * written Nd or Nw (7d, 2w). Returns the last day of access, or an error.
 */
export function parseExpiry(s: string, today: string): { date: string } | { error: string } {
  const rel = /^([1-9][0-9]{0,3})([dw])$/.exec(s);
  if (rel) return { date: addDays(today, Number(rel[1]) * (rel[2] === 'w' ? 7 : 1)) };
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return { error: `"${s}" is neither a date (YYYY-MM-DD) nor a duration (such as 7d or 2w)` };
  const d = new Date(`${s}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return { error: `"${s}" is not a calendar date` };
  if (s < dayOf(today)) return { error: `${s} is in the past (today is ${dayOf(today)}, UTC)` };
  return { date: s };
}

// Expiry. An `expires` is a day (YYYY-MM-DD: access lasts to the end of that
// UTC day) or, for break-glass access that lasts hours, a UTC time
// (YYYY-MM-DDTHH:MMZ: access ends at that minute). "Now" is a day or an
// instant; a day means its first instant. Instants are compared in one
// canonical form, YYYY-MM-DDTHH:MM:SSZ, whose string order is time order.

/** A UTC time as written in an access file: YYYY-MM-DDTHH:MMZ, seconds optional. */
export const EXPIRY_TIME = /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?Z$/;

/** The YYYY-MM-DD day of a day or an instant. */
export function dayOf(at: string): string {
  return at.slice(0, 10);
}

/** An instant of a Date in canonical form (seconds, no fraction). */
export function instantOf(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** A day or an instant in canonical form: a day is its first instant; HH:MMZ gains :00. */
export function canonicalInstant(at: string): string {
  if (at.length === 10) return `${at}T00:00:00Z`;
  const m = EXPIRY_TIME.exec(at);
  if (m) return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}Z`;
  return at;
}

/** Whether an expires value is a time of day rather than a whole day. */
export function isTimedExpiry(expires: string): boolean {
  return expires.length > 10;
}

/** The first instant without access: the next midnight after a day, or the time itself. */
export function expiryEnd(expires: string): string {
  return isTimedExpiry(expires) ? canonicalInstant(expires) : `${addDays(expires, 1)}T00:00:00Z`;
}

/** Whether access that ends at `expires` still holds at `at` (a day or an instant). */
export function stillActive(expires: string, at: string): boolean {
  // A whole day holds through its last day: compare days, no parsing on the hot path.
  if (!isTimedExpiry(expires)) return expires >= dayOf(at);
  return canonicalInstant(at) < canonicalInstant(expires);
}

/** Whether an expires value (a day or a UTC time) names a real calendar day and time. */
export function isValidExpiry(expires: string): boolean {
  const day = dayOf(expires);
  const d = new Date(`${day}T00:00:00Z`);
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) return false;
  if (!isTimedExpiry(expires)) return expires.length === 10;
  const m = EXPIRY_TIME.exec(expires);
  return m !== null && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 60;
}

/**
 * Whether a command-line value has the shape of a date (YYYY-MM-DD, or that
 * followed by T and a time), real or not: "2026-02-30" looks like a date, so
 * it is refused as one rather than read as a git ref.
 */
export function looksLikeDate(s: string): boolean {
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(T.*)?$/.test(s);
}

/** The instant `hours` after `at` (a day or an instant), canonical. */
export function addHours(at: string, hours: number): string {
  return instantOf(new Date(Date.parse(canonicalInstant(at)) + hours * 3_600_000));
}
