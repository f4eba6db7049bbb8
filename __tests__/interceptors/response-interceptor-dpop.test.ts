/**
 * The response side (src/interceptors/response-interceptor.ts) with a sender constraint (DPoP,
 * RFC 9449) against a loopback server verifying every proof with jose: which requests get the
 * nonce replay, what the replay's answer teaches, the errors when no replay is possible or the nonce
 * is demanded twice, and what the rejection breaker hears.
 */
import { Readable } from 'node:stream';
import axios, { AxiosError, getAdapter, type AxiosInstance } from 'axios';
import {
  DPoPNonceError,
  ReplayNotPossibleError,
  attachOAuth2,
  type OAuth2Handle,
  type OAuth2Options,
  type RejectionStormEvent,
} from '../../src';
import { dpop } from '../../src/features/dpop';
import { startDPoPServer, type DPoPServer } from '../helpers/dpop-server';

let server: DPoPServer;
let api: AxiosInstance;
let auth: OAuth2Handle | undefined;
let opened: RejectionStormEvent[];

beforeEach(async () => {
  server = await startDPoPServer();
  api = axios.create({ baseURL: server.apiUrl });
  opened = [];
});

afterEach(async () => {
  auth?.detach();
  auth = undefined;
  await server.close();
});

function attach(extra: Partial<OAuth2Options> = {}): OAuth2Handle {
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: 'dpop-client',
    clientSecret: 'dpop-client-secret',
    senderConstraint: dpop(),
    random: () => 0,
    hooks: { onRejectionStormOpened: (event) => opened.push(event) },
    ...extra,
  });
  return auth;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
/** What the API saw: status, scheme of the Authorization header, and whether a proof came with it. */
const seen = () => server.apiCalls.map((c) => [c.status, c.authorization.split(' ')[0], c.raw !== '']);

describe('a Bearer token (the server ignored DPoP)', () => {
  beforeEach(() => {
    server.tokenType = 'Bearer';
  });

  test('its replay after a rejection carries no proof, like the first attempt', async () => {
    attach({ acceptTokenTypes: ['DPoP', 'Bearer'] });
    const error = await failure(api.get('/a'));
    expect((error as AxiosError).response?.status).toBe(401);
    expect(seen()).toEqual([
      [401, 'Bearer', false],
      [401, 'Bearer', false],
    ]);
    expect(server.tokenCalls).toHaveLength(2);
  });

  test('a nonce challenge to it is not answered with a nonce replay (the request carried no proof)', async () => {
    attach({ acceptTokenTypes: ['DPoP', 'Bearer'] });
    server.alwaysDemandApiNonce = true;
    const error = await failure(api.get('/a'));
    expect((error as AxiosError).response?.status).toBe(401);
    expect(seen()).toEqual([[401, 'Bearer', false]]);
  });
});

test('a nonce announced on a replay’s answer is used by the next request: no challenge', async () => {
  attach();
  await api.get('/first');
  server.revoked.add('dpop-tok-1');
  server.announceApiNonce = 'n-after-replay';
  expect((await api.get('/replayed')).status).toBe(200);
  expect((await api.get('/next')).status).toBe(200);
  expect(server.apiCalls.map((c) => [c.path, c.status, c.proof.claims?.nonce])).toEqual([
    ['/api/first', 200, undefined],
    ['/api/replayed', 401, undefined],
    ['/api/replayed', 200, undefined],
    ['/api/next', 200, 'n-after-replay'],
  ]);
});

test('a second nonce challenge: DPoPNonceError, the 401 as cause, its secret-free answer as response', async () => {
  attach();
  server.alwaysDemandApiNonce = true;
  const error = await failure(api.get('/a'));
  expect(error).toBeInstanceOf(DPoPNonceError);
  const nonceError = error as DPoPNonceError & { response: Record<string, unknown> };
  expect((nonceError.cause as AxiosError).response?.status).toBe(401);
  expect(nonceError.response).toEqual({
    status: 401,
    statusText: 'Unauthorized',
    headers: expect.objectContaining({ 'dpop-nonce': 'an-2' }) as unknown,
    data: { error: 'use_dpop_nonce' },
  });
  expect(server.apiCalls).toHaveLength(2);
});

test('a nonce challenge to a request with a stream body: ReplayNotPossibleError, not sent again', async () => {
  attach();
  server.apiNonce = 'n-required';
  const error = await failure(api.post('/upload', Readable.from(['chunk'])));
  expect(error).toBeInstanceOf(ReplayNotPossibleError);
  const notReplayed = error as ReplayNotPossibleError & { response: { status: number } };
  expect(notReplayed.message).toMatch(/asked for a DPoP nonce \(401\) but the request body is a stream/);
  expect((notReplayed.cause as AxiosError).response?.status).toBe(401);
  expect(notReplayed.response.status).toBe(401);
  expect(server.apiCalls).toHaveLength(1);
});

test('a replay that fails without an answer (network error): the caller gets that AxiosError', async () => {
  // The instance's adapter (token requests use it too): the second API request (the replay) fails.
  const http = getAdapter('http');
  let apiRequests = 0;
  api.defaults.adapter = (config) => {
    if (config.url !== server.tokenUrl && ++apiRequests === 2)
      return Promise.reject(new AxiosError('socket hang up', 'ECONNRESET', config));
    return http(config);
  };
  attach();
  server.rejectAllTokens = true;
  const error = await failure(api.get('/a'));
  expect(error).toBeInstanceOf(AxiosError);
  expect(error).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
  expect(apiRequests).toBe(2);
  expect(server.apiCalls.map((c) => c.authorization)).toEqual(['DPoP dpop-tok-1']);
  expect(server.tokenCalls).toHaveLength(2);
});

test('a token and its replacement both rejected by one request: the replay’s 401 opens the cool-down', async () => {
  attach();
  server.rejectAllTokens = true;
  const error = await failure(api.get('/a'));
  expect((error as AxiosError).response?.status).toBe(401);
  expect(server.apiCalls.map((c) => c.authorization)).toEqual(['DPoP dpop-tok-1', 'DPoP dpop-tok-2']);
  expect(opened).toEqual([expect.objectContaining({ status: 401, consecutive: 1 })]);
});
