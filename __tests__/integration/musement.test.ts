/**
 * The `musement()` preset against the embedded Musement-like routes over real loopback HTTP:
 * JSON login, `X-Musement-Application` everywhere, 401 → refresh_token grant with rotation.
 */
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, musement, type MusementPresetOptions } from '../../src';
import { startAuthServer, type AuthServer, type EchoBody } from '../../src/testing';

const APPLICATION = 'it-musement-app';

describe('integration (loopback): Musement flow through the musement() preset', () => {
  let server: AuthServer;
  beforeEach(async () => {
    server = await startAuthServer({
      clientId: 'mus-client',
      clientSecret: 'mus-secret',
      musement: { application: APPLICATION, username: 'ann', password: 'pw-1' },
    });
  });
  afterEach(() => server.close());

  function client(extra: Partial<MusementPresetOptions> = {}): AxiosInstance {
    const preset = musement({
      environment: 'sandbox',
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      application: APPLICATION,
      baseURL: server.musementBaseUrl,
      ...extra,
    });
    const api = axios.create({ baseURL: preset.baseURL, headers: preset.headers });
    attachOAuth2(api, preset);
    return api;
  }

  /** The JSON body of every token call, in order. */
  const loginBodies = () => server.tokenRequests().map((r) => JSON.parse(r.body) as Record<string, string>);

  it('logs in with POST {base}/login and a JSON body, then calls the API with the bearer and X-Musement-Application', async () => {
    const api = client();

    const response = await api.get<EchoBody>('/activities', { params: { limit: 2 } });

    expect(response.status).toBe(200);
    expect(response.data.query).toEqual({ limit: '2' });
    const [login] = server.tokenRequests();
    expect(login).toMatchObject({ method: 'POST', path: '/api/v3/login', authorization: undefined });
    expect(login.contentType).toMatch(/^application\/json/);
    expect(loginBodies()).toEqual([
      { client_id: 'mus-client', client_secret: 'mus-secret', grant_type: 'client_credentials' },
    ]);
    expect(server.counters).toMatchObject({ tokenCalls: 1, tokenSuccesses: 1, apiSuccesses: 1, missingApplication: 0 });
    expect(server.apiRequests()[0].authorization).toBe(`Bearer ${server.issuedTokens()[0].token}`);
  });

  it('401 invalid_token → refresh_token grant with rotation: each refresh uses the refresh token issued last', async () => {
    const api = client();
    await api.get('/me');

    server.revokeAllTokens();
    await expect(api.get('/cart')).resolves.toMatchObject({ status: 200 });
    server.revokeAllTokens();
    await expect(api.get('/orders')).resolves.toMatchObject({ status: 200 });

    const issued = server.issuedTokens();
    expect(issued.map((t) => t.grantType)).toEqual(['client_credentials', 'refresh_token', 'refresh_token']);
    const bodies = loginBodies();
    expect(bodies.map((b) => b.grant_type)).toEqual(['client_credentials', 'refresh_token', 'refresh_token']);
    expect(bodies[1].refresh_token).toBe(issued[0].refreshToken);
    expect(bodies[2].refresh_token).toBe(issued[1].refreshToken);
    expect(server.counters).toMatchObject({
      tokenCalls: 3,
      refreshGrants: 2,
      invalidGrants: 0,
      api401: 2,
      invalidTokens: 2,
      apiSuccesses: 3,
    });
  });

  it('a refresh token the server no longer knows → invalid_grant → one fresh login, and the call is replayed', async () => {
    const api = client();
    await api.get('/me');
    server.revokeAllTokens({ refreshTokens: true });

    await expect(api.get('/cart')).resolves.toMatchObject({ status: 200 });

    expect(loginBodies().map((b) => b.grant_type)).toEqual([
      'client_credentials',
      'refresh_token',
      'client_credentials',
    ]);
    expect(server.counters).toMatchObject({
      tokenCalls: 3,
      refreshGrants: 1,
      invalidGrants: 1,
      api401: 1,
      apiSuccesses: 2,
    });
  });

  it('the password grant logs in as the user', async () => {
    const api = client({ grant: { type: 'password', username: 'ann', password: 'pw-1' } });

    await expect(api.get('/me')).resolves.toMatchObject({ status: 200 });

    expect(loginBodies()).toEqual([
      {
        client_id: 'mus-client',
        client_secret: 'mus-secret',
        grant_type: 'password',
        username: 'ann',
        password: 'pw-1',
      },
    ]);
    expect(server.issuedTokens()[0].grantType).toBe('password');
  });

  it('legacyLogin: GET {base}/login with an empty body, the parameters in the query, is accepted', async () => {
    const api = client({ legacyLogin: true });

    await expect(api.get('/me')).resolves.toMatchObject({ status: 200 });

    const [login] = server.tokenRequests();
    expect(login).toMatchObject({ method: 'GET', path: '/api/v3/login', body: '' });
    expect(server.issuedTokens()[0].grantType).toBe('client_credentials');
    expect(server.counters).toMatchObject({ tokenCalls: 1, tokenSuccesses: 1, apiSuccesses: 1 });
  });
});
