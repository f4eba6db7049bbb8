/**
 * A request that carries its own credentials through axios's `auth` option (per request, or the
 * instance's `defaults.auth`, where OpenAPI-generated SDKs put Basic credentials): axios sends Basic
 * and drops any `Authorization` header, so the plugin gives it no bearer, does no token work for it
 * (no fetch, no renewal, no lockout error) and reports it like a caller's own `Authorization` header.
 * Against the embedded server (a real loopback http server).
 */
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, type OAuth2Handle, type OAuth2Options, type RequestSkippedEvent } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { createCore, flush, T0 } from '../helpers/harness';

let server: AuthServer;
let api: AxiosInstance;
let auth: OAuth2Handle | undefined;
let skipped: RequestSkippedEvent[];

beforeEach(async () => {
  server = await startAuthServer({ lockoutAfter: 1 });
  api = axios.create({ baseURL: server.apiBaseUrl });
  skipped = [];
});

afterEach(async () => {
  auth?.detach();
  auth = undefined;
  await server.close();
});

function attach(extra: Partial<OAuth2Options> = {}): OAuth2Handle {
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    hooks: { onRequestSkipped: (e) => skipped.push(e) },
    ...extra,
  });
  return auth;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const status = (promise: Promise<{ status: number }>) =>
  promise.then(
    (r) => r.status,
    (e: { response?: { status: number } }) => e.response?.status ?? 'no answer',
  );

describe("a request with axios's `auth` gets no bearer and costs no token work", () => {
  test('per request, the plugin holding wrong credentials: Basic reaches the API, no token call, reported', async () => {
    attach({ clientSecret: 'not-the-secret' });
    // The API does not know these Basic credentials (401); what matters is what reached it.
    expect(await status(api.get('/users/1?q=1', { auth: { username: 'sdk-user', password: 'sdk-pass' } }))).toBe(401);
    expect(server.counters.tokenCalls).toBe(0);
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([basic('sdk-user', 'sdk-pass')]);
    expect(skipped).toEqual([{ reason: 'caller-authorization', method: 'GET', url: '/users/1' }]);
    expect(JSON.stringify(skipped)).not.toMatch(/sdk-pass|Basic/);
  });

  test("the instance's defaults.auth (an OpenAPI-generated SDK): same, for every request", async () => {
    api.defaults.auth = { username: 'sdk-user', password: 'sdk-pass' };
    attach({ clientSecret: 'not-the-secret' });
    await status(api.get('/users/1'));
    await status(api.post('/users', {}));
    expect(server.counters.tokenCalls).toBe(0);
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([
      basic('sdk-user', 'sdk-pass'),
      basic('sdk-user', 'sdk-pass'),
    ]);
    expect(skipped.map((e) => `${e.method} ${e.url}`)).toEqual(['GET /users/1', 'POST /users']);
  });

  test('token endpoint locked out: a request with `auth` still goes out (no lockout error), no token call', async () => {
    attach({ clientSecret: 'not-the-secret', failureCacheMs: 0 });
    // One bad attempt locks the server; the next token call meets the lockout and opens the cool-down.
    expect(await status(api.get('/users/1'))).toBe(400);
    await expect(api.get('/users/2')).rejects.toMatchObject({ code: 'OAUTH2_ACCOUNT_LOCKED' });
    expect(server.counters.tokenCalls).toBe(2);
    // The cool-down is open: a plain request fails at once, with no token call.
    await expect(api.get('/users/3')).rejects.toMatchObject({ code: 'OAUTH2_ACCOUNT_LOCKED' });
    expect(server.counters.tokenCalls).toBe(2);
    expect(await status(api.get('/users/4', { auth: { username: 'sdk-user', password: 'sdk-pass' } }))).toBe(401);
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([basic('sdk-user', 'sdk-pass')]);
  });

  test("with authorizationHeader: 'replace' too (axios would drop the bearer for Basic anyway)", async () => {
    attach({ authorizationHeader: 'replace' });
    await status(api.get('/users/1', { auth: { username: 'sdk-user', password: 'sdk-pass' } }));
    expect(server.counters.tokenCalls).toBe(0);
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([basic('sdk-user', 'sdk-pass')]);
    expect(skipped).toHaveLength(1);
  });

  test('`auth` set by an interceptor added after attaching (it runs after the route was chosen): no bearer, reported once', async () => {
    const handle = attach();
    await handle.getAccessToken(); // cached: the synchronous route
    api.interceptors.request.use((config) => {
      config.auth = { username: 'sdk-user', password: 'sdk-pass' };
      return config;
    });
    await status(api.get('/users/1'));
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([basic('sdk-user', 'sdk-pass')]);
    expect(skipped).toEqual([{ reason: 'caller-authorization', method: 'GET', url: '/users/1' }]);
    expect(server.counters.tokenCalls).toBe(1);
  });

  test('other requests of the same instance still get the bearer', async () => {
    const handle = attach();
    await status(api.get('/users/1', { auth: { username: 'sdk-user', password: 'sdk-pass' } }));
    expect((await api.get('/users/2')).status).toBe(200);
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([
      basic('sdk-user', 'sdk-pass'),
      `Bearer ${await handle.getAccessToken()}`,
    ]);
    expect(server.counters.tokenCalls).toBe(1);
  });
});

test('a cached token in its renewal window: a request with `auth` starts no background renewal', async () => {
  const core = createCore({ lifetimeSeconds: 1000, options: { refreshSkewSeconds: 30 } });
  await core.api.get('/a');
  core.clock.now = T0 + 980_000; // renew-soon
  await core.api.get('/b', { auth: { username: 'u', password: 'p' } });
  await flush();
  expect(core.tokenCalls).toHaveLength(1);
  core.auth.detach();
});
