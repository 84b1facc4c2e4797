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

/** The day `days` after a YYYY-MM-DD day (UTC). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from one YYYY-MM-DD day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
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
  if (s < today) return { error: `${s} is in the past (today is ${today}, UTC)` };
  return { date: s };
}
