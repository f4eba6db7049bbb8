/**
 * `axios-oauth2-bearer/redis`: a {@link RedisTokenStore} that shares one token, one renewal and one
 * lockout cool-down across every process using the same Redis. Bring your own client: ioredis
 * fits as is (an optional peer dependency), node-redis through {@link fromNodeRedis}.
 *
 * @packageDocumentation
 */
export { RedisTokenStore } from './redis-token-store';
export type { RedisTokenStoreOptions } from './options';
export type { RedisClientLike, RedisSubscriberLike } from './client';
export type { RedisEncryptionKey } from './encryption';
export {
  fromNodeRedis,
  fromNodeRedisSubscriber,
  type NodeRedisClientLike,
  type NodeRedisSubscriberLike,
} from './node-redis';
export { RedisStoreError } from './errors';
export { REDIS_ERROR_CODES } from './error-codes';
