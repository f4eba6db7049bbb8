/**
 * axios decides which of the plugin's two request interceptors runs (`runWhen`) before it runs any
 * interceptor, so a request interceptor registered after the plugin (axios runs it first) can change
 * the request between that decision and the injection. The plugin checks again what changed: the
 * target, the per-request options. With a token cached (the synchronous path).
 */
import { createCore } from '../helpers/harness';

async function warm() {
  const core = createCore();
  await core.api.get('/warm-up'); // a token is cached: the synchronous interceptor is chosen
  return core;
}

test('an interceptor that re-targets the request to another origin: no bearer goes there', async () => {
  const core = await warm();
  core.api.interceptors.request.use((config) => ({ ...config, url: 'https://elsewhere.example.net/x' }));
  await core.api.get('/users');
  expect(core.apiCalls.map((c) => [c.url, c.authorization])).toEqual([
    ['/warm-up', 'Bearer tok-1'],
    ['https://elsewhere.example.net/x', undefined],
  ]);
});

test('an interceptor that re-targets the same config object to another origin: no bearer goes there', async () => {
  const core = await warm();
  core.api.interceptors.request.use((config) => {
    config.url = 'https://elsewhere.example.net/y';
    return config;
  });
  await core.api.get('/users');
  expect(core.apiCalls[1]).toMatchObject({ url: 'https://elsewhere.example.net/y', authorization: undefined });
});

test('an interceptor that re-targets the same config object through its baseURL: no bearer goes there', async () => {
  const core = await warm();
  core.api.interceptors.request.use((config) => {
    config.baseURL = 'https://elsewhere.example.net';
    return config;
  });
  await core.api.get('/users');
  expect(core.apiCalls[1]).toMatchObject({ url: '/users', authorization: undefined });
  expect(core.apiCalls[1].config.baseURL).toBe('https://elsewhere.example.net');
});

test('an interceptor that sets oauth2.skip: no bearer', async () => {
  const core = await warm();
  core.api.interceptors.request.use((config) => {
    config.oauth2 = { skip: true };
    return config;
  });
  await core.api.get('/users');
  expect(core.apiCalls[1]).toMatchObject({ url: '/users', authorization: undefined });
});

test('an interceptor that leaves the target alone: the cached bearer, no second token call', async () => {
  const core = await warm();
  core.api.interceptors.request.use((config) => {
    config.headers.set('X-Trace', 't-1');
    return config;
  });
  await core.api.get('/users');
  expect(core.apiCalls[1]).toMatchObject({ url: '/users', authorization: 'Bearer tok-1' });
  expect(core.tokenCalls).toHaveLength(1);
});
