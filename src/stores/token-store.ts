/** A token as the plugin caches it. Times are epoch milliseconds. */
export interface StoredToken {
  accessToken: string;
  /** `token_type` as the server sent it (compared case-insensitively; always bearer). */
  tokenType: string;
  /** When the token request was sent: the start of the token's life. */
  obtainedAt: number;
  /** `obtainedAt + expires_in`; undefined when the server sent no `expires_in` (used until rejected). */
  expiresAt?: number;
  /** The refresh token, when the server issued one. */
  refreshToken?: string;
  /** `scope` granted, when the server said. */
  scope?: string;
}

/** A lockout cool-down as shared through a store. */
export interface StoredLockout {
  /** Epoch ms when the cool-down ends. */
  until: number;
  /** Consecutive lockouts so far (drives the doubling). */
  consecutive: number;
  error?: string;
  status?: number;
}

/**
 * Where tokens live. The default is per-attachment memory; a shared store (e.g. Redis) lets many
 * processes use one token. Keys never contain a secret.
 */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  /**
   * Deletes the token under `key`. With `ifAccessToken`, deletes only if the stored token is that one
   * (compare-and-delete), so a newer token stored meanwhile survives.
   */
  delete(key: string, ifAccessToken?: string): Promise<void>;
  /**
   * Optional: cross-process single flight. Tries to take the renewal lock of `key`; resolves to a
   * release function when this process won, or `undefined` when another process holds the lock
   * (the plugin then waits for that process's token to appear through `get`).
   */
  acquireLock?(key: string): Promise<(() => Promise<void>) | undefined>;
  /**
   * How long a process that lost the lock waits for the winner's token before trying to take the
   * lock itself (a winner that died leaves a lock that expires). Should match the lock's TTL.
   */
  readonly lockWaitMs?: number;
  /**
   * Optional: resolves when the token or the renewal lock of `key` changes (stored, deleted, released),
   * or after `timeoutMs` at the latest, or when `signal` aborts, so an attachment waiting for another
   * one's token wakes at once instead of polling. Without it the plugin polls `get` with backoff.
   */
  waitForChange?(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Optional: shares a lockout cool-down with other processes. */
  getLockout?(key: string): Promise<StoredLockout | undefined>;
  setLockout?(key: string, lockout: StoredLockout | undefined): Promise<void>;
}
