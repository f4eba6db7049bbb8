/**
 * The response side (src/interceptors/response-interceptor.ts) without a sender constraint: what the
 * rejection breaker is told of a replay's outcome (seen through `onRejectionStormOpened`: a token
 * and its replacement rejected in a row open it), replays that fail without an answer, errors the
 * plugin did not cause, and the secret-free answer of a request that cannot be replayed.
 */
import { Readable } from 'node:stream';
import { AxiosError, type AxiosResponse } from 'axios';
import { ReplayNotPossibleError, attachOAuth2, isTokenRejected, type RejectionStormEvent } from '../../src';
import {
  MANGOPAY_INVALID_CREDENTIALS,
  createResponseHarness,
  defaultOptions,
  type ApiHit,
  type ResponseHarness,
} from '../helpers/harness';

const NOT_AUTHORIZED = { Message: 'not allowed for this client', Type: 'not_authorized' };

function harness(options: Parameters<typeof createResponseHarness>[0] = {}) {
  const opened: RejectionStormEvent[] = [];
  const h = createResponseHarness({
    ...options,
    options: { hooks: { onRejectionStormOpened: (event) => opened.push(event) }, ...options.options },
  });
  return { h, opened };
}

/** Answers the API's hits in order with `replies` (then 200). */
function scriptApi(h: ResponseHarness, ...replies: Array<(hit: ApiHit) => [number, unknown] | never>) {
  h.apiReply = (hit) => replies.shift()?.(hit) ?? [200, { token: hit.token }];
}

const rejected = (): [number, unknown] => [401, MANGOPAY_INVALID_CREDENTIALS];
/** A network failure as axios's http adapter reports it: no response, the request's config. */
const networkError = (hit: ApiHit) => {
  throw new AxiosError('Network Error', AxiosError.ERR_NETWORK, hit.config);
};

describe('the rejection breaker hears of the replay', () => {
  test('a token and its replacement both rejected by one request: the replay’s 401 opens the cool-down', async () => {
    const { h, opened } = harness();
    h.validTokens = new Set();
    const error = (await h.api.get('/x').catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(h.apiHits.map((hit) => hit.token)).toEqual(['tok-1', 'tok-2']);
    expect(opened).toEqual([expect.objectContaining({ status: 401, consecutive: 1 })]);
  });

  test('a replay answered 401 that is no token rejection (Mangopay not_authorized) is not counted', async () => {
    const { h, opened } = harness();
    scriptApi(h, rejected, () => [401, NOT_AUTHORIZED]);
    const error = (await h.api.get('/x').catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.data).toEqual(NOT_AUTHORIZED);
    expect(h.tokenCalls).toHaveLength(2);
    expect(opened).toEqual([]);
  });

  test('a custom isTokenRejected that accepts a 403: a replay answered 403 is still not counted (only a 401 is)', async () => {
    const { h, opened } = harness({
      options: { isTokenRejected: (e) => e.response?.status === 403 || isTokenRejected(e) },
    });
    scriptApi(h, rejected, () => [403, NOT_AUTHORIZED]);
    const error = (await h.api.get('/x').catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(403);
    expect(opened).toEqual([]);
  });

  describe('with 4xx accepted by validateStatus (the replay resolves)', () => {
    const acceptsClientErrors = (status: number) => status < 500;

    test('a replay answered 401 rejecting the new token opens the cool-down with that status', async () => {
      const { h, opened } = harness();
      h.api.defaults.validateStatus = acceptsClientErrors;
      h.validTokens = new Set();
      const response: AxiosResponse = await h.api.get('/x');
      expect(response.status).toBe(401);
      expect(h.apiHits.map((hit) => hit.token)).toEqual(['tok-1', 'tok-2']);
      expect(opened).toEqual([expect.objectContaining({ status: 401, consecutive: 1 })]);
    });

    test('a replay answered 401 not_authorized is returned and not counted', async () => {
      const { h, opened } = harness();
      h.api.defaults.validateStatus = acceptsClientErrors;
      scriptApi(h, rejected, () => [401, NOT_AUTHORIZED]);
      const response: AxiosResponse = await h.api.get('/x');
      expect(response.data).toEqual(NOT_AUTHORIZED);
      expect(opened).toEqual([]);
    });
  });
});

describe('failures without an answer', () => {
  test('a replay that fails with a network error: the caller gets that AxiosError', async () => {
    const { h } = harness();
    scriptApi(h, rejected, networkError);
    const error = await h.api.get('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect(error).toMatchObject({ code: AxiosError.ERR_NETWORK, message: 'Network Error' });
    expect(h.tokenCalls).toHaveLength(2);
  });

  test('a custom isTokenRejected that accepts a network error: the token is renewed and the request replayed once', async () => {
    const { h } = harness({
      options: { isTokenRejected: (e) => e.code === AxiosError.ERR_NETWORK || isTokenRejected(e) },
    });
    scriptApi(h, networkError);
    const response = await h.api.get('/x');
    expect(response.data).toEqual({ token: 'tok-2' });
    expect(h.apiHits.map((hit) => hit.token)).toEqual(['tok-1', 'tok-2']);
  });

  test('an AxiosError without a config (thrown by another request interceptor) passes through untouched', async () => {
    const { h } = harness();
    const own = new AxiosError('refused by the caller’s interceptor');
    h.api.interceptors.request.use(() => Promise.reject(own));
    await expect(h.api.get('/x')).rejects.toBe(own);
    expect(h.apiHits).toEqual([]);
  });
});

test('a stream body answered 401 with the token echoed: ReplayNotPossibleError shows the answer without the token', async () => {
  const { h } = harness();
  h.apiReply = (hit) => [401, { ...MANGOPAY_INVALID_CREDENTIALS, Message: `token ${hit.token} is not valid` }];
  const error = await h.api.post('/upload', Readable.from(['chunk'])).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ReplayNotPossibleError);
  const { response } = error as ReplayNotPossibleError & { response: { status: number; data: { Message: string } } };
  expect(response.status).toBe(401);
  expect(response.data.Message).toMatch(/^token .+ is not valid$/);
  expect(JSON.stringify(response)).not.toContain('tok-1');
  expect(h.apiHits).toHaveLength(1);
});

test('a replay’s failure turned into an error of its own by an interceptor before the plugin’s: left as that interceptor made it', async () => {
  class SdkError extends Error {
    constructor(readonly status: number | undefined) {
      super('the SDK’s own error');
    }
  }
  const h = createResponseHarness({ noAttach: true });
  // Registered before the plugin: an SDK turning server errors into its own class (401s pass).
  h.api.interceptors.response.use(undefined, (error: AxiosError) =>
    Promise.reject(error.response?.status === 500 ? new SdkError(500) : error),
  );
  attachOAuth2(h.api, defaultOptions());
  scriptApi(h, rejected, () => [500, { Message: 'boom' }]);
  const error = await h.api.get('/x').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SdkError);
  expect(Object.getOwnPropertyNames(error)).not.toContain('toJSON');
  expect(JSON.stringify(error)).toBe('{"status":500}');
  expect(h.apiHits.map((hit) => hit.token)).toEqual(['tok-1', 'tok-2']);
});
