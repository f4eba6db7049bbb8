import type { StoredFailure, StoredLockout, StoredToken, TokenStore } from './token-store';

/** How long a renewal lock of the memory store is held at most, should its holder never release it. */
export const MEMORY_LOCK_MS = 30_000;

/** Options of {@link MemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /**
   * Most tokens held; storing one more drops the expired ones, then the least recently used.
   * @default 1000
   */
  maxTokens?: number;
}

/**
 * The default store: a map in this process. Share one instance between attachments to share tokens:
 * they then also share one renewal (a lock per key; the others wait for its token and wake as soon
 * as it is stored).
 *
 * Bounded, without a timer: at most `maxTokens` tokens (least recently used dropped first), and an
 * expired token, lockout or failure is dropped when read, or at the next token stored under any key.
 * Expiry is read on the plugin's clock (`attachOAuth2` hands it over through {@link useClock}).
 */
export class MemoryTokenStore implements TokenStore {
  /** Most tokens held (see {@link MemoryTokenStoreOptions.maxTokens}). */
  readonly maxTokens: number;
  /** Tokens by key, least recently used first. */
  private readonly tokens = new Map<string, StoredToken>();
  private readonly lockouts = new Map<string, StoredLockout>();
  /** Renewal locks: key → when the lock lapses (monotonic ms). */
  private readonly locks = new Map<string, number>();
  private readonly listeners = new Map<string, Set<() => void>>();

  private readonly failures = new Map<string, StoredFailure>();

  /** How long an attachment that lost the lock waits for the holder's token. */
  readonly lockWaitMs = MEMORY_LOCK_MS;
  private clock: () => number = Date.now;

  /** @throws {RangeError} when `maxTokens` is not a positive integer */
  constructor(options: MemoryTokenStoreOptions = {}) {
    const { maxTokens = 1000 } = options;
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      throw new RangeError(`MemoryTokenStore: "maxTokens" must be a positive integer, got ${typeof maxTokens}`);
    }
    this.maxTokens = maxTokens;
  }

  /** How many tokens the store holds now (expired ones not yet dropped included). */
  get size(): number {
    return this.tokens.size;
  }

  get(key: string): Promise<StoredToken | undefined> {
    const token = this.tokens.get(key);
    if (!token) return Promise.resolve(undefined);
    this.tokens.delete(key);
    if (this.expired(token.expiresAt)) return Promise.resolve(undefined);
    this.tokens.set(key, token); // now the most recently used
    return Promise.resolve(token);
  }

  set(key: string, token: StoredToken): Promise<void> {
    this.tokens.delete(key);
    this.tokens.set(key, token);
    this.sweep();
    this.wake(key);
    return Promise.resolve();
  }

  /** Called by `attachOAuth2` with the plugin's clock: expiry is read on it. The last attachment's wins. */
  useClock(clock: () => number): void {
    this.clock = clock;
  }

  delete(key: string, ifAccessToken?: string): Promise<void> {
    const current = this.tokens.get(key);
    if (ifAccessToken === undefined || current?.accessToken === ifAccessToken) this.tokens.delete(key);
    return Promise.resolve();
  }

  /** Takes the renewal lock of `key`: a release function, or undefined when another attachment holds it. */
  acquireLock(key: string): Promise<(() => Promise<void>) | undefined> {
    const now = performance.now();
    const lapses = this.locks.get(key);
    if (lapses !== undefined && lapses > now) return Promise.resolve(undefined);
    const mine = now + MEMORY_LOCK_MS;
    this.locks.set(key, mine);
    return Promise.resolve(() => {
      if (this.locks.get(key) === mine) this.locks.delete(key);
      this.wake(key);
      return Promise.resolve();
    });
  }

  /**
   * Calls `listener` whenever the token, lock, lockout or shared failure of `key` changes, so an
   * attachment waiting for another one's renewal wakes at once instead of at its next poll.
   */
  subscribe(key: string, listener: () => void): Promise<() => void> {
    let listeners = this.listeners.get(key);
    if (!listeners) this.listeners.set(key, (listeners = new Set()));
    const set = listeners;
    set.add(listener);
    return Promise.resolve(() => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    });
  }

  getLockout(key: string): Promise<StoredLockout | undefined> {
    return Promise.resolve(this.live(this.lockouts, key));
  }

  setLockout(key: string, lockout: StoredLockout | undefined): Promise<void> {
    if (lockout) this.lockouts.set(key, lockout);
    else this.lockouts.delete(key);
    this.wake(key);
    return Promise.resolve();
  }

  getFailure(key: string): Promise<StoredFailure | undefined> {
    return Promise.resolve(this.live(this.failures, key));
  }

  setFailure(key: string, failure: StoredFailure | undefined): Promise<void> {
    if (failure) this.failures.set(key, failure);
    else this.failures.delete(key);
    this.wake(key);
    return Promise.resolve();
  }

  private expired(at: number | undefined): boolean {
    return at !== undefined && at <= this.clock();
  }

  /** The lockout or failure under `key` unless it ended (then dropped). */
  private live<T extends { until: number }>(map: Map<string, T>, key: string): T | undefined {
    const value = map.get(key);
    if (value && this.expired(value.until)) {
      map.delete(key);
      return undefined;
    }
    return value;
  }

  /** Drops what expired, then the least recently used tokens beyond `maxTokens`. */
  private sweep(): void {
    for (const [key, token] of this.tokens) if (this.expired(token.expiresAt)) this.tokens.delete(key);
    for (const [key, lockout] of this.lockouts) if (this.expired(lockout.until)) this.lockouts.delete(key);
    for (const [key, failure] of this.failures) if (this.expired(failure.until)) this.failures.delete(key);
    for (const key of this.tokens.keys()) {
      if (this.tokens.size <= this.maxTokens) break;
      this.tokens.delete(key);
    }
  }

  private wake(key: string): void {
    const listeners = this.listeners.get(key);
    if (listeners) for (const listener of [...listeners]) listener();
  }
}
