/**
 * The request side's per-request source choice (`pickChosen` in src/interceptors/request-interceptor.ts),
 * through `attachOAuth2` with `tenants()` and the embedded server: what a request that gets no bearer
 * loads (nothing), a selection within a tenant, and a request left to its own credentials.
 */
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, OAuth2RequestOptionsError, type OAuth2Handle, type OAuth2Options } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { tenants } from '../../src/features/tenants';

let server: AuthServer;
let other: AuthServer;
let api: AxiosInstance;
let handle: OAuth2Handle;
let loads: string[];
let skipped: unknown[];

beforeEach(async () => {
  server = await startAuthServer({ clients: [{ clientId: 'client-t1', clientSecret: 'secret-t1' }] });
  other = await startAuthServer();
  api = axios.create({ baseURL: server.url });
  loads = [];
  skipped = [];
});
afterEach(async () => {
  handle.detach();
  await Promise.all([server.close(), other.close()]);
});

function attach(extra: Partial<OAuth2Options> = {}): void {
  handle = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    retry: { retries: 0 },
    hooks: { onRequestSkipped: (event) => skipped.push(event) },
    tenants: tenants({
      load: async (tenant) => {
        loads.push(tenant);
        await Promise.resolve();
        return { clientId: `client-${tenant}`, clientSecret: `secret-${tenant}` };
      },
    }),
    ...extra,
  });
}

const T1_USERS = '/v2.01/client-t1/users';

test('oauth2.skip on a tenant request: no bearer, nothing loaded, no token call', async () => {
  attach();
  const response = await api.get(T1_USERS, { oauth2: { tenant: 't1', skip: true } }).catch((e) => e.response);
  expect(response.status).toBe(401);
  expect(server.apiRequests().map((r) => r.authorization)).toEqual([undefined]);
  expect(loads).toEqual([]);
  expect(server.counters.tokenCalls).toBe(0);
});

test('a tenant request to another origin or to the token endpoint: no bearer, nothing loaded; its options still checked', async () => {
  attach();
  const elsewhere = `${other.apiBaseUrl}/users`;
  expect((await api.get(elsewhere, { oauth2: { tenant: 't1' } }).catch((e) => e.response)).status).toBe(401);
  await api.post(server.tokenUrl, 'grant_type=client_credentials', { oauth2: { tenant: 't1' } }).catch(() => undefined);
  expect(other.apiRequests().map((r) => r.authorization)).toEqual([undefined]);
  expect(server.tokenRequests().map((r) => r.authorization)).toEqual([undefined]);
  expect(loads).toEqual([]);
  const error = await api
    .get(elsewhere, { oauth2: { tenant: 't1', scopes: 'typo' } as never })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
  expect(other.counters.apiCalls).toBe(1);
  expect(loads).toEqual([]);
});

test("a tenant request naming a scope gets the tenant's token for that scope; without one, the tenant's default", async () => {
  attach({ scope: 'read' });
  expect((await api.get(T1_USERS, { oauth2: { tenant: 't1', scope: 'write' } })).status).toBe(200);
  expect((await api.get(T1_USERS, { oauth2: { tenant: 't1' } })).status).toBe(200);
  expect((await api.get(T1_USERS, { oauth2: { tenant: 't1', scope: 'write' } })).status).toBe(200);
  expect(server.issuedTokens().map((t) => [t.clientId, t.scope])).toEqual([
    ['client-t1', 'write'],
    ['client-t1', 'read'],
  ]);
  const [write, read] = server.issuedTokens().map((t) => `Bearer ${t.token}`);
  expect(server.apiRequests().map((r) => r.authorization)).toEqual([write, read, write]);
  expect(loads).toEqual(['t1']);
});

test("a tenant request with axios's auth: the caller's credentials sent, reported, no token call", async () => {
  attach();
  const auth = { username: 'caller', password: 'own' };
  for (let i = 0; i < 2; i++) {
    const response = await api.get(T1_USERS, { oauth2: { tenant: 't1' }, auth }).catch((e) => e.response);
    expect(response.status).toBe(401);
  }
  const basic = `Basic ${Buffer.from('caller:own').toString('base64')}`;
  expect(server.apiRequests().map((r) => r.authorization)).toEqual([basic, basic]);
  expect(skipped).toEqual([
    { reason: 'caller-authorization', method: 'GET', url: T1_USERS },
    { reason: 'caller-authorization', method: 'GET', url: T1_USERS },
  ]);
  expect(server.counters.tokenCalls).toBe(0);
});
