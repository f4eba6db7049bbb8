import { Readable } from 'node:stream';
import { AxiosError, AxiosHeaders } from 'axios';
import { OAuth2Error, ReplayNotPossibleError, attachOAuth2 } from '../../src';
import {
  MANGOPAY_INVALID_CREDENTIALS,
  createResponseHarness,
  defaultOptions,
  rejectionOf,
  type ApiHit,
} from '../helpers/harness';

/** A harness whose server rejects the first token (tok-1) and accepts the refreshed one (tok-2). */
function rejectingFirstToken() {
  const h = createResponseHarness();
  h.validTokens = new Set(['tok-2']);
  return h;
}

function withoutAuthorization(hit: ApiHit): Record<string, unknown> {
  return Object.fromEntries(Object.entries(hit.headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

describe('replay fidelity: the replay is the same request, byte for byte, with a new token', () => {
  test('same method, URL, params, headers (AxiosHeaders intact, custom headers kept), body and Idempotency-Key', async () => {
    const h = rejectingFirstToken();
    const headers = new AxiosHeaders({
      'Idempotency-Key': 'idem-0123456789abcdef',
      'X-Custom': 'keep-me',
      Accept: 'application/json',
    });
    const body = { AuthorId: '8494514', DebitedFunds: { Currency: 'EUR', Amount: 1200 }, Tag: 'café ☕' };

    const response = await h.api.post('/payins/card/direct', body, { params: { dry: 'no', ids: [1, 2] }, headers });

    expect(response.status).toBe(200);
    expect(h.tokenCalls).toHaveLength(2);
    expect(h.apiHits).toHaveLength(2);
    const [first, replay] = h.apiHits;
    expect(first.token).toBe('tok-1');
    expect(replay.token).toBe('tok-2');
    expect(replay.method).toBe('POST');
    expect(replay.method).toBe(first.method);
    expect(replay.url).toBe('/payins/card/direct');
    expect(replay.url).toBe(first.url);
    expect(replay.config.baseURL).toBe(first.config.baseURL);
    expect(replay.params).toEqual({ dry: 'no', ids: [1, 2] });
    expect(replay.params).toEqual(first.params);
    expect(replay.axiosHeaders).toBe(true);
    expect(first.axiosHeaders).toBe(true);
    expect(withoutAuthorization(replay)).toEqual(withoutAuthorization(first));
    expect(replay.headers['Idempotency-Key']).toBe('idem-0123456789abcdef');
    expect(replay.headers['X-Custom']).toBe('keep-me');
    expect(replay.headers['Content-Type']).toBe('application/json');
    // The JSON body is not encoded twice: the server sees the same string both times.
    expect(typeof first.data).toBe('string');
    expect(first.data).toBe(JSON.stringify(body));
    expect(replay.data).toBe(first.data);
  });

  test('a JSON body is encoded once: a counting transformRequest runs once; the replay sends its output as is', async () => {
    const h = rejectingFirstToken();
    let runs = 0;
    await h.api.put(
      '/users/1',
      { Name: 'Ada' },
      {
        transformRequest: [
          (data: unknown) => {
            runs += 1;
            return `v1:${JSON.stringify(data)}`;
          },
        ],
      },
    );
    expect(runs).toBe(1);
    expect(h.apiHits.map((x) => x.data)).toEqual(['v1:{"Name":"Ada"}', 'v1:{"Name":"Ada"}']);
  });

  test('string, URLSearchParams and Buffer bodies are replayed byte for byte', async () => {
    const h = rejectingFirstToken();
    await h.api.post('/raw', '  {"not":"re-encoded"}  ', { headers: { 'Content-Type': 'text/plain' } });
    const raw = h.apiHits.filter((x) => x.url === '/raw').map((x) => x.data);
    expect(raw).toEqual(['  {"not":"re-encoded"}  ', '  {"not":"re-encoded"}  ']);

    h.validTokens = new Set(['tok-3']);
    await h.api.post('/form', new URLSearchParams({ a: '1', b: 'x y' }));
    const form = h.apiHits.filter((x) => x.url === '/form');
    expect(form.map((x) => x.data)).toEqual(['a=1&b=x+y', 'a=1&b=x+y']);
    expect(form[1].headers['Content-Type']).toBe(form[0].headers['Content-Type']);

    h.validTokens = new Set(['tok-4']);
    const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);
    await h.api.post('/bytes', bytes, { headers: { 'Content-Type': 'application/octet-stream' } });
    const sent = h.apiHits.filter((x) => x.url === '/bytes').map((x) => x.data as Buffer);
    expect(sent).toHaveLength(2);
    expect(Buffer.isBuffer(sent[1])).toBe(true);
    expect(sent[1].equals(bytes)).toBe(true);
    expect(sent[0].equals(sent[1])).toBe(true);
    expect(h.tokenCalls).toHaveLength(4);
  });

  test('a request without a body is replayed without one; the query string in the URL is kept', async () => {
    const h = rejectingFirstToken();
    await h.api.delete('/cards/9?force=true', { headers: { 'X-Request-Id': 'r-1' } });
    const [first, replay] = h.apiHits;
    expect(replay.method).toBe('DELETE');
    expect(replay.url).toBe('/cards/9?force=true');
    expect(replay.data).toBe(first.data);
    expect(replay.data).toBeUndefined();
    expect(replay.headers['X-Request-Id']).toBe('r-1');
  });

  test('a stream body → ReplayNotPossibleError with the 401 as cause, and no replay', async () => {
    const h = rejectingFirstToken();
    const stream = Readable.from([Buffer.from('chunk-1'), Buffer.from('chunk-2')]);

    const error = await rejectionOf(
      h.api.post('/documents/1/pages', stream, { headers: { 'Content-Type': 'application/octet-stream' } }),
    );

    expect(error).toBeInstanceOf(ReplayNotPossibleError);
    expect(error).toBeInstanceOf(OAuth2Error);
    const replayError = error as ReplayNotPossibleError;
    expect(replayError.code).toBe('OAUTH2_REPLAY_NOT_POSSIBLE');
    expect(replayError.name).toBe('ReplayNotPossibleError');
    expect(replayError.message).toMatch(/stream/);
    const cause = (replayError as { cause?: unknown }).cause as AxiosError;
    expect(cause).toBeInstanceOf(AxiosError);
    expect(cause.response?.status).toBe(401);
    expect(cause.response?.data).toEqual(MANGOPAY_INVALID_CREDENTIALS);
    expect(h.apiHits).toHaveLength(1); // no replay
    // The cause does not leak the token through the error.
    expect(JSON.stringify(replayError)).not.toContain('tok-1');
  });

  test('after ReplayNotPossibleError the rejected token is dropped: a retry with a fresh stream succeeds (1 refresh)', async () => {
    const h = createResponseHarness();
    await h.api.get('/warm-up');
    h.validTokens = new Set(['tok-2']);

    const error = await rejectionOf(h.api.post('/upload', Readable.from(['page-1'])));
    expect(error).toBeInstanceOf(ReplayNotPossibleError);

    const retried = await h.api.post('/upload', Readable.from(['page-1']));
    expect(retried.data.token).toBe('tok-2');
    expect(h.apiHits.filter((x) => x.url === '/upload').map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
    expect(h.tokenCalls).toHaveLength(2); // warm-up + exactly 1 refresh
  });
});

describe('the replay and the instance interceptors', () => {
  test('a response interceptor registered after the plugin processes the replayed response exactly once', async () => {
    const h = rejectingFirstToken();
    let runs = 0;
    h.api.interceptors.response.use((response) => {
      runs += 1;
      return { ...response, data: { wrapped: response.data as unknown } };
    });

    const response = await h.api.get('/users/1');

    expect(runs).toBe(1);
    expect(response.data).toEqual({ wrapped: expect.objectContaining({ token: 'tok-2' }) });
    expect(h.apiHits.map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
  });

  test('a response interceptor registered before the plugin sees the 401, then the replayed response, once each', async () => {
    const h = createResponseHarness({ noAttach: true });
    const seen: string[] = [];
    h.api.interceptors.response.use(
      (response) => {
        seen.push(`ok ${response.status}`);
        return response;
      },
      (error: AxiosError) => {
        seen.push(`error ${error.response?.status}`);
        return Promise.reject(error);
      },
    );
    h.auth = attachOAuth2(h.api, defaultOptions());
    h.validTokens = new Set(['tok-2']);

    const response = await h.api.get('/users/1');

    expect(response.data.token).toBe('tok-2');
    expect(seen).toEqual(['error 401', 'ok 200']);
    expect(h.tokenCalls).toHaveLength(2);
  });

  test("a bearer put in after the plugin's (by an interceptor that runs later) is not the plugin's: its 401 is not replayed", async () => {
    const h = createResponseHarness({ noAttach: true });
    h.api.interceptors.request.use((config) => {
      if (config.url === '/own') config.headers.set('Authorization', 'Bearer caller-token');
      return config;
    });
    h.auth = attachOAuth2(h.api, defaultOptions());
    await h.api.get('/warm-up');

    const error = await rejectionOf(h.api.get('/own'));

    expect((error as AxiosError).response?.status).toBe(401);
    expect(h.apiHits.map((x) => x.token)).toEqual(['tok-1', 'caller-token']);
    expect(h.tokenCalls).toHaveLength(1);
  });

  test('request interceptors are not run again: the replay keeps the headers they set on the first attempt', async () => {
    const h = rejectingFirstToken();
    let runs = 0;
    h.api.interceptors.request.use((config) => {
      runs += 1;
      config.headers.set('X-Request-Id', `req-${runs}`);
      return config;
    });

    await h.api.post('/payins', { Amount: 1 });

    expect(runs).toBe(1);
    expect(h.apiHits.map((x) => [x.token, x.headers['X-Request-Id']])).toEqual([
      ['tok-1', 'req-1'],
      ['tok-2', 'req-1'],
    ]);
  });

  test('a replay answered 401 reaches a later response interceptor once, with the bearer redacted', async () => {
    const h = createResponseHarness();
    h.validTokens = new Set<string>();
    const seen: unknown[] = [];
    h.api.interceptors.response.use(undefined, (error: unknown) => {
      seen.push(error);
      return Promise.reject(error instanceof Error ? error : new Error('non-error rejection'));
    });

    const error = await rejectionOf(h.api.get('/users/1'));

    expect(seen).toEqual([error]);
    expect((error as AxiosError).response?.status).toBe(401);
    expect((error as AxiosError).config?.headers.Authorization).toBe('Bearer [redacted]');
    expect(h.tokenCalls).toHaveLength(2);
    expect(JSON.stringify(error)).not.toMatch(/tok-[12]/);
  });
});
