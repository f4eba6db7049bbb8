/**
 * Token requests never follow redirects, with the http and fetch adapters of axios 1.7.9, 1.19.0 and
 * the newest: axios 1.7–1.19's fetch adapter ignores `maxRedirects: 0`, so a token endpoint answering
 * 307 to another origin would receive the password and client secret there, and on 302 the foreign
 * origin's token would be accepted and sent to the API. A 3xx is a permanent TokenEndpointError.
 */
import { inspect } from 'node:util';
import axiosNewest from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2, TokenEndpointError, type OAuth2Options } from '../../src';
import { json, startRawServer, type RawServer } from '../helpers/raw-server';
import { ADAPTERS, AXIOS_VERSIONS } from '../helpers/axios-versions';

const VERSIONS = AXIOS_VERSIONS;

const SECRET = 'redirect-client-secret-41';
const PASSWORD = 'redirect-user-password-93';
const FOREIGN_TOKEN = 'FOREIGN-ORIGIN-TOKEN-7';

const CREDENTIAL_STYLES: Array<[string, Partial<OAuth2Options>]> = [
  ['client_secret_post, form', { clientAuthentication: 'client_secret_post' }],
  ['client_secret_post, JSON', { clientAuthentication: 'client_secret_post', tokenRequestFormat: 'json' }],
  ['client_secret_basic', {}],
];

describe('token requests never follow redirects', () => {
  let foreign: RawServer;
  let tokenEndpoint: RawServer;
  let api: RawServer;
  let status: number;

  beforeEach(async () => {
    foreign = await startRawServer((_req, res) =>
      json(res, 200, { access_token: FOREIGN_TOKEN, token_type: 'bearer', expires_in: 3600 }),
    );
    tokenEndpoint = await startRawServer((req, res) => {
      res.writeHead(status, { Location: `${foreign.url}${req.url}`, 'Content-Type': 'text/plain' });
      res.end();
    });
    api = await startRawServer((req, res) => json(res, 200, { authorization: req.headers.authorization ?? null }));
  });
  afterEach(async () => {
    await Promise.all([foreign.close(), tokenEndpoint.close(), api.close()]);
  });

  function attach(axios: typeof axiosNewest, adapter: (typeof ADAPTERS)[number], extra: Partial<OAuth2Options>) {
    const instance = axios.create({ baseURL: `${api.url}/v1`, adapter: axios.getAdapter(adapter) });
    const auth = attachOAuth2(instance, {
      tokenUrl: `${tokenEndpoint.url}/oauth/token`,
      clientId: 'client-1',
      clientSecret: SECRET,
      grant: { type: 'password', username: 'jane', password: PASSWORD },
      retry: { retries: 3, baseDelayMs: 0 },
      ...extra,
    });
    return { instance, auth };
  }

  async function expectRedirectRefused(instance: { get(url: string): Promise<unknown> }, expected: number) {
    const error = await instance.get('/things').then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenEndpointError);
    const e = error as TokenEndpointError;
    expect(e.status).toBe(expected);
    expect(e.transient).toBe(false);
    expect(e.attempts).toBe(1);
    expect(e.message).toBe(
      `password grant failed: the token endpoint answered a redirect (HTTP ${expected}); token requests never follow redirects`,
    );
    for (const text of [e.message, JSON.stringify(e), inspect(e, { depth: Infinity })]) {
      for (const secret of [SECRET, PASSWORD, FOREIGN_TOKEN, foreign.url]) expect(text).not.toContain(secret);
    }
    expect(tokenEndpoint.requests).toHaveLength(1); // permanent: not retried
    expect(foreign.requests).toHaveLength(0); // the credentials never left for the other origin
    expect(api.requests).toHaveLength(0); // no request, so no foreign token, reached the API
  }

  describe.each(VERSIONS)('axios %s', (_version, axios) => {
    describe.each(ADAPTERS)('%s adapter', (adapter) => {
      test.each(CREDENTIAL_STYLES)('307 with %s: the other origin receives nothing', async (_style, extra) => {
        status = 307;
        const { instance } = attach(axios, adapter, extra);
        await expectRedirectRefused(instance, 307);
      });

      test('302: the foreign token is never accepted nor sent to the API', async () => {
        status = 302;
        const { instance, auth } = attach(axios, adapter, {});
        await expectRedirectRefused(instance, 302);
        await expect(auth.getAccessToken()).rejects.toBeInstanceOf(TokenEndpointError);
        expect(foreign.requests).toHaveLength(0);
      });

      test('a tokenHttpClient of this version and adapter does not follow a 307 either', async () => {
        status = 307;
        const tokenHttpClient = axios.create({ adapter: axios.getAdapter(adapter), maxRedirects: 5 });
        const { instance } = attach(axios, adapter, {
          clientAuthentication: 'client_secret_post',
          tokenHttpClient,
        });
        await expectRedirectRefused(instance, 307);
      });
    });
  });

  test('an opaque-redirect response (status 0, as browsers report a manual redirect) is refused the same way', async () => {
    // A real loopback server cannot make Node's fetch report status 0: the mock shapes it.
    const instance = axiosNewest.create({ baseURL: 'https://api.example.com' });
    const mock = new MockAdapter(instance);
    const tokenUrl = 'https://auth.example.com/oauth/token';
    let tokenCalls = 0;
    mock.onPost(tokenUrl).reply(() => {
      tokenCalls += 1;
      return [0, ''];
    });
    const auth = attachOAuth2(instance, { tokenUrl, clientId: 'c', clientSecret: SECRET, retry: { baseDelayMs: 0 } });
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.status).toBe(0);
    expect(error.transient).toBe(false);
    expect(error.message).toBe(
      'client_credentials grant failed: the token endpoint answered an opaque redirect (status 0); token requests never follow redirects',
    );
    expect(tokenCalls).toBe(1);
  });
});
