import { TokenRejectedError, type ErrorResponse } from '../errors';
import { answerOf } from '../security/http-answer';
import { emit } from '../events/hooks';
import { Cooldown } from './cooldown';
import type { OAuth2Hooks } from '../events/hooks';

/** What the breaker reads of the attachment's options (its slice). */
export interface RejectionBreakerSettings {
  readonly rejectionWindowMs: number;
  readonly rejectionInitialCooldownMs: number;
  readonly rejectionMaxCooldownMs: number;
  readonly hooks: OAuth2Hooks;
  readonly clock: () => number;
  readonly random: () => number;
}
import type { StoredToken } from '../store/token-store';

/** Rejections of tokens issued less than `rejectionWindowMs` before, in a row, that open the cool-down. */
export const EARLY_REJECTIONS_TO_OPEN = 2;

/**
 * The breaker against an API that rejects every token (a sandbox key against the production API, a
 * wrong base URL): without it, each request would cost a token call.
 *
 * The rule: a rejection is *early* when the rejected token had been obtained less than
 * `rejection.windowMs` before. The first early rejection is answered normally (one renewal). The
 * second early rejection in a row (typically: the renewed token rejected again on the replay) opens
 * a cool-down: the token is dropped, no token is requested until it ends, and requests needing a
 * token fail with {@link TokenRejectedError}. After it, one trial token is fetched; if it is rejected
 * early too, the cool-down reopens, doubled. A response that accepts a token, or a rejection of a
 * token that lived longer than the window, resets the count (and closes a cool-down in progress).
 */
export class RejectionBreaker {
  private streak = 0;
  /** The last token counted, so the many requests rejecting one token count once. */
  private counted?: string;
  /** Made on the first early rejection: most breakers (one per token entry, per tenant) never open. */
  private opened?: Cooldown;
  private cause?: unknown;
  /** The API's 401 that opened the cool-down (secret-free), shown as `TokenRejectedError.response`. */
  private answer?: ErrorResponse;

  constructor(private readonly options: RejectionBreakerSettings) {}

  private get cooldown(): Cooldown {
    const { options } = this;
    this.opened ??= new Cooldown({
      initialCooldownMs: options.rejectionInitialCooldownMs,
      maxCooldownMs: options.rejectionMaxCooldownMs,
      maxRetryAfterMs: options.rejectionMaxCooldownMs,
    });
    return this.opened;
  }

  /** Whether a token was rejected early since the last accepted one (cheap: for every response). */
  get suspicious(): boolean {
    return this.streak > 0;
  }

  /** The error for a caller needing a token while the cool-down is open, else undefined. */
  openError(now: number): TokenRejectedError | undefined {
    return this.opened?.isOpen(now) ? this.error(now) : undefined;
  }

  /**
   * Counts the rejection of `token` (the cached token the API just rejected, with `status`). Returns
   * the error to throw when this rejection opened the cool-down; undefined when a renewal may go on.
   * `response`: the 401 (else `cause.response`), kept secret-free as the error's `response`.
   */
  rejected(
    token: StoredToken,
    status: number | undefined,
    cause: unknown,
    response?: object,
  ): TokenRejectedError | undefined {
    if (this.counted === token.accessToken) return this.openError(this.options.clock());
    this.counted = token.accessToken;
    const now = this.options.clock();
    if (now - token.obtainedAt >= this.options.rejectionWindowMs) {
      this.accepted();
      return undefined;
    }
    this.streak += 1;
    if (this.streak < EARLY_REJECTIONS_TO_OPEN) return undefined;
    this.cause = cause;
    const answered = response ?? (cause as { response?: object } | undefined)?.response;
    this.answer = answered && answerOf(answered, [token.accessToken]);
    const state = this.cooldown.open({ status }, now, this.options.random());
    emit(this.options.hooks, 'onRejectionStormOpened', {
      retryAt: state.until,
      retryAfterMs: state.until - now,
      consecutive: state.consecutive,
      status,
    });
    return this.error(now);
  }

  /** A token was accepted by the API: the count resets and a cool-down in progress closes. */
  accepted(): void {
    this.streak = 0;
    this.cause = undefined;
    this.answer = undefined;
    if (this.opened?.close()) emit(this.options.hooks, 'onRejectionStormClosed', { at: this.options.clock() });
  }

  private error(now: number): TokenRejectedError {
    return new TokenRejectedError(
      this.cooldown.until,
      now,
      { status: this.cooldown.status, consecutive: this.cooldown.consecutive },
      { cause: this.cause, response: this.answer },
    );
  }
}
