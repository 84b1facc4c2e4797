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
