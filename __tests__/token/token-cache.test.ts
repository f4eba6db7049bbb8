/**
 * `TokenCache` (src/token/token-cache.ts) as a stage: fed the outcomes of its grant runner (the
 * `GrantRunner` below it replaced by a list of `GrantOutcome`s, the stage's contract), over the real
 * memory store through a `SafeStore`, on a controlled clock. Checked: the refresh token it hands the
 * runner, the background refresh and its retry delay, retire/invalidate/forceRenew, the failure
 * cache and what it shares, the lockout event, and the token events it emits.
 */
import axios from 'axios';
import { AccountLockedError, DetachedError, MemoryTokenStore, TokenEndpointError, type OAuth2Options } from '../../src';
import { resolveOptions, type ResolvedOptions } from '../../src/options/validate-options';
import { SafeStore } from '../../src/store/safe-store';
import type { StoredToken } from '../../src/store/token-store';
import type { GrantOutcome, GrantRunner } from '../../src/token/grant-runner';
import { BACKGROUND_RETRY_MS, TokenCache } from '../../src/token/token-cache';
import { Lifecycle } from '../../src/util/lifecycle';
import { flush } from '../helpers/harness';

const T0 = 1_700_000_000_000;
const KEY = 'cache-key';

const tokenOf = (accessToken: string, extra: Partial<StoredToken> = {}): StoredToken => ({
  accessToken,
  tokenType: 'Bearer',
  obtainedAt: T0,
  expiresAt: T0 + 100_000, // skew 0: soft window from T0 + 90 s, hard at T0 + 100 s
  ...extra,
});
const issued = (accessToken: string, extra: Partial<StoredToken> = {}, grant = 'client_credentials'): GrantOutcome => ({
  kind: 'token',
  token: tokenOf(accessToken, extra),
  grant,
});
const permanent = (error = 'invalid_scope') =>
  new TokenEndpointError(`client_credentials grant failed: ${error}`, {
    error,
    status: 400,
    transient: false,
    attempts: 1,
  });

type Step = GrantOutcome | (() => Promise<GrantOutcome>);

function cacheWith(
  steps: Step[],
  extra: Partial<OAuth2Options> = {},
  owned = true,
  entry: Partial<Pick<ResolvedOptions, 'selection' | 'tenant'>> = {},
  lifecycle?: Lifecycle,
) {
  const clock = { now: T0 };
  const events: Array<[string, unknown]> = [];
  const hook =
    (name: string) =>
    (event: unknown): void => {
      events.push([name, event]);
    };
  const memory = new MemoryTokenStore();
  memory.useClock(() => clock.now); // as attachOAuth2 does: one clock
  const base: ResolvedOptions = resolveOptions(axios.create(), {
    tokenUrl: 'https://auth.example.com/token',
    clientId: 'client-1',
    clientSecret: 'cache-secret',
    refreshSkewSeconds: 0,
    clock: () => clock.now,
    random: () => 0,
    hooks: {
      onTokenAcquired: hook('acquired'),
      onTokenRenewed: hook('renewed'),
      onLockoutOpened: hook('lockoutOpened'),
      onLockoutClosed: hook('lockoutClosed'),
    },
    ...extra,
  });
  // An entry's own options, as TokenEntries makes them (its selection; a tenant's name).
  const options: ResolvedOptions = { ...base, ...entry };
  const store = new SafeStore(memory, KEY, options.hooks, 1_000, owned);
  const refreshTokens: Array<string | undefined> = [];
  const fetcher = {
    fetch: (refreshToken: string | undefined) => {
      refreshTokens.push(refreshToken);
      const step = steps.shift();
      if (step === undefined) return Promise.reject(new Error('no more outcomes'));
      return typeof step === 'function' ? step() : Promise.resolve(step);
    },
  } as unknown as GrantRunner;
  const cache = new TokenCache(options, fetcher, store, lifecycle);
  return { cache, clock, events, memory, refreshTokens, options };
}

