/**
 * RedisTokenStore against a real redis-server: JSON values with TTLs, hashed and prefixed keys,
 * compare-and-delete, the owner-only lock, shared lockouts, time-outs and secret-free errors.
 */
import Redis, { type Cluster } from 'ioredis';
import { OAuth2OptionsError, type StoredToken } from '../../src';
import {
  fromNodeRedis,
  RedisStoreError,
  RedisTokenStore,
  type RedisClientLike,
  type RedisSubscriberLike,
} from '../../src/redis';
import { DEFAULT_PREFIX, redisKeys } from '../../src/redis/keys';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

// Compile-time: ioredis clients fit the structural client type as they are.
export type IoredisFits = [Redis, Cluster, Redis] extends [RedisClientLike, RedisClientLike, RedisSubscriberLike]
  ? true
  : never;
const ioredisFits: IoredisFits = true;

let server: RedisServer;
let redis: Redis;
let n = 0;
/** A cache key of its own for every test. */
let key: string;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});
beforeEach(() => {
  key = `oauth2:test-${++n}`;
});

/** A token living `lifeMs` from now; `null`: no expiry. */
function token(accessToken: string, lifeMs: number | null = 60_000, extra: Partial<StoredToken> = {}): StoredToken {
  const now = Date.now();
  return {
    accessToken,
    tokenType: 'bearer',
    obtainedAt: now,
    ...(lifeMs === null ? {} : { expiresAt: now + lifeMs }),
    ...extra,
  };
}

describe('tokens', () => {
  test('a token round-trips as JSON of its known fields, refresh token included, in one key', async () => {
    const store = new RedisTokenStore(redis);
    expect(ioredisFits).toBe(true);
    const t = token('at-1', 60_000, { refreshToken: 'rt-1', scope: 'read write' });
    await store.set(key, { ...t, extra: 'dropped' } as StoredToken);
    expect(await store.get(key)).toEqual(t);
    const raw = JSON.parse((await redis.get(redisKeys(DEFAULT_PREFIX, key).token)) as string);
    expect(Object.keys(raw).sort()).toEqual([
      'accessToken',
      'digest',
      'expiresAt',
      'obtainedAt',
      'refreshToken',
      'scope',
      'tokenType',
    ]);
  });

  test('a missing token reads as undefined', async () => {
    expect(await new RedisTokenStore(redis).get(key)).toBeUndefined();
  });

  test('the TTL is the remaining life of the token (PX), none without expiry, nothing stored once expired', async () => {
    const store = new RedisTokenStore(redis);
    const name = redisKeys(DEFAULT_PREFIX, key).token;
    await store.set(key, token('at-1', 30_000));
    const ttl = await redis.pttl(name);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);

    await store.set(key, token('at-2', null));
    expect(await redis.pttl(name)).toBe(-1);
    expect((await store.get(key))?.accessToken).toBe('at-2');

    await store.delete(key);
    await store.set(key, token('at-3', -1));
    expect(await redis.exists(name)).toBe(0);
  });

  test('the TTL follows the clock option', async () => {
    const store = new RedisTokenStore(redis, { clock: () => Date.now() - 10_000 });
    await store.set(key, token('at-1', 30_000));
    expect(await redis.pttl(redisKeys(DEFAULT_PREFIX, key).token)).toBeGreaterThan(39_000);
  });

  test('a token expires from Redis with its life', async () => {
    const store = new RedisTokenStore(redis);
    await store.set(key, token('at-1', 150));
    expect((await store.get(key))?.accessToken).toBe('at-1');
    await new Promise((r) => setTimeout(r, 250));
    expect(await store.get(key)).toBeUndefined();
  });

  test('delete() without a token deletes; with one it compares and deletes (a newer token survives)', async () => {
    const store = new RedisTokenStore(redis);
    await store.set(key, token('newer'));
    await store.delete(key, 'stale'); // a process invalidating the token the API rejected
    expect((await store.get(key))?.accessToken).toBe('newer');
    await store.delete(key, 'newer');
    expect(await store.get(key)).toBeUndefined();
    await store.delete(key, 'absent'); // nothing stored: nothing happens
    await store.set(key, token('any'));
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
  });

  test('a malformed value is reported as a RedisStoreError, and compare-and-delete leaves it alone', async () => {
    const store = new RedisTokenStore(redis);
    const names = redisKeys(DEFAULT_PREFIX, key);
    for (const bad of [
      'not json',
      '[1]',
      '{"accessToken":""}',
      '{"accessToken":"a","tokenType":"bearer","obtainedAt":1,"expiresAt":"x"}',
    ]) {
      await redis.set(names.token, bad);
      await expect(store.get(key)).rejects.toThrow(RedisStoreError);
    }
    await redis.set(names.token, 'not json');
    await store.delete(key, 'not json');
    expect(await redis.exists(names.token)).toBe(1);
    await redis.set(names.lockout, '{"until":"soon"}');
    await expect(store.getLockout(key)).rejects.toThrow(/not a lockout/);
  });
});

