/**
 * A fleet (several attachments, each with its own Redis connection and store, as separate processes
 * have) when the process holding the renewal lock fails: a permanent failure is shared, a transient
 * one hands the lock over at once, waiters wake on the holder's announcements, and a lockout
 * episode ended by the fleet's trial call resets every process's doubling.
 */
import axios from 'axios';
import Redis from 'ioredis';
import { inspect } from 'node:util';
import {
  AccountLockedError,
  attachOAuth2,
  TokenEndpointError,
  type OAuth2Handle,
  type OAuth2Hooks,
  type OAuth2Options,
} from '../../src';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../../src/redis';
import { redisKeys } from '../../src/redis/keys';
import { LOCKOUT_DESCRIPTION, startAuthServer, type AuthServer } from '../../src/testing';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const CLIENT_ID = 'fleet-client-id';
const CLIENT_SECRET = 'fleet-s3cret-api-key';
/** Far above any test's time limit: a process that waits for the lock's TTL fails the test. */
const LONG_LOCK_MS = 120_000;

let redisServer: RedisServer;
let auth: AuthServer;
let inspector: Redis;
const connections: Redis[] = [];
let run = 0;
let prefix = '';

beforeAll(async () => {
  redisServer = await startRedisServer();
  inspector = new Redis(redisServer.url);
});
afterAll(async () => {
  inspector?.disconnect();
  await redisServer?.stop();
});
beforeEach(async () => {
  auth = await startAuthServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  prefix = `holder-${++run}:`;
});
afterEach(async () => {
  jest.useRealTimers();
  for (const c of connections.splice(0)) c.disconnect();
  await auth.close();
});

interface Member {
  handle: OAuth2Handle;
  store: RedisTokenStore;
  events: string[];
}

function connect(): Redis {
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  connections.push(redis);
  return redis;
}

/** One "process" of the fleet. `subscribe`: with a dedicated subscriber connection. */
function member(
  options: Partial<OAuth2Options> = {},
  storeOptions: RedisTokenStoreOptions = {},
  subscribe = false,
): Member {
  const events: string[] = [];
  const store = new RedisTokenStore(connect(), {
    prefix,
    lockTtlMs: LONG_LOCK_MS,
    ...(subscribe ? { subscriber: connect() } : {}),
    ...storeOptions,
  });
  const hooks: OAuth2Hooks = {
    onLockoutOpened: (e) => void events.push(`opened ${e.consecutive} ${e.retryAfterMs}`),
    onLockoutClosed: () => void events.push('closed'),
    onStoreError: ({ operation }) => void events.push(`store error ${operation}`),
  };
  const handle = attachOAuth2(axios.create({ baseURL: auth.apiBaseUrl }), {
    tokenUrl: auth.tokenUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    store,
    hooks,
    retry: { baseDelayMs: 10, maxDelayMs: 20 },
    ...options,
  });
  return { handle, store, events };
}

/** Resolves once `store` has lost the lock race (another process holds it). */
function lostLock(store: RedisTokenStore): Promise<void> {
  const acquire = store.acquireLock.bind(store);
  return new Promise((resolve) => {
    store.acquireLock = async (key) => {
      const release = await acquire(key);
      if (!release) resolve();
      return release;
    };
  });
}

const settle = (promises: Promise<unknown>[]) =>
  Promise.all(
    promises.map((p) =>
      p.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    ),
  );

