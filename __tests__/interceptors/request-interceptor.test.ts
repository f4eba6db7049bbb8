/**
 * The request side (src/interceptors/request-interceptor.ts), through `attachOAuth2` and the embedded
 * server: the synchronous fast path with a cached token, headers replaced by another interceptor, a
 * caller's lower-case header under `authorizationHeader: 'replace'`, and a config sent again (as
 * axios-retry does) carrying the current token.
 */
import axios, { getAdapter, type AxiosInstance } from 'axios';
import { attachOAuth2, type OAuth2Handle, type OAuth2Options } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';

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
