/**
 * The plugin on a RedisTokenStore, in one process: several attachments, each with its own Redis
 * connection and store (as separate processes have), sharing one token through a real Redis.
 */
import axios, { type AxiosInstance } from 'axios';
import { createHash } from 'node:crypto';
import { AccountLockedError, attachOAuth2, type OAuth2Handle, type OAuth2Hooks, type OAuth2Options } from '../../src';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../../src/redis';
import { DEFAULT_PREFIX, redisKeys } from '../../src/redis/keys';
import { LOCKOUT_DESCRIPTION } from '../../src/testing';
import { useFleet } from '../helpers/fleet';
import { startRedisServer } from '../helpers/redis-server';

const CLIENT_ID = 'fleet-client-id';
const CLIENT_SECRET = 'fleet-s3cret-api-key';

const fleet = useFleet(CLIENT_ID, CLIENT_SECRET);

interface Process {
  api: AxiosInstance;
  handle: OAuth2Handle;
  store: RedisTokenStore;
  storeErrors: string[];
}

/** One "process": its own Redis connection, store and axios instance, on a shared Redis. */
function processOn(
  url?: string,
  storeOptions: RedisTokenStoreOptions = {},
  options: Partial<OAuth2Options> = {},
): Process {
  const redis = fleet.connect(url);
  const store = new RedisTokenStore(redis, storeOptions);
  const storeErrors: string[] = [];
  const hooks: OAuth2Hooks = { onStoreError: ({ operation }) => void storeErrors.push(operation) };
  const api = axios.create({ baseURL: fleet.auth.apiBaseUrl });
  const handle = attachOAuth2(api, {
    tokenUrl: fleet.auth.tokenUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    store,
    hooks,
    ...options,
  });
  return { api, handle, store, storeErrors };
}

const authorization = (response: { config: { headers: { get(name: string): unknown } } }) =>
  String(response.config.headers.get('Authorization'));

test('a second process uses the token the first one stored: one token call in total', async () => {
  const [a, b] = [processOn(), processOn()];
  const first = await a.api.get('/users');
  const second = await b.api.get('/users');
  expect(authorization(second)).toBe(authorization(first));
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  expect(a.handle.cacheKey).toBe(b.handle.cacheKey);
});

test('a stale 401 in one process keeps the newer token another process stored (compare-and-delete)', async () => {
  const [a, b] = [processOn(), processOn()];
  await a.api.get('/users');
  await b.api.get('/users'); // both hold T1 in memory
  fleet.auth.revokeAllTokens();
  const renewed = await a.api.get('/users'); // 401 → T2 fetched and stored
  expect(fleet.auth.counters.tokenCalls).toBe(2);
  const t2 = authorization(renewed).replace('Bearer ', '');
  const stale = await b.api.get('/users'); // 401 with T1 → delete(T1) must not delete T2
  expect(authorization(stale)).toBe(`Bearer ${t2}`);
  expect(fleet.auth.counters.tokenCalls).toBe(2);
  expect((await a.store.get(a.handle.cacheKey))?.accessToken).toBe(t2);
});

test('a process that wins the lock just after another stored its token uses that token', async () => {
  const a = processOn();
  const b = processOn();
  const acquire = b.store.acquireLock.bind(b.store);
  // B read the store before A stored its token, and takes the lock only after A released it.
  b.store.acquireLock = async (key) => {
    await a.handle.getAccessToken();
    return acquire(key);
  };
  const [tokenA, tokenB] = await Promise.all([a.handle.getAccessToken(), b.handle.getAccessToken()]);
  expect(tokenB).toBe(tokenA);
  expect(fleet.auth.counters.tokenCalls).toBe(1);
});

test('a lockout opened by one process stops the token calls of the others until the cool-down ends', async () => {
  const lockout = {
    type: 'status',
    status: 400,
    retryAfter: '2',
    body: { error: 'unauthorized_client', error_description: LOCKOUT_DESCRIPTION },
  } as const;
  fleet.auth.injectTokenFaults([lockout]);
  const a = processOn();
  const b = processOn();
  const c = processOn();
  const acquire = c.store.acquireLock.bind(c.store);
  let cTookLock = false;
  // C read no lockout, then takes the lock only after A's lockout: it must read again under the lock.
  c.store.acquireLock = async (key) => {
    await a.handle.getAccessToken().catch(() => undefined);
    cTookLock = true;
    return acquire(key);
  };
  const results = await Promise.allSettled([a.api.get('/users'), c.api.get('/users')]);
  expect(results.map((r) => r.status === 'rejected' && r.reason)).toEqual([
    expect.any(AccountLockedError),
    expect.any(AccountLockedError),
  ]);
  expect(cTookLock).toBe(true);
  await expect(b.api.get('/users')).rejects.toBeInstanceOf(AccountLockedError);
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  const inspector = fleet.connect();
  const ttl = await inspector.pttl(redisKeys(DEFAULT_PREFIX, a.handle.cacheKey).lockout);
  expect(ttl).toBeGreaterThan(1_000);
  expect(ttl).toBeLessThanOrEqual(2_000);
  await new Promise((r) => setTimeout(r, ttl + 50));
  await Promise.all([a.api.get('/users'), b.api.get('/users'), c.api.get('/users')]);
  expect(fleet.auth.counters.tokenCalls).toBe(2); // one trial call, shared
});

