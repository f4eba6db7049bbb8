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

test(`tokens living 2 s, ${PROCESSES} processes under load: one renewal per token life for the whole fleet`, async () => {
  // No skew: each token serves until its soft window (its last 10%, from 1.8 s), so the fleet renews
  // once per ~1.8 s; without the shared cache each process would renew on its own. Asserted on the
  // order of issued tokens, not on wall time: a loaded machine only spaces them further apart.
  await setUp(2, { refreshSkewSeconds: 0 });
  const reports = await Promise.all(
    workers.map((w) => w.send({ type: 'load', durationMs: 10_000, concurrency: 4, pauseMs: 40 })),
  );
  const sum = total(reports);
  expect(sum.failed).toEqual({});
  for (const report of reports) expect(report.ok).toBeGreaterThan(0);
  expect(sum.fetched).toBe(auth.counters.tokenCalls); // every token call came from one process, once
  // Each token was requested only once the previous one reached its soft window (1.8 s after the
  // previous request was sent): two processes renewing the same token would arrive together.
  const arrivals = auth.tokenRequests().map((r) => r.at);
  expect(arrivals.length).toBe(auth.counters.tokenCalls);
  for (let i = 1; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 1]).toBeGreaterThanOrEqual(1_000);
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
  const { ok, failed } = total(await burst(workers, 10));
  expect({ ok, failed }).toEqual({ ok: PROCESSES * 10, failed: {} });
  expect(auth.counters.tokenCalls).toBe(2); // one trial call for the whole fleet
}, 30_000);

test('the lock holder killed mid-fetch: another process takes over within the lock TTL, no request fails', async () => {
  const [holder, ...survivors] = workers;
  await setUp(1200);
  auth.injectTokenFaults([{ type: 'hang' }]); // the holder's token call never answers
  const holderDone = holder.send({ type: 'burst', count: 5 }).catch((error: Error) => error);
  await until(() => auth.counters.tokenCalls === 1);

  const pending = burst(survivors, 20); // they find the lock taken and wait for the holder's token
  await new Promise((r) => setTimeout(r, 200));
  await holder.kill('SIGKILL');
  workers = survivors;
  const reports: Report[] = await pending;

  expect(await holderDone).toBeInstanceOf(Error); // it died with its requests
  expect(total(reports)).toEqual({ ok: survivors.length * 20, failed: {}, fetched: 1 });
  expect(auth.counters.tokenCalls).toBe(2); // the hung call, then one for every survivor
}, 30_000);

test('Redis stopped mid-run: requests keep succeeding on per-process tokens, onStoreError reported', async () => {
  const own = await startRedisServer();
  try {
    await setUp(2, { redisUrl: own.url, refreshSkewSeconds: 0 });
    const load = Promise.all(
      workers.map((w) => w.send({ type: 'load', durationMs: 5_000, concurrency: 3, pauseMs: 40 })),
    );
    await until(() => auth.apiRequests().length >= workers.length * 3); // the fleet is running on the shared token
    const callsBefore = auth.counters.tokenCalls;
    await own.stop();
    const reports = await load;
    const sum = total(reports);
    expect(sum.failed).toEqual({});
    for (const report of reports) {
      expect(report.ok).toBeGreaterThan(0);
      expect(report.fetched).toBeGreaterThanOrEqual(1); // each process renewed on its own
      expect(Object.keys(report.storeErrors).length).toBeGreaterThan(0);
    }
    expect(auth.counters.tokenCalls).toBeGreaterThanOrEqual(callsBefore + workers.length);
  } finally {
    await own.stop();
  }
}, 30_000);
