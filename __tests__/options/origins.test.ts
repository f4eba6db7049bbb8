import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2 } from '../../src';
import {
  API_ORIGIN,
  CLIENT_ID,
  CLIENT_SECRET,
  TOKEN_URL,
  createCore,
  headerOf,
  mockApi,
  mockTokenEndpoint,
  type ApiCall,
} from '../helpers/harness';

describe('who receives the bearer', () => {
  test('a relative URL on the baseURL origin gets it', async () => {
    const core = createCore();
    expect((await core.api.get('/users')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('a cross-origin absolute URL gets no bearer and causes no token fetch', async () => {
    const core = createCore();
    const response = await core.api.get('https://evil.example/steal');
    expect(response.data.authorization).toBeNull();
    expect(core.apiCalls[0].url).toBe('https://evil.example/steal');
    expect(core.apiCalls[0].authorization).toBeUndefined();
    expect(core.tokenCalls).toHaveLength(0);
  });

  test.each([
    'http://api.example.com/v2.01/x', // same host, other scheme
    'https://api.example.com:8443/x', // same host, other port
    'https://api.example.com.evil.example/x',
    'https://evil.example/https://api.example.com/x',
    'https://api.example.com@evil.example/x',
    'HTTPS://EVIL.EXAMPLE/x',
  ])('%s gets no bearer', async (url) => {
    const core = createCore();
    await core.api.get(url);
    expect(core.apiCalls[0].authorization).toBeUndefined();
    expect(core.tokenCalls).toHaveLength(0);
  });

  test('a protocol-relative //evil.example/x gets none', async () => {
    const core = createCore();
    await core.api.get('//evil.example/x');
    expect(core.apiCalls).toHaveLength(1);
    expect(core.apiCalls[0].url).toBe('//evil.example/x');
    expect(core.apiCalls[0].authorization).toBeUndefined();
    expect(core.tokenCalls).toHaveLength(0);
  });

  test('an absolute URL on the API origin (explicit default port, upper case) gets it', async () => {
    const core = createCore();
    await core.api.get('https://api.example.com/v2.01/client-1/users');
    await core.api.get('https://API.EXAMPLE.COM:443/other');
    expect(core.apiCalls.map((c) => c.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });

  test('Mangopay /V3.0/ paths on the same origin get it', async () => {
    const core = createCore();
    await core.api.get('https://api.example.com/V3.0/client-1/payins');
    await core.api.get('/V3.0/client-1/payins', { baseURL: 'https://api.example.com' });
    expect(core.apiCalls.map((c) => c.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });

  test('a per-request baseURL on another origin gets none', async () => {
    const core = createCore();
    await core.api.get('/x', { baseURL: 'https://evil.example/api' });
    expect(core.apiCalls[0].authorization).toBeUndefined();
    expect(core.tokenCalls).toHaveLength(0);
  });

  test('allowAbsoluteUrls: false → the baseURL origin decides', async () => {
    const core = createCore();
    await core.api.get('https://evil.example/x', { allowAbsoluteUrls: false });
    expect(core.apiCalls[0].authorization).toBe('Bearer tok-1');
  });
});

describe('apiOrigins', () => {
  test('only the listed origins get the bearer (the baseURL origin is not added)', async () => {
    const core = createCore({
      options: { apiOrigins: ['https://one.example', 'https://two.example:8443/ignored/path'] },
    });
    await core.api.get('https://one.example/a');
    await core.api.get('https://two.example:8443/b');
    await core.api.get('https://two.example/c');
    await core.api.get('/d'); // baseURL origin, not listed
    expect(core.apiCalls.map((c) => c.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', undefined, undefined]);
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('default = the baseURL origin', async () => {
    const core = createCore({ baseURL: 'https://other-api.example/base/' });
    await core.api.get('/a');
    await core.api.get(`${API_ORIGIN}/b`);
    expect(core.apiCalls.map((c) => c.authorization)).toEqual(['Bearer tok-1', undefined]);
  });

  test('default without a baseURL = the tokenUrl origin', async () => {
    const core = createCore({ baseURL: null });
    await core.api.get('https://auth.example.com/api/me');
    await core.api.get(`${API_ORIGIN}/b`);
    expect(core.apiCalls.map((c) => c.authorization)).toEqual(['Bearer tok-1', undefined]);
  });

  test('default with a relative baseURL = the tokenUrl origin', async () => {
    const api = axios.create({ baseURL: '/relative' });
    const mock = new MockAdapter(api);
    const endpoint = mockTokenEndpoint(mock, TOKEN_URL);
    const calls: ApiCall[] = [];
    mockApi(mock, calls, () => true);
    attachOAuth2(api, { tokenUrl: TOKEN_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await api.get('https://auth.example.com/me');
    await api.get('/x');
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer tok-1', undefined]);
    expect(endpoint.calls).toHaveLength(1);
  });

  test('the default is read at attach time: a later baseURL change does not widen it', async () => {
    const core = createCore();
    core.api.defaults.baseURL = 'https://elsewhere.example';
    await core.api.get('/x');
    expect(core.apiCalls[0].authorization).toBeUndefined();
    expect(core.tokenCalls).toHaveLength(0);
  });
});

describe('opt-outs', () => {
  test('{ oauth2: { skip: true } } sends no bearer and fetches no token', async () => {
    const core = createCore();
    const response = await core.api.get('/public', { oauth2: { skip: true } });
    expect(response.data.authorization).toBeNull();
    expect(core.tokenCalls).toHaveLength(0);
    // The next request without skip gets it.
    expect((await core.api.get('/private')).data.authorization).toBe('Bearer tok-1');
  });

  test('an explicit caller Authorization header is left alone (no token fetch)', async () => {
    const core = createCore();
    core.validTokens = new Set(['mine']);
    await core.api.get('/x', { headers: { Authorization: 'Bearer mine' } });
    await core.api.get('/y', { headers: { authorization: 'Basic abc' } });
    expect(core.apiCalls.map((c) => c.authorization)).toEqual(['Bearer mine', 'Basic abc']);
    expect(core.tokenCalls).toHaveLength(0);
  });

  test('a caller Authorization header that the API rejects is not replaced nor replayed', async () => {
    const core = createCore();
    core.validTokens = new Set(['tok-1']);
    const error = await core.api.get('/x', { headers: { Authorization: 'Bearer stale' } }).catch((e: unknown) => e);
    expect(axios.isAxiosError(error) && error.response?.status).toBe(401);
    expect(core.apiCalls).toHaveLength(1);
    expect(core.tokenCalls).toHaveLength(0);
    expect(headerOf(core.apiCalls[0].config, 'Authorization')).toBe('Bearer stale');
  });
});