test('keys and values hold no secret; keys expire (token: its life, lock: lockTtlMs)', async () => {
  const inspector = fleet.connect();
  const prefix = `secrets-${Date.now()}:`;
  fleet.auth.setTokenLifetime(600);
  fleet.auth.injectTokenFaults([{ type: 'delay', ms: 300 }]);
  const a = processOn(fleet.redisServer.url, { prefix, lockTtlMs: 7_000 });
  const lockName = redisKeys(prefix, a.handle.cacheKey).lock;
  // The lock is held while the token is stored (it is released after): read its TTL at that moment.
  let lockTtlWhileStoring = 0;
  const set = a.store.set.bind(a.store);
  a.store.set = async (key, stored) => {
    lockTtlWhileStoring = await inspector.pttl(lockName);
    return set(key, stored);
  };
  await a.api.get('/users');
  expect(lockTtlWhileStoring).toBeGreaterThan(0);
  expect(lockTtlWhileStoring).toBeLessThanOrEqual(7_000);
  expect(await inspector.exists(lockName)).toBe(0); // released by its owner after the call

  const names = await inspector.keys(`${prefix}*`);
  expect(names).toEqual([redisKeys(prefix, a.handle.cacheKey).token]);
  const ttl = await inspector.pttl(names[0]);
  expect(ttl).toBeGreaterThan(598_000);
  expect(ttl).toBeLessThanOrEqual(600_000);
  const value = (await inspector.get(names[0])) as string;
  const accessToken = fleet.auth.issuedTokens()[0].token;
  expect(JSON.parse(value)).toEqual({
    accessToken,
    tokenType: 'bearer',
    obtainedAt: expect.any(Number),
    expiresAt: expect.any(Number),
    digest: createHash('sha256').update(accessToken).digest('hex'),
  });
  for (const text of [...names, value]) {
    for (const secret of [
      CLIENT_SECRET,
      CLIENT_ID,
      Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64'),
      fleet.auth.url,
    ]) {
      expect(text).not.toContain(secret);
    }
  }
});

test('Redis going away mid-run: requests keep succeeding on per-process tokens, onStoreError reports it', async () => {
  const own = await startRedisServer();
  try {
    const [a, b] = [processOn(own.url, { commandTimeoutMs: 500 }), processOn(own.url, { commandTimeoutMs: 500 })];
    await Promise.all([a.api.get('/users'), b.api.get('/users')]);
    expect(fleet.auth.counters.tokenCalls).toBe(1);
    await own.stop();
    fleet.auth.revokeAllTokens();
    const responses = await Promise.all([a, b].flatMap((p) => [p.api.get('/users'), p.api.get('/users')]));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(fleet.auth.counters.tokenCalls).toBe(3); // one per process once the shared cache is gone
    expect(authorization(responses[0])).not.toBe(authorization(responses[2]));
    for (const p of [a, b])
      expect(p.storeErrors).toEqual(expect.arrayContaining(['delete', 'get', 'lockout', 'lock', 'set']));
  } finally {
    await own.stop();
  }
});

test('Redis going away while a process waits for the lock holder: it stops waiting and fetches its own token', async () => {
  const own = await startRedisServer();
  try {
    fleet.auth.injectTokenFaults([{ type: 'delay', ms: 1_500 }]); // the holder's token call is slow
    // A lock wait far above the test's time limit: a waiter that waited for it would fail the test.
    const a = processOn(own.url, { lockTtlMs: 120_000 });
    const b = processOn(own.url, { lockTtlMs: 120_000 });
    const holder = a.api.get('/users');
    while (fleet.auth.counters.tokenCalls === 0) await new Promise((r) => setTimeout(r, 5)); // A holds the lock
    const acquire = b.store.acquireLock.bind(b.store);
    const bLost = new Promise<void>((resolve) => {
      b.store.acquireLock = async (key) => {
        const release = await acquire(key);
        if (!release) resolve();
        return release;
      };
    });
    const waiter = b.api.get('/users');
    await bLost; // B is waiting for A's token
    await own.stop();
    await expect(waiter).resolves.toMatchObject({ status: 200 });
    await expect(holder).resolves.toMatchObject({ status: 200 });
    expect(fleet.auth.counters.tokenCalls).toBe(2);
    expect(b.storeErrors).toContain('get');
  } finally {
    await own.stop();
  }
});
