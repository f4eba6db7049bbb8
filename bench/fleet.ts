/**
 * `npm run fleet`: the fleet figures of docs/redis.md, measured on 8 Node processes (the multi-process test
 * workers) sharing one token through a real redis-server started here, against the embedded auth
 * server. Prints one line per figure with the options it was measured with. Takes about a minute.
 */
import { startAuthServer, type AuthServer } from '../src/testing';
import { startRedisServer, type RedisServer } from '../__tests__/helpers/redis-server';
import { startWorkers, total, type Worker } from '../__tests__/redis/fixtures/pool';
import type { AttachConfig, Report } from '../__tests__/redis/fixtures/protocol';

const PROCESSES = 8;
let run = 0;

async function attach(
  workers: Worker[],
  auth: AuthServer,
  redisUrl: string,
  config: Partial<AttachConfig> = {},
): Promise<void> {
  const attachConfig: AttachConfig = {
    tokenUrl: auth.tokenUrl,
    apiBaseUrl: auth.apiBaseUrl,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    redisUrl,
    prefix: `fleet-${process.pid}-${++run}:`,
    lockTtlMs: 10_000,
    ...config,
  };
  await Promise.all(workers.map((w) => w.attach(attachConfig)));
}

const print = (figure: string, value: string, options: string) =>
  console.log(`${figure.padEnd(44)} ${value.padEnd(48)} (${options})`);
const failedText = (failed: Record<string, number>) =>
  Object.keys(failed).length === 0 ? '0 failed' : `failed: ${JSON.stringify(failed)}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function cold(workers: Worker[], redis: RedisServer): Promise<void> {
  const auth = await startAuthServer({ tokenLifetimeSeconds: 1200 });
  await attach(workers, auth, redis.url);
  const sum = total(await Promise.all(workers.map((w) => w.send({ type: 'burst', count: 50 }))));
  print(
    'cold fleet: token calls',
    `${auth.counters.tokenCalls} (${sum.ok} requests, ${failedText(sum.failed)})`,
    `${PROCESSES} processes × 50 concurrent requests, default options`,
  );
  await auth.close();
}

async function shortTokens(workers: Worker[], redis: RedisServer, skew: number | undefined): Promise<void> {
  const auth = await startAuthServer({ tokenLifetimeSeconds: 2 });
  await attach(workers, auth, redis.url, skew === undefined ? {} : { refreshSkewSeconds: skew });
  const sum = total(
    await Promise.all(workers.map((w) => w.send({ type: 'load', durationMs: 10_000, concurrency: 4, pauseMs: 40 }))),
  );
  const options = skew === undefined ? 'default options (refreshSkewSeconds 30)' : `refreshSkewSeconds: ${skew}`;
  print(
    '2 s tokens over 10 s: token calls',
    `${auth.counters.tokenCalls} (${sum.ok} requests, ${failedText(sum.failed)})`,
    `${PROCESSES} processes × 4 loops, ${options}`,
  );
  await auth.close();
}

async function wrongKey(workers: Worker[], redis: RedisServer): Promise<void> {
  const auth = await startAuthServer({ tokenLifetimeSeconds: 1200 });
  await attach(workers, auth, redis.url, { clientSecret: 'a-wrong-key' });
  const reports = await Promise.all(workers.map((w) => w.send({ type: 'burst', count: 10 })));
  const sum = total(reports);
  const slowest = Math.max(...reports.map((r) => r.elapsedMs));
  print(
    'wrong key: token calls',
    `${auth.counters.tokenCalls} (${failedText(sum.failed)})`,
    `${PROCESSES} processes × 10 concurrent requests, default options`,
  );
  print(
    'wrong key: time to error, whole fleet',
    `${slowest} ms (slowest process)`,
    'lockTtlMs 10000, failureCacheMs 5000',
  );
  await auth.close();
}

async function storeToWaiter(workers: Worker[], redis: RedisServer, subscriber: boolean): Promise<void> {
  const latencies: number[] = [];
  for (let round = 0; round < 5; round++) {
    const auth = await startAuthServer({ tokenLifetimeSeconds: 1200 });
    await attach(workers, auth, redis.url, { subscriber });
    auth.injectTokenFaults([{ type: 'delay', ms: 600 + round * 97 }]); // the holder's token call is slow
    const reports: Report[] = await Promise.all(workers.map((w) => w.send({ type: 'token' })));
    const holder = reports.find((r) => r.storedAt !== undefined);
    if (holder?.storedAt !== undefined) {
      for (const r of reports) if (r !== holder && r.doneAt !== undefined) latencies.push(r.doneAt - holder.storedAt);
    }
    await auth.close();
  }
  const how = subscriber ? 'subscriber: redis.duplicate()' : 'no subscriber (polling 25 ms doubling to 500 ms)';
  print(
    `store-to-waiter latency, ${subscriber ? 'pub/sub' : 'polling'}`,
    `median ${median(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    `${PROCESSES - 1} waiters × 5 rounds, holder's token call 0.6–1 s, ${how}`,
  );
}

async function redisDown(workers: Worker[]): Promise<void> {
  const own = await startRedisServer();
  const auth = await startAuthServer({ tokenLifetimeSeconds: 2 });
  try {
    await attach(workers, auth, own.url, { refreshSkewSeconds: 0 });
    const load = Promise.all(
      workers.map((w) => w.send({ type: 'load', durationMs: 6_000, concurrency: 3, pauseMs: 40 })),
    );
    while (auth.apiRequests().length < PROCESSES * 3) await new Promise((r) => setTimeout(r, 10));
    const before = auth.counters.tokenCalls;
    await own.stop();
    const reports = await load;
    const sum = total(reports);
    const perProcess = reports.map((r) => r.fetched);
    print(
      'Redis down: requests failed',
      `${failedText(sum.failed)} of ${sum.ok} requests; slowest ${Math.max(...reports.map((r) => r.maxLatencyMs))} ms`,
      `${PROCESSES} processes × 3 loops, 2 s tokens, refreshSkewSeconds 0, Redis stopped ~1 s in, commandTimeoutMs 1000, pauseAfterErrorMs 2000`,
    );
    print(
      'Redis down: token calls',
      `${before} while up, then ${auth.counters.tokenCalls - before} (per process: ${perProcess.join(', ')})`,
      'one own token per process while Redis is away',
    );
  } finally {
    await auth.close();
    await own.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const redis = await startRedisServer();
  const workers = await startWorkers(PROCESSES);
  try {
    console.log(`${PROCESSES} processes, one redis-server on loopback, the embedded auth server\n`);
    await cold(workers, redis);
    await shortTokens(workers, redis, undefined);
    await shortTokens(workers, redis, 0);
    await wrongKey(workers, redis);
    await storeToWaiter(workers, redis, false);
    await storeToWaiter(workers, redis, true);
    await redisDown(workers);
    console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
