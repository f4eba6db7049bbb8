/**
 * Token requests never pass through this plugin's interceptors: a `tokenHttpClient` that has the
 * plugin attached (the attached instance itself, typically) sends them without a bearer and without
 * a 401 replay, instead of waiting forever on its own token.
 */
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, TokenEndpointError, type OAuth2Handle } from '../../src';
import { json, startRawServer, type RawServer } from '../helpers/raw-server';

/** Fails instead of hanging when the plugin deadlocks (the code before the fix never settles). */
function settledWithin<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms: deadlock`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('a tokenHttpClient with the plugin attached', () => {
  let server: RawServer;
  let tokenStatus = 200;
  let issued = 0;
  beforeEach(async () => {
    tokenStatus = 200;
    issued = 0;
    server = await startRawServer((req, res) => {
      if (req.url.startsWith('/oauth/token')) {
        if (tokenStatus !== 200) return json(res, tokenStatus, { error: 'invalid_client' });
        issued += 1;
        return json(res, 200, { access_token: `tok-${issued}`, token_type: 'bearer', expires_in: 3600 });
      }
      const authorization = req.headers.authorization ?? '';
      if (authorization !== 'Bearer tok-1') return json(res, 401, { Type: 'invalid_credentials' });
      return json(res, 200, { authorization });
    });
  });
  afterEach(() => server.close());

  const tokenRequests = () => server.requests.filter((r) => r.url.startsWith('/oauth/token'));

  function attachSelf(): { api: AxiosInstance; auth: OAuth2Handle } {
    // Same origin for the token endpoint and the API, as with Mangopay: the token URL is an API origin.
    const api = axios.create({ baseURL: `${server.url}/v2.01/client-1` });
    const auth = attachOAuth2(api, {
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'client-1',
      clientSecret: 'self-deadlock-secret',
      // No Authorization header of its own: the interceptor would otherwise wait for a token.
      clientAuthentication: 'client_secret_post',
      tokenHttpClient: api,
      retry: { baseDelayMs: 0 },
    });
    return { api, auth };
  }

  test('the attached instance itself: requests succeed, 1 token call, the token request carries no bearer', async () => {
    const { api } = attachSelf();
    const responses = await settledWithin(Promise.all([api.get('/users'), api.get('/wallets'), api.get('/users')]));
    expect(responses.map((r) => (r.data as { authorization: string }).authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
    const tokens = tokenRequests();
    expect(tokens).toHaveLength(1);
    expect(tokens[0].headers.authorization).toBeUndefined();
    expect(new URLSearchParams(tokens[0].body).get('client_id')).toBe('client-1');
  });

  test('a refused token request is not replayed by the plugin: one call, a permanent error', async () => {
    tokenStatus = 401;
    const { api } = attachSelf();
    const error = await settledWithin(api.get('/users').catch((e: unknown) => e));
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).status).toBe(401);
    expect(tokenRequests()).toHaveLength(1);
    expect(tokenRequests()[0].headers.authorization).toBeUndefined();
  });

  test('another instance with the plugin attached for the token origin sends token requests as they are', async () => {
    const tokenHttpClient = axios.create();
    attachOAuth2(tokenHttpClient, {
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'other-client',
      clientSecret: 'other-secret',
      apiOrigins: [server.url],
    });
    const api = axios.create({ baseURL: `${server.url}/v2.01/client-1` });
    attachOAuth2(api, {
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'client-1',
      clientSecret: 'self-deadlock-secret',
      clientAuthentication: 'client_secret_post',
      tokenHttpClient,
    });
    const response = await settledWithin(api.get('/users'));
    expect((response.data as { authorization: string }).authorization).toBe('Bearer tok-1');
    const tokens = tokenRequests();
    expect(tokens).toHaveLength(1);
    expect(tokens[0].headers.authorization).toBeUndefined();
  });
});
