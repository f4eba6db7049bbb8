/**
 * The `DPoP` proof is a credential like `Authorization`: on a redirect to another origin neither is
 * forwarded, with the http adapter and the fetch adapter, on every axios line the plugin supports.
 * Real loopback servers on two origins: the API origin (it redirects) and another one (it records
 * what reached it); tokens from the DPoP test server.
 */
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, type OAuth2Handle } from '../../../src';
import { dpop } from '../../../src/features/dpop';
import { AXIOS_VERSIONS } from '../../helpers/axios-versions';
import { startDPoPServer, type DPoPServer } from '../../helpers/dpop-server';
import { json, startRawServer, type RawServer } from '../../helpers/raw-server';

let as: DPoPServer;
let apiServer: RawServer;
let elsewhere: RawServer;
let auth: OAuth2Handle | undefined;

/** The API origin's redirects: path → [status, Location]. */
function redirectOf(url: string): [number, string] | undefined {
  const away = `${elsewhere.url}/landing`;
  const routes: Record<string, [number, string]> = {
    '/away': [302, away],
    '/hop': [302, '/away'], // same origin first, then away
    '/post-307': [307, away],
    '/post-303': [303, away],
    '/loop': [302, '/loop'],
  };
  return routes[url];
}

beforeAll(async () => {
  as = await startDPoPServer();
  elsewhere = await startRawServer((req, res) => json(res, 200, { landed: req.method, body: req.body }));
  apiServer = await startRawServer((req, res) => {
    const redirect = redirectOf(req.url);
    if (!redirect) return json(res, 200, { here: true });
    res.writeHead(redirect[0], { Location: redirect[1] });
    res.end();
  });
});

afterAll(async () => {
  await Promise.all([as.close(), apiServer.close(), elsewhere.close()]);
});

beforeEach(() => {
  elsewhere.requests.length = 0;
  apiServer.requests.length = 0;
});

afterEach(() => {
  auth?.detach();
  auth = undefined;
});

function attached(api: AxiosInstance): AxiosInstance {
  auth = attachOAuth2(api, { tokenUrl: as.tokenUrl, clientId: 'c', clientSecret: 's', senderConstraint: dpop() });
  return api;
}

/** [path, Authorization scheme, has a DPoP header] of each request a server saw. */
const seen = (server: RawServer) =>
  server.requests.map((r) => [r.method, r.url, r.headers.authorization?.split(' ')[0], r.headers.dpop !== undefined]);

describe.each(AXIOS_VERSIONS.filter(([version]) => version !== '1.7.9'))('axios %s', (_version, copy) => {
  describe.each(['http', 'fetch'] as const)('%s adapter', (adapter) => {
    const api = () => attached(copy.create({ baseURL: apiServer.url, adapter }));

    test('a redirect to another origin carries neither Authorization nor DPoP', async () => {
      const answer = await api().get('/away');
      expect(answer.data).toEqual({ landed: 'GET', body: '' });
      expect(seen(apiServer)).toEqual([['GET', '/away', 'DPoP', true]]);
      expect(seen(elsewhere)).toEqual([['GET', '/landing', undefined, false]]);
    });

    test('a same-origin hop keeps both, the hop to another origin drops both', async () => {
      await api().get('/hop');
      expect(seen(apiServer)).toEqual([
        ['GET', '/hop', 'DPoP', true],
        ['GET', '/away', 'DPoP', true],
      ]);
      expect(seen(elsewhere)).toEqual([['GET', '/landing', undefined, false]]);
    });

    test('307: the POST and its body go on, without the credentials; 303: a GET without body', async () => {
      const client = api();
      const kept = await client.post('/post-307', { n: 1 });
      expect(kept.data).toEqual({ landed: 'POST', body: '{"n":1}' });
      const changed = await client.post('/post-303', { n: 2 });
      expect(changed.data).toEqual({ landed: 'GET', body: '' });
      expect(seen(elsewhere)).toEqual([
        ['POST', '/landing', undefined, false],
        ['GET', '/landing', undefined, false],
      ]);
    });
  });
});

test('fetch adapter: a same-origin redirect loop ends after 20 hops (as fetch would), never hangs', async () => {
  const api = attached(axios.create({ baseURL: apiServer.url, adapter: 'fetch' }));
  await expect(api.get('/loop')).rejects.toMatchObject({ isAxiosError: true });
  expect(apiServer.requests).toHaveLength(21);
  expect(seen(elsewhere)).toEqual([]);
});

describe('axios 1.7.9, whose fetch adapter has no env.fetch', () => {
  const copy = AXIOS_VERSIONS.find(([version]) => version === '1.7.9')?.[1] as typeof axios;

  test('http adapter: the redirect is followed without DPoP', async () => {
    const api = attached(copy.create({ baseURL: apiServer.url, adapter: 'http' }));
    await api.get('/away');
    expect(seen(elsewhere)).toEqual([['GET', '/landing', undefined, false]]);
  });

  test('fetch adapter: the redirect is answered to the caller, not followed (the proof goes nowhere else)', async () => {
    const api = attached(copy.create({ baseURL: apiServer.url, adapter: 'fetch' }));
    await expect(api.get('/away')).rejects.toMatchObject({ response: { status: 302 } });
    expect(seen(elsewhere)).toEqual([]);
  });
});

describe("the caller's own redirect choice is kept (fetch adapter)", () => {
  test("fetchOptions.redirect: 'manual': the 302 is the caller's to see", async () => {
    const api = attached(axios.create({ baseURL: apiServer.url, adapter: 'fetch' }));
    const answer = await api.get('/away', { fetchOptions: { redirect: 'manual' }, validateStatus: () => true });
    expect(answer.status).toBe(302);
    expect(seen(elsewhere)).toEqual([]);
  });

  test('maxRedirects: 0: not followed', async () => {
    const api = attached(axios.create({ baseURL: apiServer.url, adapter: 'fetch', maxRedirects: 0 }));
    const answer = await api.get('/away', { validateStatus: () => true });
    expect(answer.status).toBe(302);
    expect(seen(elsewhere)).toEqual([]);
  });
});
