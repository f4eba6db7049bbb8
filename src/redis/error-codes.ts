/**
 * Codes of {@link RedisStoreError}. A client's own code is kept when it has one (`ECONNREFUSED`,
 * `ETIMEDOUT`…); otherwise one of these, or the Redis error prefix of a reply error (`WRONGTYPE`,
 * `READONLY`, `NOSCRIPT`, `OOM`, `CLUSTERDOWN`, `ERR`…).
 */
export const REDIS_ERROR_CODES = {
  /** The client could not reach Redis: connection closed, retries exhausted, cluster unreachable. */
  unavailable: 'REDIS_UNAVAILABLE',
  /** Any other failure of a command. */
  commandFailed: 'REDIS_COMMAND_FAILED',
  /** A stored value is not one this store wrote. */
  badValue: 'REDIS_BAD_VALUE',
  /** A stored token could not be decrypted (unknown key id, wrong key, tampered value). */
  decryptFailed: 'REDIS_DECRYPT_FAILED',
} as const;

/** Error names (ioredis, node-redis v4/v5) and messages that mean "Redis cannot be reached". */
const UNAVAILABLE_NAMES = new Set([
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
  'ClientClosedError',
  'ClientOfflineError',
  'ConnectionTimeoutError',
  'SocketClosedUnexpectedlyError',
  'SocketTimeoutError',
  'DisconnectsClientError',
]);
const UNAVAILABLE_MESSAGE =
  /connection is closed|client is closed|client is offline|stream isn't writeable|socket closed unexpectedly|max retries per request|failed to refresh slots cache|none of startup nodes/i;
/** Redis reply errors start with an upper-case code: `WRONGTYPE Operation against…`. */
const REPLY_PREFIX = /^([A-Z][A-Z_]{1,31})\s/;

/** The code of what a client threw: its own string code, else a mapped one; never undefined. */
export function redisErrorCode(error: unknown): string {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string' && own !== '') return own;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (UNAVAILABLE_NAMES.has(name) || UNAVAILABLE_MESSAGE.test(message)) return REDIS_ERROR_CODES.unavailable;
  const prefix = REPLY_PREFIX.exec(message);
  if (prefix) return prefix[1];
  return REDIS_ERROR_CODES.commandFailed;
}
