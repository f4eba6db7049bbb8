/**
 * Several tokens per attachment on a real Redis: each (scope, resource) pair has its own Redis keys,
 * free of secrets, and two "processes" share each pair's token (one token call per pair in all).
 */
import axios, { type AxiosInstance } from 'axios';
import type Redis from 'ioredis';
import { attachOAuth2, type OAuth2Handle } from '../../src';
import { RedisTokenStore } from '../../src/redis';
import { DEFAULT_PREFIX, redisKeys } from '../../src/redis/keys';
import { cacheKey } from '../../src/token/cache-key';
import { resolveOptions } from '../../src/options/validate-options';
import { useFleet } from '../helpers/fleet';

const CLIENT_ID = 'fleet-client-id';
const CLIENT_SECRET = 'fleet-s3cret-api-key';
const RESOURCE_A = 'https://api-a.example.com/';
const RESOURCE_B = 'https://api-b.example.com/';

const fleet = useFleet(CLIENT_ID, CLIENT_SECRET);

function redis(): Redis {
  return fleet.connect();
}

function options() {
  return { tokenUrl: fleet.auth.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scope: 'read' };
}

/** One "process": its own Redis connection, store and axios instance. */
function processOn(): { api: AxiosInstance; handle: OAuth2Handle } {
  const api = axios.create({ baseURL: fleet.auth.apiBaseUrl });
  const handle = attachOAuth2(api, { ...options(), store: new RedisTokenStore(redis()) });
  return { api, handle };
}

/** The cache key of the token for `resource` (and the attachment's scope), as the plugin computes it. */
function keyFor(resource: string | undefined, scope = 'read'): string {
  const api = axios.create({ baseURL: fleet.auth.apiBaseUrl });
  return cacheKey({ ...resolveOptions(api, options()), scope, resource });
}

const bearer = (response: { config: { headers: { get(name: string): unknown } } }) =>
  String(response.config.headers.get('Authorization'));

test('each pair has its own Redis keys; a second process reuses each pair’s token: 2 processes × 2 resources → 2 token calls', async () => {
  const [p1, p2] = [processOn(), processOn()];
  const a1 = await p1.api.get('/users', { oauth2: { resource: RESOURCE_A } });
  const b1 = await p1.api.get('/users', { oauth2: { resource: RESOURCE_B } });
  const [a2, b2] = await Promise.all([
    p2.api.get('/users', { oauth2: { resource: RESOURCE_A } }),
    p2.api.get('/users', { oauth2: { resource: RESOURCE_B } }),
  ]);
  expect(fleet.auth.counters.tokenCalls).toBe(2);
  expect(bearer(a2)).toBe(bearer(a1));
  expect(bearer(b2)).toBe(bearer(b1));
  expect(bearer(a1)).not.toBe(bearer(b1));
  // The token requests asked for each resource.
  const bodies = fleet.auth.tokenRequests().map((r) => new URLSearchParams(r.body).get('resource'));
  expect(bodies.sort()).toEqual([RESOURCE_A, RESOURCE_B]);

  const keyA = keyFor(RESOURCE_A);
  const keyB = keyFor(RESOURCE_B);
  expect(new Set([keyA, keyB, p1.handle.cacheKey]).size).toBe(3);
  const names = (await redis().keys(`${DEFAULT_PREFIX}*`)).sort();
  expect(names).toEqual(
    expect.arrayContaining([redisKeys(DEFAULT_PREFIX, keyA).token, redisKeys(DEFAULT_PREFIX, keyB).token]),
  );
  expect(names).not.toContain(redisKeys(DEFAULT_PREFIX, p1.handle.cacheKey).token); // the default was never used
  for (const name of names) {
    for (const text of [CLIENT_ID, CLIENT_SECRET, 'api-a', 'api-b']) expect(name).not.toContain(text);
  }
});

test('scope order does not matter across processes: "read write" and "write  read" share one Redis key and token', async () => {
  const [p1, p2] = [processOn(), processOn()];
  const first = await p1.api.get('/users', { oauth2: { scope: 'read write' } });
  const second = await p2.api.get('/users', { oauth2: { scope: 'write  read' } });
  expect(bearer(second)).toBe(bearer(first));
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  const token = await redis().get(redisKeys(DEFAULT_PREFIX, keyFor(undefined, 'read write')).token);
  expect(token).not.toBeNull();
});
