import { attachOAuth2, OAuth2Error, OAuth2OptionsError } from '../../src';
import { CLIENT_ID, CLIENT_SECRET, TOKEN_URL, countInterceptors, createCore } from '../helpers/harness';

const options = { tokenUrl: TOKEN_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };

describe('detach()', () => {
  test('attach adds two request interceptors (cached / fetching, one runs per request) and one response interceptor', () => {
    const core = createCore();
    expect(countInterceptors(core.api)).toEqual({ request: 2, response: 1 });
  });

  test('after detach() no interceptor remains and requests go out without a bearer', async () => {
    const core = createCore();
    expect((await core.api.get('/a')).data.authorization).toBe('Bearer tok-1');
    core.auth.detach();
    expect(countInterceptors(core.api)).toEqual({ request: 0, response: 0 });
    expect((await core.api.get('/b')).data.authorization).toBeNull();
    expect(core.apiCalls.map((c) => c.authorization)).toEqual(['Bearer tok-1', undefined]);
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('after detach() a 401 is not refreshed nor replayed, even for a request the plugin had authorized', async () => {
    const core = createCore();
    const first = await core.api.get('/a');
    expect(first.data.authorization).toBe('Bearer tok-1');
    core.auth.detach();
    core.validTokens = new Set();
    // A re-send of a config the plugin authorized (what a retry library does): its bearer is the
    // plugin's, so only the ejected response interceptor keeps it from being refreshed and replayed.
    const resent = await core.api.request(first.config).catch((e: unknown) => e);
    expect((resent as { response?: { status: number } }).response?.status).toBe(401);
    // The caller's own header after detach: answered as is, too.
    const own = await core.api.get('/x', { headers: { Authorization: 'Bearer old' } }).catch((e: unknown) => e);
    expect((own as { response?: { status: number } }).response?.status).toBe(401);
    expect(core.apiCalls.map((c) => `${c.url} ${c.authorization}`)).toEqual([
      '/a Bearer tok-1',
      '/a Bearer tok-1',
      '/x Bearer old',
    ]);
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('detach() leaves the user’s own interceptors in place', async () => {
    const core = createCore();
    const seen: string[] = [];
    core.api.interceptors.request.use((config) => {
      seen.push(config.url ?? '');
      return config;
    });
    core.auth.detach();
    expect(countInterceptors(core.api)).toEqual({ request: 1, response: 0 });
    await core.api.get('/mine');
    expect(seen).toEqual(['/mine']);
  });

  test('detach() is idempotent', () => {
    const core = createCore();
    core.auth.detach();
    expect(() => core.auth.detach()).not.toThrow();
    core.auth.detach();
    expect(countInterceptors(core.api)).toEqual({ request: 0, response: 0 });
  });

  test('a second detach() of an old handle does not remove a newer attachment', async () => {
    const core = createCore();
    core.auth.detach();
    const second = attachOAuth2(core.api, { ...options, clock: () => core.clock.now });
    core.auth.detach();
    expect(countInterceptors(core.api)).toEqual({ request: 2, response: 1 });
    expect((await core.api.get('/x')).data.authorization).toBe('Bearer tok-1');
    second.detach();
    expect(countInterceptors(core.api)).toEqual({ request: 0, response: 0 });
  });

  test('attaching twice to one instance for the same origin throws (a TypeError, instanceof OAuth2Error) and changes nothing', () => {
    const core = createCore();
    let error: unknown;
    try {
      attachOAuth2(core.api, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect((error as OAuth2OptionsError).code).toBe('OAUTH2_INVALID_OPTIONS');
    expect((error as OAuth2OptionsError).option).toBe('apiOrigins');
    expect((error as Error).message).toMatch(/already has the plugin attached/);
    expect(countInterceptors(core.api)).toEqual({ request: 2, response: 1 });
  });

  test('attach after detach works (with a fresh cache)', async () => {
    const core = createCore();
    expect((await core.api.get('/a')).data.authorization).toBe('Bearer tok-1');
    core.auth.detach();
    const again = attachOAuth2(core.api, { ...options, clock: () => core.clock.now });
    expect(countInterceptors(core.api)).toEqual({ request: 2, response: 1 });
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-2');
    expect(await again.getAccessToken()).toBe('tok-2');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('the attached marker is not enumerable (does not leak into copies of the instance)', () => {
    const core = createCore();
    const marker = Symbol.for('axios-oauth2-bearer.attachments');
    // The marker is there (so the assertions below look at the right property) but hidden.
    expect(Object.getOwnPropertySymbols(core.api)).toContain(marker);
    expect(Object.getOwnPropertyDescriptor(core.api, marker)?.enumerable).toBe(false);
    expect(Object.keys(core.api).filter((key) => /oauth2/i.test(key))).toEqual([]);
    expect(Object.getOwnPropertySymbols({ ...core.api })).toEqual([]);
    expect(Object.getOwnPropertySymbols(Object.assign({}, core.api))).toEqual([]);
  });
});

describe('the request path axios takes', () => {
  /** An adapter that records whether it was called in the same tick as `request()` (axios's synchronous path). */
  function probe(core: ReturnType<typeof createCore>) {
    const original = core.api.defaults.adapter;
    let inTick = false;
    const ticks: boolean[] = [];
    core.api.defaults.adapter = (config) => {
      ticks.push(inTick);
      return (original as (c: typeof config) => Promise<never>)(config);
    };
    return async (url: string) => {
      inTick = true;
      const pending = core.api.get(url);
      inTick = false;
      const response = await pending;
      return { sync: ticks[ticks.length - 1], authorization: response.data.authorization as string };
    };
  }

  test('with a cached token the request is dispatched synchronously, bearer injected', async () => {
    const core = createCore();
    const get = probe(core);
    expect(await get('/cold')).toEqual({ sync: false, authorization: 'Bearer tok-1' }); // waited for the fetch
    expect(await get('/warm')).toEqual({ sync: true, authorization: 'Bearer tok-1' });
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('an asynchronous interceptor of the caller keeps the bearer injected (the promise path)', async () => {
    const core = createCore();
    core.api.interceptors.request.use(async (config) => config);
    const get = probe(core);
    await get('/cold');
    expect(await get('/warm')).toEqual({ sync: false, authorization: 'Bearer tok-1' });
  });

  test('a token invalidated between the choice and the injection: the one seen cached is still sent', async () => {
    const core = createCore();
    await core.auth.getAccessToken();
    core.api.interceptors.request.use(async (config) => {
      await core.auth.invalidate();
      return config;
    });
    expect((await core.api.get('/x')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
  });
});
