import { TokenEndpointError } from '../../src';
import { freshness, tokenWindows } from '../../src/token/windows';
import { createCore, deferred, flush, T0, type Reply } from '../helpers/harness';

const S = 1000;

describe('pure window functions (src/token.ts)', () => {
  test('tokenWindows: 1000 s, skew 30 s → hard at +970 000, soft at +870 000 (the soft window is 10% of the lifetime)', () => {
    expect(tokenWindows({ obtainedAt: T0, expiresAt: T0 + 1000 * S }, 30 * S)).toEqual({
      hardStart: T0 + 970_000,
      softStart: T0 + 870_000,
    });
  });

  test('tokenWindows: 3600 s → soft window capped at 120 s (not 10% = 360 s)', () => {
    expect(tokenWindows({ obtainedAt: 0, expiresAt: 3600 * S }, 30 * S)).toEqual({
      hardStart: 3_570_000,
      softStart: 3_450_000,
    });
  });

  test('tokenWindows: lifetime shorter than the skew → skew capped at half the lifetime', () => {
    expect(tokenWindows({ obtainedAt: 0, expiresAt: 10 * S }, 30 * S)).toEqual({ hardStart: 5_000, softStart: 4_000 });
  });

  test('tokenWindows: skew 0 → hard window at expiry', () => {
    expect(tokenWindows({ obtainedAt: 0, expiresAt: 1000 * S }, 0)).toEqual({
      hardStart: 1_000_000,
      softStart: 900_000,
    });
  });

  test('tokenWindows: no expiresAt → no windows', () => {
    expect(tokenWindows({ obtainedAt: 0, expiresAt: undefined }, 30 * S)).toBeUndefined();
  });

  test('tokenWindows: expires_in 0 → the token is still used for MIN_TOKEN_USE_MS (1 s), no soft window', () => {
    expect(tokenWindows({ obtainedAt: 5, expiresAt: 5 }, 30 * S)).toEqual({ hardStart: 1005, softStart: 1005 });
  });

  test('tokenWindows: 1.5 s lifetime → half-life (750 ms) raised to the 1 s floor; 2 s lifetime → half-life, unchanged', () => {
    expect(tokenWindows({ obtainedAt: 0, expiresAt: 1500 }, 30 * S)).toEqual({ hardStart: 1000, softStart: 850 });
    expect(tokenWindows({ obtainedAt: 0, expiresAt: 2000 }, 30 * S)).toEqual({ hardStart: 1000, softStart: 800 });
  });

  test('expires_in 0 from the server: one token call per second, not one per request', async () => {
    const core = createCore({ lifetimeSeconds: 0, options: { backgroundRefresh: false } });
    for (let t = 0; t < 3000; t += 50) {
      core.clock.now = T0 + t;
      await core.api.get(`/t${t}`);
    }
    expect(core.apiCalls).toHaveLength(60);
    expect(core.tokenCalls).toHaveLength(3); // at 0, 1000 and 2000 ms
  });

  test('freshness at ±1 ms of each boundary', () => {
    const token = { obtainedAt: T0, expiresAt: T0 + 1000 * S };
    expect(freshness(token, T0, 30 * S)).toBe('fresh');
    expect(freshness(token, T0 + 869_999, 30 * S)).toBe('fresh');
    expect(freshness(token, T0 + 870_000, 30 * S)).toBe('renew-soon');
    expect(freshness(token, T0 + 969_999, 30 * S)).toBe('renew-soon');
    expect(freshness(token, T0 + 970_000, 30 * S)).toBe('expired');
    expect(freshness(token, T0 + 2_000_000, 30 * S)).toBe('expired');
  });

  test('freshness: a token without expiry is fresh forever', () => {
    expect(freshness({ obtainedAt: 0, expiresAt: undefined }, Number.MAX_SAFE_INTEGER, 30 * S)).toBe('fresh');
  });
});

