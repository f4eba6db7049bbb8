import { OAuth2OptionsError } from '../errors';
import { describe } from '../validate-options';
import type { RedisClientLike } from './client';
import { DEFAULT_PREFIX } from './keys';

/** Options of {@link RedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /** Prefix of every key the store writes, to keep them apart from an application's own keys. @default 'axios-oauth2-bearer:' */
  prefix?: string;
  /**
   * Life of the cross-process renewal lock, in ms: a holder that dies blocks the others this long at
   * most. Also how long a process waits for the holder's token before trying the lock itself. Keep it
   * above the time one token request takes. @default 10000
   */
  lockTtlMs?: number;
  /** Longest wait for one Redis reply, in ms; then the command fails and the plugin carries on without Redis. @default 1000 */
  commandTimeoutMs?: number;
  /**
   * After a failed command, how long the store skips Redis (its commands fail at once, the plugin
   * fetches tokens in-process), so a Redis that is down does not slow every renewal. 0: never skip. @default 2000
   */
  pauseAfterErrorMs?: number;
  /** Clock in epoch ms, to compute TTLs from `expiresAt`; pass the plugin's `clock` if you changed it. @default Date.now */
  clock?: () => number;
}

/** The options with defaults applied. */
export type ResolvedRedisOptions = Required<RedisTokenStoreOptions>;

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
    clock = Date.now,
  } = options;
  if (typeof prefix !== 'string') fail('prefix', 'a string', prefix);
  if (!isPositiveInteger(lockTtlMs)) fail('lockTtlMs', 'a positive integer', lockTtlMs);
  if (!isPositiveInteger(commandTimeoutMs)) fail('commandTimeoutMs', 'a positive integer', commandTimeoutMs);
  if (!(Number.isInteger(pauseAfterErrorMs) && pauseAfterErrorMs >= 0))
    fail('pauseAfterErrorMs', 'a non-negative integer', pauseAfterErrorMs);
  if (typeof clock !== 'function') fail('clock', 'a function', clock);
  return { prefix, lockTtlMs, commandTimeoutMs, pauseAfterErrorMs, clock };
}
