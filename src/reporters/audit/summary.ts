import type { AuditEvent } from '../../audit/walk';

/** How many `added` events are break-glass grants. */
export function breakGlassGrants(events: readonly AuditEvent[]): number {
  return events.filter((e) => e.action === 'added' && e.breakGlass === true).length;
}

/** "N break-glass grant(s). " for a report's summary when there are any, else nothing. */
export function breakGlassSentence(events: readonly AuditEvent[]): string {
  const n = breakGlassGrants(events);
  return n === 0 ? '' : `${n} break-glass grant${n === 1 ? '' : 's'}. `;
}