describe('hard window (callers wait)', () => {
  test('starts exactly at obtainedAt + 970 000 ms for expires_in 1000 and skew 30', async () => {
    const core = createCore({ lifetimeSeconds: 1000, options: { refreshSkewSeconds: 30, backgroundRefresh: false } });
    await core.api.get('/a');
    expect(core.tokenCalls).toHaveLength(1);

    core.clock.now = T0 + 969_999;
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);

    core.clock.now = T0 + 970_000;
    const gate = deferred<Reply>();
    core.tokenQueue.push(() => gate.promise);
    const waiting = core.api.get('/c');
    await flush();
    expect(core.tokenCalls).toHaveLength(2);
    expect(core.apiCalls).toHaveLength(2); // /c is held back until the new token arrives
    gate.resolve([200, { access_token: 'tok-new', token_type: 'bearer', expires_in: 1000 }]);
    expect((await waiting).data.authorization).toBe('Bearer tok-new');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('works with jest modern fake timers (the default clock follows performance.now, which they fake too)', async () => {
    jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const core = createCore({ useClock: false, lifetimeSeconds: 1000, options: { backgroundRefresh: false } });
      await core.api.get('/a');
      jest.advanceTimersByTime(969_999);
      await core.api.get('/b');
      expect(core.tokenCalls).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-2');
      expect(core.tokenCalls).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('soft window (background refresh)', () => {
  test('1000 s token: starts at +870 000 ms; one background fetch while the caller gets the OLD token at once', async () => {
    const core = createCore({ lifetimeSeconds: 1000, options: { refreshSkewSeconds: 30 } });
    await core.api.get('/a');

    core.clock.now = T0 + 869_999;
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(1);

    core.clock.now = T0 + 870_000;
    const gate = deferred<Reply>();
    core.tokenQueue.push(() => gate.promise);
    // The token endpoint has not answered, yet the caller is served with the old token.
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(2);
    // More callers during the background fetch: no second fetch, old token served.
    core.clock.now = T0 + 900_000;
    expect((await core.api.get('/d')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(2);

    gate.resolve([200, { access_token: 'tok-bg', token_type: 'bearer', expires_in: 1000 }]);
    await flush();
    expect((await core.api.get('/e')).data.authorization).toBe('Bearer tok-bg');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('the background token starts its own windows from when its request was sent', async () => {
    const core = createCore({ lifetimeSeconds: 1000 });
    await core.api.get('/a');
    core.clock.now = T0 + 870_000;
    await core.api.get('/b'); // background fetch sent at T0+870 000 → tok-2
    await flush();
    expect(core.tokenCalls).toHaveLength(2);
    core.clock.now = T0 + 870_000 + 869_999;
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-2');
    await flush();
    expect(core.tokenCalls).toHaveLength(2);
    core.clock.now = T0 + 870_000 + 870_000;
    await core.api.get('/d');
    await flush();
    expect(core.tokenCalls).toHaveLength(3);
  });

  test('3600 s token: soft window is 120 s (starts at +3 450 000 ms)', async () => {
    const core = createCore({ lifetimeSeconds: 3600 });
    await core.api.get('/a');
    core.clock.now = T0 + 3_449_999;
    await core.api.get('/b');
    await flush();
    expect(core.tokenCalls).toHaveLength(1);
    core.clock.now = T0 + 3_450_000;
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(2);
    expect((await core.api.get('/d')).data.authorization).toBe('Bearer tok-2');
  });

  test('backgroundRefresh: false → no fetch in the soft window', async () => {
    const core = createCore({ lifetimeSeconds: 1000, options: { backgroundRefresh: false } });
    await core.api.get('/a');
    core.clock.now = T0 + 900_000;
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('a failed background refresh keeps serving the old token until the hard window and retries no earlier than 5 s later', async () => {
    const core = createCore({ lifetimeSeconds: 1000, options: { retry: { retries: 0 } } });
    await core.api.get('/a');

    core.clock.now = T0 + 870_000;
    core.tokenQueue.push([503, 'down'], [503, 'down']);
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(2); // the failed background attempt, no unhandled rejection

    core.clock.now = T0 + 870_000 + 5_000 - 1;
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(2);

    core.clock.now = T0 + 870_000 + 5_000;
    expect((await core.api.get('/d')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(3); // second background attempt, fails too

    core.clock.now = T0 + 969_999;
    expect((await core.api.get('/e')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(4); // third background attempt succeeds (tok-2)…
    expect((await core.api.get('/f')).data.authorization).toBe('Bearer tok-2');
  });

  test('a background refresh still failing at the hard window → callers wait for (and get the error of) a foreground fetch', async () => {
    const core = createCore({ lifetimeSeconds: 1000, options: { retry: { retries: 0 } } });
    await core.api.get('/a');
    core.clock.now = T0 + 870_000;
    core.tokenQueue.push([503, 'down'], [503, 'down']);
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(2);

    core.clock.now = T0 + 970_000;
    const error = await core.api.get('/c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(core.tokenCalls).toHaveLength(3);
    // The failure is not cached: the next caller's foreground fetch succeeds.
    expect((await core.api.get('/d')).data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(4);
  });
});

describe('lifetimes', () => {
  test('a token without expires_in lives defaultTokenLifetimeSeconds (600 s by default), never forever; a 401 still renews it', async () => {
    const core = createCore({ lifetimeSeconds: null, options: { backgroundRefresh: false } });
    await core.api.get('/a');
    // 600 s lifetime, 30 s skew: used until 570 s, renewed from then on.
    core.clock.now = T0 + 569_999;
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
    core.clock.now = T0 + 570_000;
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(2);
    for (const later of [86_400 * S, 10 * 365 * 86_400 * S]) {
      core.clock.now = T0 + later;
      await core.api.get('/d');
    }
    expect(core.tokenCalls).toHaveLength(4); // one renewal per lifetime gone by, not one for ever

    core.validTokens = new Set(['tok-5']);
    expect((await core.api.get('/e')).data.authorization).toBe('Bearer tok-5');
    expect(core.tokenCalls).toHaveLength(5);
  });

  test('defaultTokenLifetimeSeconds sets the lifetime of a token without expires_in', async () => {
    const core = createCore({
      lifetimeSeconds: null,
      options: { defaultTokenLifetimeSeconds: 120, refreshSkewSeconds: 10, backgroundRefresh: false },
    });
    await core.api.get('/a');
    core.clock.now = T0 + 109_999;
    await core.api.get('/b');
    expect(core.tokenCalls).toHaveLength(1);
    core.clock.now = T0 + 110_000;
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('expires_in 10 with skew 30: skew capped at 5 s, no refresh storm', async () => {
    const core = createCore({ lifetimeSeconds: 10, options: { refreshSkewSeconds: 30, backgroundRefresh: false } });
    for (let t = 0; t < 5000; t += 100) {
      core.clock.now = T0 + t;
      expect((await core.api.get(`/t${t}`)).data.authorization).toBe('Bearer tok-1');
    }
    expect(core.apiCalls).toHaveLength(50);
    expect(core.tokenCalls).toHaveLength(1); // 0 extra token calls in the first 5 s
    core.clock.now = T0 + 5000;
    expect((await core.api.get('/t5000')).data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('expires_in 10 with skew 30 and background refresh: exactly one background fetch at 4 s in the first 5 s', async () => {
    const core = createCore({ lifetimeSeconds: 10, options: { refreshSkewSeconds: 30 } });
    for (let t = 0; t < 5000; t += 100) {
      core.clock.now = T0 + t;
      await core.api.get(`/t${t}`);
      await flush();
      expect(core.tokenCalls).toHaveLength(t < 4000 ? 1 : 2);
    }
  });

  test('expiry counts from when the token request was SENT, not when a slow answer arrived', async () => {
    const core = createCore({ options: { backgroundRefresh: false } });
    core.tokenQueue.push(() => {
      core.clock.now += 60 * S; // the endpoint takes a minute to answer
      return [200, { access_token: 'slow', token_type: 'bearer', expires_in: 1000 }];
    });
    await core.api.get('/a');
    expect(core.clock.now).toBe(T0 + 60_000);

    core.clock.now = T0 + 969_999;
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer slow');
    expect(core.tokenCalls).toHaveLength(1);
    core.clock.now = T0 + 970_000; // not T0 + 60 000 + 970 000
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-1');
    await flush();
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('expires_in as a numeric string counts the same', async () => {
    const core = createCore({ options: { backgroundRefresh: false } });
    core.tokenQueue.push([200, { access_token: 'str', token_type: 'bearer', expires_in: '1000' }]);
    await core.api.get('/a');
    core.clock.now = T0 + 969_999;
    await core.api.get('/b');
    expect(core.tokenCalls).toHaveLength(1);
    core.clock.now = T0 + 970_000;
    await core.api.get('/c');
    expect(core.tokenCalls).toHaveLength(2);
  });
});
