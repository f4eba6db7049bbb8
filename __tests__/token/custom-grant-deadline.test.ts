/**
 * A custom grant's `parameters()` runs under the attempt's deadline (`tokenRequestTimeoutMs`) and
 * abort signal, like the token request it feeds: one that never settles fails the attempt with the
 * plugin's time-out when the deadline passes (transient, retried), and gets the signal that says so.
 * Driven by jest's fake timers, so the exact times are asserted: each deadline fires at 200 ms of its
 * attempt, the retry (a 0 ms back-off: a 1 ms timer) starts at 201 ms. The attempt's deadline timer is
 * only set after a chain of awaits (the cache, the store, the exchange), so a synchronous
 * `jest.advanceTimersByTime` runs before it exists and never drives the attempt;
 * `advanceTimersByTimeAsync` lets those continuations run between timers. Process ticks and
 * immediates stay real (the loopback server's I/O). No token request is sent for an attempt whose
 * parameters never came.
 */
import axios from 'axios';
import { attachOAuth2, DetachedError, TokenEndpointError } from '../../src';
import { startLoopback, type Loopback } from '../helpers/loopback';

let lb: Loopback;
beforeEach(async () => {
  lb = await startLoopback();
});
afterEach(async () => {
  jest.useRealTimers();
  await lb.close();
});

function attach(parameters: (signal?: AbortSignal) => Promise<Record<string, string>>, retries: number) {
  const api = axios.create({ baseURL: `${lb.origin}/v1` });
  return attachOAuth2(api, {
    tokenUrl: lb.tokenUrl,
    clientId: 'client-1',
    clientSecret: 'deadline-grant-secret-1',
    grant: { type: 'custom', grantType: 'urn:x:never', parameters },
    tokenRequestTimeoutMs: 200,
    retry: { retries, baseDelayMs: 0, maxDelayMs: 0 },
  });
}

test('parameters() that never settles: each attempt ends at its deadline, its signal aborted, then the retry runs', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const start = Date.now();
  const log: string[] = [];
  const signals: AbortSignal[] = [];
  const at = () => Date.now() - start;
  const auth = attach((signal) => {
    const n = signals.push(signal as AbortSignal);
    log.push(`parameters ${n} at ${at()}`);
    signal?.addEventListener('abort', () => log.push(`aborted ${n} at ${at()}: ${(signal.reason as Error).message}`));
    return new Promise(() => undefined);
  }, 1);

  const pending = auth.getAccessToken().catch((e: unknown) => e);
  pending.then(
    () => log.push(`rejected at ${at()}`),
    () => undefined,
  );
  for (let step = 0; step < 5; step++) await jest.advanceTimersByTimeAsync(100);
  const error = (await pending) as TokenEndpointError;
  jest.useRealTimers();

  const timeout = 'timeout of 200ms exceeded (token request deadline, response body included)';
  expect(log).toEqual([
    'parameters 1 at 0',
    `aborted 1 at 200: ${timeout}`,
    'parameters 2 at 201',
    `aborted 2 at 401: ${timeout}`,
    'rejected at 401',
  ]);
  expect(error).toBeInstanceOf(TokenEndpointError);
  expect(error.transient).toBe(true);
  expect(error.attempts).toBe(2);
  expect(error.message).toBe(
    `urn:x:never grant failed after 2 attempts: the token endpoint could not be reached (${timeout})`,
  );
  expect((error.cause as { code?: string }).code).toBe('ECONNABORTED');
  expect(lb.tokenCalls).toHaveLength(0);
  auth.detach();
});

test('detach() while parameters() is pending: its signal aborts, the caller gets DetachedError', async () => {
  const signals: Array<AbortSignal | undefined> = [];
  const auth = attach((signal) => {
    signals.push(signal);
    return new Promise(() => undefined);
  }, 0);
  const pending = auth.getAccessToken().catch((error: unknown) => error);
  while (signals.length === 0) await new Promise((resolve) => setImmediate(resolve));
  auth.detach();
  expect(await pending).toBeInstanceOf(DetachedError);
  expect(signals[0]?.aborted).toBe(true);
  expect(lb.tokenCalls).toHaveLength(0);
});
