/**
 * Many tenants on a fleet: several attachments (standing for processes) with one Redis store share
 * one token per tenant, and each tenant's failures and lockouts, never another tenant's; every key
 * they write has a TTL and holds no tenant's secret.
 */
import axios, { type AxiosInstance } from 'axios';
import type Redis from 'ioredis';
import { AccountLockedError, attachOAuth2, TokenEndpointError, type OAuth2Handle } from '../../src';
import { RedisTokenStore } from '../../src/redis';
import { LOCKOUT_DESCRIPTION } from '../../src/testing';
import { DEFAULT_PREFIX } from '../../src/redis/keys';
import { useFleet } from '../helpers/fleet';
import { tenants } from '../../src/features/tenants';

const fleet = useFleet('fleet-main', 'fleet-main-secret');
const TENANTS = Array.from({ length: 20 }, (_, i) => `tenant-${i}`);
const secretOf = (tenant: string) => `s3cret-of-${tenant}`;

function redis(): Redis {
  return fleet.connect();
}

/** One "process": its own Redis connection, store and axios instance; the loader gives `secret(tenant)`. */
function processOn(secret = secretOf): { api: AxiosInstance; handle: OAuth2Handle; loads: string[] } {
  const loads: string[] = [];
  const api = axios.create({ baseURL: fleet.auth.url });
  const handle = attachOAuth2(api, {
    tokenUrl: fleet.auth.tokenUrl,
    store: new RedisTokenStore(redis()),
    retry: { retries: 0 },
    tenants: tenants({
      load: (tenant) => {
        loads.push(tenant);
        return { clientId: `client-${tenant}`, clientSecret: secret(tenant) };
      },
    }),
  });
  return { api, handle, loads };
}

const call = (p: { api: AxiosInstance }, tenant: string) =>
  p.api.get(`/v2.01/client-${tenant}/users`, { oauth2: { tenant } });
const bearer = (response: { config: { headers: { get(name: string): unknown } } }) =>
  String(response.config.headers.get('Authorization'));

beforeEach(() => {
  for (const tenant of TENANTS) fleet.auth.addClient({ clientId: `client-${tenant}`, clientSecret: secretOf(tenant) });
});

test('3 processes × 20 tenants, all cold at once: one token per tenant for the fleet (20 token calls)', async () => {
  const processes = [processOn(), processOn(), processOn()];
  const responses = await Promise.all(processes.flatMap((p) => TENANTS.map((tenant) => call(p, tenant))));
  expect(fleet.auth.counters.tokenCalls).toBe(20);
  expect(fleet.auth.counters.wrongClientTokens).toBe(0);
  for (let t = 0; t < TENANTS.length; t++) {
    const bearers = processes.map((_, p) => bearer(responses[p * TENANTS.length + t]));
    expect(new Set(bearers).size).toBe(1);
  }
  // Every key has a TTL (memory in Redis is bounded) and names no tenant, client id or secret.
  const inspector = redis();
  const names = await inspector.keys(`${DEFAULT_PREFIX}*`);
  expect(names.length).toBeGreaterThanOrEqual(20);
  for (const name of names) {
    expect(await inspector.pttl(name)).toBeGreaterThan(0);
    expect(name).not.toMatch(/tenant|client|s3cret/);
  }
  for (const p of processes) p.handle.detach();
});

test("a tenant's lockout is shared by the fleet and costs another tenant nothing", async () => {
  const [p1, p2] = [processOn(), processOn()];
  fleet.auth.injectTokenFaults([
    {
      type: 'status',
      status: 400,
      retryAfter: '60',
      body: { error: 'unauthorized_client', error_description: LOCKOUT_DESCRIPTION },
    },
  ]);
  await expect(call(p1, 'tenant-1')).rejects.toBeInstanceOf(AccountLockedError);
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  // The other process reads tenant-1's cool-down from Redis: no token call.
  await expect(call(p2, 'tenant-1')).rejects.toBeInstanceOf(AccountLockedError);
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  // tenant-2, on either process: one token call, no wait.
  expect((await call(p2, 'tenant-2')).status).toBe(200);
  expect((await call(p1, 'tenant-2')).status).toBe(200);
  expect(fleet.auth.counters.tokenCalls).toBe(2);
  p1.handle.detach();
  p2.handle.detach();
});

test("a tenant's permanent failure is shared by the fleet, not another tenant's", async () => {
  const [p1, p2] = [processOn(), processOn()];
  fleet.auth.injectTokenFaults([{ type: 'status', status: 400, body: { error: 'invalid_scope' } }]);
  await expect(call(p1, 'tenant-3')).rejects.toMatchObject({ name: 'TokenEndpointError', error: 'invalid_scope' });
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  // The other process reads tenant-3's failure from Redis: no token call.
  const error = await call(p2, 'tenant-3').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TokenEndpointError);
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  expect((await call(p2, 'tenant-4')).status).toBe(200);
  expect(fleet.auth.counters.tokenCalls).toBe(2);
  p1.handle.detach();
  p2.handle.detach();
});

test('invalid_client stays in the process that saw it (another may hold the rotated secret), after one more load', async () => {
  const wrong = (tenant: string) => (tenant === 'tenant-6' ? 'stale-secret' : secretOf(tenant));
  const [p1, p2] = [processOn(wrong), processOn()];
  await expect(call(p1, 'tenant-6')).rejects.toMatchObject({ name: 'TokenEndpointError', error: 'invalid_client' });
  expect(p1.loads).toEqual(['tenant-6', 'tenant-6']);
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  expect((await call(p2, 'tenant-6')).status).toBe(200);
  expect(fleet.auth.counters.tokenCalls).toBe(2);
  p1.handle.detach();
  p2.handle.detach();
});

test('forgetTenant drops the tenant token from Redis too: the next process to ask fetches anew', async () => {
  const [p1, p2] = [processOn(), processOn()];
  const first = await call(p1, 'tenant-5');
  await p1.handle.forgetTenant('tenant-5');
  const second = await call(p2, 'tenant-5');
  expect(bearer(second)).not.toBe(bearer(first));
  expect(fleet.auth.counters.tokenCalls).toBe(2);
  p1.handle.detach();
  p2.handle.detach();
});
