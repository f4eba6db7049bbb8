/**
 * The fixture of the Redis fleet tests: one real redis-server for the file, a fresh embedded
 * authorization server per test, and Redis connections that are all closed after each test.
 */
import Redis from 'ioredis';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { startRedisServer, type RedisServer } from './redis-server';

export interface FleetFixture {
  /** The file's redis-server. */
  readonly redisServer: RedisServer;
  /** This test's authorization server. */
  readonly auth: AuthServer;
  /** A new connection to `url` (default: the file's server), closed after the test; its errors are left to the stores. */
  connect(url?: string): Redis;
}

/** Registers the hooks (call at the top of a test file) and returns the fixture they fill. */
export function useFleet(clientId: string, clientSecret: string): FleetFixture {
  let redisServer: RedisServer | undefined;
  let auth: AuthServer | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    redisServer = await startRedisServer();
  });
  afterAll(async () => {
    await redisServer?.stop();
  });
  beforeEach(async () => {
    auth = await startAuthServer({ clientId, clientSecret });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await auth?.close();
  });
  return {
    get redisServer() {
      if (!redisServer) throw new Error('useFleet: the redis-server is not started yet');
      return redisServer;
    },
    get auth() {
      if (!auth) throw new Error('useFleet: no authorization server outside a test');
      return auth;
    },
    connect(url) {
      // Quick exit once Redis is gone; errors are reported through onStoreError instead.
      const client = new Redis(url ?? this.redisServer.url, { maxRetriesPerRequest: 1, disconnectTimeout: 50 });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
  };
}
