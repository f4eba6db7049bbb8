/**
 * Errors of the token path that fail an API request are shaped like axios errors: a secret-free
 * `response` (what the token endpoint, or for the rejection breaker the API, answered), the request's
 * `config` (safe view), `isAxiosError: true`; one copy per request, the shared error untouched.
 */
import { inspect } from 'node:util';
import axios from 'axios';
import axios17 from 'axios-1.7';
import {
  AccountLockedError,
  DetachedError,
  InvalidTokenResponseError,
  OAuth2Error,
  ReplayNotPossibleError,
  TokenEndpointError,
  TokenRejectedError,
} from '../../src';
import {
  CLIENT_SECRET,
  createResponseHarness,
  deferred,
  MANGOPAY_INVALID_CREDENTIALS,
  oauthError,
  rejectionOf,
  waitFor,
} from '../helpers/harness';

type Shaped = OAuth2Error & {
  response: { status: number; statusText: string; headers: Record<string, string>; data: unknown };
  config: { url?: string; method?: string; headers?: unknown };
  isAxiosError: boolean;
};

const BASIC = Buffer.from(`client-id:${CLIENT_SECRET}`).toString('base64');

function expectSafe(error: unknown, secrets: string[]): void {
  const e = error as Shaped;
  const views = [
    JSON.stringify(e),
    inspect(e, { depth: Infinity }),
    JSON.stringify(e.config),
    inspect(e.config, { depth: Infinity }),
    JSON.stringify(e.response),
    inspect(e.response, { depth: Infinity }),
  ].join('\n');
  for (const secret of secrets) expect(views).not.toContain(secret);
}

describe('a token-endpoint failure fails each waiting request with an axios-shaped copy', () => {
  test('TokenEndpointError: response = the token endpoint’s answer (no Set-Cookie), config = the request’s, isAxiosError', async () => {
    const h = createResponseHarness({ options: { retry: { retries: 0 } } });
    h.tokenReplies.push([
      401,
      oauthError('invalid_client', 'Client authentication failed'),
      { 'set-cookie': 'session=SECRET-COOKIE', 'x-request-id': 'req-1', 'content-type': 'application/json' },
    ]);
    const shared = h.auth.getAccessToken().catch((e: unknown) => e);
    const errors = (await Promise.all(
      ['/users/1?q=1', '/users/2', '/users/3'].map((url) =>
        rejectionOf(h.api.get(url, { headers: { 'X-Caller': 'yes' } })),
      ),
    )) as Shaped[];
    expect(h.tokenCalls).toHaveLength(1);
    for (const [i, error] of errors.entries()) {
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toBeInstanceOf(OAuth2Error);
      expect(error).toBeInstanceOf(Error);
      expect(Object.prototype.toString.call(error)).toBe('[object Error]');
      expect(error).toMatchObject({ code: 'OAUTH2_TOKEN_ENDPOINT_ERROR', error: 'invalid_client', status: 401 });
      expect(axios.isAxiosError(error)).toBe(true);
      expect(axios17.isAxiosError(error)).toBe(true);
      expect(error.response).toEqual({
        status: 401,
        statusText: expect.any(String) as string,
        headers: { 'x-request-id': 'req-1', 'content-type': 'application/json' },
        data: { error: 'invalid_client', error_description: 'Client authentication failed' },
      });
      expect(error.config.url).toBe(['/users/1?q=1', '/users/2', '/users/3'][i]);
      expect(error.config.method).toBe('get');
      expect(error.stack).toContain('TokenEndpointError');
      // The JSON of the error is what it was: the plugin's fields, none of the three additions.
      expect(Object.keys(JSON.parse(JSON.stringify(error)) as object).sort()).toEqual(
        ['attempts', 'code', 'error', 'errorDescription', 'message', 'name', 'status', 'transient'].sort(),
      );
      expectSafe(error, ['SECRET-COOKIE', CLIENT_SECRET, BASIC]);
    }
    // One copy per request, the shared error (getAccessToken's) untouched: no config on it.
    expect(new Set(errors).size).toBe(3);
    const original = (await shared) as Shaped;
    expect(original).toBeInstanceOf(TokenEndpointError);
    expect(errors).not.toContain(original);
    expect(original.config).toBeUndefined();
    expect(original.isAxiosError).toBeUndefined();
    expect(original.response).toEqual(errors[0].response);
  });

  test('no server answered (network failure): response status 0, the plugin’s code and message as data', async () => {
    const h = createResponseHarness({ options: { retry: { retries: 0 } } });
    h.tokenReplies.push('network');
    const error = (await rejectionOf(h.api.get('/users/1'))) as Shaped;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.response).toEqual({
      status: 0,
      statusText: '',
      headers: {},
      data: { error: 'OAUTH2_TOKEN_ENDPOINT_ERROR', error_description: error.message },
    });
    expect(error.isAxiosError).toBe(true);
    // The cause is shared, not copied.
    expect((error.cause as Error).message).toBe('Network Error');
  });

  test('InvalidTokenResponseError: response = the 2xx that was not a token (token fields masked)', async () => {
    const h = createResponseHarness();
    h.tokenReplies.push([200, { access_token: 'LEAKED-TOKEN', token_type: 'mac' }]);
    const error = (await rejectionOf(h.api.get('/users/1'))) as Shaped;
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(error.response).toMatchObject({ status: 200, data: { access_token: '[redacted]', token_type: 'mac' } });
    expect(error.config.url).toBe('/users/1');
    expectSafe(error, ['LEAKED-TOKEN']);
  });

  test('DetachedError: response status 0, the request’s config', async () => {
    const h = createResponseHarness();
    const held = deferred<[number, unknown]>();
    h.tokenReplies.push(() => held.promise);
    const pending = rejectionOf(h.api.get('/users/1'));
    await waitFor(() => h.tokenCalls.length === 1);
    h.auth.detach();
    const error = (await pending) as Shaped;
    expect(error).toBeInstanceOf(DetachedError);
    expect(error.response).toMatchObject({ status: 0, data: { error: 'OAUTH2_DETACHED' } });
    expect(error.config.url).toBe('/users/1');
    held.resolve([500, {}]);
  });
});

