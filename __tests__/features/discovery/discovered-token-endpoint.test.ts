import axios from 'axios';
import { attachOAuth2, type OAuth2Options } from '../../../src';
import { discover } from '../../../src/features/discovery';
import { startAuthServer, type AuthServer } from '../../../src/testing';
import { MTLS_TOKEN_PATH } from '../../../src/testing/discovery-document';
import { recordingHooks } from '../../helpers/secrets';
import { json, startRawServer } from '../../helpers/raw-server';
import { deferred, waitFor } from '../../helpers/harness';
import { form, sdkTokenBody } from '../../helpers/sdk-token';

/**
 * With `issuer` (and no `tokenUrl`) the token endpoint is discovered, not configured: a request an
 * SDK sends through the attached instance to it (or to its mutual-TLS alias) never gets the plugin's
 * bearer, nor waits for the plugin's own token, before or after discovery. Against the embedded
 * server (API and token endpoint on one origin, so the endpoint is an API origin).
 */
let server: AuthServer;

beforeEach(async () => {
  server = await startAuthServer({ discovery: { mtlsAlias: true } });
});

afterEach(() => server.close());

function attached(extra: Partial<OAuth2Options> = {}) {
  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: discover(server.issuer as string),
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    ...extra,
  });
  return { api, auth };
}

describe('a request to the discovered token endpoint never gets a bearer', () => {
  test('before discovery, the plugin holding wrong credentials: it reaches the endpoint, no token fetched for it', async () => {
    const { api, auth } = attached({ clientSecret: 'not-the-secret' });
    const response = await api.post(server.tokenUrl, sdkTokenBody(server), form);
    expect(response.status).toBe(200);
    // The SDK's own call only; discovery once (RFC 8414's location answers).
    expect(server.tokenRequests().map((r) => r.authorization)).toEqual([undefined]);
    expect(server.counters.tokenCalls).toBe(1);
    expect(server.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server']);
    auth.detach();
  });

  test('with a token cached: the discovered endpoint and its mutual-TLS alias get no bearer; API requests do', async () => {
    const { api, auth } = attached();
    await api.get('/users/1');
    await api.post(`${server.tokenUrl}?sdk=1`, sdkTokenBody(server), form);
    await api.post(`${server.url}${MTLS_TOKEN_PATH}`, sdkTokenBody(server), form);
    await api.get('/users/2');
    const bearer = `Bearer ${await auth.getAccessToken()}`;
    expect(server.tokenRequests().map((r) => [r.path, r.authorization?.split(' ')[0]])).toEqual([
      ['/v2.01/oauth/token', 'Basic'],
      ['/v2.01/oauth/token', undefined],
      [MTLS_TOKEN_PATH, undefined],
    ]);
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([bearer, bearer]);
    expect(server.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server']);
    auth.detach();
  });

  test('concurrent first requests, one to the endpoint and one to the API: one discovery, one plugin token call', async () => {
    const { api, auth } = attached();
    const [sdk, user] = await Promise.all([api.post(server.tokenUrl, sdkTokenBody(server), form), api.get('/users/1')]);
    expect([sdk.status, user.status]).toEqual([200, 200]);
    expect(server.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server']);
    expect(
      server
        .tokenRequests()
        .map((r) => r.authorization?.split(' ')[0])
        .sort(),
    ).toEqual(['Basic', undefined]);
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([`Bearer ${await auth.getAccessToken()}`]);
    auth.detach();
  });

  test('tokenHttpClient is the attached instance: discovery and the token call pass, nothing waits on itself', async () => {
    const api = axios.create({ baseURL: server.apiBaseUrl });
    const auth = attachOAuth2(api, {
      tokenUrl: discover(server.issuer as string),
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      tokenHttpClient: api,
    });
    const response = await api.get('/users/1');
    expect(response.status).toBe(200);
    expect(server.counters.tokenCalls).toBe(1);
    expect(server.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server']);
    auth.detach();
  });

  test('a request to the endpoint is not reported as skipped (it is the token endpoint, not a caller header)', async () => {
    const events: Array<[string, unknown]> = [];
    const { api, auth } = attached({ hooks: recordingHooks(events) });
    await api.post(server.tokenUrl, sdkTokenBody(server), form);
    expect(events.filter((e) => e[0] === 'onRequestSkipped')).toEqual([]);
    auth.detach();
  });
});

test('a request waiting for the discovery stops waiting when it is aborted (CanceledError); the discovery goes on', async () => {
  const release = deferred();
  const metadata = await startRawServer((req, res, raw) => {
    if (req.url === '/.well-known/oauth-authorization-server') {
      void release.promise.then(() => json(res, 200, { issuer: raw.url, token_endpoint: `${raw.url}/token` }));
      return;
    }
    if (req.url === '/token') return json(res, 200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 60 });
    json(res, 200, { authorization: req.headers.authorization ?? null });
  });
  const api = axios.create({ baseURL: metadata.url });
  const auth = attachOAuth2(api, { tokenUrl: discover(metadata.url), clientId: 'c', clientSecret: 's' });
  const controller = new AbortController();
  const aborted = api.get('/api/a', { signal: controller.signal }).catch((error: Error) => error);
  const other = api.get('/api/b');
  await waitFor(() => metadata.requests.length === 1);
  controller.abort();
  expect(await aborted).toMatchObject({ name: 'CanceledError' });
  release.resolve();
  expect((await other).data).toEqual({ authorization: 'Bearer at-1' });
  expect(metadata.requests.map((r) => r.url)).toEqual(['/.well-known/oauth-authorization-server', '/token', '/api/b']);
  auth.detach();
  await metadata.close();
});
