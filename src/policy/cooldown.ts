import { lockoutDelayMs, parseRetryAfter } from './backoff';
import type { ErrorResponse } from '../errors';
import { sharedEnd, sharedIdentity } from '../store/shared-end';
import type { StoredLockout } from '../store/token-store';

/** Settings of the cool-down, from the options. */
export interface CooldownSettings {
  initialCooldownMs: number;
  maxCooldownMs: number;
  maxRetryAfterMs: number;
}

/**
 * The lockout cool-down of one client. While open, no token request is made. After it ends the next
 * token request is the single trial call: success closes it, another lockout reopens it doubled.
 */
export class Cooldown {
  /** Epoch ms when the cool-down ends; 0 when none was opened. */
  until = 0;
  /** Lockouts in a row without a successful token request in between. */
  consecutive = 0;
  error?: string;
  status?: number;
  /** The answer that opened the cool-down (secret-free), shown as `AccountLockedError.response`. */
  answer?: ErrorResponse;
  /** The shared cool-down last adopted, as written (see {@link adopt}). */
  private adopted?: string;

  constructor(private readonly settings: CooldownSettings) {}

  isOpen(now: number): boolean {
    return this.until > now;
  }

  /**
   * Opens (or reopens) the cool-down: `Retry-After` when usable (capped), else the doubling delay.
   * Returns the state to share with other processes.
   */
  open(
    failure: { retryAfter?: unknown; error?: string; status?: number },
    now: number,
    random: number,
    answer?: ErrorResponse,
  ): StoredLockout {
    this.consecutive += 1;
    const { initialCooldownMs, maxCooldownMs, maxRetryAfterMs } = this.settings;
    const retryAfter = parseRetryAfter(failure.retryAfter, now);
    const ms =
      retryAfter !== undefined
        ? Math.min(retryAfter, maxRetryAfterMs)
        : lockoutDelayMs(this.consecutive, initialCooldownMs, maxCooldownMs, random);
    this.until = now + Math.ceil(ms); // whole ms (the jitter is fractional)
    this.error = failure.error;
    this.status = failure.status;
    this.answer = answer;
    return this.snapshot();
  }

  /**
   * Adopts a cool-down another process opened, if it ends later than ours: for what remains of it
   * (as the store measures it), at most this process's own longest cool-down. A cool-down already
   * adopted is not adopted again, so reading it again never extends this process's wait: after its
   * own limit, this process makes the trial call.
   */
  adopt(shared: StoredLockout, now: number): void {
    const id = sharedIdentity(shared, shared.consecutive);
    if (id === this.adopted) return;
    const { maxCooldownMs, maxRetryAfterMs } = this.settings;
    const until = sharedEnd(shared, now, Math.max(maxCooldownMs, maxRetryAfterMs));
    if (until <= this.until) return;
    this.adopted = id;
    this.until = until;
    this.consecutive = Math.max(this.consecutive, shared.consecutive);
    this.error = shared.error;
    this.status = shared.status;
    // Another process saw the answer: what it shared of it.
    this.answer =
      shared.status === undefined
        ? undefined
        : {
            status: shared.status,
            statusText: '',
            headers: {},
            data: shared.error ? { error: shared.error } : undefined,
          };
  }

  /** Closes after a successful token request. Returns whether a lockout was in progress. */
  close(): boolean {
    const wasLocked = this.consecutive > 0;
    this.consecutive = 0;
    this.until = 0;
    return wasLocked;
  }

  snapshot(): StoredLockout {
    return { until: this.until, consecutive: this.consecutive, error: this.error, status: this.status };
  }
}
