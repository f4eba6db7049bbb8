/**
 * Several Node processes (fixtures/worker.ts) sharing one token through a real Redis, against the
 * embedded auth server running here, whose counters are exact.
 */
import Redis from 'ioredis';
import { AccountLockedError } from '../../src';
import { LOCKOUT_DESCRIPTION, startAuthServer, type AuthServer } from '../../src/testing';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { startWorkers, total, type Worker } from './fixtures/pool';
import type { AttachConfig, Report } from './fixtures/protocol';

const PROCESSES = 8;
const LOCK_TTL_MS = 2_000;

let redis: RedisServer;
/** This process's view of the shared Redis. */
let inspector: Redis;
let workers: Worker[] = [];
let auth: AuthServer;
let run = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  inspector = new Redis(redis.url);
  workers = await startWorkers(PROCESSES);
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  inspector?.disconnect();
  await redis?.stop();
});
afterEach(async () => {
  await auth?.close();
});

/** A fresh auth server, and every given worker attached to it with a prefix of its own on `redisUrl`. */
async function setUp(
  tokenLifetimeSeconds: number,
  config: Partial<AttachConfig> = {},
  on: Worker[] = workers,
): Promise<string> {
  auth = await startAuthServer({ tokenLifetimeSeconds });
  const attach: AttachConfig = {
    tokenUrl: auth.tokenUrl,
    apiBaseUrl: auth.apiBaseUrl,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    redisUrl: redis.url,
    prefix: `run-${++run}:`,
    lockTtlMs: LOCK_TTL_MS,
    ...config,
  };
  await Promise.all(on.map((w) => w.attach(attach)));
  return attach.prefix;
}

const burst = (on: Worker[], count: number) => Promise.all(on.map((w) => w.send({ type: 'burst', count })));
const until = async (condition: () => boolean, timeoutMs = 5_000) => {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test(`${PROCESSES} processes × 50 concurrent requests on a cold shared cache: exactly 1 token call`, async () => {
  await setUp(1200);
  const reports = await burst(workers, 50);
  expect(total(reports)).toEqual({ ok: PROCESSES * 50, failed: {}, fetched: 1 });
  expect(auth.counters.tokenCalls).toBe(1);
  expect(new Set(auth.apiRequests().map((r) => r.authorization)).size).toBe(1);
}, 30_000);

test(`tokens living 2 s, ${PROCESSES} processes under load for 10 s: about 5 token calls in total, not ${PROCESSES * 5}`, async () => {
  // No skew: each token serves until its soft window (its last 10%), so one renewal per ~1.8 s
  // for the whole fleet. Without the shared cache each process would renew on its own.
  await setUp(2, { refreshSkewSeconds: 0 });
  const reports = await Promise.all(
    workers.map((w) => w.send({ type: 'load', durationMs: 10_000, concurrency: 4, pauseMs: 40 })),
  );
  const sum = total(reports);
  expect(sum.failed).toEqual({});
  expect(sum.ok).toBeGreaterThan(PROCESSES * 4 * 50); // every loop kept going for the whole 10 s
  expect(auth.counters.tokenCalls).toBeGreaterThanOrEqual(5); // 10 s of 2-s tokens need 5
  expect(auth.counters.tokenCalls).toBeLessThanOrEqual(7);
  // (With no skew, a request slowed down on a loaded machine may reach the server just after its
  // token expired: it is replayed once with the new token, which `failed: {}` above covers.)
}, 40_000);

test('a lockout seen by one process: 0 token calls from the others during the cool-down', async () => {
  const prefix = await setUp(1200);
  const [first, ...others] = workers;
  const lockout = { error: 'unauthorized_client', error_description: LOCKOUT_DESCRIPTION };
  auth.injectTokenFaults([{ type: 'status', status: 400, retryAfter: '2', body: lockout }]);
  const [seen] = await burst([first], 10);
  expect(seen.failed).toEqual({ [AccountLockedError.name]: 10 });
  expect(auth.counters.tokenCalls).toBe(1);
  const [lockoutKey] = await inspector.keys(`${prefix}lockout:*`);
  const shared = JSON.parse((await inspector.get(lockoutKey)) as string) as { until: number };
  expect(await inspector.pttl(lockoutKey)).toBeLessThanOrEqual(2_000); // gone when the cool-down ends

  const during = total(await burst(others, 20));
  expect(during.failed).toEqual({ [AccountLockedError.name]: others.length * 20 });
  expect(during.fetched).toBe(0);
  expect(auth.counters.tokenCalls).toBe(1); // nobody else called the token endpoint

  await new Promise((r) => setTimeout(r, Math.max(0, shared.until + 50 - Date.now())));
  const after = total(await burst(workers, 10));
  expect(after).toMatchObject({ ok: PROCESSES * 10, failed: {} });
  expect(auth.counters.tokenCalls).toBe(2); // one trial call for the whole fleet
}, 30_000);

test('the lock holder killed mid-fetch: another process takes over within the lock TTL, no request fails', async () => {
  const [holder, ...survivors] = workers;
  await setUp(1200);
  auth.injectTokenFaults([{ type: 'hang' }]); // the holder's token call never answers
  const holderDone = holder.send({ type: 'burst', count: 5 }).catch((error: Error) => error);
  await until(() => auth.counters.tokenCalls === 1);

  const started = Date.now();
  const pending = burst(survivors, 20); // they find the lock taken and wait for the holder's token
  await new Promise((r) => setTimeout(r, 200));
  await holder.kill('SIGKILL');
  workers = survivors;
  const reports: Report[] = await pending;
  const elapsed = Date.now() - started;

  expect(await holderDone).toBeInstanceOf(Error); // it died with its requests
  expect(total(reports)).toEqual({ ok: survivors.length * 20, failed: {}, fetched: 1 });
  expect(auth.counters.tokenCalls).toBe(2); // the hung call, then one for every survivor
  expect(elapsed).toBeLessThan(LOCK_TTL_MS + 1_000); // waited at most the TTL of the dead holder's lock
}, 30_000);

test('Redis stopped mid-run: requests keep succeeding on per-process tokens, onStoreError reported', async () => {
  const own = await startRedisServer();
  try {
    await setUp(2, { redisUrl: own.url, refreshSkewSeconds: 0 });
    const load = Promise.all(
      workers.map((w) => w.send({ type: 'load', durationMs: 5_000, concurrency: 3, pauseMs: 40 })),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const callsBefore = auth.counters.tokenCalls;
    expect(callsBefore).toBe(1); // shared while Redis was up
    await own.stop();
    const reports = await load;
    const sum = total(reports);
    expect(sum.failed).toEqual({});
    expect(sum.ok).toBeGreaterThan(workers.length * 3 * 50);
    for (const report of reports) {
      expect(report.maxLatencyMs).toBeLessThan(1_000); // a Redis that is down does not hold requests up
      expect(report.fetched).toBeGreaterThanOrEqual(1); // each process renewed on its own
      expect(Object.keys(report.storeErrors).length).toBeGreaterThan(0);
    }
    expect(auth.counters.tokenCalls).toBeGreaterThanOrEqual(1 + workers.length);
  } finally {
    await own.stop();
  }
}, 30_000);
