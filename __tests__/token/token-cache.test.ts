/**
 * `TokenCache` (src/token/token-cache.ts) as a stage: fed the outcomes of its grant runner (the
 * `GrantRunner` below it replaced by a list of `GrantOutcome`s, the stage's contract), over the real
 * memory store through a `SafeStore`, on a controlled clock. Checked: the refresh token it hands the
 * runner, the background refresh and its retry delay, retire/invalidate/forceRenew, the failure
 * cache and what it shares, the lockout event, and the token events it emits.
 */
import axios from 'axios';
import {
  AccountLockedError,
  DetachedError,
  MemoryTokenStore,
  TokenRejectedError,
  TokenEndpointError,
  type OAuth2Options,
} from '../../src';
import { resolveOptions, type ResolvedOptions } from '../../src/options/validate-options';
import { SafeStore } from '../../src/store/safe-store';
import type { StoredToken } from '../../src/store/token-store';
import type { GrantOutcome, GrantRunner } from '../../src/token/grant-runner';
import { BACKGROUND_RETRY_MS, TokenCache } from '../../src/token/token-cache';
import { toStoredFailure } from '../../src/store/shared-failure';
import { OAuth2Error } from '../../src';
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
  shared?: { memory: MemoryTokenStore; clock: { now: number } },
) {
  const clock = shared?.clock ?? { now: T0 };
  const events: Array<[string, unknown]> = [];
  const hook =
    (name: string) =>
    (event: unknown): void => {
      events.push([name, event]);
    };
  const memory = shared?.memory ?? new MemoryTokenStore();
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
    // Strict: no `tenant` key (not even undefined) outside many tenants.
    expect(events).toStrictEqual([
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
        {
          kind: 'lockout',
          failure: { kind: 'lockout', status: 423, error: 'account_locked', body: { error: 'account_locked' } },
        },
        issued('at-1', { obtainedAt: T0 + 60_000, expiresAt: T0 + 160_000 }),
      ],
      { lockout: { initialCooldownMs: 60_000 } },
    );
    const error = (await cache.getToken().catch((e: unknown) => e)) as AccountLockedError;
    expect(error).toBeInstanceOf(AccountLockedError);
    expect(error.retryAfterMs).toBe(60_000);
    expect(events).toStrictEqual([
      [
        'lockoutOpened',
        { retryAt: T0 + 60_000, retryAfterMs: 60_000, consecutive: 1, error: 'account_locked', status: 423 },
      ],
    ]);
    expect(error.response).toEqual({ status: 423, statusText: '', headers: {}, data: { error: 'account_locked' } });
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

describe('outcomes not cached', () => {
  test('no token endpoint discovered: its error is thrown, and the next caller asks again', async () => {
    const error = new OAuth2Error('OAUTH2_DISCOVERY_FAILED', 'no token endpoint');
    const { cache, refreshTokens } = cacheWith([{ kind: 'discovery', error }, issued('at-1')]);
    await expect(cache.getToken()).rejects.toBe(error);
    expect((await cache.getToken()).accessToken).toBe('at-1');
    expect(refreshTokens).toHaveLength(2);
  });

  test('failureCacheMs 0: a permanent failure is never written to the store', async () => {
    const { cache, memory } = cacheWith([{ kind: 'failed', error: permanent() }], { failureCacheMs: 0 });
    const setFailure = jest.spyOn(memory, 'setFailure');
    await expect(cache.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(setFailure).not.toHaveBeenCalled();
  });

  test('invalidate() with no token held only clears (the store is asked to delete nothing in particular)', async () => {
    const { cache } = cacheWith([]);
    await expect(cache.invalidate()).resolves.toBeUndefined();
  });

  test('accepted() after a rejection takes any config: none, one without oauth2 state, one injected', async () => {
    const { cache } = cacheWith([issued('at-1'), issued('at-2')]);
    await cache.getToken();
    await cache.renewAfterRejection('at-1', [], { status: 401 });
    expect(() => cache.accepted(undefined)).not.toThrow();
    expect(() => cache.accepted({})).not.toThrow();
    expect(() => cache.accepted({ oauth2: { injected: true } })).not.toThrow();
  });
});

describe('another process, through the shared store', () => {
  const sharedStore = () => ({ memory: new MemoryTokenStore(), clock: { now: T0 } });

  test.each<[string, number, number, number]>([
    ['the trial succeeded as the cool-down ended', 1, 1_000, T0 + 1_000],
    ['a token obtained before the cool-down ended', 2, 2_000, T0 + 999],
  ])(
    'a shared token, %s: the next lockout here is number %i (cool-down %i ms)',
    async (_name, consecutive, retryAfterMs, obtainedAt) => {
      const shared = sharedStore();
      const lockout = (): GrantOutcome => ({ kind: 'lockout', failure: { kind: 'lockout', status: 423 } });
      const here = cacheWith(
        [lockout(), lockout()],
        { lockout: { initialCooldownMs: 1_000 } },
        false,
        {},
        undefined,
        shared,
      );
      await expect(here.cache.getToken()).rejects.toBeInstanceOf(AccountLockedError);
      shared.clock.now = T0 + 1_000;
      await shared.memory.setLockout(KEY, undefined);
      await shared.memory.set(KEY, tokenOf('at-other', { obtainedAt, expiresAt: obtainedAt + 100_000 }));
      expect((await here.cache.getToken()).accessToken).toBe('at-other');
      shared.clock.now = obtainedAt + 100_000;
      await expect(here.cache.getToken()).rejects.toBeInstanceOf(AccountLockedError);
      expect(here.events.at(-1)).toEqual([
        'lockoutOpened',
        expect.objectContaining({ consecutive, retryAfterMs }) as unknown,
      ]);
      expect(here.refreshTokens).toHaveLength(2);
    },
  );

  test('a shared token in its soft window is taken by a caller, not by a background refresh', async () => {
    const shared = sharedStore();
    const here = cacheWith(
      [issued('at-1'), issued('at-3', { obtainedAt: T0 + 90_000, expiresAt: T0 + 190_000 })],
      {},
      false,
      {},
      undefined,
      shared,
    );
    await here.cache.getToken();
    shared.clock.now = T0 + 90_000; // at-1 in its soft window
    await shared.memory.set(KEY, tokenOf('at-2')); // in its soft window too
    here.cache.peek();
    await flush();
    expect(here.refreshTokens).toHaveLength(2); // the background refresh did not take at-2
    expect(here.cache.peek()?.accessToken).toBe('at-3');

    const caller = cacheWith([], {}, false, {}, undefined, shared);
    await shared.memory.set(KEY, tokenOf('at-2'));
    expect((await caller.cache.getToken()).accessToken).toBe('at-2'); // a caller takes it
    expect(caller.refreshTokens).toHaveLength(0);
  });

  test('a fresh shared token is taken by a background refresh', async () => {
    const shared = sharedStore();
    const here = cacheWith([issued('at-1')], {}, false, {}, undefined, shared);
    await here.cache.getToken();
    shared.clock.now = T0 + 90_000;
    await shared.memory.set(KEY, tokenOf('at-2', { obtainedAt: T0 + 90_000, expiresAt: T0 + 190_000 }));
    here.cache.peek();
    await flush();
    expect(here.cache.peek()?.accessToken).toBe('at-2');
    expect(here.refreshTokens).toHaveLength(1);
  });

  test('a shared token in its hard window (expired for use, still in the store) is not taken', async () => {
    const shared = sharedStore();
    // Skew 10 s: at-1 (T0 … T0 + 100 s) must be renewed from T0 + 90 s, though the store keeps it until T0 + 100 s.
    const caller = cacheWith(
      [issued('at-2', { obtainedAt: T0 + 90_000, expiresAt: T0 + 190_000 })],
      { refreshSkewSeconds: 10 },
      false,
      {},
      undefined,
      shared,
    );
    await shared.memory.set(KEY, tokenOf('at-1'));
    shared.clock.now = T0 + 89_999;
    expect((await caller.cache.getToken()).accessToken).toBe('at-1');
    await caller.cache.invalidate();
    await shared.memory.set(KEY, tokenOf('at-1'));
    shared.clock.now = T0 + 90_000;
    expect(await shared.memory.get(KEY)).toMatchObject({ accessToken: 'at-1' });
    expect((await caller.cache.getToken()).accessToken).toBe('at-2');
    expect(caller.refreshTokens).toHaveLength(1);
  });

  test('the rejected token is never taken back from the store, even when its delete failed there', async () => {
    const shared = sharedStore();
    const here = cacheWith([issued('at-1'), issued('at-2')], {}, false, {}, undefined, shared);
    await here.cache.getToken();
    shared.memory.delete = () => Promise.resolve(); // another process wrote it back / the delete was lost
    expect(await here.cache.renewAfterRejection('at-1')).toMatchObject({
      token: { accessToken: 'at-2' },
      fetched: true,
    });
    expect(here.refreshTokens).toHaveLength(2);
  });

  test('a permanent failure another process shared: served here as one error until its end, then asked again', async () => {
    const shared = sharedStore();
    const here = cacheWith([issued('at-1')], { failureCacheMs: 5_000 }, false, {}, undefined, shared);
    const failure = toStoredFailure(permanent(), T0 + 2_000);
    if (!failure) throw new Error('expected a shareable failure');
    await shared.memory.setFailure(KEY, failure);
    const first = await here.cache.getToken().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(TokenEndpointError);
    shared.clock.now = T0 + 1_999;
    expect(await here.cache.getToken().catch((e: unknown) => e)).toBe(first);
    expect(here.refreshTokens).toHaveLength(0);
    shared.clock.now = T0 + 2_000;
    expect((await here.cache.getToken()).accessToken).toBe('at-1');
  });
});

describe('the rejection storm', () => {
  test('the second early rejection opens it even while a background flight is under way (the caller does not join it)', async () => {
    let land: (outcome: GrantOutcome) => void = () => undefined;
    const { cache, clock, refreshTokens } = cacheWith([
      issued('at-1'),
      issued('at-2', { obtainedAt: T0 + 1_000, expiresAt: T0 + 11_000 }), // soft window from T0 + 10 s
      () => new Promise<GrantOutcome>((resolve) => (land = resolve)),
    ]);
    await cache.getToken();
    clock.now = T0 + 1_000;
    await cache.renewAfterRejection('at-1', [], { status: 401 }); // early rejection 1 of 2
    clock.now = T0 + 10_500;
    cache.peek(); // at-2 in its soft window: a background flight starts, and stays under way
    await flush();
    expect(refreshTokens).toHaveLength(3);
    const renewing = cache.renewAfterRejection('at-2', [], { status: 401 }).catch((e: unknown) => e);
    land(issued('at-3', { obtainedAt: T0 + 10_500, expiresAt: T0 + 110_500 }));
    expect(await renewing).toBeInstanceOf(TokenRejectedError);
  });
});
