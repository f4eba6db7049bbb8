import { createHash } from 'node:crypto';

/** The default prefix of every Redis key the store writes. */
export const DEFAULT_PREFIX = 'axios-oauth2-bearer:';

/** The Redis keys of one cache key. */
export interface RedisKeys {
  /** The token (JSON), with a TTL equal to its remaining life. */
  token: string;
  /** The cross-process renewal lock (a random owner value), with a TTL of the lock's life. */
  lock: string;
  /** The shared lockout cool-down (JSON), with a TTL until the cool-down ends. */
  lockout: string;
  /** The shared permanent token-endpoint failure (JSON), with a TTL of the plugin's `failureCacheMs`. */
  failure: string;
}

/**
 * Names the Redis keys of `cacheKey`: `prefix` + kind + a SHA-256 digest of the cache key. The
 * plugin's cache key holds no secret already; hashing it again keeps any key a caller passes
 * (client ids included) out of Redis key names, which monitoring tools and `KEYS` show to anyone.
 */
export function redisKeys(prefix: string, cacheKey: string): RedisKeys {
  const digest = digestOf(cacheKey);
  return {
    token: `${prefix}token:${digest}`,
    lock: `${prefix}lock:${digest}`,
    lockout: `${prefix}lockout:${digest}`,
    failure: `${prefix}failure:${digest}`,
  };
}

/**
 * The pub/sub channel on which the store announces, for `cacheKey`, a token stored, the lock
 * released, and a failure or lockout stored: `prefix` + `events:` + the same digest as the keys.
 */
export function redisChannel(prefix: string, cacheKey: string): string {
  return `${prefix}events:${digestOf(cacheKey)}`;
}

function digestOf(cacheKey: string): string {
  return createHash('sha256').update(cacheKey, 'utf8').digest('hex').slice(0, 40);
}