describe('the refresh token handed to the grant runner', () => {
  test("none at first; then the token's own; a main-grant token without one clears it", async () => {
    const { cache, clock, refreshTokens } = cacheWith([
      issued('at-1', { refreshToken: 'rt-1' }),
      issued('at-2', {}, 'refresh_token'),
      issued('at-3', { obtainedAt: T0 + 200_000, expiresAt: T0 + 300_000 }),
      issued('at-4'),
    ]);
    await cache.getToken();
    clock.now = T0 + 100_000; // hard window: renew
    await cache.getToken();
    await cache.forceRenew();
    await cache.forceRenew();
    // at-2 came from the refresh grant without a refresh token: rt-1 is kept; at-3 (main grant) clears it.
    expect(refreshTokens).toEqual([undefined, 'rt-1', 'rt-1', undefined]);
  });

  test('invalidate() forgets the refresh token and deletes the token from the store', async () => {
    const { cache, memory, refreshTokens } = cacheWith([issued('at-1', { refreshToken: 'rt-1' }), issued('at-2')]);
    await cache.getToken();
    expect(await memory.get(KEY)).toMatchObject({ accessToken: 'at-1' });
    await cache.invalidate();
    expect(cache.held()).toBeUndefined();
    expect(await memory.get(KEY)).toBeUndefined();
    expect((await cache.getToken()).accessToken).toBe('at-2');
    expect(refreshTokens).toEqual([undefined, undefined]);
  });
});

describe('background refresh', () => {
  test(`a failed one is tried again ${BACKGROUND_RETRY_MS} ms later, not before; the old token keeps serving`, async () => {
    const { cache, clock, refreshTokens } = cacheWith([
      issued('at-1'),
      { kind: 'failed', error: permanent() },
      issued('at-2', { obtainedAt: T0 + 95_000, expiresAt: T0 + 195_000 }),
    ]);
    await cache.getToken();
    clock.now = T0 + 90_000; // soft window
    expect(cache.peek()?.accessToken).toBe('at-1');
    await flush();
    expect(refreshTokens).toHaveLength(2);
    clock.now = T0 + 90_000 + BACKGROUND_RETRY_MS - 1;
    expect(cache.peek()?.accessToken).toBe('at-1');
    await flush();
    expect(refreshTokens).toHaveLength(2);
    clock.now = T0 + 90_000 + BACKGROUND_RETRY_MS;
    expect(cache.peek()?.accessToken).toBe('at-1');
    await flush();
    expect(refreshTokens).toHaveLength(3);
    expect(cache.peek()?.accessToken).toBe('at-2');
  });

  test('off with backgroundRefresh: false (the soft window serves the token, nothing starts)', async () => {
    const { cache, clock, refreshTokens } = cacheWith([issued('at-1')], { backgroundRefresh: false });
    await cache.getToken();
    clock.now = T0 + 99_999;
    expect(cache.peek()?.accessToken).toBe('at-1');
    await flush();
    expect(refreshTokens).toHaveLength(1);
  });

  test('a background renewal reports onTokenRenewed with background: true', async () => {
    const { cache, clock, events } = cacheWith([issued('at-1'), issued('at-2')]);
    await cache.getToken();
    clock.now = T0 + 90_000;
    cache.peek();
    await flush();
    expect(events).toEqual([
      ['acquired', { grant: 'client_credentials', expiresAt: T0 + 100_000, background: false }],
      ['renewed', { grant: 'client_credentials', expiresAt: T0 + 100_000, background: true }],
    ]);
  });
});

