import { inspect } from 'node:util';
import { TokenEndpointError, type OAuth2Options, type TokenFailureEvent } from '../../src';
import { retryDelayMs } from '../../src/policy/backoff';
import { CLIENT_ID, CLIENT_SECRET, createResponseHarness, outcome } from '../helpers/harness';

const T0 = Date.UTC(2025, 0, 1);
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

function harness(options: Partial<OAuth2Options> = {}) {
  const failures: TokenFailureEvent[] = [];
  const h = createResponseHarness({
    options: {
      random: () => 0.5,
      retry: { retries: 3, baseDelayMs: 250, maxDelayMs: 10_000 },
      hooks: { onTokenEndpointFailure: (e) => failures.push(e) },
      ...options,
    },
  });
  return { h, failures };
}

describe('transient token-endpoint failures: bounded retries with backoff', () => {
  test('503, 503, 200 → success after exactly two retries, at the exact retryDelayMs delays', async () => {
    const { h, failures } = harness();
    h.tokenReplies.push([503, 'Service Unavailable'], [503, 'Service Unavailable']);
    const d1 = retryDelayMs(1, 250, 10_000, 0.5);
    const d2 = retryDelayMs(2, 250, 10_000, 0.5);
    expect([d1, d2]).toEqual([188, 375]);

    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(d1 - 1);
    expect(h.tokenCalls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(h.tokenCalls).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(d2 - 1);
    expect(h.tokenCalls).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    const r = await result;

    expect(r.ok && r.value.data.token).toBe('tok-1');
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + d1, T0 + d1 + d2]);
    expect(failures).toEqual([
      { kind: 'transient', status: 503, attempt: 1, willRetry: true },
      { kind: 'transient', status: 503, attempt: 2, willRetry: true },
    ]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.tokenCalls).toHaveLength(3);
  });

  test('Retry-After: 3 on a 503 → the next attempt exactly 3000 ms later', async () => {
    const { h } = harness();
    h.tokenReplies.push([503, '', { 'Retry-After': '3' }]);
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(2999);
    expect(h.tokenCalls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect((await result).ok).toBe(true);
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 3000]);
  });

  test('Retry-After as an HTTP-date on a 503 is honoured too', async () => {
    const { h } = harness();
    h.tokenReplies.push([503, '', { 'Retry-After': new Date(T0 + 2000).toUTCString() }]);
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(2000);
    expect((await result).ok).toBe(true);
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 2000]);
  });

  test('Retry-After is capped by retry.maxDelayMs', async () => {
    const { h } = harness({ retry: { retries: 3, baseDelayMs: 250, maxDelayMs: 2000 } });
    h.tokenReplies.push([503, '', { 'Retry-After': '3' }]);
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(2000);
    expect((await result).ok).toBe(true);
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 2000]);
  });

  test('an invalid Retry-After falls back to the computed delay', async () => {
    const { h } = harness();
    h.tokenReplies.push([503, '', { 'Retry-After': 'soon' }]);
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(188);
    expect((await result).ok).toBe(true);
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 188]);
  });

  test('a network error and a timeout are retried too', async () => {
    const { h, failures } = harness();
    h.tokenReplies.push('network', 'timeout');
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(188 + 375);
    const r = await result;
    expect(r.ok && r.value.data.token).toBe('tok-1');
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 188, T0 + 188 + 375]);
    expect(failures).toEqual([
      { kind: 'transient', attempt: 1, willRetry: true },
      { kind: 'transient', attempt: 2, willRetry: true },
    ]);
  });

  test.each([500, 502, 504, 408])('HTTP %i is transient (retried)', async (status) => {
    const { h } = harness();
    h.tokenReplies.push([status, '']);
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(188);
    expect((await result).ok).toBe(true);
    expect(h.tokenCalls).toHaveLength(2);
  });

  test('retries exhausted (network errors) → TokenEndpointError with transient: true, attempts, and a secret-free cause', async () => {
    const { h, failures } = harness({ retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 10_000 } });
    h.tokenReplies.push('network', 'network', 'network');
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(75 + 150); // retryDelayMs(1,100,…,0.5) + retryDelayMs(2,100,…,0.5)
    const r = await result;

    expect(r.ok).toBe(false);
    const error = (r as { error: TokenEndpointError }).error;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.transient).toBe(true);
    expect(error.attempts).toBe(3);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/after 3 attempts/);
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 75, T0 + 225]);
    expect(failures.map((f) => [f.attempt, f.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);

    const cause = (error as { cause?: unknown }).cause as Error & {
      code?: string;
      config?: unknown;
      request?: unknown;
    };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toBe('Network Error');
    expect(cause.code).toBe('ERR_NETWORK');
    expect(cause.config).toBeUndefined();
    expect(cause.request).toBeUndefined();
    for (const text of [
      JSON.stringify(error),
      inspect(error, { showHidden: true, depth: 20 }),
      inspect(cause, { showHidden: true, depth: 20 }),
    ]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(BASIC);
      expect(text).not.toContain('Basic ');
    }
  });

  test('retries exhausted (503) → TokenEndpointError transient with the status and 1 + retries attempts', async () => {
    const { h } = harness();
    h.tokenReplies.push([503, ''], [503, ''], [503, ''], [503, '']);
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(188 + 375 + 750);
    const r = await result;
    const error = (r as { error: TokenEndpointError }).error;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.transient).toBe(true);
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(4);
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 188, T0 + 563, T0 + 1313]);
  });

  test('retry.retries: 0 → one attempt only', async () => {
    const { h } = harness({ retry: { retries: 0 } });
    h.tokenReplies.push([503, '']);
    const result = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(0);
    const error = ((await result) as { error: TokenEndpointError }).error;
    expect(error.attempts).toBe(1);
    expect(error.transient).toBe(true);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.tokenCalls).toHaveLength(1);
  });

  test('a transient failure is not negative-cached: the next request makes a new call at once', async () => {
    const { h } = harness({ retry: { retries: 1, baseDelayMs: 100, maxDelayMs: 10_000 } });
    h.tokenReplies.push([503, ''], [503, '']);
    const first = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(75);
    expect((await first).ok).toBe(false);
    expect(h.tokenCalls).toHaveLength(2);

    const second = outcome(h.api.get('/y'));
    await jest.advanceTimersByTimeAsync(0);
    const r = await second;
    expect(r.ok && r.value.data.token).toBe('tok-1');
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 75, T0 + 75]);
  });

  test('concurrent requests share the retrying fetch: 20 requests, 503 then 200 → 2 calls', async () => {
    const { h } = harness();
    h.tokenReplies.push([503, '']);
    const results = Array.from({ length: 20 }, () => outcome(h.api.get('/x')));
    await jest.advanceTimersByTimeAsync(188);
    const settled = await Promise.all(results);
    expect(settled.every((r) => r.ok)).toBe(true);
    expect(h.tokenCalls).toHaveLength(2);
  });
});
