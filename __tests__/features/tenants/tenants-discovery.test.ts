/**
 * Many tenants whose endpoint is an issuer: `tenants.load` gives `tokenUrl: discover(issuer)`; each
 * tenant discovers its own token endpoint (one discovery per tenant, shared by its concurrent
 * requests, dropped with the tenant), its failure a `DiscoveryError` for that tenant only. Two
 * embedded servers with `discovery`: two issuers, a client each.
 */
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, TenantLoadError, type OAuth2Handle, type TenantCredentials } from '../../../src';
import { discover, DiscoveryError } from '../../../src/features/discovery';
import { clientSecretJwt } from '../../../src/features/client-auth';
import { startAuthServer, type AuthServer, type EchoBody } from '../../../src/testing';
import { tenants } from '../../../src/features/tenants';

let a: AuthServer;
let b: AuthServer;
let api: AxiosInstance;
let auth: OAuth2Handle | undefined;
let loads: string[];
const clock = { now: Date.UTC(2026, 11, 7) };

async function start(bIssuer?: string): Promise<void> {
  a = await startAuthServer({
    discovery: { issuerPath: '/tenant-a' },
    clients: [{ clientId: 'client-a', clientSecret: 'secret-a' }],
  });
  b = await startAuthServer({
    discovery: { issuerPath: '/tenant-b', ...(bIssuer === undefined ? {} : { issuer: bIssuer }) },
    clients: [{ clientId: 'client-b', clientSecret: 'secret-b' }],
  });
  api = axios.create();
  loads = [];
}

afterEach(async () => {
  auth?.detach();
  auth = undefined;
  await Promise.all([a.close(), b.close()]);
});

/** Each tenant's credentials name its own issuer. */
function attach(credentials: Record<string, () => TenantCredentials | undefined> = {}): OAuth2Handle {
  const given: Record<string, () => TenantCredentials | undefined> = {
    a: () => ({ clientId: 'client-a', clientSecret: 'secret-a', tokenUrl: discover(a.issuer as string) }),
    b: () => ({ clientId: 'client-b', clientSecret: 'secret-b', tokenUrl: discover(b.issuer as string) }),
    ...credentials,
  };
  auth = attachOAuth2(api, {
    // The attachment's own endpoint is neither tenant's.
    tokenUrl: 'http://127.0.0.1:9/unused/token',
    apiOrigins: [a.url, b.url],
    retry: { retries: 0 },
    clock: () => clock.now,
    tenants: tenants({
      load: (tenant) => {
        loads.push(tenant);
        return given[tenant]?.();
      },
    }),
  });
  return auth;
}

const callA = () => api.get<EchoBody>(`${a.url}/v2.01/client-a/users`, { oauth2: { tenant: 'a' } });
const callB = () => api.get<EchoBody>(`${b.url}/v2.01/client-b/users`, { oauth2: { tenant: 'b' } });

