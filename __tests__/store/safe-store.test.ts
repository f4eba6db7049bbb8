/**
 * `SafeStore` (src/store/safe-store.ts): a store that fails or hangs never fails nor holds up a
 * request; each failure reaches `onStoreError` with its operation, free of the token values handed
 * to the store; the renewal lock's outcomes; what a store without the optional methods gives.
 */
import { StoreTimeoutError } from '../../src';
import { MemoryTokenStore } from '../../src/store/memory';
import { SafeStore } from '../../src/store/safe-store';
import type { StoredToken, TokenStore } from '../../src/store/token-store';

const KEY = 'k';
const TIMEOUT_MS = 1_000;

const token = (accessToken: string, refreshToken?: string): StoredToken => ({
  accessToken,
  tokenType: 'Bearer',
  obtainedAt: 0,
  ...(refreshToken === undefined ? {} : { refreshToken }),
});

type StoreError = { operation: string; error: unknown };

function wrap(store: TokenStore, options: { exclusive?: boolean; lockoutKey?: string } = {}) {
  const errors: StoreError[] = [];
  const safe = new SafeStore(
    store,
    KEY,
    { onStoreError: (event) => errors.push(event) },
    TIMEOUT_MS,
    options.exclusive,
    options.lockoutKey,
  );
  return { safe, errors };
}

/** A store whose every call never settles. */
const hanging = (): TokenStore => {
  const never = () => new Promise<never>(() => undefined);
  return { get: never, set: never, delete: never, getLockout: never, setLockout: never };
};

/** A store whose every call rejects with `error`. */
const failingWith = (error: Error): TokenStore => {
  const fail = () => Promise.reject(error);
  return { get: fail, set: fail, delete: fail, acquireLock: fail, getFailure: fail, setFailure: fail, subscribe: fail };
};

afterEach(() => jest.useRealTimers());

describe('a store that does not answer', () => {
  test(`each operation gives up after storeTimeoutMs (${TIMEOUT_MS} ms) exactly, reported as a StoreTimeoutError`, async () => {
    jest.useFakeTimers();
    const { safe, errors } = wrap(hanging());
    let settled = false;
    const got = safe.get().then((value) => ((settled = true), value));
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(settled).toBe(false);
    expect(safe.failing).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(got).resolves.toBeUndefined();
    expect(safe.failing).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0].operation).toBe('get');
    expect(errors[0].error).toBeInstanceOf(StoreTimeoutError);
    expect(errors[0].error).toMatchObject({
      code: 'OAUTH2_STORE_TIMEOUT',
      operation: 'get',
      timeoutMs: TIMEOUT_MS,
      message: `The token store did not answer "get" within ${TIMEOUT_MS} ms`,
    });
  });

  test('set, delete and the lockout calls each report their own operation', async () => {
    jest.useFakeTimers();
    const { safe, errors } = wrap(hanging());
    const all = Promise.all([
      safe.set(token('tok-1')),
      safe.delete('tok-1'),
      safe.getLockout(),
      safe.setLockout({ until: 1, consecutive: 1 }),
    ]);
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS);
    await expect(all).resolves.toEqual([undefined, undefined, undefined, undefined]);
    expect(errors.map((e) => [e.operation, (e.error as StoreTimeoutError).operation])).toEqual([
      ['set', 'set'],
      ['delete', 'delete'],
      ['lockout', 'lockout'],
      ['lockout', 'lockout'],
    ]);
  });
});

