import { AccountLockedError, OAuth2Error, type LockoutEvent, type OAuth2Options } from '../../src';
import { createResponseHarness, oauthError, outcome, type Reply } from '../helpers/harness';

const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const LOCKED: Reply = [
  400,
  oauthError(
    'unauthorized_client',
    'This account has been temporarily locked for security reasons. Please try again later.',
  ),
];

function locked(headers: Record<string, string>): Reply {
  return [LOCKED[0], LOCKED[1], headers];
}

function harness(options: Partial<OAuth2Options> = {}, lifetimeSeconds?: number) {
  const opened: LockoutEvent[] = [];
  const closed: Array<{ at: number }> = [];
  const h = createResponseHarness({
    lifetimeSeconds,
    options: { hooks: { onLockoutOpened: (e) => opened.push(e), onLockoutClosed: (e) => closed.push(e) }, ...options },
  });
  return { h, opened, closed };
}

/** Sends a request and lets it settle under fake timers. */
async function send(h: ReturnType<typeof harness>['h'], url = '/x') {
  const result = outcome(h.api.get(url));
  await jest.advanceTimersByTimeAsync(0);
  return result;
}

async function lockedErrorOf(h: ReturnType<typeof harness>['h'], url = '/x'): Promise<AccountLockedError> {
  const result = await send(h, url);
  if (result.ok) throw new Error('expected AccountLockedError, got a response');
  expect(result.error).toBeInstanceOf(AccountLockedError);
  return result.error as AccountLockedError;
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('lockout from the token endpoint', () => {
  test('400 unauthorized_client → AccountLockedError with retryAfterMs and retryAt (60 s, jitter 0)', async () => {
    const { h, opened } = harness();
    h.tokenReplies.push(LOCKED);
    const error = await lockedErrorOf(h);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error.code).toBe('OAUTH2_ACCOUNT_LOCKED');
    expect(error.retryAfterMs).toBe(60_000);
    expect(error.retryAt).toBe(T0 + 60_000);
    expect(error.error).toBe('unauthorized_client');
    expect(error.status).toBe(400);
    expect(h.tokenCalls).toHaveLength(1);
    expect(h.apiHits).toHaveLength(0);
    expect(opened).toEqual([
      { retryAt: T0 + 60_000, retryAfterMs: 60_000, consecutive: 1, error: 'unauthorized_client', status: 400 },
    ]);
  });

  test('1,000 requests during the cool-down → 0 token calls, all AccountLockedError', async () => {
    const { h } = harness();
    h.tokenReplies.push(LOCKED);
    await lockedErrorOf(h);
    await jest.advanceTimersByTimeAsync(10_000);

    const results = Array.from({ length: 1000 }, (_, i) => outcome(h.api.get(`/r/${i}`)));
    await jest.advanceTimersByTimeAsync(0);
    const settled = await Promise.all(results);

    expect(h.tokenCalls).toHaveLength(1); // the call that opened the cool-down; none after
    expect(h.apiHits).toHaveLength(0);
    expect(settled.every((r) => !r.ok && r.error instanceof AccountLockedError)).toBe(true);
    for (const r of settled) {
      const e = (r as { error: AccountLockedError }).error;
      expect(e.retryAfterMs).toBe(50_000);
      expect(e.retryAt).toBe(T0 + 60_000);
    }
  });

  test('Retry-After: 120 sets the cool-down exactly', async () => {
    const { h } = harness();
    h.tokenReplies.push(locked({ 'Retry-After': '120' }));
    const error = await lockedErrorOf(h);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.retryAt).toBe(T0 + 120_000);

    await jest.advanceTimersByTimeAsync(119_999);
    expect((await lockedErrorOf(h)).retryAfterMs).toBe(1);
    expect(h.tokenCalls).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(1);
    const result = await send(h);
    expect(result.ok).toBe(true);
    expect(h.tokenCalls).toHaveLength(2);
    expect(h.tokenCalls[1].at).toBe(T0 + 120_000);
  });

  test('Retry-After as an HTTP-date sets the cool-down exactly', async () => {
    const { h } = harness();
    h.tokenReplies.push(locked({ 'Retry-After': new Date(T0 + 90_000).toUTCString() }));
    const error = await lockedErrorOf(h);
    expect(error.retryAfterMs).toBe(90_000);
    expect(error.retryAt).toBe(T0 + 90_000);

    await jest.advanceTimersByTimeAsync(89_999);
    await lockedErrorOf(h);
    await jest.advanceTimersByTimeAsync(1);
    expect((await send(h)).ok).toBe(true);
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 90_000]);
  });

  test.each([
    ['a past HTTP-date', new Date(T0 - 5_000).toUTCString()],
    ['garbage', 'later'],
    ['zero', '0'],
    ['negative', '-30'],
  ])('Retry-After %s is ignored → the default 60 s', async (_what, value) => {
    const { h } = harness();
    h.tokenReplies.push(locked({ 'Retry-After': value }));
    expect((await lockedErrorOf(h)).retryAfterMs).toBe(60_000);
  });

  test('a Retry-After longer than lockout.maxRetryAfterMs is capped', async () => {
    const { h } = harness();
    h.tokenReplies.push(locked({ 'Retry-After': '86400' }));
    expect((await lockedErrorOf(h)).retryAfterMs).toBe(3_600_000);

    const custom = harness({ lockout: { maxRetryAfterMs: 300_000 } });
    custom.h.tokenReplies.push(locked({ 'Retry-After': '600' }));
    expect((await lockedErrorOf(custom.h)).retryAfterMs).toBe(300_000);
  });

  test.each([
    ['423', [423, { Message: 'Locked' }] as Reply, 423, undefined, 60_000],
    [
      '429 with Retry-After',
      [429, { error: 'rate_limit' }, { 'Retry-After': '30' }] as Reply,
      429,
      'rate_limit',
      30_000,
    ],
    ['429 without body', [429, undefined] as Reply, 429, undefined, 60_000],
    ['401 unauthorized_client', [401, oauthError('unauthorized_client')] as Reply, 401, 'unauthorized_client', 60_000],
    [
      '200 carrying unauthorized_client',
      [200, oauthError('unauthorized_client')] as Reply,
      200,
      'unauthorized_client',
      60_000,
    ],
  ])('%s from the token endpoint also locks', async (_what, reply, status, error, ms) => {
    const { h } = harness();
    h.tokenReplies.push(reply);
    const e = await lockedErrorOf(h);
    expect(e.status).toBe(status);
    expect(e.error).toBe(error);
    expect(e.retryAfterMs).toBe(ms);
    // Locked: no token call during the cool-down.
    await jest.advanceTimersByTimeAsync(ms - 1);
    await lockedErrorOf(h);
    expect(h.tokenCalls).toHaveLength(1);
  });

  test('no Retry-After → 60 s, then 120 s, 240 s… doubling with exact jitter, capped at 15 min (+ jitter)', async () => {
    const { h, opened } = harness({ random: () => 0.5 });
    const expected = [63_000, 126_000, 252_000, 504_000, 945_000, 945_000];
    for (let i = 0; i < expected.length; i++) h.tokenReplies.push(LOCKED);

    let now = T0;
    for (let i = 0; i < expected.length; i++) {
      const error = await lockedErrorOf(h);
      expect(error.retryAfterMs).toBe(expected[i]);
      expect(error.retryAt).toBe(now + expected[i]);
      expect(h.tokenCalls).toHaveLength(i + 1);
      expect(h.tokenCalls[i].at).toBe(now);
      // One millisecond before the end: still locked, no call.
      await jest.advanceTimersByTimeAsync(expected[i] - 1);
      expect((await lockedErrorOf(h)).retryAfterMs).toBe(1);
      expect(h.tokenCalls).toHaveLength(i + 1);
      await jest.advanceTimersByTimeAsync(1);
      now += expected[i];
    }
    expect(opened.map((e) => [e.consecutive, e.retryAfterMs])).toEqual(expected.map((ms, i) => [i + 1, ms]));
  });

  test('after the cool-down exactly ONE trial call, even with many concurrent requests; success closes it', async () => {
    const { h, closed } = harness();
    h.tokenReplies.push(LOCKED);
    await lockedErrorOf(h);
    await jest.advanceTimersByTimeAsync(60_000);

    const results = Array.from({ length: 100 }, (_, i) => outcome(h.api.get(`/r/${i}`)));
    await jest.advanceTimersByTimeAsync(0);
    const settled = await Promise.all(results);
    expect(h.tokenCalls).toHaveLength(2);
    expect(settled.every((r) => r.ok && r.value.data.token === 'tok-1')).toBe(true);
    expect(closed).toEqual([{ at: T0 + 60_000 }]);
  });

  test('a failed trial (another lockout) doubles; with many concurrent requests it is still one call', async () => {
    const { h } = harness();
    h.tokenReplies.push(LOCKED, LOCKED);
    await lockedErrorOf(h);
    await jest.advanceTimersByTimeAsync(60_000);
    const results = Array.from({ length: 100 }, () => outcome(h.api.get('/r')));
    await jest.advanceTimersByTimeAsync(0);
    const settled = await Promise.all(results);
    expect(h.tokenCalls).toHaveLength(2);
    expect(
      settled.every((r) => !r.ok && r.error instanceof AccountLockedError && r.error.retryAfterMs === 120_000),
    ).toBe(true);
  });

  test('success resets the count: the next lockout is 60 s again', async () => {
    const { h, opened } = harness();
    h.tokenReplies.push(LOCKED, LOCKED);
    await lockedErrorOf(h);
    await jest.advanceTimersByTimeAsync(60_000);
    expect((await lockedErrorOf(h)).retryAfterMs).toBe(120_000); // second in a row
    await jest.advanceTimersByTimeAsync(120_000);
    expect((await send(h)).ok).toBe(true); // the trial succeeds: closed

    await h.auth.invalidate();
    h.tokenReplies.push(LOCKED);
    expect((await lockedErrorOf(h)).retryAfterMs).toBe(60_000);
    expect(opened.map((e) => e.consecutive)).toEqual([1, 2, 1]);
    expect(h.tokenCalls).toHaveLength(4);
  });

  test("lockout: { whileLocked: 'wait' } → requests wait for the cool-down, then succeed with one trial call", async () => {
    const { h } = harness({ lockout: { whileLocked: 'wait' } });
    h.tokenReplies.push(LOCKED);

    const first = outcome(h.api.get('/first'));
    await jest.advanceTimersByTimeAsync(10_000);
    const later = Array.from({ length: 10 }, (_, i) => outcome(h.api.get(`/later/${i}`)));
    await jest.advanceTimersByTimeAsync(49_999);
    expect(h.tokenCalls).toHaveLength(1);
    expect(h.apiHits).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(1);
    const settled = await Promise.all([first, ...later]);
    expect(settled.every((r) => r.ok && r.value.data.token === 'tok-1')).toBe(true);
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 60_000]);
    expect(h.apiHits).toHaveLength(11);
    expect(h.apiHits.every((x) => x.token === 'tok-1')).toBe(true);
  });

  test("whileLocked: 'wait' → a waiting request can still be aborted", async () => {
    const { h } = harness({ lockout: { whileLocked: 'wait' } });
    h.tokenReplies.push(LOCKED);
    const first = outcome(h.api.get('/first'));
    await jest.advanceTimersByTimeAsync(1000);
    const controller = new AbortController();
    const aborted = outcome(h.api.get('/aborted', { signal: controller.signal }));
    await jest.advanceTimersByTimeAsync(1000);
    controller.abort();
    const result = await aborted;
    expect(result.ok).toBe(false);
    expect(!result.ok && (result.error as { code?: string }).code).toBe('ERR_CANCELED');
    await jest.advanceTimersByTimeAsync(58_000);
    expect((await first).ok).toBe(true);
    expect(h.tokenCalls).toHaveLength(2);
  });

  test('while the cached token is still valid, a lockout during a background refresh does not fail requests', async () => {
    // Lifetime 1000 s: soft window from T0+870 s, hard window from T0+970 s.
    const { h, opened } = harness({}, 1000);
    expect((await send(h)).ok).toBe(true);
    expect(h.tokenCalls).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(880_000);
    h.tokenReplies.push(LOCKED);
    const inSoftWindow = await send(h);
    expect(inSoftWindow.ok && inSoftWindow.value.data.token).toBe('tok-1');
    expect(h.tokenCalls).toHaveLength(2); // the background refresh, answered with a lockout
    expect(opened).toHaveLength(1);

    // During the cool-down (until T0+940 s), requests keep using the valid token; no token call.
    for (const step of [1000, 20_000, 38_999]) {
      await jest.advanceTimersByTimeAsync(step);
      const r = await send(h);
      expect(r.ok && r.value.data.token).toBe('tok-1');
    }
    expect(h.tokenCalls).toHaveLength(2);

    // After it, the next request triggers the background trial call, which renews.
    await jest.advanceTimersByTimeAsync(1);
    const afterCooldown = await send(h);
    expect(afterCooldown.ok && afterCooldown.value.data.token).toBe('tok-1');
    expect(h.tokenCalls).toHaveLength(3);
    expect(h.tokenCalls[2].at).toBe(T0 + 940_000);
    const renewed = await send(h);
    expect(renewed.ok && renewed.value.data.token).toBe('tok-2');
  });
});