describe('keys', () => {
  test('are the prefix, the kind and a hash: the cache key never appears', async () => {
    const store = new RedisTokenStore(redis, { prefix: 'app1:' });
    const cacheKey = `${key}:client-id-visible`;
    await store.set(cacheKey, token('at-1'));
    await store.setLockout(cacheKey, { until: Date.now() + 5_000, consecutive: 1 });
    await store.setFailure(cacheKey, { until: Date.now() + 5_000, message: 'refused', attempts: 1 });
    const release = await store.acquireLock(cacheKey);
    const names = await redis.keys('app1:*');
    expect(names.sort()).toEqual(Object.values(redisKeys('app1:', cacheKey)).sort());
    for (const name of names) {
      expect(name).toMatch(/^app1:(token|lock|lockout|failure):[0-9a-f]{40}$/);
      expect(name).not.toContain('client-id-visible');
    }
    await release?.();
  });

  test('the default prefix is axios-oauth2-bearer:', () => {
    expect(DEFAULT_PREFIX).toBe('axios-oauth2-bearer:');
    expect(redisKeys(DEFAULT_PREFIX, 'k').token).toMatch(/^axios-oauth2-bearer:token:[0-9a-f]{40}$/);
  });
});

describe('the renewal lock', () => {
  test('SET NX PX: one owner at a time, TTL lockTtlMs, lockWaitMs equal to it', async () => {
    const store = new RedisTokenStore(redis, { lockTtlMs: 5_000 });
    expect(store.lockWaitMs).toBe(5_000);
    const release = await store.acquireLock(key);
    expect(release).toBeInstanceOf(Function);
    expect(await store.acquireLock(key)).toBeUndefined();
    expect(await new RedisTokenStore(redis).acquireLock(key)).toBeUndefined(); // another process
    const ttl = await redis.pttl(redisKeys(DEFAULT_PREFIX, key).lock);
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    await release!();
    expect(await redis.exists(redisKeys(DEFAULT_PREFIX, key).lock)).toBe(0);
    expect(await store.acquireLock(key)).toBeInstanceOf(Function);
  });

  test('the default lock TTL is 10 s', async () => {
    const store = new RedisTokenStore(redis);
    expect(store.lockWaitMs).toBe(10_000);
    await store.acquireLock(key);
    expect(await redis.pttl(redisKeys(DEFAULT_PREFIX, key).lock)).toBeGreaterThan(9_000);
  });

  test('an expired lock is taken by another process, and the late holder cannot release it', async () => {
    const a = new RedisTokenStore(redis, { lockTtlMs: 100 });
    const b = new RedisTokenStore(redis, { lockTtlMs: 5_000 });
    const releaseA = await a.acquireLock(key);
    await new Promise((r) => setTimeout(r, 200));
    const releaseB = await b.acquireLock(key);
    expect(releaseB).toBeInstanceOf(Function);
    await releaseA!(); // compare-and-delete: not A's lock any more
    expect(await redis.exists(redisKeys(DEFAULT_PREFIX, key).lock)).toBe(1);
    expect(await a.acquireLock(key)).toBeUndefined();
    await releaseB!();
  });

  test('lock values are random, never derived from a secret', async () => {
    const store = new RedisTokenStore(redis);
    await store.acquireLock(key);
    expect(await redis.get(redisKeys(DEFAULT_PREFIX, key).lock)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the shared lockout', () => {
  test('is stored with a TTL until the cool-down ends and read back', async () => {
    const store = new RedisTokenStore(redis);
    const lockout = { until: Date.now() + 20_000, consecutive: 2, error: 'unauthorized_client', status: 400 };
    await store.setLockout(key, lockout);
    const read = await store.getLockout(key);
    expect(read).toEqual({ ...lockout, remainingMs: expect.any(Number) });
    const ttl = await redis.pttl(redisKeys(DEFAULT_PREFIX, key).lockout);
    expect(read!.remainingMs).toBeGreaterThanOrEqual(ttl); // the key's PTTL, read before this one
    expect(ttl).toBeGreaterThan(19_000);
    expect(ttl).toBeLessThanOrEqual(20_000);
    await store.setLockout(key, { until: Date.now() + 20_000, consecutive: 1 });
    expect(await store.getLockout(key)).toEqual({
      until: expect.any(Number),
      consecutive: 1,
      remainingMs: expect.any(Number),
    });
  });

  test('is cleared by undefined or by a cool-down already over', async () => {
    const store = new RedisTokenStore(redis);
    await store.setLockout(key, { until: Date.now() + 20_000, consecutive: 1 });
    await store.setLockout(key, undefined);
    expect(await store.getLockout(key)).toBeUndefined();
    await store.setLockout(key, { until: Date.now() + 20_000, consecutive: 1 });
    await store.setLockout(key, { until: Date.now() - 1, consecutive: 1 });
    expect(await store.getLockout(key)).toBeUndefined();
  });
});

describe('failures', () => {
  const never = () => new Promise<never>(() => undefined);

  function fakeClient(
    overrides: Partial<Record<keyof RedisClientLike, (...args: never[]) => Promise<unknown>>>,
  ): RedisClientLike {
    return { get: never, set: never, del: never, eval: never, ...overrides } as unknown as RedisClientLike;
  }

  test('a command without a reply fails after commandTimeoutMs with code ETIMEDOUT', async () => {
    const store = new RedisTokenStore(fakeClient({}), { commandTimeoutMs: 50 });
    const started = Date.now();
    const error = await store.get(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ name: 'RedisStoreError', command: 'GET', code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('a lock granted after the time-out is given back at once', async () => {
    const evals: unknown[][] = [];
    const client = fakeClient({
      set: () => new Promise((resolve) => setTimeout(() => resolve('OK'), 80)),
      eval: async (...args: never[]) => void evals.push(args),
    });
    const store = new RedisTokenStore(client, { commandTimeoutMs: 20 });
    await expect(store.acquireLock(key)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    await new Promise((r) => setTimeout(r, 120));
    expect(evals).toHaveLength(1);
    expect(String(evals[0][0])).toContain("redis.call('DEL', KEYS[1])");
    expect(evals[0][2]).toBe(redisKeys(DEFAULT_PREFIX, key).lock);
  });

  test('a late reply to anything else is ignored (nothing is sent in answer, the store goes on)', async () => {
    const calls: string[] = [];
    let late = true;
    let delivered = false;
    const client = fakeClient({
      get: () => {
        calls.push('GET');
        if (!late) return Promise.resolve(null);
        return new Promise((r) =>
          setTimeout(() => {
            delivered = true;
            r('OK'); // even a reply that looks like a lock granted
          }, 40),
        );
      },
      set: async () => (calls.push('SET'), 'OK'),
      del: async () => (calls.push('DEL'), 1),
      eval: async () => (calls.push('EVAL'), 1),
    });
    const store = new RedisTokenStore(client, { commandTimeoutMs: 10, pauseAfterErrorMs: 0 });
    await expect(store.get(key)).rejects.toMatchObject({ command: 'GET', code: 'ETIMEDOUT' });
    await new Promise((r) => setTimeout(r, 60));
    await new Promise((r) => setImmediate(r));
    expect(delivered).toBe(true);
    expect(calls).toEqual(['GET']);
    late = false;
    expect(await store.get(key)).toBeUndefined();
    expect(calls).toEqual(['GET', 'GET']);
  });

  test('client errors become RedisStoreErrors with the code kept and no token in them', async () => {
    const leaky = Object.assign(
      new Error('OOM command not allowed: SET k {"accessToken":"at-secret","refreshToken":"rt-secret"}'),
      {
        code: 'OOM',
        command: { name: 'set', args: ['k', 'at-secret'] },
      },
    );
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a client rejecting with a non-Error
    const rejectWithString = () => Promise.reject('at-secret gone');
    const store = new RedisTokenStore(fakeClient({ set: () => Promise.reject(leaky), eval: rejectWithString }), {
      pauseAfterErrorMs: 0,
    });
    const error = await store
      .set(key, token('at-secret', 60_000, { refreshToken: 'rt-secret' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ command: 'SET', code: 'OOM' });
    const { inspect } = await import('node:util');
    for (const text of [String((error as Error).message), inspect(error), JSON.stringify(error)]) {
      expect(text).not.toContain('at-secret');
      expect(text).not.toContain('rt-secret');
    }
    const other = await store.delete(key, 'at-secret').catch((e: unknown) => e);
    expect(other).toMatchObject({ command: 'EVAL', message: 'RedisTokenStore: EVAL failed: [redacted] gone' });
    expect((other as { code?: string }).code).toBe('REDIS_COMMAND_FAILED'); // no code of its own: the generic one
  });

  test('after a failure Redis is skipped for pauseAfterErrorMs (at once, EPAUSED), but a lock is still released', async () => {
    const calls: string[] = [];
    let up = true;
    const client = fakeClient({
      get: async () => (calls.push('GET'), up ? null : Promise.reject(new Error('Connection is closed.'))),
      set: async () => (calls.push('SET'), 'OK'),
      eval: async () => (calls.push('EVAL'), 1),
    });
    const store = new RedisTokenStore(client, { pauseAfterErrorMs: 150 });
    const release = await store.acquireLock(key);
    up = false;
    await expect(store.get(key)).rejects.toMatchObject({
      command: 'GET',
      message: 'RedisTokenStore: GET failed: Connection is closed.',
    });
    up = true;
    await expect(store.get(key)).rejects.toMatchObject({ command: 'GET', code: 'EPAUSED' });
    await expect(store.set(key, token('at-1'))).rejects.toMatchObject({ command: 'SET', code: 'EPAUSED' });
    await release!();
    expect(calls).toEqual(['SET', 'GET', 'EVAL']);
    await new Promise((r) => setTimeout(r, 160));
    expect(await store.get(key)).toBeUndefined();
    expect(calls).toEqual(['SET', 'GET', 'EVAL', 'GET']);
  });

  test('a client that throws synchronously is reported the same way', async () => {
    const store = new RedisTokenStore(
      fakeClient({
        del: () => {
          throw new Error('closed');
        },
      }),
    );
    await expect(store.delete(key)).rejects.toMatchObject({
      name: 'RedisStoreError',
      message: 'RedisTokenStore: DEL failed: closed',
    });
  });
});

describe('options', () => {
  test.each([
    ['client', () => new RedisTokenStore({} as RedisClientLike)],
    ['client', () => new RedisTokenStore(undefined as unknown as RedisClientLike)],
    ['options', () => new RedisTokenStore(redis, null as never)],
    ['prefix', () => new RedisTokenStore(redis, { prefix: 1 as never })],
    ['lockTtlMs', () => new RedisTokenStore(redis, { lockTtlMs: 0 })],
    ['lockTtlMs', () => new RedisTokenStore(redis, { lockTtlMs: 1.5 })],
    ['commandTimeoutMs', () => new RedisTokenStore(redis, { commandTimeoutMs: -1 })],
    ['pauseAfterErrorMs', () => new RedisTokenStore(redis, { pauseAfterErrorMs: -1 })],
    ['clock', () => new RedisTokenStore(redis, { clock: 'now' as never })],
    ['subscriber', () => new RedisTokenStore(redis, { subscriber: {} as never })],
    ['subscriber', () => new RedisTokenStore(redis, { subscriber: null as never })],
  ])('a bad %s throws an OAuth2OptionsError naming it', (option, create) => {
    let error: unknown;
    try {
      create();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ option });
    expect((error as Error).message).toContain(`"${option}"`);
  });
});

describe('fromNodeRedis', () => {
  /** A node-redis-shaped client (`sendCommand(args)`), answering through ioredis. */
  const nodeRedisLike = () => ({
    sent: [] as string[][],
    sendCommand(args: string[]) {
      this.sent.push(args);
      return redis.call(args[0], ...args.slice(1));
    },
  });

  test('adapts sendCommand to every command the store uses', async () => {
    const client = nodeRedisLike();
    const store = new RedisTokenStore(fromNodeRedis(client), { lockTtlMs: 3_000 });
    await store.set(key, token('at-1', 30_000));
    await store.set(`${key}:forever`, token('at-2', null));
    expect((await store.get(key))?.accessToken).toBe('at-1');
    expect(await store.get(`${key}:missing`)).toBeUndefined();
    const release = await store.acquireLock(key);
    expect(await store.acquireLock(key)).toBeUndefined();
    await release!();
    await store.delete(key, 'other');
    expect((await store.get(key))?.accessToken).toBe('at-1'); // another token's delete leaves it alone
    await store.delete(key, 'at-1');
    await store.delete(`${key}:forever`);
    expect(await store.get(key)).toBeUndefined();
    expect(client.sent.map((args) => args[0])).toEqual([
      'SET',
      'PUBLISH', // a token stored is announced
      'SET',
      'PUBLISH',
      'GET',
      'GET',
      'SET',
      'SET',
      'EVAL',
      'PUBLISH', // so is the lock released
      'EVAL',
      'GET',
      'EVAL',
      'DEL',
      'GET',
    ]);
    expect(client.sent[0].slice(3)).toEqual(['PX', expect.stringMatching(/^\d+$/)]);
    expect(client.sent[6].slice(3)).toEqual(['PX', '3000', 'NX']);
    expect(client.sent[8][2]).toBe('1');
    expect(client.sent[1]).toEqual([
      'PUBLISH',
      `${DEFAULT_PREFIX}events:${redisKeys(DEFAULT_PREFIX, key).token.slice(-40)}`,
      'token',
    ]);
  });

  test('reads a Buffer reply as UTF-8 and refuses other reply types', async () => {
    const json = JSON.stringify(token('at-buf'));
    const replies: unknown[] = [Buffer.from(json, 'utf8'), 42];
    const store = new RedisTokenStore(fromNodeRedis({ sendCommand: async () => replies.shift() }), {
      pauseAfterErrorMs: 0,
    });
    expect((await store.get(key))?.accessToken).toBe('at-buf');
    await expect(store.get(key)).rejects.toMatchObject({
      name: 'RedisStoreError',
      message: expect.stringContaining('unexpected GET reply (number)'),
    });
  });
});