describe('a permanent failure of the lock holder', () => {
  test('a refused request (invalid_scope): 1 token call for the whole fleet, every process gets the same TokenEndpointError', async () => {
    const fleet = Array.from({ length: 5 }, () => member());
    // The holder's call is slow enough for all to wait.
    auth.injectTokenFaults([{ type: 'status', status: 400, body: { error: 'invalid_scope' }, delayMs: 200 }]);
    const [holder, ...others] = fleet;
    const holderCall = holder.handle.getAccessToken();
    await until(() => auth.counters.tokenCalls === 1);
    const waiting = others.map((m) => lostLock(m.store));
    const results = await settle([holderCall, ...others.map((m) => m.handle.getAccessToken())]);
    await Promise.all(waiting); // each of them did wait for the holder (lost the lock race)

    expect(auth.counters.tokenCalls).toBe(1);
    const errors = results.map((r) => ('error' in r ? r.error : r.value));
    for (const error of errors) {
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({
        name: 'TokenEndpointError',
        code: 'OAUTH2_TOKEN_ENDPOINT_ERROR',
        error: 'invalid_scope',
        status: 400,
        transient: false,
        attempts: 1,
        message: (errors[0] as Error).message,
      });
    }
    // A process that comes later within failureCacheMs gets it from Redis too, without a token call.
    const late = member();
    await expect(late.handle.getAccessToken()).rejects.toMatchObject({ error: 'invalid_scope' });
    expect(auth.counters.tokenCalls).toBe(1);

    const name = redisKeys(prefix, holder.handle.cacheKey).failure;
    const stored = (await inspector.get(name)) as string;
    expect(JSON.parse(stored)).toMatchObject({ error: 'invalid_scope', status: 400, attempts: 1 });
    const ttl = await inspector.pttl(name);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000); // the default failureCacheMs
    for (const text of [stored, inspect(errors, { depth: Infinity }), JSON.stringify(errors)]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64'));
    }
  });

  test('a wrong key is not shared (the key holds no secret): each process learns it with 1 call of its own', async () => {
    const fleet = Array.from({ length: 3 }, () => member({ clientSecret: 'wrong-s3cret-key' }));
    for (const m of fleet) await expect(m.handle.getAccessToken()).rejects.toMatchObject({ error: 'invalid_client' });
    expect(auth.counters.tokenCalls).toBe(3);
    expect(await inspector.exists(redisKeys(prefix, fleet[0].handle.cacheKey).failure)).toBe(0);
    // Each one's own negative cache: no second call within failureCacheMs.
    for (const m of fleet) await expect(m.handle.getAccessToken()).rejects.toMatchObject({ error: 'invalid_client' });
    expect(auth.counters.tokenCalls).toBe(3);
    // A process with the right secret, same key, is not failed by them.
    await expect(member().handle.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(auth.counters.tokenCalls).toBe(4);
  });

  test('failureCacheMs 0: nothing is shared', async () => {
    const a = member({ failureCacheMs: 0 });
    auth.injectTokenFaults([{ type: 'status', status: 400, body: { error: 'invalid_scope' } }]);
    await expect(a.handle.getAccessToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(await inspector.exists(redisKeys(prefix, a.handle.cacheKey).failure)).toBe(0);
  });
});

describe('a transient failure of the lock holder', () => {
  test('503 ×4: the holder gives up, releases the lock, one waiter takes over at once and serves all', async () => {
    // The holder retries slowly enough for the others to find the lock taken.
    const holder = member({ retry: { baseDelayMs: 100, maxDelayMs: 100 } });
    const others = Array.from({ length: 3 }, () => member());
    auth.injectTokenFaults(Array.from({ length: 4 }, () => ({ type: 'status', status: 503 }) as const));
    const holderCall = holder.handle.getAccessToken();
    await until(() => auth.counters.tokenCalls === 1);
    const waiting = others.map((m) => lostLock(m.store));
    const results = await settle([holderCall, ...others.map((m) => m.handle.getAccessToken())]);
    await Promise.all(waiting);

    expect(results[0]).toEqual({ error: expect.any(TokenEndpointError) });
    expect((results[0] as { error: TokenEndpointError }).error).toMatchObject({ transient: true, attempts: 4 });
    const tokens = results.slice(1).map((r) => (r as { value: string }).value);
    expect(tokens).toEqual([tokens[0], tokens[0], tokens[0]]);
    expect(auth.counters.tokenCalls).toBe(5); // the holder's 4 attempts, then one for all the waiters
    // A transient failure is not shared: the next process to need a token tries again.
    expect(await inspector.exists(redisKeys(prefix, holder.handle.cacheKey).failure)).toBe(0);
  });
});

describe('a lock holder that hangs', () => {
  test('the first waiter to poll after the lock expired takes over, whatever its lockWaitMs', async () => {
    const holder = member({}, { lockTtlMs: 300 });
    const waiter = member({}, { lockTtlMs: 300 });
    Object.defineProperty(waiter.store, 'lockWaitMs', { value: LONG_LOCK_MS }); // only the lock's TTL can end the wait
    auth.injectTokenFaults([{ type: 'hang' }]); // the holder's token call never answers
    void holder.handle.getAccessToken().catch(() => undefined);
    await until(() => auth.counters.tokenCalls === 1);
    const lost = lostLock(waiter.store);
    const token = waiter.handle.getAccessToken();
    await lost;
    await expect(token).resolves.toEqual(expect.any(String));
    expect(auth.counters.tokenCalls).toBe(2);
    holder.handle.detach();
  });
});

describe('waking waiters', () => {
  /** Only setTimeout is faked: no poll timer fires unless the test advances it; I/O runs as usual. */
  const fakePollTimers = () =>
    jest.useFakeTimers({
      doNotFake: [
        'Date',
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
      ],
    });
  const ioTurns = async (n = 20) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  /** Holds the holder after it took the lock, until `open()`. */
  function gate(store: RedisTokenStore) {
    let open!: () => void;
    let won!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    const tookLock = new Promise<void>((r) => (won = r));
    const acquire = store.acquireLock.bind(store);
    store.acquireLock = async (key) => {
      const release = await acquire(key);
      if (release) {
        won();
        await opened;
      }
      return release;
    };
    return { tookLock, open };
  }

  /** Resolves once `store` is listening (its subscribe resolved), or at once without a subscriber. */
  function listening(store: RedisTokenStore): Promise<void> {
    const subscribe = store.subscribe.bind(store);
    return new Promise((resolve) => {
      store.subscribe = async (key, listener) => {
        const stop = await subscribe(key, listener);
        resolve();
        return stop;
      };
    });
  }

  async function holderAndWaiter(subscribe: boolean, holderOptions: Partial<OAuth2Options> = {}) {
    fakePollTimers();
    const holder = member(holderOptions);
    const waiter = member({}, {}, subscribe);
    const held = gate(holder.store);
    const lost = lostLock(waiter.store);
    const listens = listening(waiter.store);
    const holderCall = holder.handle.getAccessToken();
    await held.tookLock;
    let settled = false;
    const waiterCall = waiter.handle.getAccessToken().finally(() => (settled = true));
    await lost;
    await listens;
    held.open();
    return { holderCall, waiterCall, isSettled: () => settled };
  }

  test('with a subscriber, the token being stored wakes the waiter: no poll timer needed', async () => {
    const { holderCall, waiterCall } = await holderAndWaiter(true);
    const token = await holderCall;
    await expect(waiterCall).resolves.toBe(token); // no timer was ever advanced
    expect(auth.counters.tokenCalls).toBe(1);
  });

  test('with a subscriber, the lock released without a token wakes the waiter, which takes over', async () => {
    auth.injectTokenFaults([{ type: 'status', status: 503 }]);
    const { holderCall, waiterCall } = await holderAndWaiter(true, { retry: { retries: 0 } });
    await expect(holderCall).rejects.toMatchObject({ transient: true });
    await expect(waiterCall).resolves.toEqual(expect.any(String));
    expect(auth.counters.tokenCalls).toBe(2);
  });

  test('a subscriber that cannot subscribe: reported as "subscribe", and the waiter polls', async () => {
    const holder = member();
    const broken = { subscribe: () => Promise.reject(new Error('pub/sub not allowed')), on: () => undefined };
    const waiter = member({}, { subscriber: broken });
    auth.injectTokenFaults([{ type: 'delay', ms: 100 }]);
    const holderCall = holder.handle.getAccessToken();
    await until(() => auth.counters.tokenCalls === 1);
    const lost = lostLock(waiter.store);
    const waiterCall = waiter.handle.getAccessToken();
    await lost;
    await expect(waiterCall).resolves.toBe(await holderCall);
    expect(waiter.events).toEqual(['store error subscribe']);
    expect(auth.counters.tokenCalls).toBe(1);
  });

  test('without a subscriber the waiter finds the token at its next poll', async () => {
    const { holderCall, waiterCall, isSettled } = await holderAndWaiter(false);
    const token = await holderCall;
    await ioTurns();
    expect(isSettled()).toBe(false); // nothing woke it
    jest.advanceTimersByTime(25); // its first poll
    await expect(waiterCall).resolves.toBe(token);
  });
});

describe('lockout episodes', () => {
  test('a token obtained by the fleet after a cool-down ends the episode in every process: the next lockout starts at 1', async () => {
    const lockout = {
      type: 'status',
      status: 400,
      body: { error: 'unauthorized_client', error_description: LOCKOUT_DESCRIPTION },
    } as const;
    const options: Partial<OAuth2Options> = { lockout: { initialCooldownMs: 100 }, random: () => 0 };
    const a = member(options);
    const b = member(options);
    for (let episode = 1; episode <= 3; episode++) {
      // One process sees the lockout; the other adopts it from Redis.
      const [opener, other] = episode % 2 === 1 ? [a, b] : [b, a];
      await opener.handle.invalidate();
      await other.handle.invalidate();
      auth.injectTokenFaults([lockout]);
      await expect(opener.handle.getAccessToken()).rejects.toBeInstanceOf(AccountLockedError);
      await expect(other.handle.getAccessToken()).rejects.toBeInstanceOf(AccountLockedError);
      await until(() => !auth.isLocked(), 5_000).catch(() => undefined);
      await sleepUntil(async () => !(await inspector.exists(redisKeys(prefix, a.handle.cacheKey).lockout)));
      // The trial call: the opener's success ends the episode; the other adopts that token.
      await opener.handle.getAccessToken();
      await other.handle.getAccessToken();
    }
    const opened = [...a.events, ...b.events].filter((e) => e.startsWith('opened'));
    expect(opened).toEqual(['opened 1 100', 'opened 1 100', 'opened 1 100']);
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !condition();) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function sleepUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}
