import axios, { CanceledError, isCancel } from 'axios';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AccountLockedError,
  attachOAuth2,
  DetachedError,
  MemoryTokenStore,
  OAuth2Error,
  StoreTimeoutError,
  type StoredToken,
  type TokenStore,
} from '../../src';
import {
  tokenBody,
  CLIENT_ID,
  CLIENT_SECRET,
  TOKEN_URL,
  createCore,
  deferred,
  flush,
  T0,
  type Reply,
} from '../helpers/harness';

/** 'pending' when `promise` has not settled once every queued callback ran (no timer fires). */
async function settledNow<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown } | 'pending'> {
  const tracked = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return Promise.race([
    tracked,
    flush()
      .then(() => flush())
      .then(() => 'pending' as const),
  ]);
}

const FAKE: Parameters<typeof jest.useFakeTimers>[0] = {
  now: T0,
  doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
};
// Tests that fake the timers (`jest.useFakeTimers(FAKE)`) get the real ones back, whatever happened.
afterEach(() => {
  jest.useRealTimers();
});

describe('item 12: an axios CancelToken is honoured while a request waits', () => {
  test('cancel while waiting for the shared token fetch: rejects at once with the caller’s Cancel; the fetch goes on for the others', async () => {
    const core = createCore();
    const gate = deferred<Reply>();
    core.tokenQueue.push(() => gate.promise);
    const source = axios.CancelToken.source();
    const others = [1, 2, 3].map((i) => core.api.get(`/others/${i}`));
    const canceled = core.api.get('/canceled', { cancelToken: source.token });
    await flush();
    expect(core.tokenCalls).toHaveLength(1);

    source.cancel('the user gave up');
    const result = await settledNow(canceled);
    expect(result).not.toBe('pending');
    const error = (result as { error: unknown }).error;
    expect(isCancel(error)).toBe(true);
    expect(error).toBeInstanceOf(CanceledError);
    expect((error as Error).message).toBe('the user gave up');

    gate.resolve([200, tokenBody('tok-1')]);
    const responses = await Promise.all(others);
    expect(responses.map((r) => r.data.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
    expect(core.tokenCalls).toHaveLength(1);
    expect(core.apiCalls.map((c) => c.url)).toEqual(['/others/1', '/others/2', '/others/3']);
  });

  test('cancel while waiting for the renewal before a replay: rejects at once, not replayed; the others are replayed', async () => {
    const core = createCore();
    await core.api.get('/warm-up');
    core.validTokens = new Set(['tok-2']);
    const gate = deferred<Reply>();
    core.tokenQueue.push(() => gate.promise);
    const source = axios.CancelToken.source();
    const other = core.api.get('/other');
    const canceled = core.api.get('/canceled', { cancelToken: source.token });
    await flush();
    expect(core.tokenCalls).toHaveLength(2);

    source.cancel();
    const result = await settledNow(canceled);
    expect(result).not.toBe('pending');
    expect(isCancel((result as { error: unknown }).error)).toBe(true);

    gate.resolve([200, tokenBody('tok-2')]);
    expect((await other).data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(2);
    expect(core.apiCalls.map((c) => `${c.url} ${c.authorization}`)).toEqual([
      '/warm-up Bearer tok-1',
      '/other Bearer tok-1',
      '/canceled Bearer tok-1',
      '/other Bearer tok-2',
    ]);
  });

  test('a CancelToken canceled during a lockout wait (whileLocked: wait) rejects at once and leaves no timer', async () => {
    jest.useFakeTimers(FAKE);
    const core = createCore({
      useClock: false,
      options: { lockout: { whileLocked: 'wait', initialCooldownMs: 60_000 }, random: () => 0 },
    });
    core.tokenQueue.push([400, { error: 'unauthorized_client' }]);
    const source = axios.CancelToken.source();
    const waiting = core.api.get('/x', { cancelToken: source.token });
    await flush();
    expect(core.tokenCalls).toHaveLength(1);
    source.cancel('stop');
    const result = await settledNow(waiting);
    expect(isCancel((result as { error: unknown }).error)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('item 13: detach() stops the renewal and settles every waiting caller', () => {
  test('detach during a token fetch retrying 503s: the pending request rejects with DetachedError at once, no further token call, no timer left', async () => {
    jest.useFakeTimers(FAKE);
    const core = createCore({
      useClock: false,
      options: { retry: { retries: 5, baseDelayMs: 1000, maxDelayMs: 10_000 }, random: () => 0 },
    });
    for (let i = 0; i < 6; i++) core.tokenQueue.push([503, 'busy']);
    const pending = core.api.get('/x');
    const viaHandle = core.auth.getAccessToken();
    await flush();
    expect(core.tokenCalls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(500); // first retry delay: 1000 / 2 (jitter 0)
    expect(core.tokenCalls).toHaveLength(2);
    expect(jest.getTimerCount()).toBe(1); // the second retry's sleep

    core.auth.detach();
    for (const promise of [pending, viaHandle]) {
      const result = await settledNow(promise as Promise<unknown>);
      expect(result).not.toBe('pending');
      const error = (result as { error: unknown }).error;
      expect(error).toBeInstanceOf(DetachedError);
      expect(error).toBeInstanceOf(OAuth2Error);
      expect((error as DetachedError).code).toBe('OAUTH2_DETACHED');
    }
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(core.tokenCalls).toHaveLength(2);
    expect(core.apiCalls).toHaveLength(0);
  });

  test('detach during a lockout wait (whileLocked: wait): the waiter rejects with DetachedError, no timer left', async () => {
    jest.useFakeTimers(FAKE);
    const core = createCore({
      useClock: false,
      options: { lockout: { whileLocked: 'wait', initialCooldownMs: 60_000 }, random: () => 0 },
    });
    core.tokenQueue.push([400, { error: 'unauthorized_client' }]);
    const waiting = core.api.get('/x');
    await flush();
    expect(jest.getTimerCount()).toBe(1);
    core.auth.detach();
    const result = await settledNow(waiting);
    expect((result as { error: unknown }).error).toBeInstanceOf(DetachedError);
    expect(jest.getTimerCount()).toBe(0);
    expect(core.tokenCalls).toHaveLength(1);
  });

  describe('against a real loopback token endpoint that never answers', () => {
    let server: Server;
    let held: IncomingMessage[];
    let closed: Promise<void>;
    let url: string;

    beforeEach(async () => {
      held = [];
      let onClose!: () => void;
      closed = new Promise((resolve) => (onClose = resolve));
      server = createServer((req) => {
        held.push(req);
        req.resume();
        req.socket.on('close', onClose);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    test('detach aborts the in-flight token request (the server sees the connection closed) and the request rejects', async () => {
      const api = axios.create({ baseURL: `${url}/api` });
      const handle = attachOAuth2(api, {
        tokenUrl: `${url}/token`,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      });
      const pending = api.get('/me').catch((error: unknown) => error);
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      handle.detach();
      expect(await pending).toBeInstanceOf(DetachedError);
      await closed; // the token request's socket was closed by the client
      expect(held).toHaveLength(1);
    });
  });
});

/** A store whose chosen operations never settle. */
function hangingStore(hang: Array<keyof TokenStore>): TokenStore & { calls: string[] } {
  const inner = new MemoryTokenStore();
  const calls: string[] = [];
  const never = new Promise<never>(() => undefined);
  return {
    calls,
    get: (key) => (calls.push('get'), hang.includes('get') ? never : inner.get(key)),
    set: (key, token: StoredToken) => (calls.push('set'), hang.includes('set') ? never : inner.set(key, token)),
    delete: (key, only) => (calls.push('delete'), hang.includes('delete') ? never : inner.delete(key, only)),
  };
}

describe('item 14: a store that never answers cannot hang requests', () => {
  test('get never resolves: the request succeeds after storeTimeoutMs (default 3000) with exactly 1 token call; onStoreError reports a StoreTimeoutError; no timer left', async () => {
    jest.useFakeTimers(FAKE);
    const store = hangingStore(['get']);
    const errors: Array<{ operation: string; error: unknown }> = [];
    const core = createCore({
      useClock: false,
      options: { store, hooks: { onStoreError: (e) => errors.push(e) } },
    });
    const request = core.api.get('/x');
    await jest.advanceTimersByTimeAsync(2999);
    expect(await settledNow(request)).toBe('pending');
    expect(core.tokenCalls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    const response = await request;
    expect(response.data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0].operation).toBe('get');
    expect(errors[0].error).toBeInstanceOf(StoreTimeoutError);
    expect((errors[0].error as StoreTimeoutError).code).toBe('OAUTH2_STORE_TIMEOUT');
    expect(store.calls).toEqual(['get', 'set']);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('storeTimeoutMs bounds set too; the token is served from memory afterwards', async () => {
    jest.useFakeTimers(FAKE);
    const store = hangingStore(['set']);
    const errors: string[] = [];
    const core = createCore({
      useClock: false,
      options: { store, storeTimeoutMs: 250, hooks: { onStoreError: (e) => errors.push(e.operation) } },
    });
    const request = core.api.get('/x');
    await jest.advanceTimersByTimeAsync(249);
    expect(await settledNow(request)).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect((await request).data.authorization).toBe('Bearer tok-1');
    expect((await core.api.get('/y')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
    expect(errors).toEqual(['set']);
  });

  test('a lock won after the time-out is released at once', async () => {
    jest.useFakeTimers(FAKE);
    const late = deferred<(() => Promise<void>) | undefined>();
    const released = jest.fn(() => Promise.resolve());
    const store: TokenStore = { ...new MemoryTokenStore(), ...hangingStore([]), acquireLock: () => late.promise };
    const core = createCore({ useClock: false, options: { store, storeTimeoutMs: 100 } });
    const request = core.api.get('/x');
    await jest.advanceTimersByTimeAsync(100);
    expect((await request).data.authorization).toBe('Bearer tok-1');
    expect(released).not.toHaveBeenCalled();
    late.resolve(released);
    await flush();
    expect(released).toHaveBeenCalledTimes(1);
  });
});

describe('item 15: durations follow a monotonic clock, not the wall clock', () => {
  test('the wall clock stepping back one hour does not stretch a 2 s lockout cool-down', async () => {
    jest.useFakeTimers(FAKE);
    const core = createCore({
      useClock: false,
      options: { lockout: { initialCooldownMs: 2000 }, random: () => 0 },
    });
    core.tokenQueue.push([400, { error: 'unauthorized_client' }]);
    const first = await core.api.get('/a').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AccountLockedError);
    expect((first as AccountLockedError).retryAfterMs).toBe(2000);

    jest.setSystemTime(Date.now() - 3_600_000); // NTP steps the wall clock back one hour
    await jest.advanceTimersByTimeAsync(1999);
    const still = await core.api.get('/b').catch((e: unknown) => e);
    expect(still).toBeInstanceOf(AccountLockedError);
    expect((still as AccountLockedError).retryAfterMs).toBe(1);

    await jest.advanceTimersByTimeAsync(1);
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('the wall clock stepping forward two hours does not expire a one-hour token', async () => {
    jest.useFakeTimers(FAKE);
    const core = createCore({ useClock: false, lifetimeSeconds: 3600 });
    expect((await core.api.get('/a')).data.authorization).toBe('Bearer tok-1');
    jest.setSystemTime(Date.now() + 7_200_000);
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
    // Real elapsed time still counts: after 3600 s - 30 s of skew, a new token.
    await jest.advanceTimersByTimeAsync(3_570_000);
    expect((await core.api.get('/c')).data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('an injected clock is still used as is', async () => {
    const core = createCore({ lifetimeSeconds: 100 });
    await core.api.get('/a');
    core.clock.now = T0 + 100_000;
    expect((await core.api.get('/b')).data.authorization).toBe('Bearer tok-2');
  });
});

describe('item 18: attachments sharing a MemoryTokenStore share one renewal', () => {
  test('2 instances, one store, 10 concurrent requests each on a cold start: exactly 1 token call, no polling timer needed', async () => {
    jest.useFakeTimers(FAKE);
    const store = new MemoryTokenStore();
    const a = createCore({ useClock: false, options: { store } });
    const b = createCore({ useClock: false, options: { store } });
    expect(a.auth.cacheKey).toBe(b.auth.cacheKey);
    const requests = [a, b].flatMap((core) => Array.from({ length: 10 }, (_, i) => core.api.get(`/r/${i}`)));
    // No timer is advanced: the waiting attachment is woken when the token is stored.
    const all = await settledNow(Promise.all(requests));
    expect(all).not.toBe('pending');
    const responses = (all as { value: Array<{ data: { authorization: string } }> }).value;
    expect(new Set(responses.map((r) => r.data.authorization))).toEqual(new Set(['Bearer tok-1']));
    expect(a.tokenCalls.length + b.tokenCalls.length).toBe(1);
  });

  test('the lock holder fails transiently: the waiting attachment takes the lock and renews itself', async () => {
    const store = new MemoryTokenStore();
    const a = createCore({ options: { store, retry: { retries: 0 } } });
    const b = createCore({ options: { store } });
    const gate = deferred<Reply>();
    a.tokenQueue.push(() => gate.promise);
    const first = a.api.get('/a').catch((e: unknown) => e);
    await flush();
    const second = b.api.get('/b');
    await flush();
    expect(b.tokenCalls).toHaveLength(0);
    // A transient failure is not shared (a permanent one is: see shared-failure.test.ts).
    gate.resolve([503, { error: 'temporarily_unavailable' }]);
    expect(await first).toBeInstanceOf(OAuth2Error);
    expect((await second).data.authorization).toBe('Bearer tok-1');
    expect(a.tokenCalls.length + b.tokenCalls.length).toBe(2);
  });

  test('the memory store’s lock: one holder at a time, released by its release function', async () => {
    const store = new MemoryTokenStore();
    const release = await store.acquireLock('k');
    expect(release).toBeInstanceOf(Function);
    expect(await store.acquireLock('k')).toBeUndefined();
    expect(await store.acquireLock('other')).toBeInstanceOf(Function);
    await release!();
    expect(await store.acquireLock('k')).toBeInstanceOf(Function);
  });

  test('options: storeTimeoutMs must be a positive number', () => {
    const api = axios.create();
    const base = { tokenUrl: TOKEN_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
    expect(() => attachOAuth2(api, { ...base, storeTimeoutMs: 0 })).toThrow(/storeTimeoutMs/);
  });
});
