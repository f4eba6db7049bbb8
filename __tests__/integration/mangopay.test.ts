/**
 * The plugin against the embedded Mangopay-like server over real loopback HTTP (no mocks):
 * single flight, 401 refresh-and-replay, permanent token errors, lockout, SCA, origins.
 * Every scenario runs with axios's http adapter and with its fetch adapter.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxiosError } from 'axios';
import { AccountLockedError, TokenEndpointError } from '../../src';
import { startAuthServer, type AuthServer, type EchoBody } from '../../src/testing';
import { mangopayClient as loopbackClient, rejectionOf, settle } from './loopback';

describe.each(['http', 'fetch'] as const)('integration (loopback): Mangopay-like server, %s adapter', (adapter) => {
  let server: AuthServer;
  const mangopayClient: typeof loopbackClient = (s, overrides = {}, defaults = {}) =>
    loopbackClient(s, overrides, { adapter, ...defaults });
  beforeEach(async () => {
    server = await startAuthServer({
      clientId: 'it-client',
      clientSecret: 'it-api-key',
      lockoutAfter: 3,
      lockoutSeconds: 60,
    });
  });
  afterEach(() => server.close());

  it('50 concurrent calls on a cold cache make exactly 1 token call, and every call carries that token', async () => {
    const { api } = mangopayClient(server);

    const { values, errors } = await settle(Array.from({ length: 50 }, (_, i) => api.get<EchoBody>(`/users/${i}`)));

    expect(errors).toEqual([]);
    expect(values.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(server.counters).toMatchObject({
      tokenCalls: 1,
      tokenSuccesses: 1,
      apiCalls: 50,
      apiSuccesses: 50,
      invalidTokens: 0,
    });
    const [issued] = server.issuedTokens();
    expect(new Set(server.apiRequests().map((r) => r.authorization))).toEqual(new Set([`Bearer ${issued.token}`]));
  });

  it('revokeAllTokens(): N calls get 401 → exactly 1 refresh → every call replayed once with the same Idempotency-Key and body', async () => {
    const { api } = mangopayClient(server);
    await api.get('/users/me');
    const [oldToken] = server.issuedTokens();
    server.revokeAllTokens();
    server.resetCounters();
    const N = 20;
    const key = (i: number) => `it-idem-key-${String(i).padStart(6, '0')}`;

    const { values, errors } = await settle(
      Array.from({ length: N }, (_, i) =>
        api.post<EchoBody>('/payins', { n: i }, { headers: { 'Idempotency-Key': key(i) } }),
      ),
    );

    expect(errors).toEqual([]);
    expect(server.counters).toMatchObject({
      api401: N,
      invalidTokens: N,
      tokenCalls: 1,
      tokenSuccesses: 1,
      apiCalls: 2 * N,
      apiSuccesses: N,
    });
    const newToken = server.issuedTokens()[1];
    const log = server.apiRequests();
    for (let i = 0; i < N; i++) {
      const seen = log.filter((r) => r.idempotencyKey === key(i));
      expect(seen.map((r) => r.status)).toEqual([401, 200]);
      expect(seen.map((r) => r.authorization)).toEqual([`Bearer ${oldToken.token}`, `Bearer ${newToken.token}`]);
    }
    // Replayed byte for byte: the JSON body reached the server once-encoded, with its key.
    const bodies = values.map((r) => [r.data.body, r.data.headers['idempotency-key']]);
    expect(bodies).toEqual(Array.from({ length: N }, (_, i) => [{ n: i }, key(i)]));
  });

  it('a wrong API key: a burst of calls gets one invalid_client TokenEndpointError from 1 token call, never retried', async () => {
    const { api } = mangopayClient(server, { clientSecret: 'not-the-key' });

    const { values, errors } = await settle(Array.from({ length: 10 }, () => api.get('/users')));

    expect(values).toEqual([]);
    const [first] = errors;
    expect(first).toBeInstanceOf(TokenEndpointError);
    expect(first).toMatchObject({ error: 'invalid_client', status: 400, transient: false, attempts: 1 });
    // One failure: each request gets its own copy of it.
    for (const e of errors) expect(e).toStrictEqual(first);
    expect(server.counters).toMatchObject({ tokenCalls: 1, badCredentials: 1, apiCalls: 0 });
    expect(JSON.stringify(first)).not.toContain('not-the-key');
  });

  describe('lockout', () => {
    async function lockOut(api: ReturnType<typeof mangopayClient>['api']): Promise<unknown> {
      for (let i = 0; i < 3; i++) {
        expect(await rejectionOf(api.get('/users'))).toMatchObject({ error: 'invalid_client' });
      }
      expect(server.isLocked()).toBe(true);
      return rejectionOf(api.get('/users'));
    }

    it('repeated bad logins → lockout → AccountLockedError with the server Retry-After, and 0 token calls during the cool-down', async () => {
      await server.close();
      server = await startAuthServer({
        clientId: 'it-client',
        clientSecret: 'it-api-key',
        lockoutAfter: 3,
        lockoutSeconds: 60,
        lockoutRetryAfterSeconds: 30,
      });
      const { api, auth } = mangopayClient(server, { clientSecret: 'wrong-key', failureCacheMs: 0 });

      const locked = await lockOut(api);

      expect(locked).toBeInstanceOf(AccountLockedError);
      const error = locked as AccountLockedError;
      expect(error).toMatchObject({ error: 'unauthorized_client', status: 400 });
      expect(error.retryAfterMs).toBeGreaterThan(25_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
      expect(server.counters).toMatchObject({ tokenCalls: 4, badCredentials: 3, lockouts: 1, lockedResponses: 1 });

      const more = await settle(Array.from({ length: 50 }, () => api.get('/users')));
      await expect(auth.getAccessToken()).rejects.toBeInstanceOf(AccountLockedError);
      expect(more.values).toEqual([]);
      expect(more.errors.every((e) => e instanceof AccountLockedError && e.retryAfterMs > 0)).toBe(true);
      expect(server.counters.tokenCalls).toBe(4);
      expect(server.counters.apiCalls).toBe(0);
    });

    it('without Retry-After the cool-down is lockout.initialCooldownMs (+ up to 10% jitter)', async () => {
      const { api } = mangopayClient(server, {
        clientSecret: 'wrong-key',
        failureCacheMs: 0,
        lockout: { initialCooldownMs: 20_000 },
      });

      const locked = await lockOut(api);

      expect(locked).toBeInstanceOf(AccountLockedError);
      const { retryAfterMs, retryAt } = locked as AccountLockedError;
      expect(retryAfterMs).toBeGreaterThan(15_000);
      expect(retryAfterMs).toBeLessThanOrEqual(22_000);
      expect(Math.abs(retryAt - (Date.now() + retryAfterMs))).toBeLessThan(5_000);
      await expect(api.get('/users')).rejects.toBeInstanceOf(AccountLockedError);
      expect(server.counters.tokenCalls).toBe(4);
    });
  });

  it('the SCA route: the 401 PendingUserAction goes to the caller as is, with no token call and no replay', async () => {
    const { api } = mangopayClient(server);
    await api.get('/users/me');
    server.resetCounters();

    const error = await rejectionOf(api.post('/sca-required', { amount: 1 }));

    expect(error).toBeInstanceOf(AxiosError);
    const response = (error as AxiosError).response!;
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^PendingUserAction RedirectUrl=/);
    expect(response.data).toMatchObject({ Type: 'not_authorized' });
    expect(server.counters).toMatchObject({
      tokenCalls: 0,
      apiCalls: 1,
      api401: 1,
      scaChallenges: 1,
      invalidTokens: 0,
    });
  });

  it('other answers that are not token problems (401 not_authorized, 403, 429) go to the caller with no token call and no replay', async () => {
    const { api } = mangopayClient(server);
    await api.get('/users/me');
    server.resetCounters();

    const statuses = await Promise.all(
      ['/not-authorized', '/forbidden', '/rate-limited'].map(
        async (path) => ((await rejectionOf(api.get(path))) as AxiosError).response?.status,
      ),
    );

    expect(statuses).toEqual([401, 403, 429]);
    expect(server.counters).toMatchObject({ tokenCalls: 0, apiCalls: 3, invalidTokens: 0 });
  });
  describe('origins', () => {
    let other: Server;
    let otherUrl: string;
    const seen: Array<string | undefined> = [];
    beforeEach(async () => {
      seen.length = 0;
      other = createServer((req, res) => {
        seen.push(req.headers.authorization);
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    });
    afterEach(() => new Promise<void>((resolve) => other.close(() => resolve())));

    it('the bearer goes only to the API origin: an absolute URL to another origin gets no Authorization and costs no token call', async () => {
      const { api } = mangopayClient(server);

      await api.get('/users/me');
      const response = await api.get(`${otherUrl}/elsewhere`);

      expect(response.data).toEqual({ ok: true });
      expect(seen).toEqual([undefined]);
      expect(server.counters).toMatchObject({ tokenCalls: 1, apiCalls: 1 });
      expect(server.apiRequests()[0].authorization).toBe(`Bearer ${server.issuedTokens()[0].token}`);
    });

    it('apiOrigins lists both: the second origin gets the same token, still from 1 token call', async () => {
      const { api } = mangopayClient(server, { apiOrigins: [server.apiBaseUrl, otherUrl] });

      await Promise.all([api.get('/users/me'), api.get(`${otherUrl}/elsewhere`)]);

      expect(seen).toEqual([`Bearer ${server.issuedTokens()[0].token}`]);
      expect(server.counters.tokenCalls).toBe(1);
    });
  });
});
