import axios, { type AxiosResponse } from 'axios';
import { startAuthServer, LOCKOUT_DESCRIPTION, SCA_REDIRECT_URL, type AuthServer } from '../../src/testing';

const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });
const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tokenCall(
  server: AuthServer,
  authorization?: string,
  body = 'grant_type=client_credentials',
): Promise<AxiosResponse> {
  const headers: Record<string, string> = { 'Content-Type': FORM };
  if (authorization !== undefined) headers.Authorization = authorization;
  return http.post(server.tokenUrl, body, { headers });
}

async function getToken(server: AuthServer): Promise<string> {
  const res = await tokenCall(server, basic(server.clientId, server.clientSecret));
  expect(res.status).toBe(200);
  return (res.data as { access_token: string }).access_token;
}

const apiGet = (server: AuthServer, path: string, token?: string): Promise<AxiosResponse> =>
  http.get(`${server.apiBaseUrl}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

function expectInvalidCredentials(res: AxiosResponse): void {
  expect(res.status).toBe(401);
  expect(Object.keys(res.data as object)).toEqual(['Message', 'Type', 'Id', 'Date', 'errors']);
  expect(res.data).toMatchObject({
    Message: 'The authorization credentials are not valid',
    Type: 'invalid_credentials',
    errors: null,
  });
  const { Id, Date: date } = res.data as { Id: string; Date: number };
  expect(Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(Math.abs(date - Date.now() / 1000)).toBeLessThan(5);
}

describe('embedded auth server: Mangopay token endpoint', () => {
  let server: AuthServer;
  beforeEach(async () => {
    server = await startAuthServer({ clientId: 'demo-client', clientSecret: 'demo-secret' });
  });
  afterEach(() => server.close());

  it('exposes loopback URLs', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.tokenUrl).toBe(`${server.url}/v2.01/oauth/token`);
    expect(server.apiBaseUrl).toBe(`${server.url}/v2.01/demo-client`);
    expect(server.apiV3BaseUrl).toBe(`${server.url}/V3.0/demo-client`);
    expect(server.musementBaseUrl).toBe(`${server.url}/api/v3`);
  });

  it('issues an opaque bearer token to HTTP Basic credentials', async () => {
    const res = await tokenCall(
      server,
      basic('demo-client', 'demo-secret'),
      'grant_type=client_credentials&scope=read',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.data as object)).toEqual(['access_token', 'token_type', 'expires_in']);
    expect(res.data).toMatchObject({ token_type: 'bearer', expires_in: 1200 });
    expect((res.data as { access_token: string }).access_token).toMatch(/^[0-9a-f]{32}$/);
    const [issued] = server.issuedTokens();
    expect(issued).toMatchObject({ kind: 'mangopay', scope: 'read', revoked: false, grantType: 'client_credentials' });
    expect(issued.expiresAt - issued.issuedAt).toBe(1_200_000);
  });

  it('accepts credentials in the form body (client_secret_post) but not two methods at once', async () => {
    const body = 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret';
    expect((await tokenCall(server, undefined, body)).status).toBe(200);
    const both = await tokenCall(server, basic('demo-client', 'demo-secret'), body);
    expect(both.status).toBe(400);
    expect(both.data).toMatchObject({ error: 'invalid_request' });
  });

  it('rejects wrong or missing credentials with invalid_client', async () => {
    const wrong = await tokenCall(server, basic('demo-client', 'nope'));
    expect(wrong.status).toBe(400);
    expect(wrong.data).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect((await tokenCall(server)).data).toMatchObject({ error: 'invalid_client' });
    expect((await tokenCall(server, 'Basic bm9jb2xvbg==')).data).toMatchObject({ error: 'invalid_client' });
    expect(server.counters).toMatchObject({ tokenCalls: 3, tokenFailures: 3, badCredentials: 3, lockouts: 0 });
  });

  it('rejects bad requests: method, content type, grant type', async () => {
    const auth = basic('demo-client', 'demo-secret');
    const get = await http.get(server.tokenUrl, { headers: { Authorization: auth } });
    expect(get.status).toBe(405);
    const json = await http.post(
      server.tokenUrl,
      { grant_type: 'client_credentials' },
      { headers: { Authorization: auth } },
    );
    expect(json.data).toMatchObject({ error: 'invalid_request' });
    expect((await tokenCall(server, auth, 'scope=x')).data).toMatchObject({ error: 'invalid_request' });
    expect((await tokenCall(server, auth, 'grant_type=password')).data).toMatchObject({
      error: 'unsupported_grant_type',
    });
    expect(server.counters).toMatchObject({ tokenCalls: 4, tokenFailures: 4, tokenSuccesses: 0, badCredentials: 0 });
  });

  it('answers 404 for unknown paths and other client ids', async () => {
    const token = await getToken(server);
    const other = await http.get(`${server.url}/v2.01/other-client/users`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(404);
    expect((await http.get(`${server.url}/nothing`)).status).toBe(404);
    expect((await http.get(`${server.url}/api/v3/activities`)).status).toBe(404);
    expect(server.counters.apiCalls).toBe(0);
  });
});

describe('embedded auth server: HTTP Basic encodings (RFC 6749 §2.3.1 vector)', () => {
  const id = '1PpG/Q 1';
  const secret = 'z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=';
  const strict =
    'Basic MVBwRyUyRlErMTp6JTJGdFo5VndGWnFBcG1JUSUyQlpIMUk1cExrJTJGdUI0dWQlM0FYMiUyRjhiTCUyQndmRlR0MXJGdyUzRA==';
  const raw = basic(id, secret);

  it.each([
    ['any', 200, 200],
    ['strict', 200, 400],
    ['raw', 400, 200],
  ] as const)('basicEncoding %s: strict -> %i, raw -> %i', async (mode, strictStatus, rawStatus) => {
    const server = await startAuthServer({ clientId: id, clientSecret: secret, basicEncoding: mode });
    try {
      expect((await tokenCall(server, strict)).status).toBe(strictStatus);
      expect((await tokenCall(server, raw)).status).toBe(rawStatus);
      expect(server.apiBaseUrl).toBe(`${server.url}/v2.01/1PpG%2FQ%201`);
    } finally {
      await server.close();
    }
  });

  it('treats a malformed percent-encoding as raw only', async () => {
    const server = await startAuthServer({ clientId: 'a%zz', clientSecret: 's' });
    try {
      expect((await tokenCall(server, basic('a%zz', 's'))).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('embedded auth server: lockout', () => {
  it('locks after N consecutive bad attempts, even for good credentials, then unlocks by wall clock', async () => {
    const server = await startAuthServer({ lockoutAfter: 3, lockoutSeconds: 0.3, lockoutRetryAfterSeconds: 7 });
    try {
      const good = basic('test-client', 'test-secret');
      const bad = basic('test-client', 'wrong');
      for (let i = 0; i < 3; i += 1)
        expect((await tokenCall(server, bad)).data).toMatchObject({ error: 'invalid_client' });
      expect(server.isLocked()).toBe(true);
      const locked = await tokenCall(server, good);
      expect(locked.status).toBe(400);
      expect(locked.data).toEqual({ error: 'unauthorized_client', error_description: LOCKOUT_DESCRIPTION });
      expect(locked.headers['retry-after']).toBe('7');
      expect(server.counters).toMatchObject({
        tokenCalls: 4,
        tokenFailures: 4,
        badCredentials: 3,
        lockouts: 1,
        lockedResponses: 1,
      });
      await sleep(350);
      expect(server.isLocked()).toBe(false);
      expect((await tokenCall(server, good)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('a success ends the bad streak; unlock() ends a lockout; no Retry-After by default', async () => {
    const server = await startAuthServer({ lockoutAfter: 2 });
    try {
      const good = basic('test-client', 'test-secret');
      const bad = basic('test-client', 'wrong');
      await tokenCall(server, bad);
      await tokenCall(server, good);
      await tokenCall(server, bad);
      expect(server.isLocked()).toBe(false);
      await tokenCall(server, bad);
      const locked = await tokenCall(server, good);
      expect(locked.data).toMatchObject({ error: 'unauthorized_client' });
      expect(locked.headers['retry-after']).toBeUndefined();
      server.unlock();
      expect((await tokenCall(server, good)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('embedded auth server: Mangopay API', () => {
  let server: AuthServer;
  beforeEach(async () => {
    server = await startAuthServer({ tokenLifetimeSeconds: 1 });
  });
  afterEach(() => server.close());

  it('echoes authorized calls on /v2.01 and /V3.0', async () => {
    const token = await getToken(server);
    const headers = { Authorization: `Bearer ${token}`, 'Idempotency-Key': 'key-0123456789abcdef' };
    const res = await http.post(`${server.apiBaseUrl}/users/natural?x=1`, { FirstName: 'Ada' }, { headers });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      ok: true,
      method: 'POST',
      path: '/v2.01/test-client/users/natural',
      query: { x: '1' },
      body: { FirstName: 'Ada' },
      headers: { 'idempotency-key': 'key-0123456789abcdef' },
    });
    const text = await http.put(`${server.apiV3BaseUrl}/things`, 'plain text', {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
    });
    expect(text.data).toMatchObject({
      path: '/V3.0/test-client/things',
      body: 'plain text',
      headers: { 'idempotency-key': null },
    });
    expect((await apiGet(server, '', token)).data).toMatchObject({ body: null });
    expect(server.apiRequests().map((r) => r.status)).toEqual([200, 200, 200]);
    expect(server.apiRequests()[0].idempotencyKey).toBe('key-0123456789abcdef');
  });

  it('rejects missing, unknown, expired and revoked tokens with the exact Mangopay 401', async () => {
    expectInvalidCredentials(await apiGet(server, '/users'));
    expectInvalidCredentials(await apiGet(server, '/users', 'f'.repeat(32)));
    const token = await getToken(server);
    expect((await apiGet(server, '/users', token)).status).toBe(200);
    await sleep(1050);
    expectInvalidCredentials(await apiGet(server, '/users', token));
    server.setTokenLifetime(0);
    const res = await tokenCall(server, basic('test-client', 'test-secret'));
    expect(res.data).toMatchObject({ expires_in: 0 });
    expectInvalidCredentials(await apiGet(server, '/users', (res.data as { access_token: string }).access_token));
    server.setTokenLifetime(60);
    const fresh = await getToken(server);
    server.revokeAllTokens();
    expectInvalidCredentials(await apiGet(server, '/users', fresh));
    expect(server.issuedTokens().every((t) => t.revoked)).toBe(true);
    expect(server.counters).toMatchObject({ apiCalls: 6, apiSuccesses: 1, api401: 5, invalidTokens: 5 });
    expect(() => server.setTokenLifetime(-1)).toThrow(RangeError);
  });

  it('serves the SCA, not-authorized, forbidden and rate-limited routes after a valid token', async () => {
    expectInvalidCredentials(await apiGet(server, '/sca-required'));
    const token = await getToken(server);
    const sca = await apiGet(server, '/sca-required', token);
    expect(sca.status).toBe(401);
    expect(sca.headers['www-authenticate']).toBe(`PendingUserAction RedirectUrl=${SCA_REDIRECT_URL}`);
    expect(sca.data).toMatchObject({ Type: 'not_authorized', errors: null });
    const notAuthorized = await apiGet(server, '/not-authorized', token);
    expect(notAuthorized.status).toBe(401);
    expect(notAuthorized.headers['www-authenticate']).toBeUndefined();
    const forbidden = await apiGet(server, '/forbidden', token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.data).toMatchObject({ Type: 'forbidden_ressource' });
    const limited = await apiGet(server, '/rate-limited', token);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(server.counters).toMatchObject({ apiCalls: 5, api401: 3, scaChallenges: 1, invalidTokens: 1, api403: 1 });
  });

  it('serves the slow and redirect routes', async () => {
    const token = await getToken(server);
    const started = Date.now();
    const slow = await apiGet(server, '/slow?ms=120', token);
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect((await apiGet(server, '/slow?ms=abc', token)).status).toBe(200);
    const redirect = await apiGet(server, `/redirect?to=${encodeURIComponent('https://elsewhere.example/x')}`, token);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe('https://elsewhere.example/x');
    expect((await apiGet(server, '/redirect?to=relative', token)).status).toBe(400);
  });

  it('keeps exact counters and logs, and resets them', async () => {
    const token = await getToken(server);
    await apiGet(server, '/a', token);
    await tokenCall(server, basic('test-client', 'bad'));
    expect(server.counters).toMatchObject({
      tokenCalls: 2,
      tokenSuccesses: 1,
      tokenFailures: 1,
      apiCalls: 1,
      apiSuccesses: 1,
    });
    expect(server.tokenRequests()).toHaveLength(2);
    expect(server.tokenRequests()[0]).toMatchObject({
      method: 'POST',
      path: '/v2.01/oauth/token',
      body: 'grant_type=client_credentials',
    });
    const live = server.counters;
    server.resetCounters();
    expect(Object.values(live).every((v) => v === 0)).toBe(true);
    expect(server.tokenRequests()).toEqual([]);
    expect(server.apiRequests()).toEqual([]);
  });
});

describe('startAuthServer options and close()', () => {
  it('validates options', async () => {
    await expect(startAuthServer({ lockoutAfter: 0 })).rejects.toThrow(RangeError);
    await expect(startAuthServer({ tokenLifetimeSeconds: Number.NaN })).rejects.toThrow(RangeError);
    await expect(startAuthServer({ clientId: '' })).rejects.toThrow(RangeError);
    await expect(startAuthServer({ lockoutRetryAfterSeconds: -1 })).rejects.toThrow(RangeError);
  });

  it('close() resolves promptly with keep-alive sockets open, and is idempotent', async () => {
    const server = await startAuthServer();
    await getToken(server);
    const started = Date.now();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(http.get(server.tokenUrl)).rejects.toThrow();
  });
});
