import type { StoredFailure, StoredLockout, StoredToken, TokenStore } from './token-store';

/** How long a renewal lock of the memory store is held at most, should its holder never release it. */
export const MEMORY_LOCK_MS = 30_000;

/**
 * The default store: a map in this process. Share one instance between attachments to share tokens:
 * they then also share one renewal (a lock per key; the others wait for its token and wake as soon
 * as it is stored).
 */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  private readonly lockouts = new Map<string, StoredLockout>();
  /** Renewal locks: key → when the lock lapses (monotonic ms). */
  private readonly locks = new Map<string, number>();
  private readonly listeners = new Map<string, Set<() => void>>();

  private readonly failures = new Map<string, StoredFailure>();

  /** How long an attachment that lost the lock waits for the holder's token. */
  readonly lockWaitMs = MEMORY_LOCK_MS;

  get(key: string): Promise<StoredToken | undefined> {
    return Promise.resolve(this.tokens.get(key));
  }

  set(key: string, token: StoredToken): Promise<void> {
    this.tokens.set(key, token);
    this.wake(key);
    return Promise.resolve();
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
    return Promise.resolve(this.lockouts.get(key));
  }

  setLockout(key: string, lockout: StoredLockout | undefined): Promise<void> {
    if (lockout) this.lockouts.set(key, lockout);
    else this.lockouts.delete(key);
    this.wake(key);
    return Promise.resolve();
  }

  getFailure(key: string): Promise<StoredFailure | undefined> {
    return Promise.resolve(this.failures.get(key));
  }

  setFailure(key: string, failure: StoredFailure | undefined): Promise<void> {
    if (failure) this.failures.set(key, failure);
    else this.failures.delete(key);
    this.wake(key);
    return Promise.resolve();
  }

  private wake(key: string): void {
    const listeners = this.listeners.get(key);
    if (listeners) for (const listener of [...listeners]) listener();
  }
}
