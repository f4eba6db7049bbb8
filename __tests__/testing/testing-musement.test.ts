import axios, { type AxiosResponse } from 'axios';
import { startAuthServer, type AuthServer } from '../../src/testing';

const APP = 'demo-app';
const http = axios.create({ validateStatus: () => true, headers: { 'X-Musement-Application': APP } });

interface LoginBody {
  access_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
  refresh_token: string;
}

describe('embedded auth server: Musement-like routes', () => {
  let server: AuthServer;
  const creds = { client_id: 'demo-client', client_secret: 'demo-secret' };
  const login = (body: Record<string, unknown>): Promise<AxiosResponse> =>
    http.post(`${server.musementBaseUrl}/login`, body);
  const api = (token?: string, headers: Record<string, string> = {}): Promise<AxiosResponse> =>
    http.get(`${server.musementBaseUrl}/activities?limit=2`, {
      headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });

  beforeEach(async () => {
    server = await startAuthServer({
      clientId: 'demo-client',
      clientSecret: 'demo-secret',
      tokenLifetimeSeconds: 600,
      musement: { application: APP, username: 'ada', password: 'lovelace' },
    });
  });
  afterEach(() => server.close());

  it('logs in with client_credentials (POST JSON) and serves the API', async () => {
    const res = await login({ ...creds, grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
      expires_in: 600,
      token_type: 'bearer',
      scope: '',
      refresh_token: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const { access_token: token } = res.data as LoginBody;
    const ok = await api(token);
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ ok: true, method: 'GET', path: '/api/v3/activities', query: { limit: '2' } });
    expect(server.counters).toMatchObject({ tokenCalls: 1, tokenSuccesses: 1, apiCalls: 1, apiSuccesses: 1 });
  });

  it('supports the legacy GET login and the password grant', async () => {
    const query = new URLSearchParams({ ...creds, grant_type: 'password', username: 'ada', password: 'lovelace' });
    const res = await http.get(`${server.musementBaseUrl}/login?${query.toString()}`);
    expect(res.status).toBe(200);
    expect(server.issuedTokens()[0]).toMatchObject({ kind: 'musement', grantType: 'password' });
    const wrong = await login({ ...creds, grant_type: 'password', username: 'ada', password: 'nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.data).toMatchObject({ error: 'invalid_grant' });
    expect(server.counters).toMatchObject({ invalidGrants: 1, tokenFailures: 1 });
  });

  it('rotates refresh tokens: a refresh returns a new one and the old one is rejected', async () => {
    const first = (await login({ ...creds, grant_type: 'client_credentials' })).data as LoginBody;
    const second = await login({ ...creds, grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    const rotated = second.data as LoginBody;
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect(rotated.access_token).not.toBe(first.access_token);
    const replay = await login({ ...creds, grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(replay.status).toBe(400);
    expect(replay.data).toMatchObject({ error: 'invalid_grant' });
    const missing = await login({ ...creds, grant_type: 'refresh_token' });
    expect(missing.data).toMatchObject({ error: 'invalid_grant' });
    expect((await login({ ...creds, grant_type: 'refresh_token', refresh_token: rotated.refresh_token })).status).toBe(
      200,
    );
    expect(server.counters).toMatchObject({ refreshGrants: 4, invalidGrants: 2, tokenSuccesses: 3, tokenFailures: 2 });
  });

  it('revokes access tokens, and refresh tokens only when asked', async () => {
    const first = (await login({ ...creds, grant_type: 'client_credentials' })).data as LoginBody;
    server.revokeAllTokens();
    const revoked = await api(first.access_token);
    expect(revoked.status).toBe(401);
    expect(revoked.headers['www-authenticate']).toBe(
      'Bearer realm="musement", error="invalid_token", error_description="The access token is invalid or expired"',
    );
    expect(revoked.data).toMatchObject({ error: 'invalid_token' });
    const refreshed = await login({ ...creds, grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    server.revokeAllTokens({ refreshTokens: true });
    const again = await login({
      ...creds,
      grant_type: 'refresh_token',
      refresh_token: (refreshed.data as LoginBody).refresh_token,
    });
    expect(again.data).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers 401 with a bare Bearer challenge without a token, and rejects Mangopay tokens', async () => {
    const none = await api();
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="musement"');
    const mangopay = await axios.post(server.tokenUrl, 'grant_type=client_credentials', {
      auth: { username: 'demo-client', password: 'demo-secret' },
    });
    expect((await api((mangopay.data as LoginBody).access_token)).status).toBe(401);
    const musement = (await login({ ...creds, grant_type: 'client_credentials' })).data as LoginBody;
    const crossed = await http.get(`${server.apiBaseUrl}/users`, {
      headers: { Authorization: `Bearer ${musement.access_token}` },
    });
    expect(crossed.status).toBe(401);
    expect(server.counters).toMatchObject({ api401: 3, invalidTokens: 3 });
  });

  it('requires X-Musement-Application on login and API calls', async () => {
    const noApp = axios.create({ validateStatus: () => true });
    const loginRes = await noApp.post(`${server.musementBaseUrl}/login`, {
      ...creds,
      grant_type: 'client_credentials',
    });
    expect(loginRes.status).toBe(400);
    const wrongApp = await noApp.post(
      `${server.musementBaseUrl}/login`,
      { ...creds, grant_type: 'client_credentials' },
      { headers: { 'X-Musement-Application': 'other' } },
    );
    expect(wrongApp.status).toBe(400);
    const { access_token: token } = (await login({ ...creds, grant_type: 'client_credentials' })).data as LoginBody;
    const apiRes = await noApp.get(`${server.musementBaseUrl}/activities`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(apiRes.status).toBe(400);
    expect(apiRes.data).toMatchObject({ code: 'missing_application' });
    expect(server.counters).toMatchObject({ missingApplication: 3, tokenCalls: 3, tokenFailures: 2, apiCalls: 1 });
  });

  it('rejects bad logins: client, grant type, body, method', async () => {
    expect((await login({ ...creds, client_secret: 'x', grant_type: 'client_credentials' })).data).toMatchObject({
      error: 'invalid_client',
    });
    expect((await login({ ...creds })).data).toMatchObject({ error: 'invalid_request' });
    expect((await login({ ...creds, grant_type: 'implicit' })).data).toMatchObject({ error: 'unsupported_grant_type' });
    const notJson = await http.post(`${server.musementBaseUrl}/login`, 'grant_type=client_credentials', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.data).toMatchObject({ error: 'invalid_request' });
    expect((await http.put(`${server.musementBaseUrl}/login`, {})).status).toBe(405);
    expect(server.counters).toMatchObject({ tokenCalls: 5, tokenFailures: 5, badCredentials: 1, lockouts: 0 });
  });

  it('applies injected token faults to logins too', async () => {
    server.injectTokenFaults([{ type: 'status', status: 503, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' }]);
    const res = await login({ ...creds, grant_type: 'client_credentials' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(server.counters).toMatchObject({ tokenCalls: 1, tokenFaults: 1 });
  });
});