describe('forceRenew, retire', () => {
  test('forceRenew while a flight is under way joins it and keeps serving the held token until it lands', async () => {
    let land: (outcome: GrantOutcome) => void = () => undefined;
    const { cache, clock, refreshTokens } = cacheWith([
      issued('at-1'),
      () => new Promise<GrantOutcome>((resolve) => (land = resolve)),
    ]);
    await cache.getToken();
    clock.now = T0 + 90_000;
    cache.peek(); // background flight
    await flush();
    const forced = cache.forceRenew();
    expect(cache.held()?.accessToken).toBe('at-1');
    land(issued('at-2'));
    expect((await forced).accessToken).toBe('at-2');
    expect(refreshTokens).toHaveLength(2);
  });

  test("retire() deletes the entry's token from the attachment's own store, after the flight under way", async () => {
    let land: (outcome: GrantOutcome) => void = () => undefined;
    const { cache, memory } = cacheWith([() => new Promise<GrantOutcome>((resolve) => (land = resolve))]);
    const pending = cache.getToken();
    await flush();
    cache.retire();
    land(issued('at-1'));
    await pending;
    await flush();
    expect(await memory.get(KEY)).toBeUndefined();
  });

  test('retire() with nothing in flight deletes at once', async () => {
    const { cache, memory } = cacheWith([issued('at-1')]);
    await cache.getToken();
    cache.retire();
    await flush();
    expect(await memory.get(KEY)).toBeUndefined();
  });

  test('retire() leaves a shared store alone', async () => {
    const { cache, memory } = cacheWith([issued('at-1')], {}, false);
    await cache.getToken();
    cache.retire();
    await flush();
    expect(await memory.get(KEY)).toMatchObject({ accessToken: 'at-1' });
  });
});

