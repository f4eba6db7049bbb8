/**
 * The one path to the authorization server (`src/http/send.ts`), as a unit with a custom axios
 * adapter standing in for the network (the loopback behaviour is proven in `token-*.test.ts`): the
 * exact request config it sends (no redirects on either adapter, the body unread by axios, every
 * status accepted, the skip marker, the deadline), what each outcome becomes, and a transport error
 * reduced to a scrubbed copy, a missed deadline reported as a time-out.
 */
import { Readable } from 'node:stream';
import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { isRedirect, send, tooLarge, TOO_LARGE, type SendContext, type ServerRequest } from '../../src/http/send';
import { DeadlineExceeded } from '../../src/http/deadline';
import { Secrets } from '../../src/security/secrets';

const SECRET = 'send-unit-client-secret-31';

const request: ServerRequest = {
  method: 'POST',
  url: 'http://as.example/oauth/token',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  data: `grant_type=client_credentials&client_secret=${SECRET}`,
};

function contextWith(adapter: AxiosAdapter, extra: Partial<SendContext> = {}): SendContext {
  return {
    client: axios.create(),
    transport: { inherited: { adapter }, fetchOptions: { keepalive: true, redirect: 'follow' }, timeoutMs: 5_000 },
    maxBytes: 10,
    secrets: new Secrets().add(SECRET),
    ...extra,
  };
}

function answer(status: number, data: unknown, headers: Record<string, string> = {}): AxiosAdapter {
  return (config) => Promise.resolve({ data, status, statusText: `S${status}`, headers, config, request: {} });
}

