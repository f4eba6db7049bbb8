import { OAuth2OptionsError } from '../errors';
import { describe } from '../util/describe';
import type { RedisClientLike, RedisSubscriberLike } from './client';
import type { RedisEncryptionKey } from './encryption';
import { DEFAULT_PREFIX } from './keys';

/** Options of {@link RedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /** Prefix of every key the store writes, to keep them apart from an application's own keys. @default 'axios-oauth2-bearer:' */
  prefix?: string;
  /**
   * Life of the cross-process renewal lock, in ms: a holder that dies blocks the others this long at
   * most (then the first waiter to poll takes the lock over). A holder that fails releases the lock
   * at once and a waiter takes over without waiting for the TTL. Keep it above the time one token
   * request takes (retries included). @default 10000
   */
  lockTtlMs?: number;
  /** Longest wait for one Redis reply, in ms; then the command fails and the plugin carries on without Redis. @default 1000 */
  commandTimeoutMs?: number;
  /**
   * After a failed command, how long the store skips Redis (its commands fail at once, the plugin
   * fetches tokens in-process), so a Redis that is down does not slow every renewal. 0: never skip. @default 2000
   */
  pauseAfterErrorMs?: number;
  /**
   * Clock in epoch ms, to compute TTLs from `expiresAt` and time the pause after an error. Rarely
   * needed: `attachOAuth2` hands the store its own clock (see `TokenStore.useClock`); a clock given
   * here wins over it.
   * @default the clock of the plugin the store is attached with (`Date.now` until it is attached)
   */
  clock?: () => number;
  /**
   * A dedicated connection for pub/sub (ioredis: `redis.duplicate()`), so processes waiting for the
   * lock holder wake as soon as it stores its token or releases the lock, instead of at their next
   * poll (every 25 ms doubling to 500 ms). The store subscribes to one channel per cache key on it;
   * you own the connection and close it on shutdown. Without it (or when subscribing fails, which
   * `onStoreError` reports as `subscribe`) waiting processes poll. The store always publishes
   * when the client has `publish`, so processes with and without a subscriber mix. @default undefined
   */
  subscriber?: RedisSubscriberLike;
  /**
   * Encrypts stored tokens at rest with AES-256-GCM (node:crypto). Each key is 32 bytes with an id
   * stored beside each value: the first key encrypts, any listed key decrypts, so keys rotate by
   * putting the new key first and keeping the old one until its tokens expire (their TTL). A token
   * that does not decrypt (unknown id, wrong key, altered or unencrypted value) reads as "no
   * token": the read is reported through `onStoreError` (`RedisStoreError`, code
   * `REDIS_DECRYPT_FAILED`) and the plugin fetches a new token, which it stores encrypted with the
   * current key. Lockouts and failures are not encrypted (they hold no secret). Empty: values are
   * plain JSON. @default []
   */
  encryptionKeys?: readonly RedisEncryptionKey[];
}

/** The options with defaults applied. */
export type ResolvedRedisOptions = Required<Omit<RedisTokenStoreOptions, 'subscriber' | 'clock'>> &
  Pick<RedisTokenStoreOptions, 'subscriber' | 'clock'>;

function fail(option: string, expected: string, value: unknown): never {
  throw new OAuth2OptionsError(
    option,
    `axios-oauth2-bearer: RedisTokenStore option "${option}" must be ${expected}, got ${describe(value)}`,
  );
}

const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** Validates the client and the options; throws {@link OAuth2OptionsError} (a `TypeError`) naming the one at fault. */
export function resolveRedisOptions(client: RedisClientLike, options: RedisTokenStoreOptions): ResolvedRedisOptions {
  const methods = ['get', 'set', 'del', 'eval'] as const;
  if (!client || methods.some((m) => typeof (client as unknown as Record<string, unknown>)[m] !== 'function')) {
    fail(
      'client',
      'a Redis client with get, set, del and eval methods (an ioredis client, or fromNodeRedis(client))',
      client,
    );
  }
  if (options === null || typeof options !== 'object') fail('options', 'an object', options);
  const {
    prefix = DEFAULT_PREFIX,
    lockTtlMs = 10_000,
    commandTimeoutMs = 1_000,
    pauseAfterErrorMs = 2_000,
    clock,
    subscriber,
    encryptionKeys = [],
  } = options;
  if (typeof prefix !== 'string') fail('prefix', 'a string', prefix);
  if (!isPositiveInteger(lockTtlMs)) fail('lockTtlMs', 'a positive integer', lockTtlMs);
  if (!isPositiveInteger(commandTimeoutMs)) fail('commandTimeoutMs', 'a positive integer', commandTimeoutMs);
  if (!(Number.isInteger(pauseAfterErrorMs) && pauseAfterErrorMs >= 0))
    fail('pauseAfterErrorMs', 'a non-negative integer', pauseAfterErrorMs);
  if (clock !== undefined && typeof clock !== 'function') fail('clock', 'a function', clock);
  if (
    subscriber !== undefined &&
    (subscriber === null || typeof subscriber.subscribe !== 'function' || typeof subscriber.on !== 'function')
  )
    fail('subscriber', 'a Redis connection with subscribe and on methods (e.g. redis.duplicate())', subscriber);
  checkEncryptionKeys(encryptionKeys);
  return { prefix, lockTtlMs, commandTimeoutMs, pauseAfterErrorMs, clock, subscriber, encryptionKeys };
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

function checkEncryptionKeys(keys: unknown): void {
  if (!Array.isArray(keys)) fail('encryptionKeys', 'an array of { id, key }', keys);
  const seen = new Set<string>();
  keys.forEach((entry: unknown, i) => {
    const { id, key } = (entry ?? {}) as Partial<RedisEncryptionKey>;
    if (typeof id !== 'string' || !KEY_ID.test(id))
      fail(`encryptionKeys[${i}].id`, 'a string of 1-64 characters A-Z a-z 0-9 . _ -', id);
    if (seen.has(id)) fail(`encryptionKeys[${i}].id`, 'unique', id);
    seen.add(id);
    if (!(key instanceof Uint8Array) || key.length !== 32)
      fail(
        `encryptionKeys[${i}].key`,
        'a Buffer or Uint8Array of 32 bytes',
        key instanceof Uint8Array ? key.length : key,
      );
  });
}