describe('failures', () => {
  test('a permanent failure is served from the failure cache for failureCacheMs, then asked again', async () => {
    const error = permanent();
    const { cache, clock, refreshTokens } = cacheWith([{ kind: 'failed', error }, issued('at-1')], {
      failureCacheMs: 2_000,
    });
    await expect(cache.getToken()).rejects.toBe(error);
    clock.now = T0 + 1_999;
    await expect(cache.getToken()).rejects.toBe(error);
    expect(refreshTokens).toHaveLength(1);
    clock.now = T0 + 2_000;
    expect((await cache.getToken()).accessToken).toBe('at-1');
    expect(refreshTokens).toHaveLength(2);
  });

  test('a permanent failure is shared through the store until failureCacheMs; none with failureCacheMs 0', async () => {
    const shared = cacheWith([{ kind: 'failed', error: permanent() }], { failureCacheMs: 2_000 });
    await expect(shared.cache.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(await shared.memory.getFailure(KEY)).toMatchObject({ until: T0 + 2_000 });

    const unshared = cacheWith([{ kind: 'failed', error: permanent() }], { failureCacheMs: 0 });
    await expect(unshared.cache.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(await unshared.memory.getFailure(KEY)).toBeUndefined();
  });

  test('a transient failure (retries spent) is neither cached nor shared', async () => {
    const transient = new TokenEndpointError('down', { status: 503, transient: true, attempts: 2 });
    const { cache, memory, refreshTokens } = cacheWith([{ kind: 'failed', error: transient }, issued('at-1')]);
    await expect(cache.getToken()).rejects.toBe(transient);
    expect(await memory.getFailure(KEY)).toBeUndefined();
    expect((await cache.getToken()).accessToken).toBe('at-1');
    expect(refreshTokens).toHaveLength(2);
  });
});

describe('lockout', () => {
  test('onLockoutOpened carries the cool-down; callers get AccountLockedError until it ends; the trial closes it', async () => {
    const { cache, clock, events, memory } = cacheWith(
      [
        { kind: 'lockout', failure: { kind: 'lockout', status: 423, error: 'account_locked' } },
        issued('at-1', { obtainedAt: T0 + 60_000, expiresAt: T0 + 160_000 }),
      ],
      { lockout: { initialCooldownMs: 60_000 } },
    );
    const error = (await cache.getToken().catch((e: unknown) => e)) as AccountLockedError;
    expect(error).toBeInstanceOf(AccountLockedError);
    expect(error.retryAfterMs).toBe(60_000);
    expect(events).toEqual([
      [
        'lockoutOpened',
        { retryAt: T0 + 60_000, retryAfterMs: 60_000, consecutive: 1, error: 'account_locked', status: 423 },
      ],
    ]);
    expect(await memory.getLockout(KEY)).toMatchObject({ until: T0 + 60_000 });
    clock.now = T0 + 59_999;
    await expect(cache.getToken()).rejects.toBeInstanceOf(AccountLockedError);
    clock.now = T0 + 60_000;
    expect((await cache.getToken()).accessToken).toBe('at-1');
    expect(events.slice(1)).toEqual([
      ['lockoutClosed', { at: T0 + 60_000 }],
      ['acquired', { grant: 'client_credentials', expiresAt: T0 + 160_000, background: false }],
    ]);
    expect(await memory.getLockout(KEY)).toBeUndefined();
  });
});

describe('events name the entry', () => {
  test("the token events carry the entry's selection and tenant; the lockout event its tenant", async () => {
    const { cache, clock, events } = cacheWith(
      [issued('at-1'), { kind: 'lockout', failure: { kind: 'lockout', status: 429 } }],
      { lockout: { initialCooldownMs: 1_000 } },
      true,
      { selection: { scope: 'read' }, tenant: 'acme' },
    );
    await cache.getToken();
    clock.now = T0 + 100_000;
    await expect(cache.getToken()).rejects.toBeInstanceOf(AccountLockedError);
    expect(events).toEqual([
      [
        'acquired',
        { grant: 'client_credentials', expiresAt: T0 + 100_000, background: false, scope: 'read', tenant: 'acme' },
      ],
      [
        'lockoutOpened',
        {
          retryAt: T0 + 101_000,
          retryAfterMs: 1_000,
          consecutive: 1,
          error: undefined,
          status: 429,
          tenant: 'acme',
        },
      ],
    ]);
  });
});

describe('rejections', () => {
  test('a newer cached token answers a rejection of another: no renewal', async () => {
    const { cache, refreshTokens } = cacheWith([issued('at-1')]);
    await cache.getToken();
    expect(await cache.renewAfterRejection('at-0')).toEqual({ token: tokenOf('at-1'), fetched: false });
    expect(refreshTokens).toHaveLength(1);
  });

  test('a rejected cached token is dropped (here and in the store) and renewed, reported as renewed', async () => {
    const { cache, events, memory } = cacheWith([issued('at-1'), issued('at-2')]);
    await cache.getToken();
    const renewed = await cache.renewAfterRejection('at-1');
    expect(renewed).toEqual({ token: tokenOf('at-2'), fetched: true });
    expect(await memory.get(KEY)).toMatchObject({ accessToken: 'at-2' });
    expect(events.map(([name]) => name)).toEqual(['acquired', 'renewed']);
  });

  test('an expired cached token is renewed, even when it is not the one rejected', async () => {
    const { cache, clock, refreshTokens } = cacheWith([
      issued('at-1'),
      issued('at-2', { obtainedAt: T0 + 100_000, expiresAt: T0 + 200_000 }),
    ]);
    await cache.getToken();
    clock.now = T0 + 100_000;
    expect(await cache.renewAfterRejection('at-0')).toMatchObject({ token: { accessToken: 'at-2' }, fetched: true });
    expect(refreshTokens).toHaveLength(2);
  });

  test('rejectedOnReplay of a token no longer held changes nothing', async () => {
    const { cache } = cacheWith([issued('at-1')]);
    await cache.getToken();
    cache.rejectedOnReplay('at-0', { status: 401 });
    expect(cache.peek()?.accessToken).toBe('at-1');
    cache.rejectedOnReplay('at-1', { status: 401 });
    expect(cache.peek()).toBeUndefined();
  });
});

describe('detach', () => {
  test('after the lifecycle closed, a caller needing a token gets DetachedError and no token is asked for', async () => {
    const lifecycle = new Lifecycle();
    const { cache, refreshTokens } = cacheWith([issued('at-1')], {}, true, {}, lifecycle);
    lifecycle.close();
    await expect(cache.getToken()).rejects.toBeInstanceOf(DetachedError);
    expect(refreshTokens).toHaveLength(0);
  });
});
