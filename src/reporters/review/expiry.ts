import type { ReviewMember } from './types';

/**
 * The expiry cell of a member: "standing", the expires date, "break-glass until
 * <time>" for break-glass access, and " (expired, to remove)" after it when its
 * time has passed but the entry is still in the file.
 */
export function expiryText(m: ReviewMember): string {
  const until = m.expires === undefined ? 'standing' : m.breakGlass ? `break-glass until ${m.expires}` : m.expires;
  return m.expired ? `${until} (expired, to remove)` : until;
}

/** Whether the expiry cell carries a mark (break-glass or expired) that the sheet should make stand out. */
export function isMarked(m: ReviewMember): boolean {
  return m.breakGlass === true || m.expired === true;
}
