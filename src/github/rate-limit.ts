// How long GitHub asks a client to wait after a refusal, from its headers:
// https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately
//
// - retry-after (seconds, or an HTTP date): wait that long;
// - x-ratelimit-remaining: 0: wait until x-ratelimit-reset (epoch seconds);
// - a secondary limit with neither: wait a minute, doubling on each retry.

export interface RateLimitWait {
  /** Which limit, for the log: "secondary rate limit", "core rate limit". */
  readonly limit: string;
  /** How the wait was set, for the log: "as retry-after asks". */
  readonly why: string;
  readonly waitMs: number;
  /** True when GitHub named no time and the wait is a guess (backing off). */
  readonly estimated: boolean;
}

/** The first wait of a secondary limit without retry-after; each retry doubles it. */
export const BACKOFF_MS = 60_000;
/** A reset already past (the clocks disagree) still waits this long. */
const MIN_RESET_WAIT_MS = 1_000;

/**
 * The wait a 403 or 429 asks for, or undefined when it is not a rate limit
 * (a 403 for want of permission). `attempt` is the attempt that was refused,
 * from 1; `message` is GitHub's message, if any.
 */
export function rateLimitWait(status: number, headers: Headers, message: string | undefined, now: number, attempt: number): RateLimitWait | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const exhausted = headers.get('x-ratelimit-remaining')?.trim() === '0';
  const resource = headers.get('x-ratelimit-resource')?.trim() || 'primary';
  const limit = exhausted ? `${resource} rate limit` : 'secondary rate limit';
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    if (/^[0-9]+$/.test(retryAfter)) return { limit, why: 'as retry-after asks', waitMs: Number(retryAfter) * 1000, estimated: false };
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return { limit, why: 'as retry-after asks', waitMs: Math.max(at - now, 0), estimated: false };
  }
  const reset = Number(headers.get('x-ratelimit-reset') ?? '');
  if (exhausted && Number.isSafeInteger(reset) && reset > 0) {
    return { limit, why: 'until x-ratelimit-reset', waitMs: Math.max(reset * 1000 - now, MIN_RESET_WAIT_MS), estimated: false };
  }
  if (status === 429 || exhausted || /secondary rate limit|abuse detection/i.test(message ?? '')) {
    return { limit, why: 'to back off, as GitHub named no time', waitMs: BACKOFF_MS * 2 ** (attempt - 1), estimated: true };
  }
  return undefined;
}

/** A wait in words: 90 s, 18 min 58 s, 1 h 2 min. */
export function duration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  return m % 60 === 0 ? `${Math.floor(m / 60)} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
