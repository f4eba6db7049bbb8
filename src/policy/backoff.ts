/**
 * Pure delay functions. `random` is a number in [0, 1) so tests can pin jitter exactly.
 */

/**
 * Delay before transient-failure retry number `attempt` (1-based): exponential with "equal jitter",
 * i.e. half of `min(max, base × 2^(attempt-1))` fixed plus up to the other half at random.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** Share of a lockout cool-down added at random, so many processes do not all retry at once. */
export const LOCKOUT_JITTER_RATIO = 0.1;

/**
 * Cool-down after the `consecutive`-th lockout in a row (1-based) when the server gave no usable
 * `Retry-After`: `initial × 2^(consecutive-1)`, capped at `max`, plus up to 10% jitter.
 */
export function lockoutDelayMs(consecutive: number, initialMs: number, maxMs: number, random: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, consecutive - 1));
  return Math.round(base * (1 + LOCKOUT_JITTER_RATIO * random));
}

/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * Returns milliseconds from `now`, or undefined when absent, invalid, or in the past.
 */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const ms = Number(text) * 1000;
    return ms > 0 && Number.isFinite(ms) ? ms : undefined;
  }
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/i.test(text)) return undefined;
  // asctime dates carry no zone; HTTP dates are always GMT.
  const at = Date.parse(/\d{4}$/.test(text) ? `${text} GMT` : text);
  if (Number.isNaN(at) || at <= now) return undefined;
  return at - now;
}