describe('send: the request it makes', () => {
  it('never follows a redirect, leaves the body to the size cap, accepts every status, skips the plugin', async () => {
    let seen!: InternalAxiosRequestConfig;
    const adapter: AxiosAdapter = (config) => {
      seen = config;
      return answer(200, 'ok')(config);
    };
    await send(request, contextWith(adapter));
    expect(seen.method).toBe('post');
    expect(seen.url).toBe(request.url);
    expect(seen.data).toBe(request.data); // sent as encoded, not transformed
    expect(seen.timeout).toBe(5_000);
    expect(seen.signal).toBeInstanceOf(AbortSignal);
    expect(seen.maxRedirects).toBe(0);
    expect(seen.fetchOptions).toEqual({ keepalive: true, redirect: 'manual' });
    expect(seen.maxContentLength).toBe(-1);
    expect(seen.responseType).toBe('stream');
    expect(seen.validateStatus?.(500)).toBe(true);
    expect(seen.validateStatus?.(302)).toBe(true);
    expect(seen.oauth2).toEqual({ skip: true });
    const body = { already: 'parsed' };
    expect((seen.transformRequest as Array<(data: unknown) => unknown>).map((t) => t(body))).toEqual([body]);
    expect((seen.transformResponse as Array<(data: unknown) => unknown>).map((t) => t('{"a":1}'))).toEqual(['{"a":1}']);
  });

  it('the deadline aborts the request and is cleared once it settled', async () => {
    jest.useFakeTimers();
    try {
      let seen!: AbortSignal;
      const adapter: AxiosAdapter = (config) => {
        seen = config.signal as AbortSignal;
        return answer(200, 'ok')(config);
      };
      await send(request, contextWith(adapter));
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(10_000);
      expect(seen.aborted).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('send: what each outcome becomes', () => {
  it('an answer: the body read up to the cap', async () => {
    const result = await send(request, contextWith(answer(400, Readable.from(['{"e":1}']), { 'x-a': '1' })));
    expect(result).toEqual({
      kind: 'answer',
      status: 400,
      statusText: 'S400',
      headers: expect.anything(),
      body: '{"e":1}',
    });
  });

  it('an answer over the cap, counted or declared', async () => {
    const counted = await send(request, contextWith(answer(200, Readable.from(['12345678901']))));
    expect(counted).toMatchObject({ kind: 'answer', body: TOO_LARGE });
    const stream = Readable.from(['1']);
    const declared = await send(request, contextWith(answer(200, stream, { 'content-length': '11' })));
    expect(declared).toMatchObject({ kind: 'answer', body: TOO_LARGE });
    expect(stream.destroyed).toBe(true);
  });

  it('a declared length at the cap, or unusable, does not make it too large', async () => {
    for (const length of ['10', 'abc', '-1', 'Infinity']) {
      const result = await send(
        request,
        contextWith(answer(200, Readable.from(['short']), { 'content-length': length })),
      );
      expect(result).toMatchObject({ kind: 'answer', body: 'short' });
    }
  });

  it('a redirect: not followed, its body discarded', async () => {
    const stream = Readable.from(['moved']);
    const result = await send(request, contextWith(answer(302, stream, { location: 'http://elsewhere/' })));
    expect(result).toEqual({ kind: 'redirect', status: 302, statusText: 'S302', headers: expect.anything() });
    expect(stream.destroyed).toBe(true);
  });

  it('a transport error: unreachable, a scrubbed copy, not a time-out', async () => {
    const failing: AxiosAdapter = () =>
      Promise.reject(Object.assign(new Error(`connect ECONNREFUSED with ${SECRET}`), { code: 'ECONNREFUSED' }));
    const result = await send(request, contextWith(failing));
    expect(result.kind).toBe('unreachable');
    if (result.kind !== 'unreachable') return;
    expect(result.timedOut).toBe(false);
    expect(result.cause.message).not.toContain(SECRET);
    expect(result.cause.message).toContain('connect ECONNREFUSED');
    expect((result.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(result.cause).not.toHaveProperty('config');
  });

  it('a missed deadline: unreachable, timed out, the deadline error as cause', async () => {
    jest.useFakeTimers();
    try {
      const hanging: AxiosAdapter = (config) =>
        new Promise((_, reject) => config.signal?.addEventListener?.('abort', () => reject(new Error('canceled'))));
      const pending = send(
        request,
        contextWith(hanging, { transport: { inherited: { adapter: hanging }, timeoutMs: 40 } }),
      );
      await jest.advanceTimersByTimeAsync(40);
      const result = await pending;
      expect(result).toMatchObject({ kind: 'unreachable', timedOut: true });
      if (result.kind !== 'unreachable') return;
      expect(result.cause.message).toBe(new DeadlineExceeded(40).message);
      expect((result.cause as { code?: string }).code).toBe('ECONNABORTED');
    } finally {
      jest.useRealTimers();
    }
  });

  it("an abort by the caller's signal: unreachable, not timed out", async () => {
    const controller = new AbortController();
    const hanging: AxiosAdapter = (config) =>
      new Promise((_, reject) =>
        config.signal?.addEventListener?.('abort', () => reject(new Error('canceled by adapter'))),
      );
    const pending = send(request, contextWith(hanging, { signal: controller.signal }));
    controller.abort(new Error('detached'));
    const result = await pending;
    expect(result).toMatchObject({ kind: 'unreachable', timedOut: false });
    if (result.kind !== 'unreachable') return;
    // axios's own cancellation (what was caught), not the signal's reason.
    expect(result.cause.message).toBe('canceled');
    expect((result.cause as { code?: string }).code).toBe('ERR_CANCELED');
  });
});

describe('isRedirect and tooLarge', () => {
  it('a redirect is a 3xx or fetch opaque redirect (0)', () => {
    expect([0, 300, 302, 399].map(isRedirect)).toEqual([true, true, true, true]);
    expect([200, 299, 400, 401, 500].map(isRedirect)).toEqual([false, false, false, false, false]);
  });

  it('tooLarge is the marker only', () => {
    expect(tooLarge(TOO_LARGE)).toBe(true);
    expect(tooLarge('TOO_LARGE')).toBe(false);
    expect(tooLarge(undefined)).toBe(false);
  });
});
