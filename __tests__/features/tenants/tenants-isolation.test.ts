/**
 * Many tenants, isolation under churn: a seeded random run of 100,000 API requests over 1,000
 * tenants, with renewals (the plugin's clock moves past expiry), revocations (handle.invalidate, and
 * server-side revocation: a 401 and one replay), lockouts (tenants whose loader gives a wrong secret,
 * locked by the server) and evictions (maxTenants below the tenant count, and forgetTenant())
 * interleaved. Every token the embedded server issues names its client (tenant); the API checks it.
 *
 * Transport: token requests go to the embedded server over real loopback http; API requests are
 * answered in-process by an adapter that checks each bearer against the embedded server's registry
 * of issued tokens (100,000 loopback round trips are too slow for CI on 2 cores).
 */
import axios, { AxiosError, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { attachOAuth2, OAuth2Error, type OAuth2Handle } from '../../../src';
import { startAuthServer, type AuthServer } from '../../../src/testing';
import { seededRandom as prng } from '../../helpers/seeded-random';
import { tenants } from '../../../src/features/tenants';

const TENANT_COUNT = 1_000;
const REQUESTS = 100_000;
const BATCH = 250;
/** Tenants whose loader gives a wrong secret: invalid_client, then locked by the server. */
const BAD = new Set(Array.from({ length: 10 }, (_, i) => `tenant-${i * 97}`));

let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer({
    lockoutAfter: 2,
    lockoutSeconds: 3600,
    tokenLifetimeSeconds: 600,
    clients: Array.from({ length: TENANT_COUNT }, (_, i) => ({
      clientId: `client-${i}`,
      clientSecret: `secret-${i}`,
    })),
  });
});
afterAll(() => server.close());

test('100,000 requests over 1,000 tenants with renewals, revocations, lockouts and evictions: 0 tokens to the wrong tenant', async () => {
  const random = prng(20261207);
  const clock = { now: Date.UTC(2026, 11, 7) };
  let mismatches = 0;
  let apiCalls = 0;
  const http = axios.getAdapter('http');
  // The API, in-process: /v2.01/{clientId}/… accepts a live token issued to that client only.
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    if (config.url?.startsWith(server.tokenUrl) || config.oauth2?.skip) return http(config);
    apiCalls += 1;
    const routeClient = /\/v2\.01\/([^/]+)\//.exec(config.url ?? '')?.[1];
    const bearer = /^Bearer (\S+)$/.exec(String(config.headers.Authorization ?? ''))?.[1];
    const issued = bearer === undefined ? undefined : server.issuedToken(bearer);
    if (issued !== undefined && issued.clientId !== routeClient) mismatches += 1;
    const live = issued !== undefined && !issued.revoked && issued.clientId === routeClient;
    const response = { status: live ? 200 : 401, statusText: '', headers: {}, config, data: { client: routeClient } };
    if (live) return response;
    throw new AxiosError('401', AxiosError.ERR_BAD_REQUEST, config, undefined, response);
  };
  const api = axios.create({ baseURL: 'https://api.example.com', adapter });
  const auth: OAuth2Handle = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    apiOrigins: ['https://api.example.com'],
    clock: () => clock.now,
    retry: { retries: 0 },
    failureCacheMs: 0,
    // Two early rejections open the tenant's rejection cool-down: revocations here are spaced out.
    rejection: { windowMs: 0 },
    tenants: tenants({
      maxTenants: 950,
      retryMs: 0,
      load: (tenant) => {
        const i = tenant.slice('tenant-'.length);
        return { clientId: `client-${i}`, clientSecret: BAD.has(tenant) ? 'wrong' : `secret-${i}` };
      },
    }),
  });
  const held = new Map<string, string>();
  let completed = 0;
  let succeeded = 0;
  let failedTyped = 0;
  let invalidations = 0;
  let revocations = 0;
  let forgets = 0;
  const request = async (tenant: string): Promise<void> => {
    try {
      await api.get(`/v2.01/client-${tenant.slice('tenant-'.length)}/users`, { oauth2: { tenant } });
      succeeded += 1;
    } catch (error) {
      // Bad tenants fail with typed errors (invalid_client, then the lockout); nothing else may fail.
      if (!(error instanceof OAuth2Error) || !BAD.has(tenant)) throw error;
      failedTyped += 1;
    } finally {
      completed += 1;
    }
  };
  for (let sent = 0; sent < REQUESTS;) {
    const batch: Array<Promise<void>> = [];
    for (let i = 0; i < BATCH && sent < REQUESTS; i++) {
      const tenant = `tenant-${Math.floor(random() * TENANT_COUNT)}`;
      const roll = random();
      if (roll < 0.002) {
        invalidations += 1;
        batch.push(auth.invalidate({ tenant }).catch(() => undefined));
      } else if (roll < 0.004 && !BAD.has(tenant)) {
        // Server-side revocation of the tenant's current token: its next request gets a 401 and one replay.
        const token = held.get(tenant);
        if (token !== undefined && server.revokeToken(token)) revocations += 1;
      } else if (roll < 0.005) {
        forgets += 1;
        batch.push(auth.forgetTenant(tenant));
      }
      sent += 1;
      batch.push(request(tenant));
    }
    await Promise.all(batch);
    // Renewals: the plugin's clock moves on (tokens live 600 s; about 3 renewals per tenant over the run).
    clock.now += Math.floor(random() * 2 * 600_000 * 3 * (BATCH / REQUESTS));
    if (random() < 0.05) {
      // Note a few tenants' current tokens, for the server-side revocations above.
      for (let k = 0; k < 20; k++) {
        const tenant = `tenant-${Math.floor(random() * TENANT_COUNT)}`;
        if (!BAD.has(tenant)) held.set(tenant, await auth.getAccessToken({ tenant }));
      }
    }
  }
  expect(completed).toBe(REQUESTS);
  expect(mismatches).toBe(0);
  expect(server.counters.wrongClientTokens).toBe(0);
  expect(succeeded + failedTyped).toBe(REQUESTS);
  expect(failedTyped).toBeGreaterThan(0);
  // Every kind of churn happened.
  expect(Math.min(invalidations, revocations, forgets)).toBeGreaterThan(0);
  expect(server.counters.lockouts).toBeGreaterThanOrEqual(BAD.size);
  expect(apiCalls).toBeGreaterThanOrEqual(succeeded);
  auth.detach();
  // A guard against a hang only: the test asserts counts, and took over 2 minutes on a loaded 2-core machine.
}, 600_000);
