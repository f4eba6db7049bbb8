/** What a store says of when a shared lockout or failure ends. */
export interface SharedEnd {
  /** The end on the writer's clock. */
  until: number;
  /** What remains, measured by the store when read (Redis: PTTL); preferred to `until`. */
  remainingMs?: number;
}

/**
 * When a lockout or failure another process shared ends for this process, on its own clock: what
 * the store says remains (else the writer's end read on this clock), and never later than `capMs`
 * from `now`, this process's own limit. A writer whose clock is ahead thus cannot lock a reader
 * out for longer than the reader would have locked itself out.
 */
export function sharedEnd(shared: SharedEnd, now: number, capMs: number): number {
  const remaining = shared.remainingMs ?? shared.until - now;
  return now + Math.max(0, Math.min(remaining, capMs));
}

/** Identifies one shared value as written, so that reading it again does not extend its end. */
export function sharedIdentity(shared: SharedEnd, ...fields: unknown[]): string {
  return JSON.stringify([shared.until, ...fields]);
}
