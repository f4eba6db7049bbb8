import axios, { type InternalAxiosRequestConfig } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2 } from '../../src';
import { DEFAULT_TOKEN_TIMEOUT_MS } from '../../src/token/endpoint-exchange';
import {
  API_BASE,
  CLIENT_ID,
  CLIENT_SECRET,
  TOKEN_URL,
  createCore,
  headerOf,
  mockApi,
  mockTokenEndpoint,
  type ApiCall,
} from '../helpers/harness';

const options = { tokenUrl: TOKEN_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };

describe('token requests', () => {
  test("use the instance's adapter, even a mock installed AFTER attach", async () => {
    const api = axios.create({ baseURL: API_BASE });
    const auth = attachOAuth2(api, options);
    const mock = new MockAdapter(api); // after attach
    const endpoint = mockTokenEndpoint(mock, TOKEN_URL);
    const calls: ApiCall[] = [];
    mockApi(mock, calls, () => true);
    expect(await auth.getAccessToken()).toBe('tok-1');
    expect((await api.get('/x')).data.authorization).toBe('Bearer tok-1');
    expect(endpoint.calls).toHaveLength(1);
  });

  test('follow an adapter swap on the instance at each token request', async () => {
    const core = createCore({ options: { backgroundRefresh: false } });
    expect(await core.auth.getAccessToken()).toBe('tok-1');
    const replacement = new MockAdapter(core.api);
    const other = mockTokenEndpoint(replacement, TOKEN_URL, { prefix: 'other-' });
    core.clock.now += 3600 * 1000;
    expect(await core.auth.getAccessToken()).toBe('other-1');
    expect(core.tokenCalls).toHaveLength(1);
    expect(other.calls).toHaveLength(1);
  });

  test("do not run the instance's interceptors: a user interceptor sees only API requests", async () => {
    const core = createCore();
    const requestSeen: string[] = [];
    const responseSeen: string[] = [];
    core.api.interceptors.request.use((config: InternalAxiosRequestConfig) => {
      requestSeen.push(config.url ?? '');
      config.headers.set('X-User-Interceptor', '1');
      return config;
    });
    core.api.interceptors.response.use((response) => {
      responseSeen.push(response.config.url ?? '');
      return response;
    });
    await core.api.get('/a');
    await core.api.get('/b');
    expect(core.tokenCalls).toHaveLength(1);
    expect(requestSeen).toEqual(['/a', '/b']);
    expect(responseSeen).toEqual(['/a', '/b']);
    expect(headerOf(core.tokenCalls[0], 'X-User-Interceptor')).toBeUndefined();
    expect(headerOf(core.apiCalls[0].config, 'X-User-Interceptor')).toBe('1');
  });

  test("do not carry the instance's default headers or baseURL", async () => {
    const core = createCore();
    core.api.defaults.headers.common['X-Api-Only'] = 'yes';
    await core.api.get('/a');
    expect(headerOf(core.tokenCalls[0], 'X-Api-Only')).toBeUndefined();
    expect(core.tokenCalls[0].baseURL).toBeUndefined();
    expect(headerOf(core.apiCalls[0].config, 'X-Api-Only')).toBe('yes');
  });

  test('apply tokenRequestTimeoutMs', async () => {
    const core = createCore({ options: { tokenRequestTimeoutMs: 2500 } });
    core.api.defaults.timeout = 99_000;
    await core.auth.getAccessToken();
    expect(core.tokenCalls[0].timeout).toBe(2500);
  });

  test("default time-out: the instance's timeout when set, read at each request", async () => {
    const core = createCore({ options: { backgroundRefresh: false } });
    core.api.defaults.timeout = 7000;
    await core.auth.getAccessToken();
    expect(core.tokenCalls[0].timeout).toBe(7000);
  });

  test('default time-out without an instance timeout: 30 000 ms', async () => {
    const core = createCore();
    await core.auth.getAccessToken();
    expect(DEFAULT_TOKEN_TIMEOUT_MS).toBe(30_000);
    expect(core.tokenCalls[0].timeout).toBe(30_000);
  });

  test('a token request that times out is a transient failure, retried', async () => {
    const core = createCore({ options: { tokenRequestTimeoutMs: 1000, retry: { retries: 1, baseDelayMs: 0 } } });
    core.mock.reset();
    const endpoint = mockTokenEndpoint(core.mock, TOKEN_URL);
    endpoint.queue.push((config) => {
      throw Object.assign(new Error(`timeout of ${config.timeout}ms exceeded`), { code: 'ECONNABORTED' });
    });
    expect(await core.auth.getAccessToken()).toBe('tok-1');
    expect(endpoint.calls).toHaveLength(2);
    expect(endpoint.calls.map((c) => c.timeout)).toEqual([1000, 1000]);
  });

  test('follow no redirects (fetch included), read the body as a bounded stream, and skip the plugin', async () => {
    const core = createCore();
    await core.auth.getAccessToken();
    expect(core.tokenCalls[0].maxRedirects).toBe(0);
    expect(core.tokenCalls[0].fetchOptions).toEqual({ redirect: 'manual' });
    expect(core.tokenCalls[0].responseType).toBe('stream');
    expect(core.tokenCalls[0].maxContentLength).toBe(-1);
    expect(core.tokenCalls[0].oauth2).toEqual({ skip: true });
    expect(core.tokenCalls[0].signal).toBeInstanceOf(AbortSignal);
  });

  test('the tokenHttpClient option is used when given (its adapter, its interceptors)', async () => {
    const tokenClient = axios.create();
    const tokenMock = new MockAdapter(tokenClient);
    const endpoint = mockTokenEndpoint(tokenMock, TOKEN_URL, { prefix: 'dedicated-' });
    const seen: string[] = [];
    tokenClient.interceptors.request.use((config) => {
      seen.push(config.url ?? '');
      return config;
    });

    const api = axios.create({ baseURL: API_BASE });
    const apiMock = new MockAdapter(api);
    const instanceEndpoint = mockTokenEndpoint(apiMock, TOKEN_URL, { prefix: 'instance-' });
    const calls: ApiCall[] = [];
    mockApi(apiMock, calls, () => true);
    attachOAuth2(api, { ...options, tokenHttpClient: tokenClient, tokenRequestTimeoutMs: 4321 });

    expect((await api.get('/x')).data.authorization).toBe('Bearer dedicated-1');
    expect(endpoint.calls).toHaveLength(1);
    expect(instanceEndpoint.calls).toHaveLength(0);
    expect(seen).toEqual([TOKEN_URL]);
    expect(endpoint.calls[0].timeout).toBe(4321);
    expect(headerOf(endpoint.calls[0], 'Authorization')).toMatch(/^Basic /);
  });
});
