import { raceSignal, sleep, type SignalLike } from '../util/abort';
import { AccountLockedError, TokenEndpointError } from '../errors';
import { emit } from '../events/hooks';
import { Lifecycle } from '../util/lifecycle';
import { Cooldown } from '../policy/cooldown';
import { RejectionBreaker } from '../policy/rejection-breaker';
import type { SafeStore } from '../store/safe-store';
import { fromStoredFailure, toStoredFailure } from '../store/shared-failure';
import { sharedEnd, sharedIdentity } from '../store/shared-end';
import type { StoredFailure, StoredToken } from '../store/token-store';
import { freshness, freshnessIn, tokenWindows, type Freshness, type TokenWindows } from './windows';
import { failureAnswer, type GrantRunner } from './grant-runner';
import type { RequestTransport } from '../http/transport';
import type { ResolvedOptions } from '../options/validate-options';
import { SharedRenewal } from '../store/shared-renewal';
import { traceTokenFetch } from '../events/attachment-events';

/** After a failed background refresh, the next one waits this long (the old token keeps serving). */
export const BACKGROUND_RETRY_MS = 5_000;

/** A 401 that rejected a token: its status, the (redacted) axios error and/or the response itself. */
export interface Rejection {
  status?: number;
  cause?: unknown;
  response?: object;
}

/**
 * The token of one client (one cache key): served from memory on the hot path, renewed with a
 * single flight shared by every caller, in the background during the soft window, and guarded by
 * the lockout cool-down and a short negative cache of permanent failures.
 *
 * The one place of the token pipeline that throws: `GrantRunner` and `EndpointExchange` return
 * every outcome as a value (`GrantOutcome`, `ExchangeResult`); this class turns a failed renewal
 * into its error, a lockout into `AccountLockedError`, for every caller of the shared flight.
 */
