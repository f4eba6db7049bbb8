import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import type { OAuth2OptionsError } from '../../src';
import { attachOAuth2, mangopay, musement, OAuth2Error, type Preset } from '../../src';
import { headerOf, mockApi, mockTokenEndpoint, type ApiCall } from '../helpers/harness';

function presetError(run: () => unknown): OAuth2OptionsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect((error as OAuth2OptionsError).code).toBe('OAUTH2_INVALID_OPTIONS');
    return error as OAuth2OptionsError;
  }
  throw new Error('expected a TypeError');
}

/** axios.create from the preset, a mock server, and the preset passed straight to attachOAuth2. */
function endToEnd(preset: Preset) {
  const api = axios.create({ baseURL: preset.baseURL, headers: preset.headers });
  const mock = new MockAdapter(api);
  const endpoint = mockTokenEndpoint(mock, preset.tokenUrl, { lifetimeSeconds: 1199 });
  const calls: ApiCall[] = [];
  mockApi(mock, calls, () => true);
  const auth = attachOAuth2(api, preset);
  return { api, mock, endpoint, calls, auth };
}

describe('mangopay()', () => {
  test('sandbox', () => {
    expect(mangopay({ environment: 'sandbox', clientId: 'my-client', apiKey: 'my-api-key' })).toEqual({
      tokenUrl: 'https://api.sandbox.mangopay.com/v2.01/oauth/token',
      clientId: 'my-client',
      clientSecret: 'my-api-key',
      apiOrigins: ['https://api.sandbox.mangopay.com'],
      baseURL: 'https://api.sandbox.mangopay.com/v2.01/my-client',
      headers: {},
      basicEncoding: 'raw',
    });
  });

  test('baseURL alone (no environment) gives the same preset', () => {
    const fromBaseURL = mangopay({ baseURL: 'https://api.sandbox.mangopay.com', clientId: 'my-client', apiKey: 'k' });
    expect(fromBaseURL).toEqual(mangopay({ environment: 'sandbox', clientId: 'my-client', apiKey: 'k' }));
    const prod = mangopay({ baseURL: 'https://api.mangopay.com/', clientId: 'c', apiKey: 'k' });
    expect(prod.tokenUrl).toBe('https://api.mangopay.com/v2.01/oauth/token');
    expect(prod.apiOrigins).toEqual(['https://api.mangopay.com']);
  });

  test('the old spelling baseUrl is an unknown option that suggests baseURL, even without environment', () => {
    const error = presetError(() =>
      mangopay({ baseUrl: 'https://api.sandbox.mangopay.com', clientId: 'c', apiKey: 'k' } as never),
    );
    expect(error.option).toBe('baseUrl');
    expect(error.message).toBe('axios-oauth2-bearer: unknown option "baseUrl" of mangopay(); did you mean "baseURL"?');
  });

  test('origin alone (no environment) is enough', () => {
    const preset = mangopay({ origin: 'http://127.0.0.1:8080', clientId: 'c', apiKey: 'k' });
    expect(preset.tokenUrl).toBe('http://127.0.0.1:8080/v2.01/oauth/token');
    expect(preset.baseURL).toBe('http://127.0.0.1:8080/v2.01/c');
    expect(preset.apiOrigins).toEqual(['http://127.0.0.1:8080']);
  });

  test.each<[string, Record<string, unknown>]>([
    ['environment', {}],
    ['baseURL', { baseURL: 'https://api.mangopay.com', origin: 'https://api.mangopay.com' }],
    ['baseURL', { baseURL: '/v2.01' }],
    ['baseURL', { baseURL: 42 }],
  ])('without a usable environment, baseURL or origin → TypeError naming %s', (option, change) => {
    const error = presetError(() => mangopay({ clientId: 'c', apiKey: 'k', ...change }));
    expect(error.option).toBe(option);
  });

  test('production', () => {
    const preset = mangopay({ environment: 'production', clientId: 'my-client', apiKey: 'k' });
    expect(preset.tokenUrl).toBe('https://api.mangopay.com/v2.01/oauth/token');
    expect(preset.baseURL).toBe('https://api.mangopay.com/v2.01/my-client');
    expect(preset.apiOrigins).toEqual(['https://api.mangopay.com']);
  });

  test('the client id is path-encoded in baseURL', () => {
    expect(mangopay({ environment: 'sandbox', clientId: 'a b/c', apiKey: 'k' }).baseURL).toBe(
      'https://api.sandbox.mangopay.com/v2.01/a%20b%2Fc',
    );
  });

  test('mTLS origin override moves every call, the token call included', () => {
    const preset = mangopay({
      environment: 'sandbox',
      clientId: 'c',
      apiKey: 'k',
      origin: 'https://api-mtls.sandbox.mangopay.com/',
    });
    expect(preset.tokenUrl).toBe('https://api-mtls.sandbox.mangopay.com/v2.01/oauth/token');
    expect(preset.baseURL).toBe('https://api-mtls.sandbox.mangopay.com/v2.01/c');
    expect(preset.apiOrigins).toEqual(['https://api-mtls.sandbox.mangopay.com']);
  });

  test('other options pass through; apiOrigins can be overridden', () => {
    const preset = mangopay({
      environment: 'sandbox',
      clientId: 'c',
      apiKey: 'k',
      refreshSkewSeconds: 60,
      apiOrigins: ['https://x.example'],
    });
    expect(preset.refreshSkewSeconds).toBe(60);
    expect(preset.apiOrigins).toEqual(['https://x.example']);
  });

  test.each<[string, Record<string, unknown>]>([
    ['environment', { environment: 'staging' }],
    ['environment', { environment: undefined }],
    ['environment', { environment: 'staging', origin: 'https://api-mtls.sandbox.mangopay.com' }],
    ['clientId', { clientId: '' }],
    ['clientId', { clientId: 12 }],
    ['apiKey', { apiKey: undefined }],
    ['apiKey', { apiKey: 31415926 }],
    ['origin', { origin: 'not a url' }],
  ])('bad %s → TypeError naming it', (option, change) => {
    const error = presetError(() =>
      mangopay({ environment: 'sandbox', clientId: 'c', apiKey: 'k', ...change } as never),
    );
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).not.toContain('31415926');
  });

  test('no options at all → TypeError', () => {
    presetError(() => mangopay(undefined as never));
  });

  test('an unknown extra option is rejected by the preset itself', () => {
    const error = presetError(() => mangopay({ environment: 'sandbox', clientId: 'c', apiKey: 'k', typo: 1 } as never));
    expect(error.option).toBe('typo');
    expect(error.message).toBe('axios-oauth2-bearer: unknown option "typo" of mangopay()');
  });

  test('clientSecret and tokenUrl are not options of the preset (apiKey; the endpoint is fixed)', () => {
    const base = { environment: 'sandbox', clientId: 'c', apiKey: 'k' };
    expect(presetError(() => mangopay({ ...base, clientSecret: 'k' } as never)).option).toBe('clientSecret');
    expect(presetError(() => mangopay({ ...base, tokenUrl: 'https://x.example' } as never)).option).toBe('tokenUrl');
  });

  test('end to end: token call shape, bearer on /v2.01 and /V3.0 paths, none elsewhere', async () => {
    const preset = mangopay({ environment: 'sandbox', clientId: 'my-client', apiKey: 'my-api-key' });
    const { api, endpoint, calls } = endToEnd(preset);
    await api.get('/users/1');
    await api.get('https://api.sandbox.mangopay.com/V3.0/my-client/payins/1');
    await api.get('https://api.mangopay.com/v2.01/my-client/users'); // production host: not ours
    expect(endpoint.calls).toHaveLength(1);
    const call = endpoint.calls[0];
    expect(call.method).toBe('post');
    expect(call.url).toBe('https://api.sandbox.mangopay.com/v2.01/oauth/token');
    expect(headerOf(call, 'Authorization')).toBe(`Basic ${Buffer.from('my-client:my-api-key').toString('base64')}`);
    expect(headerOf(call, 'Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(call.data).toBe('grant_type=client_credentials');
    expect(calls.map((c) => [c.url, c.authorization])).toEqual([
      ['/users/1', 'Bearer tok-1'],
      ['https://api.sandbox.mangopay.com/V3.0/my-client/payins/1', 'Bearer tok-1'],
      ['https://api.mangopay.com/v2.01/my-client/users', undefined],
    ]);
    expect(calls[0].config.baseURL).toBe('https://api.sandbox.mangopay.com/v2.01/my-client');
  });

  test("Basic credentials are raw base64(ClientId:ApiKey), as Mangopay's SDKs send, even with + / = in the key", async () => {
    const apiKey = 'a+b/c=d e%';
    const { api, endpoint } = endToEnd(mangopay({ environment: 'sandbox', clientId: 'my-client', apiKey }));
    await api.get('/users/1');
    expect(headerOf(endpoint.calls[0], 'Authorization')).toBe(
      `Basic ${Buffer.from(`my-client:${apiKey}`).toString('base64')}`,
    );
  });

  test("basicEncoding: 'rfc6749' still overrides the preset's raw default", async () => {
    const preset = mangopay({
      environment: 'sandbox',
      clientId: 'my-client',
      apiKey: 'a+b/c=',
      basicEncoding: 'rfc6749',
    });
    const { api, endpoint } = endToEnd(preset);
    await api.get('/users/1');
    expect(headerOf(endpoint.calls[0], 'Authorization')).toBe(
      `Basic ${Buffer.from('my-client:a%2Bb%2Fc%3D').toString('base64')}`,
    );
  });

  test('end to end with the mTLS host', async () => {
    const preset = mangopay({
      environment: 'production',
      clientId: 'c',
      apiKey: 'k',
      origin: 'https://api-mtls.mangopay.com',
    });
    const { api, endpoint, calls } = endToEnd(preset);
    await api.get('/users');
    expect(endpoint.calls[0].url).toBe('https://api-mtls.mangopay.com/v2.01/oauth/token');
    expect(calls[0].authorization).toBe('Bearer tok-1');
  });
});

describe('musement()', () => {
  const base = { clientId: 'mus-id', clientSecret: 'mus-secret', application: 'my-app' };

  test('sandbox', () => {
    expect(musement({ environment: 'sandbox', ...base })).toEqual({
      clientAuthentication: 'client_secret_post',
      tokenRequestFormat: 'json',
      tokenUrl: 'https://sandbox.musement.com/api/v3/login',
      clientId: 'mus-id',
      clientSecret: 'mus-secret',
      tokenRequestHeaders: { 'X-Musement-Application': 'my-app' },
      apiOrigins: ['https://sandbox.musement.com'],
      baseURL: 'https://sandbox.musement.com/api/v3',
      headers: { 'X-Musement-Application': 'my-app' },
    });
  });

  test('production', () => {
    const preset = musement({ environment: 'production', ...base });
    expect(preset.tokenUrl).toBe('https://api.musement.com/api/v3/login');
    expect(preset.baseURL).toBe('https://api.musement.com/api/v3');
    expect(preset.apiOrigins).toEqual(['https://api.musement.com']);
  });

  test('legacyLogin → the query format, with client_secret_post credentials', () => {
    const preset = musement({ environment: 'sandbox', ...base, legacyLogin: true });
    expect(preset.tokenRequestFormat).toBe('query');
    expect(preset.clientAuthentication).toBe('client_secret_post');
  });

  test('a custom baseURL (trailing slash removed) and extra token headers kept', () => {
    const preset = musement({
      environment: 'sandbox',
      ...base,
      baseURL: 'http://127.0.0.1:9999/api/v3/',
      tokenRequestHeaders: { 'X-Extra': '1' },
    });
    expect(preset.tokenUrl).toBe('http://127.0.0.1:9999/api/v3/login');
    expect(preset.apiOrigins).toEqual(['http://127.0.0.1:9999']);
    expect(preset.tokenRequestHeaders).toEqual({ 'X-Extra': '1', 'X-Musement-Application': 'my-app' });
  });

  test('baseURL alone (no environment) is enough; with both, baseURL wins', () => {
    const preset = musement({ ...base, baseURL: 'http://127.0.0.1:9999/api/v3' });
    expect(preset.tokenUrl).toBe('http://127.0.0.1:9999/api/v3/login');
    expect(preset.baseURL).toBe('http://127.0.0.1:9999/api/v3');
    expect(musement({ environment: 'production', ...base, baseURL: 'http://127.0.0.1:9999/api/v3' })).toEqual(preset);
  });

  test('an unknown option is named, with the nearest known one', () => {
    const error = presetError(() => musement({ environment: 'sandbox', ...base, applicaton: 'x' } as never));
    expect(error.option).toBe('applicaton');
    expect(error.message).toBe(
      'axios-oauth2-bearer: unknown option "applicaton" of musement(); did you mean "application"?',
    );
  });

  test.each<[string, Record<string, unknown>]>([
    ['environment', { environment: 'prod' }],
    ['environment', { environment: undefined }],
    ['environment', { environment: 'prod', baseURL: 'http://127.0.0.1:9999/api/v3' }],
    ['baseURL', { baseURL: 42 }],
    ['clientId', { clientId: undefined }],
    ['clientSecret', { clientSecret: 99887766 }],
    ['application', { application: '' }],
    ['baseURL', { baseURL: 'relative/api' }],
  ])('bad %s → TypeError naming it', (option, change) => {
    const error = presetError(() => musement({ environment: 'sandbox', ...base, ...change } as never));
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).not.toContain('99887766');
  });

  test('end to end: POST JSON login with X-Musement-Application, header on API calls too', async () => {
    const preset = musement({ environment: 'sandbox', ...base });
    const { api, endpoint, calls } = endToEnd(preset);
    expect((await api.get('/activities')).data.authorization).toBe('Bearer tok-1');
    expect(endpoint.calls).toHaveLength(1);
    const call = endpoint.calls[0];
    expect(call.method).toBe('post');
    expect(axios.getUri(call)).toBe('https://sandbox.musement.com/api/v3/login');
    expect(headerOf(call, 'Content-Type')).toBe('application/json');
    expect(headerOf(call, 'X-Musement-Application')).toBe('my-app');
    expect(headerOf(call, 'Authorization')).toBeUndefined();
    expect(JSON.parse(call.data)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'mus-id',
      client_secret: 'mus-secret',
    });
    expect(call.data).toBe('{"grant_type":"client_credentials","client_id":"mus-id","client_secret":"mus-secret"}');
    expect(headerOf(calls[0].config, 'X-Musement-Application')).toBe('my-app');
  });

  test('end to end, legacy login: GET with everything in the query', async () => {
    const preset = musement({ environment: 'production', ...base, legacyLogin: true });
    const { api, endpoint } = endToEnd(preset);
    await api.get('/activities');
    const call = endpoint.calls[0];
    expect(call.method).toBe('get');
    expect(call.data).toBeUndefined();
    expect(headerOf(call, 'X-Musement-Application')).toBe('my-app');
    expect(axios.getUri(call)).toBe(
      'https://api.musement.com/api/v3/login?grant_type=client_credentials&client_id=mus-id&client_secret=mus-secret',
    );
  });

  test('end to end, password grant with refresh tokens (legacy Musement)', async () => {
    let now = 0;
    const preset = musement({
      environment: 'sandbox',
      ...base,
      legacyLogin: true,
      grant: { type: 'password', username: 'u@x.com', password: 'pw' },
      clock: () => now,
      backgroundRefresh: false,
    });
    const { api, endpoint } = endToEnd(preset);
    endpoint.queue.push([200, { access_token: 'a1', token_type: 'bearer', expires_in: 100, refresh_token: 'r1' }]);
    await api.get('/me');
    now = 100_000;
    await api.get('/me');
    expect(endpoint.calls.map((c) => axios.getUri(c).split('?')[1])).toEqual([
      'grant_type=password&username=u%40x.com&password=pw&client_id=mus-id&client_secret=mus-secret',
      'grant_type=refresh_token&refresh_token=r1&client_id=mus-id&client_secret=mus-secret',
    ]);
  });
});
