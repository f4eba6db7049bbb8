/**
 * Token requests borrow the transport of the request that needed the token: an SDK passes its
 * client-certificate `httpsAgent` per request (never in the instance's defaults). Against a real TLS
 * server that requires a client certificate (certificates made with openssl at test time).
 */
import { Agent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, TokenEndpointError, type OAuth2Handle, type OAuth2Options } from '../../src';
import { makePki, startMtlsServer, type MtlsServer, type Pki } from '../helpers/mtls-server';

let pki: Pki;
let server: MtlsServer;
let api: AxiosInstance;
let auth: OAuth2Handle | undefined;
/** Trusts the server, presents no client certificate: the instance's default. */
let plainAgent: Agent;
/** Trusts the server and presents the client certificate: passed per request. */
let certAgent: Agent;

beforeAll(() => {
  pki = makePki();
});

beforeEach(async () => {
  server = await startMtlsServer(pki);
  plainAgent = new Agent({ ca: pki.ca });
  certAgent = new Agent({ ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
  api = axios.create({ baseURL: `${server.url}/v2.01/${server.clientId}`, httpsAgent: plainAgent });
});

afterEach(async () => {
  auth?.detach();
  auth = undefined;
  plainAgent.destroy();
  certAgent.destroy();
  await server.close();
});

function attach(extra: Partial<OAuth2Options> = {}): OAuth2Handle {
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.apiKey,
    basicEncoding: 'raw',
    retry: { retries: 0 },
    ...extra,
  });
  return auth;
}

describe('token requests use the transport of the request that needed the token', () => {
  test('a per-request httpsAgent with a client certificate: the token request carries the certificate', async () => {
    attach();
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => api.get(`/users/${i}`, { httpsAgent: certAgent })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(server.tokenRequests).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v2.01/oauth/token', clientCn: 'sdk-client' }),
    ]);
    expect(server.apiRequests.map((r) => r.clientCn)).toEqual(Array(5).fill('sdk-client'));
  });

  test('without it (the instance default presents no certificate) the token request is refused at the handshake', async () => {
    attach();
    const error = await api.get('/users/1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ transient: true, status: undefined, attempts: 1 });
    expect(server.tokenRequests).toEqual([]);
    expect(server.refusedHandshakes).toBeGreaterThanOrEqual(1);
  });

  test('a renewal after a rejected token uses the rejected request’s transport', async () => {
    attach();
    await api.get('/users/1', { httpsAgent: certAgent });
    server.revokeTokens();
    // The cached token is rejected (401): renewed with the rejected request's agent, then replayed.
    const response = await api.get('/users/2', { httpsAgent: certAgent });
    expect(response.status).toBe(200);
    expect(server.tokenRequests.map((r) => r.clientCn)).toEqual(['sdk-client', 'sdk-client']);
    expect(server.apiRequests.map((r) => r.status)).toEqual([200, 401, 200]);
  });

  test('a background renewal (soft window) uses the transport of the request that started it', async () => {
    let now = Date.UTC(2026, 0, 1);
    let renewed!: () => void;
    const renewal = new Promise<void>((resolve) => (renewed = resolve));
    attach({ clock: () => now, hooks: { onTokenRenewed: () => renewed(), onTokenEndpointFailure: () => renewed() } });
    await api.get('/users/1', { httpsAgent: certAgent });
    now += 1_100_000; // in the soft window of the 1200 s token: served, renewed in the background
    await api.get('/users/2', { httpsAgent: certAgent });
    await renewal;
    expect(server.tokenRequests.map((r) => r.clientCn)).toEqual(['sdk-client', 'sdk-client']);
  });

  test('tokenHttpClient wins over the request’s transport', async () => {
    const tokenHttpClient = axios.create({ httpsAgent: plainAgent });
    attach({ tokenHttpClient });
    const error = await api.get('/users/1', { httpsAgent: certAgent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(server.tokenRequests).toEqual([]);
  });
});
