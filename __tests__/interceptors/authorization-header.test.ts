/**
 * `authorizationHeader`: a caller's own `Authorization` header is left alone by default (reported
 * through `onRequestSkipped`), or taken over with `'replace'` (an SDK that sets its own header).
 * Against the embedded Mangopay-like server (a real loopback http server).
 */
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, OAuth2OptionsError, type OAuth2Handle, type RequestSkippedEvent } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';

let server: AuthServer;
let api: AxiosInstance;
let auth: OAuth2Handle | undefined;

beforeEach(async () => {
  server = await startAuthServer();
  api = axios.create({ baseURL: server.apiBaseUrl });
});

afterEach(async () => {
  auth?.detach();
  auth = undefined;
  await server.close();
});

function attach(extra: Record<string, unknown> = {}): OAuth2Handle {
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    basicEncoding: 'raw',
    ...extra,
  });
  return auth;
}

const sentAuthorizations = () => server.apiRequests().map((r) => r.authorization);

describe("authorizationHeader: 'respect' (the default)", () => {
  test("a caller's header is sent as is, and each skipped request is reported (path only, no header value)", async () => {
    const skipped: RequestSkippedEvent[] = [];
    attach({ hooks: { onRequestSkipped: (e: RequestSkippedEvent) => skipped.push(e) } });
    const answer = await api
      .get('/users/1?secret=query', { headers: { Authorization: 'Bearer caller-own' } })
      .catch((e: { response: { status: number } }) => e.response);
    expect(answer.status).toBe(401); // the server does not know the caller's token; no replay either
    expect(sentAuthorizations()).toEqual(['Bearer caller-own']);
    expect(server.counters.tokenCalls).toBe(0);
    expect(skipped).toEqual([{ reason: 'caller-authorization', method: 'GET', url: '/users/1' }]);
    // An absolute URL is reported by its path too.
    await api.post(`${server.apiBaseUrl}/users?x=1#f`, {}, { headers: { authorization: 'Basic abc' } }).catch(() => 0);
    expect(skipped[1]).toEqual({
      reason: 'caller-authorization',
      method: 'POST',
      url: `/v2.01/${server.clientId}/users`,
    });
    expect(JSON.stringify(skipped)).not.toMatch(/caller-own|Basic|secret=/);
  });

  test('requests the plugin serves, skips on purpose or does not cover are not reported', async () => {
    const skipped: RequestSkippedEvent[] = [];
    attach({ hooks: { onRequestSkipped: (e: RequestSkippedEvent) => skipped.push(e) } });
    await api.get('/users/1');
    await api.get('/users/2', { oauth2: { skip: true } }).catch(() => 0);
    await api
      .get(`http://localhost:${server.port}/elsewhere`, { headers: { Authorization: 'Bearer x' } })
      .catch(() => 0);
    expect(skipped).toEqual([]);
  });
});

describe("authorizationHeader: 'replace'", () => {
  test("the caller's header is overwritten with the plugin's bearer (whatever its case), one token call for a burst", async () => {
    const skipped: unknown[] = [];
    attach({ authorizationHeader: 'replace', hooks: { onRequestSkipped: (e: unknown) => skipped.push(e) } });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.get(`/users/${i}`, { headers: i % 2 ? { authorization: 'Bearer sdk' } : { Authorization: 'Bearer sdk' } }),
      ),
    );
    const token = server.issuedTokens()[0].token;
    expect(server.counters.tokenCalls).toBe(1);
    expect(sentAuthorizations()).toEqual(Array.from({ length: 10 }, () => `Bearer ${token}`));
    expect(skipped).toEqual([]);
    // With a cached token (the synchronous path) too.
    await api.get('/users/cached', { headers: { Authorization: 'Bearer sdk' } });
    expect(sentAuthorizations()[10]).toBe(`Bearer ${token}`);
  });

  test('a 401 to a request whose header was replaced is handled as the plugin’s own: renewed and replayed once', async () => {
    attach({ authorizationHeader: 'replace' });
    await api.get('/users/1', { headers: { Authorization: 'Bearer sdk' } });
    server.revokeAllTokens();
    const response = await api.get('/users/2', { headers: { Authorization: 'Bearer sdk' } });
    expect(response.status).toBe(200);
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.counters.invalidTokens).toBe(1);
    expect(sentAuthorizations().at(-1)).toBe(`Bearer ${server.issuedTokens()[1].token}`);
  });

  test('the token endpoint, other origins and oauth2.skip keep the caller’s header', async () => {
    attach({ authorizationHeader: 'replace' });
    await api.get('/users/1', { headers: { Authorization: 'Bearer sdk' }, oauth2: { skip: true } }).catch(() => 0);
    expect(sentAuthorizations()).toEqual(['Bearer sdk']);
    const basic = `Basic ${Buffer.from(`${server.clientId}:${server.clientSecret}`).toString('base64')}`;
    await api.post(server.tokenUrl, 'grant_type=client_credentials', {
      headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(server.tokenRequests().map((r) => r.authorization)).toEqual([basic]);
  });
});

test('authorizationHeader: anything but respect/replace is an OAuth2OptionsError naming it', () => {
  const bad = () => attach({ authorizationHeader: 'overwrite' });
  expect(bad).toThrow(OAuth2OptionsError);
  expect(bad).toThrow(expect.objectContaining({ option: 'authorizationHeader' }));
  expect(bad).toThrow("option \"authorizationHeader\" must be 'respect' or 'replace'");
  expect(() => attach({ authorizationHeader: 'replace' })).not.toThrow();
});