describe('a store that fails', () => {
  test('failing is true after a failed call, false again after the next successful one', async () => {
    const memory = new MemoryTokenStore();
    let broken = true;
    const store: TokenStore = {
      get: (key) => (broken ? Promise.reject(new Error('ECONNREFUSED')) : memory.get(key)),
      set: (key, t) => memory.set(key, t),
      delete: (key) => memory.delete(key),
    };
    const { safe, errors } = wrap(store);
    expect(safe.failing).toBe(false);
    await expect(safe.get()).resolves.toBeUndefined();
    expect(safe.failing).toBe(true);
    expect(errors).toEqual([{ operation: 'get', error: new Error('ECONNREFUSED') }]);
    broken = false;
    await safe.set(token('tok-1'));
    expect(safe.failing).toBe(false);
    await expect(safe.get()).resolves.toEqual(token('tok-1'));
  });

  test('a call that answers (or fails) in time leaves no time-out timer behind', async () => {
    jest.useFakeTimers();
    const memory = new MemoryTokenStore();
    const { safe } = wrap(memory);
    await safe.set(token('tok-1'));
    await expect(safe.get()).resolves.toEqual(token('tok-1'));
    await wrap(failingWith(new Error('down'))).safe.get();
    expect(jest.getTimerCount()).toBe(0);
  });

  test("the store's error is reported as it is when it quotes no token", async () => {
    const error = new Error('READONLY You cannot write against a read only replica.');
    const { safe, errors } = wrap(failingWith(error));
    await safe.set(token('tok-secret-1'));
    expect(errors).toHaveLength(1);
    expect(errors[0].error).toBe(error);
  });

  test('an error quoting the access or refresh token handed to set, or the token given to delete, reaches onStoreError scrubbed', async () => {
    const quoting = (value: string) => Object.assign(new Error(`bad command with ${value}`), { code: 'ERR' });
    const store: TokenStore = {
      get: () => Promise.resolve(undefined),
      set: (_key, t) => Promise.reject(quoting(`${t.accessToken} ${t.refreshToken ?? ''}`)),
      delete: (_key, ifAccessToken) => Promise.reject(quoting(ifAccessToken ?? '')),
    };
    const { safe, errors } = wrap(store);
    await safe.set(token('access-AAAA', 'refresh-RRRR'));
    await safe.delete('older-OOOO');
    // Values as short as 4 characters are scrubbed too.
    await safe.set(token('AAAA', 'RRRR'));
    await safe.delete('OOOO');
    expect(errors.map((e) => e.operation)).toEqual(['set', 'delete', 'set', 'delete']);
    for (const { error } of errors) {
      const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)}`;
      expect(text).not.toMatch(/AAAA|RRRR|OOOO/);
      expect(error).toMatchObject({ name: 'Error', code: 'ERR' });
      expect((error as Error).message).toMatch(/^bad command with /);
    }
  });

  test('a subscription that fails is reported (operation subscribe) but does not mark the store failing: polling still works', async () => {
    const { safe, errors } = wrap(failingWith(new Error('pubsub down')));
    await expect(safe.subscribe(() => undefined)).resolves.toBeUndefined();
    expect(errors).toEqual([{ operation: 'subscribe', error: new Error('pubsub down') }]);
    expect(safe.failing).toBe(false);
  });

  test('getFailure and setFailure report operation failure', async () => {
    const { safe, errors } = wrap(failingWith(new Error('down')));
    await expect(safe.getFailure()).resolves.toBeUndefined();
    await safe.setFailure(undefined);
    expect(errors.map((e) => e.operation)).toEqual(['failure', 'failure']);
  });
});

describe('renewal lock', () => {
  test("the attachment's own store (exclusive): no lock, renew here", async () => {
    const memory = new MemoryTokenStore();
    const { safe } = wrap(memory, { exclusive: true });
    expect(safe.ownedByAttachment).toBe(true);
    await expect(safe.acquireLock()).resolves.toEqual({ status: 'none' });
    expect(await memory.acquireLock(KEY)).toBeInstanceOf(Function); // never taken
  });

  test('a shared store without acquireLock: none', async () => {
    const memory = new MemoryTokenStore();
    const { safe } = wrap({
      get: (k) => memory.get(k),
      set: (k, t) => memory.set(k, t),
      delete: (k) => memory.delete(k),
    });
    expect(safe.ownedByAttachment).toBe(false);
    await expect(safe.acquireLock()).resolves.toEqual({ status: 'none' });
  });

  test('won, then released through the store; lost while another holds it', async () => {
    const memory = new MemoryTokenStore();
    const { safe } = wrap(memory);
    const won = await safe.acquireLock();
    expect(won.status).toBe('won');
    await expect(safe.acquireLock()).resolves.toEqual({ status: 'lost' });
    await (won as { release: () => Promise<void> }).release();
    expect(await memory.acquireLock(KEY)).toBeInstanceOf(Function);
  });

  test('a store that fails to lock: none (renew here), reported as operation lock, store marked failing', async () => {
    const { safe, errors } = wrap(failingWith(new Error('down')));
    await expect(safe.acquireLock()).resolves.toEqual({ status: 'none' });
    expect(errors).toEqual([{ operation: 'lock', error: new Error('down') }]);
    expect(safe.failing).toBe(true);
  });

  test('a lock that answers after storeTimeoutMs: none, and the lock won late is released at once', async () => {
    jest.useFakeTimers();
    const memory = new MemoryTokenStore();
    let answer!: () => void;
    const store: TokenStore = {
      get: (k) => memory.get(k),
      set: (k, t) => memory.set(k, t),
      delete: (k) => memory.delete(k),
      acquireLock: (k) => new Promise((resolve) => (answer = () => resolve(memory.acquireLock(k)))),
    };
    const { safe, errors } = wrap(store);
    const taking = safe.acquireLock();
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS);
    await expect(taking).resolves.toEqual({ status: 'none' });
    expect(
      errors.map((e) => [e.operation, (e.error as StoreTimeoutError).code, (e.error as StoreTimeoutError).operation]),
    ).toEqual([['lock', 'OAUTH2_STORE_TIMEOUT', 'lock']]);
    expect(safe.failing).toBe(true);
    answer();
    await jest.advanceTimersByTimeAsync(0);
    expect(await memory.acquireLock(KEY)).toBeInstanceOf(Function); // released, not left to lapse
  });

  test('a lock won after a failed call: the store is no longer marked failing', async () => {
    const memory = new MemoryTokenStore();
    const store: TokenStore = {
      get: () => Promise.reject(new Error('timeout')),
      set: (k, t) => memory.set(k, t),
      delete: (k) => memory.delete(k),
      acquireLock: (k) => memory.acquireLock(k),
    };
    const { safe } = wrap(store);
    await safe.get();
    expect(safe.failing).toBe(true);
    expect((await safe.acquireLock()).status).toBe('won');
    expect(safe.failing).toBe(false);
  });

  test('a release that fails is reported as operation lock, and resolves', async () => {
    const memory = new MemoryTokenStore();
    const store: TokenStore = {
      get: (k) => memory.get(k),
      set: (k, t) => memory.set(k, t),
      delete: (k) => memory.delete(k),
      acquireLock: () => Promise.resolve(() => Promise.reject(new Error('connection lost'))),
    };
    const { safe, errors } = wrap(store);
    const won = await safe.acquireLock();
    await expect((won as { release: () => Promise<void> }).release()).resolves.toBeUndefined();
    expect(errors).toEqual([{ operation: 'lock', error: new Error('connection lost') }]);
    expect(safe.failing).toBe(true);
  });

  test('a lock won in time is kept', async () => {
    const memory = new MemoryTokenStore();
    const store: TokenStore = {
      get: (k) => memory.get(k),
      set: (k, t) => memory.set(k, t),
      delete: (k) => memory.delete(k),
      acquireLock: (k) => new Promise((resolve) => setImmediate(() => resolve(memory.acquireLock(k)))),
    };
    const { safe } = wrap(store);
    const won = await safe.acquireLock();
    expect(won.status).toBe('won');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await memory.acquireLock(KEY)).toBeUndefined();
  });

  test("lockWaitMs: the store's own, else 10 s", () => {
    expect(wrap(new MemoryTokenStore()).safe.lockWaitMs).toBe(30_000);
    expect(wrap(hanging()).safe.lockWaitMs).toBe(10_000);
  });
});

describe('lockouts and failures', () => {
  test("a lockout is shared under the attachment's key, whichever token the store serves", async () => {
    const memory = new MemoryTokenStore();
    const { safe } = wrap(memory, { lockoutKey: 'client' });
    const lockout = { until: Number.MAX_SAFE_INTEGER, consecutive: 1 };
    await safe.setLockout(lockout);
    expect(await memory.getLockout('client')).toEqual(lockout);
    expect(await memory.getLockout(KEY)).toBeUndefined();
    await expect(safe.getLockout()).resolves.toEqual(lockout);
    await safe.setLockout(undefined);
    expect(await memory.getLockout('client')).toBeUndefined();
  });

  test("a failure is shared under the token's own key", async () => {
    const memory = new MemoryTokenStore();
    const { safe } = wrap(memory, { lockoutKey: 'client' });
    const failure = { until: Number.MAX_SAFE_INTEGER, message: 'invalid_scope', attempts: 1 };
    await safe.setFailure(failure);
    expect(await memory.getFailure(KEY)).toEqual(failure);
    await expect(safe.getFailure()).resolves.toEqual(failure);
  });

  test('a store without the optional methods: no lockout, no failure, no subscription, nothing reported', async () => {
    const memory = new MemoryTokenStore();
    const { safe, errors } = wrap({
      get: (k) => memory.get(k),
      set: (k, t) => memory.set(k, t),
      delete: (k) => memory.delete(k),
    });
    await expect(safe.getLockout()).resolves.toBeUndefined();
    await expect(safe.setLockout({ until: 1, consecutive: 1 })).resolves.toBeUndefined();
    await expect(safe.getFailure()).resolves.toBeUndefined();
    await expect(safe.setFailure({ until: 1, message: 'm', attempts: 1 })).resolves.toBeUndefined();
    await expect(safe.subscribe(() => undefined)).resolves.toBeUndefined();
    expect(errors).toEqual([]);
  });

  test('a subscription hands back the function that stops it', async () => {
    const memory = new MemoryTokenStore();
    const { safe } = wrap(memory);
    const calls: number[] = [];
    const stop = await safe.subscribe(() => calls.push(1));
    await memory.set(KEY, token('tok-1'));
    stop!();
    await memory.set(KEY, token('tok-2'));
    expect(calls).toEqual([1]);
  });
});
