/**
 * The client claims of docs/redis.md against real servers: node-redis v4 and v5 (through fromNodeRedis and
 * fromNodeRedisSubscriber) on a real redis-server, an ioredis Cluster on a real 3-master Redis
 * Cluster, and "requests that hold a valid token do not touch Redis" counted with INFO commandstats.
 */
import axios from 'axios';
import Redis, { type Cluster } from 'ioredis';
import { createClient as createClientV4 } from 'redis-v4';
import { createClient as createClientV5 } from 'redis-v5';
import { attachOAuth2, TokenEndpointError, type TokenStore } from '../../src';
import {
  fromNodeRedis,
  fromNodeRedisSubscriber,
  RedisTokenStore,
  type RedisClientLike,
  type RedisSubscriberLike,
} from '../../src/redis';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { startRedisCluster, type RedisCluster } from '../helpers/redis-cluster';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

let auth: AuthServer;
let run = 0;
beforeEach(async () => {
  auth = await startAuthServer();
});
afterEach(async () => {
  await auth.close();
});

interface Connection {
  client: RedisClientLike;
  subscriber: RedisSubscriberLike;
}

/** The shared-cache behaviours, for two "processes" each with its own connections from `connect`. */
async function fleetBehaves(connect: () => Promise<Connection>): Promise<void> {
  const prefix = `clients-${++run}:`;
  const [a, b] = [await connect(), await connect()];
  const storeA = new RedisTokenStore(a.client, { prefix });
  const storeB = new RedisTokenStore(b.client, { prefix, subscriber: b.subscriber });
  const options = { tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret: auth.clientSecret };
  const apiA = axios.create({ baseURL: auth.apiBaseUrl });
  const apiB = axios.create({ baseURL: auth.apiBaseUrl });
  const handleA = attachOAuth2(apiA, { ...options, store: storeA });
  const handleB = attachOAuth2(apiB, { ...options, store: storeB });

  // One token for both, through the lock.
  const [t1, t1b] = await Promise.all([handleA.getAccessToken(), handleB.getAccessToken()]);
  expect(t1b).toBe(t1);
  expect(auth.counters.tokenCalls).toBe(1);

  // A stale 401 in B keeps the token A stored meanwhile (compare-and-delete).
  auth.revokeAllTokens();
  const renewed = await apiA.get('/users');
  const t2 = String(renewed.config.headers.Authorization);
  const stale = await apiB.get('/users');
  expect(String(stale.config.headers.Authorization)).toBe(t2);
  expect(auth.counters.tokenCalls).toBe(2);

  // A store's announcement reaches the other's subscriber.
  let heard!: () => void;
  const announced = new Promise<void>((resolve) => (heard = resolve));
  const stopListening = await storeB.subscribe('announce', () => heard());
  const token = { accessToken: 'x', tokenType: 'bearer', obtainedAt: Date.now(), expiresAt: Date.now() + 5_000 };
  await storeA.set('announce', token);
  await announced;
  stopListening();

  // A permanent failure of the request is shared: the second process gets it without a token call.
  const other = { ...options, clientId: 'other-client' };
  const failing = (store: TokenStore) => attachOAuth2(axios.create(), { ...other, store });
  const calls = auth.counters.tokenCalls;
  auth.injectTokenFaults([{ type: 'status', status: 400, body: { error: 'invalid_scope' } }]);
  await expect(failing(storeA).getAccessToken()).rejects.toBeInstanceOf(TokenEndpointError);
  await expect(failing(storeB).getAccessToken()).rejects.toMatchObject({ error: 'invalid_scope' });
  expect(auth.counters.tokenCalls).toBe(calls + 1);
}

describe('node-redis', () => {
  let server: RedisServer;
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const close of closers.splice(0)) await close().catch(() => undefined);
    await server?.stop();
  });

  /** A connected client and a connected duplicate for pub/sub, both closed after the tests. */
  async function connected<C extends { connect(): Promise<unknown>; quit(): Promise<unknown>; duplicate(): C }>(
    client: C,
  ): Promise<[C, C]> {
    const subscriber = client.duplicate();
    await Promise.all([client.connect(), subscriber.connect()]);
    closers.push(
      () => client.quit(),
      () => subscriber.quit(),
    );
    return [client, subscriber];
  }

  test('v4, standalone client, against a real redis-server', async () => {
    await fleetBehaves(async () => {
      const [client, subscriber] = await connected(createClientV4({ url: server.url }));
      return { client: fromNodeRedis(client), subscriber: fromNodeRedisSubscriber(subscriber) };
    });
  });

  test('v5, standalone client, against a real redis-server', async () => {
    await fleetBehaves(async () => {
      const [client, subscriber] = await connected(createClientV5({ url: server.url }));
      return { client: fromNodeRedis(client), subscriber: fromNodeRedisSubscriber(subscriber) };
    });
  });
});

describe('ioredis Cluster', () => {
  let cluster: RedisCluster;
  const clients: Cluster[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);
  afterAll(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await cluster?.stop();
  });

  test('new Redis.Cluster(...) on a real 3-master cluster', async () => {
    await fleetBehaves(async () => {
      const client = new Redis.Cluster([...cluster.nodes]);
      const subscriber = new Redis.Cluster([...cluster.nodes]);
      clients.push(client, subscriber);
      return { client, subscriber };
    });
    expect(clients[0].nodes('master')).toHaveLength(3); // a real cluster: every command was routed by key slot
  }, 30_000);
});

describe('requests holding a valid token', () => {
  test('send 0 commands to Redis (INFO commandstats before and after 200 warm requests)', async () => {
    const server = await startRedisServer();
    const redis = new Redis(server.url);
    const admin = new Redis(server.url);
    try {
      const api = axios.create({ baseURL: auth.apiBaseUrl });
      attachOAuth2(api, {
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        store: new RedisTokenStore(redis),
      });
      await api.get('/users'); // cold: fetches and stores the token
      const before = await commandCounts(admin);
      for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 10 }, () => api.get('/users')));
      const after = await commandCounts(admin);
      expect(auth.counters.tokenCalls).toBe(1);
      expect(after).toEqual({ ...before, info: (before.info ?? 0) + 1 }); // only this test's own INFO
    } finally {
      redis.disconnect();
      admin.disconnect();
      await server.stop();
    }
  });
});

/** Calls per command since the server started, from INFO commandstats. */
async function commandCounts(redis: Redis): Promise<Record<string, number>> {
  const text = await redis.info('commandstats');
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) counts[match[1]] = Number(match[2]);
  return counts;
}
