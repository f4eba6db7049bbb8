/**
 * Every RedisStoreError has a code: the client's own, or a mapped one. Checked against the errors
 * ioredis really throws (a stopped server, a wrong-type reply) and the names node-redis uses.
 */
import Redis from 'ioredis';
import { REDIS_ERROR_CODES, RedisStoreError, RedisTokenStore } from '../../src/redis';
import { redisErrorCode } from '../../src/redis/error-codes';
import { startRedisServer } from '../helpers/redis-server';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

test.each([
  [
    'a code of its own is kept',
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    'ECONNREFUSED',
  ],
  [
    'ioredis: retries exhausted',
    named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 1).'),
    'REDIS_UNAVAILABLE',
  ],
  ['ioredis: closed connection', new Error('Connection is closed.'), 'REDIS_UNAVAILABLE'],
  [
    'ioredis: offline queue off',
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    'REDIS_UNAVAILABLE',
  ],
  ['ioredis: cluster down', named('ClusterAllFailedError', 'Failed to refresh slots cache.'), 'REDIS_UNAVAILABLE'],
  ['node-redis: client closed', named('ClientClosedError', 'The client is closed'), 'REDIS_UNAVAILABLE'],
  [
    'node-redis: socket closed',
    named('SocketClosedUnexpectedlyError', 'Socket closed unexpectedly'),
    'REDIS_UNAVAILABLE',
  ],
  [
    'a reply error: its prefix',
    named('ReplyError', 'WRONGTYPE Operation against a key holding the wrong kind of value'),
    'WRONGTYPE',
  ],
  ['a reply error: READONLY', new Error("READONLY You can't write against a read only replica."), 'READONLY'],
  ['anything else', new Error('something odd'), 'REDIS_COMMAND_FAILED'],
  ['not even an Error', 'gone', 'REDIS_COMMAND_FAILED'],
])('%s', (_, error, code) => {
  expect(redisErrorCode(error)).toBe(code);
  expect(RedisStoreError.from('GET', error, [])).toMatchObject({ code });
});

test('the generic codes are exported', () => {
  expect(REDIS_ERROR_CODES).toEqual({
    unavailable: 'REDIS_UNAVAILABLE',
    commandFailed: 'REDIS_COMMAND_FAILED',
    badValue: 'REDIS_BAD_VALUE',
    decryptFailed: 'REDIS_DECRYPT_FAILED',
  });
});

test('a real ioredis client while Redis is down: every failure has a code', async () => {
  const server = await startRedisServer();
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 20 });
  redis.on('error', () => undefined);
  try {
    const store = new RedisTokenStore(redis, { pauseAfterErrorMs: 0, commandTimeoutMs: 5_000 });
    await store.get('k');
    await server.stop();
    const codes: unknown[] = [];
    for (let i = 0; i < 16; i++) {
      const error = await store.get('k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      codes.push((error as RedisStoreError).code);
    }
    for (const code of codes)
      expect(code).toEqual(expect.stringMatching(/^(REDIS_UNAVAILABLE|ECONNREFUSED|ECONNRESET|ETIMEDOUT)$/));
    expect(codes).toContain('REDIS_UNAVAILABLE'); // ioredis's max-retries error, which has no code of its own
  } finally {
    redis.disconnect();
    await server.stop();
  }
});

test('a Redis reply error keeps its Redis code (a key of the wrong type)', async () => {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  try {
    const store = new RedisTokenStore(redis, { prefix: 'p:', pauseAfterErrorMs: 0 });
    const names = (await import('../../src/redis/keys')).redisKeys('p:', 'k');
    await redis.hset(names.token, 'a', 'b');
    await expect(store.get('k')).rejects.toMatchObject({ code: 'WRONGTYPE' });
    await redis.set(names.token, 'not json');
    await expect(store.get('k')).rejects.toMatchObject({ code: 'REDIS_BAD_VALUE' });
  } finally {
    redis.disconnect();
    await server.stop();
  }
});
