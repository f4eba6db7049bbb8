import type { StoredLockout, StoredToken, TokenStore } from './token-store';

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
  private readonly waiters = new Map<string, Set<() => void>>();

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
   * Resolves when the token or lock of `key` changes, after `timeoutMs` (an unref'd timer, cleared on
   * wake), or when `signal` aborts.
   */
  waitForChange(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.waiters.get(key);
      if (!waiters) this.waiters.set(key, (waiters = new Set()));
      const set = waiters;
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      (timer as { unref?: () => void }).unref?.();
      set.add(done);
      if (signal?.aborted) done();
      else signal?.addEventListener('abort', done);
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

  private wake(key: string): void {
    const waiters = this.waiters.get(key);
    if (!waiters) return;
    this.waiters.delete(key);
    for (const done of waiters) done();
  }
}