describe('lockout: the answer that opened the cool-down', () => {
  test('AccountLockedError carries it, on the request that met the lockout and on every request during the cool-down', async () => {
    const h = createResponseHarness();
    h.tokenReplies.push([
      400,
      oauthError('unauthorized_client', 'This account has been temporarily locked'),
      { 'retry-after': '60' },
    ]);
    const first = (await rejectionOf(h.api.get('/users/1'))) as Shaped;
    const later = (await rejectionOf(h.api.post('/payins', { Amount: 1 }))) as Shaped;
    expect(h.tokenCalls).toHaveLength(1);
    for (const error of [first, later]) {
      expect(error).toBeInstanceOf(AccountLockedError);
      expect(error.response).toEqual({
        status: 400,
        statusText: expect.any(String) as string,
        headers: { 'retry-after': '60' },
        data: { error: 'unauthorized_client', error_description: 'This account has been temporarily locked' },
      });
      expect(error.isAxiosError).toBe(true);
    }
    expect(first.config.url).toBe('/users/1');
    expect(later.config.url).toBe('/payins');
  });
});

describe('the rejection breaker: the API’s 401', () => {
  test('TokenRejectedError carries the API’s 401 (the rejected token scrubbed from its body)', async () => {
    const h = createResponseHarness();
    h.validTokens = new Set();
    h.apiReply = (hit) => [401, { ...MANGOPAY_INVALID_CREDENTIALS, echo: hit.token }, { 'www-authenticate': 'Bearer' }];
    // The first request gets its replay's own 401 (that second early rejection opens the cool-down) …
    const replayed = await rejectionOf(h.api.get('/users/1'));
    expect(axios.isAxiosError(replayed) && !(replayed instanceof OAuth2Error)).toBe(true);
    expect(h.tokenCalls).toHaveLength(2);
    // … every request during the cool-down gets TokenRejectedError, with the API's 401 that opened it.
    for (const url of ['/users/2', '/users/3']) {
      const error = (await rejectionOf(h.api.get(url))) as Shaped;
      expect(error).toBeInstanceOf(TokenRejectedError);
      expect(error.response).toEqual({
        status: 401,
        statusText: expect.any(String) as string,
        headers: { 'www-authenticate': 'Bearer' },
        data: { ...MANGOPAY_INVALID_CREDENTIALS, echo: '[redacted]' },
      });
      expect(error.config.url).toBe(url);
      expect(error.isAxiosError).toBe(true);
      expectSafe(error, ['tok-1', 'tok-2']);
    }
    expect(h.tokenCalls).toHaveLength(2);
  });
});

test('ReplayNotPossibleError (a stream body met a 401) carries the 401 as its response', async () => {
  const { Readable } = await import('node:stream');
  const h = createResponseHarness();
  await h.api.get('/warm');
  h.validTokens = new Set(['tok-2']);
  const error = (await rejectionOf(h.api.post('/upload', Readable.from(['a', 'b'])))) as Shaped;
  expect(error).toBeInstanceOf(ReplayNotPossibleError);
  expect(error.response).toMatchObject({ status: 401, data: MANGOPAY_INVALID_CREDENTIALS });
  expect(error.config.url).toBe('/upload');
  expectSafe(error, ['tok-1']);
});

test('code written for axios errors (an SDK’s catch) reads error.response.data without crashing', async () => {
  const h = createResponseHarness({ options: { retry: { retries: 0 } } });
  h.tokenReplies.push([400, oauthError('invalid_client')]);
  const sdkCall = () =>
    new Promise((resolve, reject) => {
      h.api
        .get('/users/1')
        .then((r) => resolve(r.data))
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the SDK rejects with the body
        .catch((error: { response: { data: unknown } }) => reject(error.response.data))
        // The SDK has no such line: without it, its catch crashing is an unhandled rejection.
        .catch((crash: unknown) => reject(new Error(`the catch crashed: ${String(crash)}`)));
    });
  await expect(sdkCall()).rejects.toEqual({ error: 'invalid_client' });
});
