import type { ReviewGroup, ReviewMember } from './types';

/** The lead-in of the sensitive actions on the sheet. */
export const SENSITIVE_LEAD = 'Sensitive actions each member gets';

/** One permission set's sensitive actions: "PS: a; b", or "PS: none". */
export function sensitiveLine(s: ReviewGroup['sensitive'][number]): string {
  return `${s.permissionSet}: ${s.actions.length > 0 ? s.actions.join('; ') : 'none'}`;
}

/**
 * The csv cell of a member: the permission sets that give sensitive actions, "PS: a; b", joined
 * with " | "; empty when none does, or when the membership has expired (it gives nothing now).
 */
export function sensitiveCell(g: ReviewGroup, m: ReviewMember): string {
  if (m.expired) return '';
  return g.sensitive.filter((s) => s.actions.length > 0).map(sensitiveLine).join(' | ');
}
