/**
 * A `validateStatus` that accepts 4xx (src/interceptors/resolved-rejection.ts): a token-rejection
 * 401 arrives as a response, yet the token is renewed; when the request cannot be replayed, or the
 * renewal fails, the caller sees what it would have seen without the plugin, or the renewal's error.
 */
import { Readable } from 'node:stream';
import { TokenEndpointError } from '../../src';
import { createCore } from '../helpers/harness';

const acceptsClientErrors = (status: number) => status < 500;

test('a stream body answered 401 with 4xx accepted: the 401 response comes back (not ReplayNotPossibleError), and the token is renewed for the next request', async () => {
  const core = createCore();
  core.api.defaults.validateStatus = acceptsClientErrors;
  await core.api.get('/warm-up');
  core.validTokens = new Set(['tok-2']);
  const response = await core.api.post('/upload', Readable.from(['chunk']));
  expect(response.status).toBe(401);
  expect((await core.api.get('/next')).data.authorization).toBe('Bearer tok-2');
  expect(core.tokenCalls).toHaveLength(2);
  expect(core.apiCalls.map((c) => `${c.url} ${c.authorization}`)).toEqual([
    '/warm-up Bearer tok-1',
    '/upload Bearer tok-1',
    '/next Bearer tok-2',
  ]);
});

test('a token-rejection 401 with 4xx accepted whose renewal fails: the request rejects with the renewal’s TokenEndpointError', async () => {
  const core = createCore();
  core.api.defaults.validateStatus = acceptsClientErrors;
  await core.api.get('/warm-up');
  core.validTokens = new Set();
  core.tokenQueue.push([400, { error: 'invalid_client' }]);
  const error = await core.api.get('/x').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TokenEndpointError);
  expect(error).toMatchObject({ error: 'invalid_client', status: 400 });
  expect(core.tokenCalls).toHaveLength(2);
});

test('a custom isTokenRejected sees the resolved 401 as the same error it gets on the rejected side (message, status)', async () => {
  const seen: Array<[string, number | undefined]> = [];
  const core = createCore({
    options: {
      isTokenRejected: (error) => (seen.push([error.message, error.response?.status]), false),
    },
  });
  core.validTokens = new Set();
  await core.api.get('/rejected-side').catch(() => undefined);
  core.api.defaults.validateStatus = acceptsClientErrors;
  expect((await core.api.get('/resolved-side')).status).toBe(401);
  expect(seen).toHaveLength(2);
  expect(seen[1]).toEqual(seen[0]);
  expect(seen[0]).toEqual(['Request failed with status code 401', 401]);
  expect(core.tokenCalls).toHaveLength(1);
});
