/**
 * The request side (src/interceptors/request-interceptor.ts), through `attachOAuth2` and the embedded
 * server: the synchronous fast path with a cached token, headers replaced by another interceptor, a
 * caller's lower-case header under `authorizationHeader: 'replace'`, and a config sent again (as
 * axios-retry does) carrying the current token.
 */
import dc from 'node:diagnostics_channel';
import axios, { getAdapter, type AxiosInstance } from 'axios';
import { attachOAuth2, OAuth2RequestOptionsError, type OAuth2Handle, type OAuth2Options } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { diagnosticsChannels } from '../../src/features/diagnostics';
import { tokenExchange, TOKEN_TYPES } from '../../src/features/token-exchange';

let server: AuthServer;
let api: AxiosInstance;
let auth: OAuth2Handle;
let skipped: unknown[];

beforeEach(async () => {
  server = await startAuthServer();
  api = axios.create({ baseURL: server.apiBaseUrl });
  skipped = [];
});

afterEach(async () => {
  auth.detach();
  await server.close();
});

function attach(extra: Partial<OAuth2Options> = {}) {
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    hooks: { onRequestSkipped: (event) => skipped.push(event) },
    ...extra,
  });
}

const authorizations = () => server.apiRequests().map((r) => r.authorization);

test('with a token cached, a request reaches the adapter synchronously, within the call (no microtask)', async () => {
  const http = getAdapter('http');
  const sent: string[] = [];
  api.defaults.adapter = (config) => {
    sent.push(config.url ?? '');
    return http(config);
  };
  attach();
  await api.get('/warm-up');
  sent.length = 0;
  const pending = api.get('/hot');
  expect(sent).toEqual(['/hot']);
  await pending;
  const bearer = `Bearer ${await auth.getAccessToken()}`;
  expect(authorizations()).toEqual([bearer, bearer]);
});

describe('headers replaced by an interceptor that runs before the plugin’s', () => {
  test.each([
    ['a plain object', () => ({ 'X-Trace': 'plain' })],
    ['undefined', () => undefined],
  ])('%s: converted, and the bearer injected', async (_name, headers) => {
    attach();
    // Registered after the plugin: axios runs request interceptors last-registered first.
    api.interceptors.request.use((config) => {
      (config as { headers: unknown }).headers = headers();
      return config;
    });
    for (const path of ['/cold', '/hot']) expect((await api.get(path)).status).toBe(200);
    const bearer = `Bearer ${await auth.getAccessToken()}`;
    expect(authorizations()).toEqual([bearer, bearer]);
    expect(skipped).toEqual([]);
  });
});

test('authorizationHeader "replace": a caller’s lower-case authorization header is replaced, not sent beside the bearer', async () => {
  attach({ authorizationHeader: 'replace' });
  await api.get('/a', { headers: { authorization: 'Basic Y2FsbGVyOm93bg==' } });
  expect(authorizations()).toEqual([`Bearer ${await auth.getAccessToken()}`]);
});

test.each([
  ['without per-request options', {}],
  ['with per-request options', { oauth2: {} }],
])(
  'a config sent again (as axios-retry does) %s carries the current token, not the one injected first',
  async (_name, perRequest) => {
    attach();
    const first = await api.get('/a', perRequest);
    const old = await auth.getAccessToken();
    await auth.invalidate();
    await api.request(first.config);
    const current = await auth.getAccessToken();
    expect(current).not.toBe(old);
    expect(authorizations()).toEqual([`Bearer ${old}`, `Bearer ${current}`]);
    expect(skipped).toEqual([]);
  },
);

describe('an interceptor between the route and the injection (registered after the plugin: axios runs it first)', () => {
  test('re-targeted within the origin while the cache was emptied: the token seen at routing is sent', async () => {
    attach();
    await api.get('/warm-up');
    const seen = await auth.getAccessToken();
    let between = false;
    api.interceptors.request.use(async (config) => {
      if (between) {
        config.url = '/moved';
        await auth.invalidate();
      }
      return config;
    });
    between = true;
    expect((await api.get('/hot')).status).toBe(200);
    expect(authorizations()).toEqual([`Bearer ${seen}`, `Bearer ${seen}`]);
    expect(server.apiRequests().map((r) => r.path.endsWith('/moved'))).toEqual([false, true]);
    expect(server.counters.tokenCalls).toBe(1);
  });

  test("switched to another scope, not cached: never sent the routed token of the attachment's scope", async () => {
    attach();
    await api.get('/warm-up');
    const routed = `Bearer ${await auth.getAccessToken()}`;
    let between = false;
    api.interceptors.request.use(
      (config) => {
        if (between) config.oauth2 = { scope: 'other' };
        return config;
      },
      undefined,
      { synchronous: true },
    );
    between = true;
    await api.get('/hot').catch(() => undefined);
    expect(authorizations()).toHaveLength(2);
    expect(authorizations()[1]).not.toBe(routed);
  });
});