test('each tenant discovers its own issuer once, shared by its concurrent requests; tokens from its own endpoint', async () => {
  await start();
  attach();
  const answers = await Promise.all([...Array(10).keys()].flatMap(() => [callA(), callB()]));
  expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
  // One discovery per issuer and tenant (RFC 8414 location first, found there), one token call each.
  expect(a.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server/tenant-a']);
  expect(b.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server/tenant-b']);
  expect(a.counters.tokenCalls).toBe(1);
  expect(b.counters.tokenCalls).toBe(1);
  expect(a.tokenRequests()[0].path).toBe('/v2.01/oauth/token');
  expect(a.issuedTokens()[0].clientId).toBe('client-a');
  expect(b.issuedTokens()[0].clientId).toBe('client-b');
  expect(a.counters.wrongClientTokens + b.counters.wrongClientTokens).toBe(0);
  // Later requests: nothing more discovered or fetched.
  await Promise.all([callA(), callB()]);
  expect(a.metadataRequests()).toHaveLength(1);
  expect(b.metadataRequests()).toHaveLength(1);
  expect(a.counters.tokenCalls + b.counters.tokenCalls).toBe(2);
  expect(loads).toEqual(['a', 'b']);
});

test("a tenant's failed discovery (issuer mismatch) is a DiscoveryError for that tenant only, served for its back-off, no token call", async () => {
  await start('https://impostor.example/tenant-b');
  attach();
  const failures = await Promise.all([callB(), callB(), callB()].map((p) => p.catch((e: unknown) => e)));
  for (const error of failures) {
    expect(error).toBeInstanceOf(DiscoveryError);
    expect(error).toMatchObject({ reason: 'issuer_mismatch', code: 'OAUTH2_ISSUER_MISMATCH', issuer: b.issuer });
  }
  // One discovery for the three requests; no token request to B.
  expect(b.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server/tenant-b']);
  expect(b.counters.tokenCalls).toBe(0);
  // Tenant A is unaffected.
  expect((await callA()).status).toBe(200);
  expect(a.counters.tokenCalls).toBe(1);
  // Within the back-off (1 s after the first failure): served as is, no metadata request.
  clock.now += 999;
  await expect(callB()).rejects.toBeInstanceOf(DiscoveryError);
  expect(b.metadataRequests()).toHaveLength(1);
  // The back-off over: discovered again (and refused again).
  clock.now += 1;
  await expect(callB()).rejects.toBeInstanceOf(DiscoveryError);
  expect(b.metadataRequests()).toHaveLength(2);
  expect(b.counters.tokenCalls).toBe(0);
  expect(loads).toEqual(['b', 'a']);
});

test("a tenant's discovery goes with it: forgetTenant, then the next request discovers again", async () => {
  await start();
  const handle = attach();
  await callA();
  await handle.forgetTenant('a');
  await callA();
  expect(a.metadataRequests()).toEqual([
    '/.well-known/oauth-authorization-server/tenant-a',
    '/.well-known/oauth-authorization-server/tenant-a',
  ]);
  expect(a.counters.tokenCalls).toBe(2);
  expect(loads).toEqual(['a', 'a']);
});

test('the handle reaches a discovering tenant: getToken({ tenant }) discovers, then requests share its token', async () => {
  await start();
  const handle = attach();
  const token = await handle.getAccessToken({ tenant: 'b' });
  expect(b.issuedToken(token)?.clientId).toBe('client-b');
  const answer = await callB();
  expect(answer.config.headers.Authorization).toBe(`Bearer ${token}`);
  expect(b.metadataRequests()).toHaveLength(1);
  expect(b.counters.tokenCalls).toBe(1);
});

test('an endpoint source the attachment refuses (http on a non-loopback host) fails the tenant with TenantLoadError naming tokenUrl; no request', async () => {
  await start();
  attach({
    c: () => ({ clientId: 'client-c', clientSecret: 'secret-c', tokenUrl: discover('http://login.example.com/c') }),
  });
  const error = await api.get(`${a.url}/v2.01/client-a/users`, { oauth2: { tenant: 'c' } }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TenantLoadError);
  expect(error).toMatchObject({ reason: 'invalid', field: 'tokenUrl' });
  expect(a.counters.tokenCalls + b.counters.tokenCalls).toBe(0);
  expect(a.metadataRequests()).toHaveLength(0);
});

test('one discovery per issuer and tenant: two tenants of the same issuer discover it each', async () => {
  await start();
  a.addClient({ clientId: 'client-a2', clientSecret: 'secret-a2' });
  attach({ a2: () => ({ clientId: 'client-a2', clientSecret: 'secret-a2', tokenUrl: discover(a.issuer as string) }) });
  await Promise.all([callA(), callA(), api.get(`${a.url}/v2.01/client-a2/users`, { oauth2: { tenant: 'a2' } })]);
  expect(a.metadataRequests()).toHaveLength(2);
  expect(a.counters.tokenCalls).toBe(2);
  expect(
    a
      .issuedTokens()
      .map((t) => t.clientId)
      .sort(),
  ).toEqual(['client-a', 'client-a2']);
});

test("a tenant with a URL of its own does not inherit the attachment's issuer (its client assertion's audience is its endpoint)", async () => {
  const secret = 'b-main-secret-of-at-least-32-bytes!!';
  a = await startAuthServer({ discovery: { issuerPath: '/tenant-a' } });
  b = await startAuthServer({ clientSecret: secret, clientAssertion: {} });
  api = axios.create();
  auth = attachOAuth2(api, {
    tokenUrl: discover(a.issuer as string),
    clientId: a.clientId,
    clientSecret: a.clientSecret,
    apiOrigins: [a.url, b.url],
    retry: { retries: 0 },
    tenants: tenants({
      load: () => ({ clientId: b.clientId, clientAuthentication: clientSecretJwt(secret), tokenUrl: b.tokenUrl }),
    }),
  });
  const answer = await api.get(`${b.apiBaseUrl}/users`, { oauth2: { tenant: 'b' } });
  expect(answer.status).toBe(200);
  expect(b.counters.tokenCalls).toBe(1);
  const assertion = new URLSearchParams(b.tokenRequests()[0].body).get('client_assertion') as string;
  const claims = JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString()) as { aud: string };
  expect(claims.aud).toBe(b.tokenUrl);
});