export class TokenCache {
  // Fields set later are initialised here, so they live in the object, not in a separate array (many tenants).
  private current?: StoredToken = undefined;
  /** The windows of `current`, computed once per token for the hot path. */
  private windowsOf?: StoredToken = undefined;
  private windows?: TokenWindows = undefined;
  private refreshToken?: string = undefined;
  private inflight?: Promise<StoredToken> = undefined;
  private backgroundNotBefore = 0;
  private failure?: { error: unknown; until: number } = undefined;
  /** The shared failure last adopted, as written (see {@link adoptFailure}). */
  private sharedFailure?: string = undefined;
  /**
   * The access token this cache last dropped (rejected by the API, or forced out) whose replacement
   * has not started yet. Cache state, not an argument: the renewal that replaces it may start much
   * later (after a rejection cool-down, a cached failure, or a background flight that was already
   * under way), and it must still delete that token from the store (compare-and-delete), refuse it
   * if another process serves it, and report `onTokenRenewed`. Taken (and cleared) when a renewal
   * starts, which receives it as an argument.
   */
  private dropped?: string = undefined;
  /** The transport of the request that started the flight in progress (see {@link RequestTransport}). */
  private flightTransport?: RequestTransport = undefined;
  private readonly cooldown: Cooldown;
  /** Made on the first rejection: most token caches (one per tenant) never see one. */
  private rejections?: RejectionBreaker = undefined;
  private readonly renewal: SharedRenewal;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly fetcher: Pick<GrantRunner, 'fetch'>,
    private readonly store: SafeStore,
    /** Closed by `detach()`: stops the renewal and rejects every waiting caller with `DetachedError`. */
    private readonly lifecycle: Lifecycle = new Lifecycle(),
    /**
     * The client's lockout cool-down. A lockout is the client's (its credentials), not one token's:
     * the entries of one attachment (one per scope and resource) share it.
     */
    cooldown: Cooldown = new Cooldown(options),
  ) {
    this.cooldown = cooldown;
    // The clock itself, not a closure over it: one less function per token cache (many tenants).
    this.renewal = new SharedRenewal(store, options.clock, lifecycle);
  }

  /**
   * The cached token when it may be used now, synchronously (the hot path); starts the background
   * refresh in the soft window (with `transport`, the settings of the request asking). Undefined when
   * callers must wait for a renewal.
   */
  peek(transport?: RequestTransport): StoredToken | undefined {
    const token = this.current;
    if (!token) return undefined;
    const now = this.options.clock();
    const state = this.freshnessOf(token, now);
    if (state === 'expired') return undefined;
    if (state === 'renew-soon') this.startBackgroundRefresh(now, transport);
    return token;
  }

  /** The token this cache holds now, whatever its freshness (for `close()`'s revocation); no side effect. */
  held(): StoredToken | undefined {
    return this.current;
  }

  /** {@link freshness} of `token`, with the windows of the cached token computed once per token. */
  private freshnessOf(token: StoredToken, now: number): Freshness {
    if (this.windowsOf !== token) {
      this.windows = tokenWindows(token, this.options.refreshSkewMs);
      this.windowsOf = token;
    }
    return freshnessIn(this.windows, now);
  }

  /**
   * A usable token: the cached one, or the result of the shared renewal. A caller stops waiting (only
   * it) when one of `signals` aborts (a request's `signal` and `cancelToken`, see `cancelSignals`).
   */
  getToken(...signals: Array<SignalLike | undefined>): Promise<StoredToken> {
    return this.getTokenFor(undefined, signals);
  }

  /** {@link getToken} for a request: a renewal it starts sends the token request with the request's `transport`. */
  getTokenFor(transport: RequestTransport | undefined, signals: Array<SignalLike | undefined>): Promise<StoredToken> {
    const token = this.peek(transport);
    return token ? Promise.resolve(token) : this.obtain(signals, transport);
  }

  /**
   * A token other than `rejected` for a replay. Uses a newer cached token when there is one;
   * otherwise drops exactly `rejected` (compare-and-delete) and joins or starts the shared renewal,
   * unless the API keeps rejecting fresh tokens (see {@link RejectionBreaker}): then it throws
   * `TokenRejectedError`. `rejection` is the 401 (redacted), kept as that error's `cause`; `transport`
   * is the rejected request's (see {@link getTokenFor}).
   */
  async renewAfterRejection(
    rejected: string,
    signals: Array<SignalLike | undefined> = [],
    rejection?: Rejection,
    transport?: RequestTransport,
  ): Promise<{ token: StoredToken; fetched: boolean }> {
    const token = this.current;
    if (token && token.accessToken !== rejected && this.freshnessOf(token, this.options.clock()) !== 'expired') {
      return { token, fetched: false };
    }
    if (token?.accessToken === rejected) this.dropRejected(token, rejection);
    return { token: await this.obtain(signals, transport), fetched: true };
  }

  /**
   * A new token whatever the cached one is (`getToken({ forceRefresh: true })`): drops the cached
   * token (here, and in the store by compare-and-delete) and joins or starts the shared renewal.
   * Not a rejection: the rejection breaker does not count it.
   */
  forceRenew(signals: Array<SignalLike | undefined> = []): Promise<StoredToken> {
    const token = this.current;
    if (token && !this.inflight) this.drop(token);
    return this.obtain(signals);
  }

  /**
   * The API rejected `rejected` on a replay, right after it was renewed for a rejection: the token is
   * dropped and the rejection counted (it may open the rejection cool-down; the replay's caller still
   * gets the replay's own 401).
   */
  rejectedOnReplay(rejected: string, rejection: Rejection): void {
    const token = this.current;
    if (token?.accessToken !== rejected) return;
    try {
      this.dropRejected(token, rejection);
    } catch {
      // The cool-down opened: the next callers get TokenRejectedError.
    }
  }

  /**
   * A response showed the API accepted the plugin's token: resets the rejection count (closing a
   * rejection cool-down). Cheap when nothing was rejected.
   */
  accepted(config: { oauth2?: { injected?: boolean } } | undefined): void {
    if (this.rejections?.suspicious && config?.oauth2?.injected) this.rejections.accepted();
  }

  /** Drops the rejected cached token; throws `TokenRejectedError` when this rejection opens the cool-down. */
  private dropRejected(token: StoredToken, rejection: Rejection | undefined): void {
    this.drop(token);
    this.rejections ??= new RejectionBreaker(this.options);
    const storm = this.rejections.rejected(token, rejection?.status, rejection?.cause, rejection?.response);
    if (storm) throw storm;
  }

  /** Stops serving `token`; the next renewal replaces it (see {@link dropped}). */
  private drop(token: StoredToken): void {
    this.current = undefined;
    this.dropped = token.accessToken;
  }

  /**
   * This entry was dropped by its attachment (`maxCachedTokens`): a flight in progress still settles
   * for its waiters; then, in a store of the attachment's own (the default memory store), its token
   * is deleted (compare-and-delete), so dropped entries do not pile up there. A shared store keeps
   * it for the other processes (its TTL bounds it).
   */
  retire(): void {
    if (!this.store.ownedByAttachment) return;
    const forget = () => {
      const token = this.current;
      if (token) void this.store.delete(token.accessToken);
    };
    if (this.inflight) this.inflight.then(forget, forget);
    else forget();
  }

  /** Forgets the cached token and refresh token, here and in the store. */
  async invalidate(): Promise<void> {
    const token = this.current;
    this.current = undefined;
    this.refreshToken = undefined;
    await this.store.delete(token?.accessToken);
  }

  /**
   * Joins or starts the shared renewal. With `lockout.whileLocked: 'wait'`, loops: a cool-down
   * (open now, or opened by the flight joined) is slept out and the token asked for again.
   */
  private async obtain(signals: Array<SignalLike | undefined>, transport?: RequestTransport): Promise<StoredToken> {
    const { lifecycle } = this;
    for (;;) {
      if (lifecycle.aborted) throw lifecycle.canceledError();
      if (!this.inflight) {
        const now = this.options.clock();
        const storm = this.rejections?.openError(now);
        if (storm) throw storm;
        if (this.cooldown.isOpen(now)) {
          if (this.options.whileLocked === 'fail') throw this.lockedError(now);
          await sleep(this.cooldown.until - now, lifecycle, ...signals);
          // The trial call of another waiter may already have brought a token.
          const token = this.peek(transport);
          if (token) return token;
          continue;
        }
        if (this.failure && this.failure.until > now) throw this.failure.error;
      }
      try {
        return await raceSignal(this.inflight ?? this.startRefresh(false, transport), lifecycle, ...signals);
      } catch (error) {
        // 'wait': a flight that ran into (or opened) a cool-down is waited out, not reported.
        const waitOut = this.options.whileLocked === 'wait' && this.cooldown.isOpen(this.options.clock());
        if (!(waitOut && error instanceof AccountLockedError)) throw error;
      }
    }
  }

  private startRefresh(background: boolean, transport?: RequestTransport): Promise<StoredToken> {
    this.flightTransport = transport;
    const dropped = this.dropped;
    this.dropped = undefined;
    const flight = this.refresh(background, dropped).finally(() => {
      if (this.inflight !== flight) return;
      this.inflight = undefined;
      this.flightTransport = undefined;
    });
    this.inflight = flight;
    return flight;
  }

  private startBackgroundRefresh(now: number, transport?: RequestTransport): void {
    if (!this.options.backgroundRefresh || this.inflight || now < this.backgroundNotBefore || this.cooldown.isOpen(now))
      return;
    this.startRefresh(true, transport).catch(() => {
      // The still-valid token keeps serving; try again later (failures are reported through hooks).
      this.backgroundNotBefore = this.options.clock() + BACKGROUND_RETRY_MS;
    });
  }

  /**
   * One renewal (the shared flight): `rejected`, a token this attachment just dropped, is deleted
   * from the store (compare-and-delete) and never adopted. The cross-process part (shared token,
   * lock, waiting for another process, shared failure and lockout) is {@link SharedRenewal}'s; this
   * acts on how it says the renewal begins.
   */
  private async refresh(background: boolean, rejected: string | undefined): Promise<StoredToken> {
    const previous = this.current;
    if (rejected !== undefined) await this.store.delete(rejected);
    const start = await this.renewal.begin({
      takes: (token) => {
        this.endLockoutEpisodeIfOver(token);
        return this.isUsableShared(token, previous, rejected, background);
      },
      lockedOut: (lockout, now) => {
        if (lockout) this.cooldown.adopt(lockout, now);
        return this.cooldown.isOpen(now);
      },
      failed: (failure, now) => this.adoptFailure(failure, now),
    });
    try {
      if (start.kind === 'token') return this.adopt(start.token);
      // Served from this process's negative cache too (see adoptFailure).
      if (start.kind === 'failure') {
        if (this.failure) throw this.failure.error;
        throw fromStoredFailure(start.failure);
      }
      if (start.kind === 'locked') throw this.lockedError(this.options.clock());
      return await traceTokenFetch(this.options.events, background, () =>
        this.fetchAndStore(previous, rejected, background),
      );
    } finally {
      if (start.release) await start.release();
    }
  }

  /**
   * A permanent failure another process shared: served here for what remains of it (as the store
   * measures it), at most `failureCacheMs`. One already adopted is not adopted again, so reading it
   * again never extends this process's negative cache. Returns whether it stops the renewal now.
   */
  private adoptFailure(shared: StoredFailure, now: number): boolean {
    const id = sharedIdentity(shared, shared.message, shared.attempts);
    if (id !== this.sharedFailure) {
      this.sharedFailure = id;
      const until = sharedEnd(shared, now, this.options.failureCacheMs);
      if (until > now) this.failure = { error: fromStoredFailure(shared), until };
    }
    return this.failure !== undefined && this.failure.until > now;
  }

  /**
   * A shared token obtained after this process's cool-down ended means the fleet's trial call
   * succeeded: the lockout episode is over here too, so the next lockout starts the doubling afresh
   * instead of carrying this process's count into a new episode.
   */
  private endLockoutEpisodeIfOver(token: StoredToken): void {
    const { cooldown } = this;
    if (cooldown.consecutive > 0 && !cooldown.isOpen(this.options.clock()) && token.obtainedAt >= cooldown.until) {
      cooldown.close();
    }
  }

  private async fetchAndStore(
    previous: StoredToken | undefined,
    rejected: string | undefined,
    background: boolean,
  ): Promise<StoredToken> {
    const outcome = await this.fetcher.fetch(this.refreshToken ?? previous?.refreshToken, this.flightTransport);
    // No token endpoint could be discovered: not cached here, the discovery has its own back-off.
    if (outcome.kind === 'discovery') throw outcome.error;
    if (outcome.kind === 'failed') {
      const { error } = outcome;
      // Permanent failures are served from a short negative cache; transient ones were already retried.
      if (!(error instanceof TokenEndpointError && error.transient)) {
        const until = this.options.clock() + this.options.failureCacheMs;
        this.failure = { error, until };
        // Shared before the lock is released, so the processes waiting for it fail at once, alike.
        const shared = this.options.failureCacheMs > 0 ? toStoredFailure(error, until) : undefined;
        if (shared) await this.store.setFailure(shared);
      }
      throw error;
    }
    if (outcome.kind === 'lockout') {
      const at = this.options.clock();
      const state = this.cooldown.open(outcome.failure, at, this.options.random(), failureAnswer(outcome.failure));
      await this.store.setLockout(state);
      emit(this.options.hooks, 'onLockoutOpened', {
        retryAt: state.until,
        retryAfterMs: state.until - at,
        consecutive: state.consecutive,
        error: state.error,
        status: state.status,
        ...(this.options.tenant !== undefined && { tenant: this.options.tenant }),
      });
      throw this.lockedError(at);
    }
    const token = outcome.token;
    // A main-grant token replaces the refresh-token state, so one dropped by invalid_grant is not tried again.
    if (outcome.grant !== 'refresh_token') this.refreshToken = undefined;
    this.failure = undefined;
    if (this.cooldown.close()) {
      await this.store.setLockout(undefined);
      emit(this.options.hooks, 'onLockoutClosed', { at: this.options.clock() });
    }
    this.adopt(token);
    await this.store.set(token);
    const event = { grant: outcome.grant, expiresAt: token.expiresAt, background, ...this.options.selection };
    // Many tenants: whose token (a tenant's name, not a secret).
    if (this.options.tenant !== undefined) Object.assign(event, { tenant: this.options.tenant });
    emit(this.options.hooks, previous || rejected ? 'onTokenRenewed' : 'onTokenAcquired', event);
    return token;
  }

  private isUsableShared(
    shared: StoredToken,
    previous: StoredToken | undefined,
    rejected: string | undefined,
    background: boolean,
  ): boolean {
    if (shared.accessToken === rejected || shared.accessToken === previous?.accessToken) return false;
    const state = freshness(shared, this.options.clock(), this.options.refreshSkewMs);
    return background ? state === 'fresh' : state !== 'expired';
  }

  private adopt(token: StoredToken): StoredToken {
    this.current = token;
    if (token.refreshToken !== undefined) this.refreshToken = token.refreshToken;
    return token;
  }

  private lockedError(now: number): AccountLockedError {
    return new AccountLockedError(
      this.cooldown.until,
      now,
      { error: this.cooldown.error, status: this.cooldown.status },
      { response: this.cooldown.answer },
    );
  }
}
