import { AccountLockedError, type OAuth2Hooks, type OAuth2Options, type TokenStore } from '../../src';
import { recordingHooks as recordEvery } from '../helpers/secrets';
import { CLIENT_ID, CLIENT_SECRET, createResponseHarness, oauthError, outcome, tokenBody } from '../helpers/harness';

const T0 = Date.UTC(2025, 0, 1);
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
const LOCKED = [400, oauthError('unauthorized_client', 'This account has been temporarily locked')] as [
  number,
  unknown,
];
const HOOK_NAMES = [
  'onTokenAcquired',
  'onTokenRenewed',
  'onRequestReplayed',
  'onLockoutOpened',
  'onLockoutClosed',
  'onTokenEndpointFailure',
  'onStoreError',
] as const;

type Recorded = Array<[string, unknown]>;

/** Hooks recording every call in order (optionally throwing after recording). */
function recordingHooks(throwing = false): { hooks: OAuth2Hooks; calls: Recorded } {
  const calls: Recorded = [];
  return { hooks: recordEvery(calls, throwing), calls };
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

async function settle<T>(promise: Promise<T>) {
  const result = outcome(promise);
  await jest.advanceTimersByTimeAsync(0);
  return result;
}

/** The hooks {@link fullScenario} fires, in order. */
const FULL_SCENARIO_HOOKS = [
  'onTokenAcquired',
  'onTokenRenewed',
  'onRequestReplayed',
  'onTokenEndpointFailure',
  'onTokenRenewed',
  'onTokenEndpointFailure',
  'onTokenEndpointFailure',
  'onLockoutOpened',
  'onLockoutClosed',
  'onTokenAcquired',
];

/**
 * Runs every path that fires a hook: first token, rejection + replay (refresh-token grant), background
 * renewal, a transient failure, an invalid token response, a lockout and its closing.
 */
async function fullScenario(options: Partial<OAuth2Options>) {
  const h = createResponseHarness({
    lifetimeSeconds: 1000,
    options: { retry: { retries: 1, baseDelayMs: 100 }, ...options },
  });
  h.tokenReplies.push([200, tokenBody('tok-1', 1000, { refresh_token: 'rt-secret-1' })]);
  const results: Array<{ ok: boolean }> = [];

  results.push(await settle(h.api.get('/users/1'))); // acquired: tok-1
  h.validTokens = new Set(['tok-2', 'tok-3', 'tok-4']);
  h.tokenReplies.push([200, tokenBody('tok-2', 1000, { refresh_token: 'rt-secret-2' })]);
  results.push(await settle(h.api.post('/payins?dry=1', { Amount: 1 }))); // 401 → renewed (refresh_token grant) + replayed

  await jest.advanceTimersByTimeAsync(880_000); // into tok-2's soft window
  h.tokenReplies.push([503, ''], [200, tokenBody('tok-3', 1000)]);
  results.push(await settle(h.api.get('/users/2'))); // served tok-2; background renewal: 503 (retry) then tok-3
  await jest.advanceTimersByTimeAsync(100);

  await h.auth.invalidate();
  h.tokenReplies.push([200, { token_type: 'bearer' }]); // no access_token: invalid response
  results.push(await settle(h.api.get('/users/3')));
  await jest.advanceTimersByTimeAsync(5000); // past the negative cache

  h.tokenReplies.push(LOCKED);
  results.push(await settle(h.api.get('/users/4'))); // lockout opened
  await jest.advanceTimersByTimeAsync(60_000);
  h.tokenReplies.push([200, tokenBody('tok-4', 1000)]);
  results.push(await settle(h.api.get('/users/5'))); // trial succeeds: lockout closed
  return { h, results };
}

describe('observability hooks', () => {
  test('each hook fires with the documented payload', async () => {
    const { hooks, calls } = recordingHooks();
    const { results } = await fullScenario({ hooks });
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, false, true]);

    const t1 = T0; // first token and the replay's refresh, at T0
    const tBg = T0 + 880_000; // background renewal start
    const tLock = tBg + 100 + 5000; // the lockout
    const tTrial = tLock + 60_000;
    expect(calls).toEqual([
      ['onTokenAcquired', { grant: 'client_credentials', expiresAt: t1 + 1_000_000, background: false }],
      ['onTokenRenewed', { grant: 'refresh_token', expiresAt: t1 + 1_000_000, background: false }],
      ['onRequestReplayed', { method: 'POST', url: '/payins', fetched: true }],
      ['onTokenEndpointFailure', { kind: 'transient', error: undefined, status: 503, attempt: 1, willRetry: true }],
      ['onTokenRenewed', { grant: 'refresh_token', expiresAt: tBg + 50 + 1_000_000, background: true }], // retried after 50 ms (random 0)
      ['onTokenEndpointFailure', { kind: 'invalid_response', status: 200, attempt: 1, willRetry: false }],
      [
        'onTokenEndpointFailure',
        { kind: 'lockout', error: 'unauthorized_client', status: 400, attempt: 1, willRetry: false },
      ],
      [
        'onLockoutOpened',
        { retryAt: tLock + 60_000, retryAfterMs: 60_000, consecutive: 1, error: 'unauthorized_client', status: 400 },
      ],
      ['onLockoutClosed', { at: tTrial }],
      ['onTokenAcquired', { grant: 'client_credentials', expiresAt: tTrial + 1_000_000, background: false }],
    ]);
  });

  test('onStoreError: a store that throws is reported, and requests still succeed', async () => {
    const { hooks, calls } = recordingHooks();
    const broken = new Error('store unreachable');
    const store: TokenStore = {
      get: () => {
        throw broken;
      },
      set: () => Promise.reject(broken),
      delete: () => Promise.reject(broken),
      getLockout: () => Promise.reject(broken),
      setLockout: () => Promise.reject(broken),
    };
    const h = createResponseHarness({ options: { hooks, store } });
    const first = await settle(h.api.get('/a'));
    expect(first.ok && first.value.data.token).toBe('tok-1');
    h.validTokens = new Set(['tok-2']);
    const replayed = await settle(h.api.get('/b'));
    expect(replayed.ok && replayed.value.data.token).toBe('tok-2');
    expect(h.tokenCalls).toHaveLength(2);

    const storeErrors = calls
      .filter(([name]) => name === 'onStoreError')
      .map(([, e]) => e as { operation: string; error: unknown });
    expect(storeErrors.map((e) => e.operation)).toEqual(['get', 'lockout', 'set', 'delete', 'get', 'lockout', 'set']);
    expect(storeErrors.every((e) => e.error === broken)).toBe(true);
  });

  test('hooks that throw never break a request', async () => {
    const { hooks, calls } = recordingHooks(true);
    const { results, h } = await fullScenario({ hooks });
    // Exactly the same outcomes as with well-behaved hooks.
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, false, true]);
    expect(calls.map(([name]) => name)).toEqual(FULL_SCENARIO_HOOKS);
    expect(h.tokenCalls).toHaveLength(7);
  });

  test('a throwing onLockoutOpened still lets the caller get AccountLockedError', async () => {
    const h = createResponseHarness({
      options: {
        hooks: {
          onLockoutOpened: () => {
            throw new Error('boom');
          },
        },
      },
    });
    h.tokenReplies.push(LOCKED);
    const r = await settle(h.api.get('/x'));
    expect(!r.ok && r.error).toBeInstanceOf(AccountLockedError);
  });

  test('an async hook that rejects never breaks a request nor leaves an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const rejecting = async () => {
        throw new Error('async hook failure');
      };
      const hooks = Object.fromEntries(HOOK_NAMES.map((n) => [n, rejecting])) as unknown as OAuth2Hooks;
      const h = createResponseHarness({ options: { hooks } });
      const first = await settle(h.api.get('/a'));
      expect(first.ok).toBe(true);
      h.validTokens = new Set(['tok-2']);
      expect((await settle(h.api.get('/b'))).ok).toBe(true);
      jest.useRealTimers();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('no payload holds a secret or a token', async () => {
    const { hooks, calls } = recordingHooks();
    const { h } = await fullScenario({ hooks, store: undefined });
    // Plus a store error, with the store failing on its own (its error text is the store's).
    const throwing = createResponseHarness({
      options: {
        hooks,
        store: { get: () => Promise.reject(new Error('down')), set: async () => {}, delete: async () => {} },
      },
    });
    await settle(throwing.api.get('/z'));

    // Every hook of the scenario, once each where it happens: none missed by the sweep below.
    expect(calls.map(([name]) => name)).toEqual([...FULL_SCENARIO_HOOKS, 'onStoreError', 'onTokenAcquired']);
    const secrets = [
      CLIENT_SECRET,
      BASIC,
      'rt-secret-1',
      'rt-secret-2',
      'tok-1',
      'tok-2',
      'tok-3',
      'tok-4',
      'Bearer',
      'Basic ',
    ];
    for (const [name, payload] of calls) {
      const text = JSON.stringify(payload);
      for (const secret of secrets) {
        if (text.includes(secret)) throw new Error(`${name} payload contains ${secret}: ${text}`);
      }
    }
    expect(h.tokenCalls.length).toBe(7);
  });
});
