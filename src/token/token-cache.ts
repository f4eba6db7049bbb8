import { raceSignal, sleep, type SignalLike } from '../util/abort';
import { AccountLockedError, TokenEndpointError } from '../errors';
import { emit } from '../options/hooks';
import { Lifecycle } from '../attach/lifecycle';
import { Cooldown } from '../policy/cooldown';
import { RejectionBreaker } from '../policy/rejection-breaker';
import type { SafeStore } from '../store/safe-store';
import { fromStoredFailure, toStoredFailure } from '../store/shared-failure';
import type { StoredToken } from '../store/token-store';
import { freshness, freshnessIn, tokenWindows, type Freshness, type TokenWindows } from './windows';
import { failureAnswer, type GrantRunner } from './grant-runner';
import type { RequestTransport } from '../interceptors/transport';
import type { ResolvedOptions } from '../options/validate-options';
import { WakeSignal } from '../store/wake-signal';

/** After a failed background refresh, the next one waits this long (the old token keeps serving). */
export const BACKGROUND_RETRY_MS = 5_000;
/**
 * Rounds of waiting (`lockWaitMs` each) for other processes' renewals before renewing in this
 * process regardless: reached only when successive lock holders each hang for the lock's whole TTL.
 */
export const MAX_LOCK_ROUNDS = 3;

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
  private current?: StoredToken;
  /** The windows of `current`, computed once per token for the hot path. */
  private windows: { token?: StoredToken; bounds?: TokenWindows } = {};
  private refreshToken?: string;
  private inflight?: Promise<StoredToken>;
  private backgroundNotBefore = 0;
  private failure?: { error: unknown; until: number };
  private pendingRejection?: string;
  /** The transport of the request that started the flight in progress (see {@link RequestTransport}). */
  private flightTransport?: RequestTransport;
  private readonly cooldown: Cooldown;
  private readonly rejections: RejectionBreaker;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly fetcher: GrantRunner,
    private readonly store: SafeStore,
    /** Closed by `detach()`: stops the renewal and rejects every waiting caller with `DetachedError`. */
    private readonly lifecycle: Lifecycle = new Lifecycle(),
  ) {
    this.cooldown = new Cooldown(options);
    this.rejections = new RejectionBreaker(options);
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

  /** {@link freshness} of `token`, with the windows of the cached token computed once per token. */
  private freshnessOf(token: StoredToken, now: number): Freshness {
    if (this.windows.token !== token) {
      this.windows = { token, bounds: tokenWindows(token, this.options.refreshSkewMs) };
    }
    return freshnessIn(this.windows.bounds, now);
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
    if (token && !this.inflight) {
      this.current = undefined;
      this.pendingRejection = token.accessToken;
    }
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
    if (this.rejections.suspicious && config?.oauth2?.injected) this.rejections.accepted();
  }

  /** Drops the rejected cached token; throws `TokenRejectedError` when this rejection opens the cool-down. */
  private dropRejected(token: StoredToken, rejection: Rejection | undefined): void {
    this.current = undefined;
    this.pendingRejection = token.accessToken;
    const storm = this.rejections.rejected(token, rejection?.status, rejection?.cause, rejection?.response);
    if (storm) throw storm;
  }

  /** Ends the attachment (`detach()`): see {@link Lifecycle}. */
  close(): void {
    this.lifecycle.close();
  }

  /** Forgets the cached token and refresh token, here and in the store. */
  async invalidate(): Promise<void> {
    const token = this.current;
    this.current = undefined;
    this.refreshToken = undefined;
    await this.store.delete(token?.accessToken);
  }

  private async obtain(signals: Array<SignalLike | undefined>, transport?: RequestTransport): Promise<StoredToken> {
    const { lifecycle } = this;
    if (lifecycle.aborted) throw lifecycle.canceledError();
    if (!this.inflight) {
      const now = this.options.clock();
      const storm = this.rejections.openError(now);
      if (storm) throw storm;
      if (this.cooldown.isOpen(now)) {
        if (this.options.whileLocked === 'fail') throw this.lockedError(now);
        await sleep(this.cooldown.until - now, lifecycle, ...signals);
        // The trial call of another waiter may already have brought a token.
        return this.getTokenFor(transport, signals);
      }
      if (this.failure && this.failure.until > now) throw this.failure.error;
    }
    try {
      return await raceSignal(this.inflight ?? this.startRefresh(false, transport), lifecycle, ...signals);
    } catch (error) {
      // 'wait': a flight that ran into (or opened) a cool-down is waited out, not reported.
      const waitOut = this.options.whileLocked === 'wait' && this.cooldown.isOpen(this.options.clock());
      if (waitOut && error instanceof AccountLockedError) return this.obtain(signals, transport);
      throw error;
    }
  }

  private startRefresh(background: boolean, transport?: RequestTransport): Promise<StoredToken> {
    this.flightTransport = transport;
    const flight = this.refresh(background).finally(() => {
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

  private async refresh(background: boolean): Promise<StoredToken> {
    const previous = this.current;
    const rejected = this.pendingRejection;
    this.pendingRejection = undefined;
    if (rejected !== undefined) await this.store.delete(rejected);
    const usable = (token: StoredToken) => this.isUsableShared(token, previous, rejected, background);
    for (let round = 1; ; round++) {
      const shared = await this.store.get();
      if (shared) this.endLockoutEpisodeIfOver(shared);
      if (shared && usable(shared)) return this.adopt(shared);
      await this.throwIfSharedStop();
      let lock = round <= MAX_LOCK_ROUNDS ? await this.store.acquireLock() : ({ status: 'none' } as const);
      if (lock.status === 'lost') {
        const waited = await this.waitForSharedToken(usable);
        if (!waited) continue; // the holder is slow or the store is away: try again, at most MAX_LOCK_ROUNDS
        if ('token' in waited) return this.adopt(waited.token);
        lock = waited.lock; // the holder released the lock without a token: take over at once
      }
      try {
        if (lock.status === 'won') {
          // Read again under the lock: the previous holder may have stored its token, a failure or
          // a lockout between our last read and its release of the lock.
          const stored = await this.store.get();
          if (stored) this.endLockoutEpisodeIfOver(stored);
          if (stored && usable(stored)) return this.adopt(stored);
          await this.throwIfSharedStop();
        }
        return await this.fetchAndStore(previous, rejected, background);
      } finally {
        if (lock.status === 'won') await lock.release();
      }
    }
  }

  /**
   * Waits for the process holding the renewal lock: until its token appears (returned), its
   * failure or lockout appears (thrown), or it releases the lock without a token, in which case
   * this process takes the lock (returned) and renews. Woken by the store's notifications when it
   * has them, else by polling with backoff. Undefined after `lockWaitMs` or when the store fails.
   */
  private async waitForSharedToken(
    usable: (token: StoredToken) => boolean,
  ): Promise<{ token: StoredToken } | { lock: { status: 'won'; release: () => Promise<void> } } | undefined> {
    const deadline = this.options.clock() + this.store.lockWaitMs;
    const wake = new WakeSignal();
    wake.arm();
    // Not awaited: polling starts at once, and a subscriber that is slow or away costs nothing.
    const listening = this.store.subscribe(wake.notify);
    try {
      for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
        const left = deadline - this.options.clock();
        if (left <= 0) return undefined;
        await wake.wait(Math.min(delay, Math.max(1, left)), this.lifecycle);
        wake.arm(); // before reading: a change during the reads below ends the next wait at once
        const shared = await this.store.get();
        if (shared) this.endLockoutEpisodeIfOver(shared);
        if (shared && usable(shared)) return { token: shared };
        if (this.store.failing) return undefined; // the store is away: stop waiting, renew in this process
        await this.throwIfSharedStop();
        const lock = await this.store.acquireLock();
        if (lock.status === 'won') return { lock };
        if (lock.status === 'none') return undefined;
      }
    } finally {
      void listening.then((stop) => stop?.());
    }
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

  /**
   * Throws what stops a renewal, as shared by other processes: a permanent failure (then served
   * from this process's negative cache too) or a lockout cool-down (adopted). Both read at once.
   */
  private async throwIfSharedStop(): Promise<void> {
    const [failure, lockout] = await Promise.all([this.store.getFailure(), this.store.getLockout()]);
    const now = this.options.clock();
    if (failure && failure.until > now) {
      const error = fromStoredFailure(failure);
      this.failure = { error, until: failure.until };
      throw error;
    }
    if (lockout) this.cooldown.adopt(lockout);
    if (this.cooldown.isOpen(now)) throw this.lockedError(now);
  }

  private async fetchAndStore(
    previous: StoredToken | undefined,
    rejected: string | undefined,
    background: boolean,
  ): Promise<StoredToken> {
    const outcome = await this.fetcher.fetch(this.refreshToken ?? previous?.refreshToken, this.flightTransport);
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
    const event = { grant: outcome.grant, expiresAt: token.expiresAt, background };
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
