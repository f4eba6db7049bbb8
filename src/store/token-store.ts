/** A token as the plugin caches it. Times are epoch milliseconds. */
export interface StoredToken {
  accessToken: string;
  /** `token_type` as the server sent it (compared case-insensitively): a bearer one, or `DPoP` with `senderConstraint: dpop()`. */
  tokenType: string;
  /** When the token request was sent: the start of the token's life. */
  obtainedAt: number;
  /**
   * `obtainedAt + expires_in`; without `expires_in`, the access token's JWT `exp`, else
   * `obtainedAt + defaultTokenLifetimeSeconds`. Undefined only in a token stored by an older version
   * of the plugin (then used until rejected).
   */
  expiresAt?: number;
  /** The refresh token, when the server issued one. */
  refreshToken?: string;
  /** `scope` granted, when the server said. */
  scope?: string;
}

/** A lockout cool-down as shared through a store. */
export interface StoredLockout {
  /**
   * Epoch ms when the cool-down ends, on the clock of the process that opened it. A reader uses it
   * only when the store gives no {@link remainingMs}, and never beyond its own limits.
   */
  until: number;
  /**
   * How long the cool-down still lasts, as the store measures it when read (Redis: the key's PTTL,
   * on Redis's clock), so that a writer's clock does not decide how long a reader waits.
   */
  remainingMs?: number;
  /** Consecutive lockouts so far (drives the doubling). */
  consecutive: number;
  error?: string;
  status?: number;
}

/**
 * A permanent token-endpoint failure (`invalid_client`…) as shared through a store, so every
 * process of a fleet fails fast with the same error instead of each calling the endpoint again.
 * It holds what the plugin's `TokenEndpointError` shows and nothing else: no secret.
 */
export interface StoredFailure {
  /**
   * Epoch ms until which the failure is served from the store (the `failureCacheMs` negative cache),
   * on the writer's clock; as for {@link StoredLockout.until}, {@link remainingMs} wins when given.
   */
  until: number;
  /** How long the failure is still served, as the store measures it when read (Redis: the key's PTTL). */
  remainingMs?: number;
  /** The error's message (already free of secrets). */
  message: string;
  error?: string;
  errorDescription?: string;
  errorUri?: string;
  status?: number;
  attempts: number;
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
   * How long one round of waiting for the winner lasts. While waiting, the process tries the lock
   * at each wake-up or poll, so it takes over as soon as the winner releases it (having failed) or
   * the lock expires (a winner that died); after 3 rounds it renews on its own.
   * Should match the lock's TTL.
   */
  readonly lockWaitMs?: number;
  /** Optional: shares a lockout cool-down with other processes. */
  getLockout?(key: string): Promise<StoredLockout | undefined>;
  setLockout?(key: string, lockout: StoredLockout | undefined): Promise<void>;
  /**
   * Optional: shares a permanent token-endpoint failure with other processes until `failure.until`
   * (`undefined` clears it). The process that holds the renewal lock stores it before releasing the
   * lock, so the processes waiting for that lock fail at once with the same error.
   */
  setFailure?(key: string, failure: StoredFailure | undefined): Promise<void>;
  /** Optional: the shared permanent failure of `key`, if one was stored and has not expired. */
  getFailure?(key: string): Promise<StoredFailure | undefined>;
  /**
   * Optional: calls `listener` whenever another process stores a token, releases the renewal
   * lock, or stores a failure or a lockout under `key`, so waiting processes wake at once instead
   * of at their next poll. Resolves, once listening, to a function that stops the listening.
   * Without it (or when it rejects) waiting processes poll the store.
   */
  subscribe?(key: string, listener: () => void): Promise<() => void>;
  /**
   * Optional: `attachOAuth2` calls it once, at attach time, with the plugin's clock (its `clock`
   * option, or the default monotonic one), so a store that reads the time (TTLs, pauses) reads the
   * same clock as the plugin. A store attached several times follows the last attachment's clock.
   */
  useClock?(clock: () => number): void;
}