describe("another copy of axios (an SDK's): its AxiosHeaders are asked for the caller's header", () => {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports -- another copy of axios, loaded as an SDK does */
  const copy = require('axios-1.7') as typeof axios;

  test.each(['Authorization', 'authorization'])(
    "a caller's %s header is kept and reported, no token call",
    async (name) => {
      api = copy.create({ baseURL: server.apiBaseUrl });
      attach();
      const response = await api
        .get('/own', { headers: { [name]: 'Basic Y2FsbGVyOm93bg==' } })
        .catch((e) => e.response);
      expect(response.status).toBe(401);
      expect(authorizations()).toEqual(['Basic Y2FsbGVyOm93bg==']);
      expect(skipped).toEqual([{ reason: 'caller-authorization', method: 'GET', url: '/own' }]);
      expect(server.counters.tokenCalls).toBe(0);
    },
  );
});

describe('requests that get no bearer make no token call', () => {
  test("axios's auth on a cold attachment: the caller's Basic sent, no token fetched", async () => {
    attach();
    await api.get('/own', { auth: { username: 'caller', password: 'own' } }).catch(() => undefined);
    expect(authorizations()).toEqual([`Basic ${Buffer.from('caller:own').toString('base64')}`]);
    expect(server.counters.tokenCalls).toBe(0);
  });

  test('per-request options on a request to another origin or to the token endpoint: checked, no bearer', async () => {
    attach();
    const other = await startAuthServer();
    try {
      await api.get(`${other.apiBaseUrl}/users`, { oauth2: { scope: 'other' } }).catch(() => undefined);
      await api
        .post(server.tokenUrl, 'grant_type=client_credentials', { oauth2: { scope: 'other' } })
        .catch(() => undefined);
      expect(other.apiRequests().map((r) => r.authorization)).toEqual([undefined]);
      expect(server.tokenRequests().map((r) => r.authorization)).toEqual([undefined]);
      const typo = await api
        .get(`${other.apiBaseUrl}/users`, { oauth2: { scopes: 'x' } as never })
        .catch((e: unknown) => e);
      expect(typo).toBeInstanceOf(OAuth2RequestOptionsError);
      expect(other.counters.apiCalls).toBe(1);
    } finally {
      await other.close();
    }
  });

  test('oauth2.skip set by an interceptor on a request routed to wait for a token: no bearer, no token call', async () => {
    attach();
    api.interceptors.request.use((config) => {
      config.oauth2 = { skip: true };
      return config;
    });
    await api.get('/cold').catch(() => undefined);
    expect(authorizations()).toEqual([undefined]);
    expect(server.counters.tokenCalls).toBe(0);
  });

  test('oauth2.tenant on an attachment without tenants: the error says what is needed', async () => {
    attach();
    const error = await api.get('/a', { oauth2: { tenant: 't1' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
    expect((error as Error).message).toMatch(/"oauth2.tenant" needs an attachment with the tenants option/);
  });
});

test('a token cached while the request waited in another interceptor is a cache hit, not a miss', async () => {
  const seen: string[] = [];
  const listener = (_message: unknown, name: string | symbol) => seen.push(String(name));
  const names = ['axios-oauth2-bearer:cache-hit', 'axios-oauth2-bearer:cache-miss'];
  for (const name of names) dc.subscribe(name, listener);
  try {
    attach({ extensions: [diagnosticsChannels()] });
    api.interceptors.request.use(async (config) => {
      await auth.getAccessToken();
      return config;
    });
    expect((await api.get('/cold')).status).toBe(200);
    expect(seen).toEqual(['axios-oauth2-bearer:cache-hit']);
    expect(server.counters.tokenCalls).toBe(1);
  } finally {
    for (const name of names) dc.unsubscribe(name, listener);
  }
});

describe('token exchange: what the subject choice is given', () => {
  function attachExchanging() {
    attach({ grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken }) });
  }

  test('a request with oauth2.skip: no bearer, no error, no token call', async () => {
    await server.close();
    server = await startAuthServer({ tokenExchange: {} });
    api = axios.create({ baseURL: server.apiBaseUrl });
    attachExchanging();
    await api.get('/a', { oauth2: { skip: true } }).catch(() => undefined);
    expect(authorizations()).toEqual([undefined]);
    expect(server.counters.tokenCalls).toBe(0);
  });

  test('bad per-request options: the error naming the option, not a subject error', async () => {
    await server.close();
    server = await startAuthServer({ tokenExchange: {} });
    api = axios.create({ baseURL: server.apiBaseUrl });
    attachExchanging();
    const subjectToken = server.issueSubjectToken('alice');
    const error = await api.get('/a', { oauth2: { subjectToken, scope: 7 } as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
    expect((error as OAuth2RequestOptionsError).option).toBe('oauth2.scope');
    expect(server.counters.tokenCalls).toBe(0);
  });
});
