/**
 * How a process waits for another one's renewal on a shared store (src/store/shared-renewal.ts),
 * under fake timers: the poll delays of a store without notifications, the rounds of `lockWaitMs`
 * before renewing here regardless, the wake-up by a notification, the store going away while
 * waiting, and the shared failure or lockout read with the time its read took counted.
 */
import { MemoryTokenStore } from '../../src/store/memory';
import { SafeStore } from '../../src/store/safe-store';
import { MAX_LOCK_ROUNDS, SharedRenewal, type RenewalPolicy } from '../../src/store/shared-renewal';
import type { StoredFailure, StoredLockout, StoredToken, TokenStore } from '../../src/store/token-store';

const KEY = 'k';
const T0 = 1_000_000;

const token = (accessToken: string): StoredToken => ({
  accessToken,
  tokenType: 'Bearer',
  obtainedAt: T0,
  expiresAt: T0 + 3_600_000,
});

const takesAny: RenewalPolicy = {
  takes: () => true,
  lockedOut: (lockout, now) => lockout !== undefined && lockout.until > now,
};

const elapsed = () => Date.now() - T0;

/**
 * A shared store on a MemoryTokenStore whose renewal lock another process holds for ever (unless
 * `lockFree`), without notifications unless `notifies`; every read and lock attempt is logged with
 * the time it was made.
 */
function sharedStore(setup: { lockWaitMs?: number; notifies?: boolean } = {}) {
  const memory = new MemoryTokenStore();
  memory.useClock(() => Date.now());
  const log: Array<[string, number]> = [];
  const state = { lockFree: false, down: false, lockDown: false, stops: 0 };
  const down = () => Promise.reject(new Error('ECONNRESET'));
  const store: TokenStore = {
    lockWaitMs: setup.lockWaitMs ?? 1_000,
    get: (key) => (log.push(['get', elapsed()]), state.down ? down() : memory.get(key)),
    set: (key, t) => memory.set(key, t),
    delete: (key) => memory.delete(key),
    acquireLock: (key) => {
      log.push(['lock', elapsed()]);
      if (state.down || state.lockDown) return down();
      return state.lockFree ? memory.acquireLock(key) : Promise.resolve(undefined);
    },
    getFailure: (key) => memory.getFailure(key),
    setFailure: (key, f) => memory.setFailure(key, f),
    getLockout: (key) => memory.getLockout(key),
    setLockout: (key, l) => memory.setLockout(key, l),
    ...(setup.notifies
      ? {
          subscribe: async (key: string, listener: () => void) => {
            const stop = await memory.subscribe(key, listener);
            return () => (state.stops++, stop());
          },
        }
      : {}),
  };
  const errors: string[] = [];
  const safe = new SafeStore(store, KEY, { onStoreError: (e) => errors.push(e.operation) }, 60_000);
  return { memory, log, state, errors, renewal: new SharedRenewal(safe, () => Date.now()) };
}

const times = (log: Array<[string, number]>, what: string) => log.filter(([w]) => w === what).map(([, t]) => t);

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

test(`a holder that never stores nor releases: polled at 25, 50, 100, 200, 400 ms then every 500 ms, for ${MAX_LOCK_ROUNDS} rounds of lockWaitMs, then renewed here without the lock`, async () => {
  const { log, renewal } = sharedStore({ lockWaitMs: 2_000 });
  let start: unknown;
  void renewal.begin(takesAny).then((s) => (start = s));
  await jest.advanceTimersByTimeAsync(3 * 2_000 - 1);
  expect(start).toBeUndefined();
  await jest.advanceTimersByTimeAsync(1);
  expect(start).toEqual({ kind: 'renew' });
  const round = [0, 25, 75, 175, 375, 775, 1_275, 1_775, 2_000];
  expect(times(log, 'get')).toEqual([...round, ...round.map((t) => t + 2_000), ...round.map((t) => t + 4_000), 6_000]);
  // Each round tries the lock at its start and at each poll; the fourth one does not try it.
  expect(times(log, 'lock')).toEqual([...round, ...round.map((t) => t + 2_000), ...round.map((t) => t + 4_000)]);
});

test("the holder's token without a notification: taken at the next poll", async () => {
  const { memory, log, renewal } = sharedStore();
  const begun = renewal.begin(takesAny);
  await jest.advanceTimersByTimeAsync(30);
  await memory.set(KEY, token('from-holder'));
  await jest.advanceTimersByTimeAsync(45);
  await expect(begun).resolves.toEqual({ kind: 'token', token: token('from-holder') });
  expect(times(log, 'get')).toEqual([0, 25, 75]);
});

test("the holder's token with a notification: taken at once, and the waiter stops listening", async () => {
  const { memory, log, state, renewal } = sharedStore({ notifies: true });
  const begun = renewal.begin(takesAny);
  await jest.advanceTimersByTimeAsync(30);
  await memory.set(KEY, token('from-holder'));
  await jest.advanceTimersByTimeAsync(0);
  await expect(begun).resolves.toEqual({ kind: 'token', token: token('from-holder') });
  expect(times(log, 'get')).toEqual([0, 25, 30]);
  expect(state.stops).toBe(1);
  expect(jest.getTimerCount()).toBe(0); // the poll timer cut short by the notification is cleared
});

test('the holder releases the lock without a token: taken over at the next poll, the token read again under it', async () => {
  const { log, state, renewal } = sharedStore();
  const begun = renewal.begin(takesAny);
  await jest.advanceTimersByTimeAsync(30);
  state.lockFree = true;
  await jest.advanceTimersByTimeAsync(45);
  const start = await begun;
  expect(start.kind).toBe('renew');
  expect(start.release).toBeInstanceOf(Function);
  expect(times(log, 'lock')).toEqual([0, 25, 75]);
  expect(times(log, 'get')).toEqual([0, 25, 75, 75]);
  await start.release!();
});

test('the store goes away while waiting: the wait ends at the next poll and the renewal happens here, not after lockWaitMs', async () => {
  const { log, state, errors, renewal } = sharedStore();
  const begun = renewal.begin(takesAny);
  await jest.advanceTimersByTimeAsync(30);
  state.down = true;
  await jest.advanceTimersByTimeAsync(45);
  await expect(begun).resolves.toEqual({ kind: 'renew' });
  expect(times(log, 'get')).toEqual([0, 25, 75, 75]);
  expect(errors).toEqual(['get', 'get', 'lock']);
});

test('the lock fails while waiting though reads work: the wait ends at once and the renewal happens here', async () => {
  const { log, state, errors, renewal } = sharedStore();
  const begun = renewal.begin(takesAny);
  await jest.advanceTimersByTimeAsync(30);
  state.lockDown = true; // reads still answer; the lock command fails
  await jest.advanceTimersByTimeAsync(45);
  await expect(begun).resolves.toEqual({ kind: 'renew' });
  // At the poll (ends the wait), then at the next round's start (renew here).
  expect(times(log, 'lock')).toEqual([0, 25, 75, 75]);
  expect(times(log, 'get')).toEqual([0, 25, 75, 75]);
  expect(errors).toEqual(['lock', 'lock']);
});

test('a lockout stored by the holder while waiting stops the wait (kind locked) at the next poll', async () => {
  const { memory, renewal } = sharedStore();
  const begun = renewal.begin(takesAny);
  await jest.advanceTimersByTimeAsync(30);
  await memory.setLockout(KEY, { until: T0 + 60_000, consecutive: 1 });
  await jest.advanceTimersByTimeAsync(45);
  await expect(begun).resolves.toEqual({ kind: 'locked' });
});

test('detach while waiting: begin rejects at once with the cancellation', async () => {
  const memory = new MemoryTokenStore();
  memory.useClock(() => Date.now());
  await memory.acquireLock(KEY);
  const controller = new AbortController();
  const renewal = new SharedRenewal(new SafeStore(memory, KEY, {}, 1_000), () => Date.now(), controller.signal);
  const begun = renewal.begin(takesAny);
  const outcome = begun.then(
    () => 'resolved',
    (error: Error) => error.name,
  );
  await jest.advanceTimersByTimeAsync(10);
  controller.abort();
  await jest.advanceTimersByTimeAsync(0);
  await expect(outcome).resolves.toBe('CanceledError');
});

describe('a shared failure or lockout read with what remains of it', () => {
  /** A store whose lockout and failure reads each take `readMs`, answering what remains as measured when asked. */
  function slowReads(readMs: number, shared: { failure?: StoredFailure; lockout?: StoredLockout }) {
    const later = <T>(value: T) =>
      readMs === 0 ? Promise.resolve(value) : new Promise<T>((resolve) => setTimeout(() => resolve(value), readMs));
    const memory = new MemoryTokenStore();
    const store: TokenStore = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      getFailure: () => later(shared.failure),
      getLockout: () => later(shared.lockout),
      acquireLock: (key) => memory.acquireLock(key),
    };
    return new SharedRenewal(new SafeStore(store, KEY, {}, 60_000), () => Date.now());
  }

  test('the time the read took is taken off remainingMs before the policy sees it', async () => {
    const seen: Array<[StoredLockout | undefined, number]> = [];
    const renewal = slowReads(300, { lockout: { until: 0, remainingMs: 1_000, consecutive: 1 } });
    const begun = renewal.begin({ takes: () => true, lockedOut: (l, now) => (seen.push([l, now - T0]), true) });
    await jest.advanceTimersByTimeAsync(300);
    await expect(begun).resolves.toEqual({ kind: 'locked' });
    expect(seen).toEqual([[{ until: 0, remainingMs: 700, consecutive: 1 }, 300]]);
  });

  test('a read slower than what remained: nothing remains (not a negative time)', async () => {
    const seen: Array<StoredLockout | undefined> = [];
    const renewal = slowReads(300, { lockout: { until: 0, remainingMs: 200, consecutive: 1 } });
    const begun = renewal.begin({ takes: () => true, lockedOut: (l) => (seen.push(l), false) });
    await jest.advanceTimersByTimeAsync(600); // read before taking the lock, and again under it
    const start = await begun;
    expect(start.kind).toBe('renew');
    expect(seen[0]).toEqual({ until: 0, remainingMs: 0, consecutive: 1 });
    await start.release?.();
  });

  test('an instant read, or a lockout without remainingMs: handed over as read', async () => {
    const lockout = { until: T0 + 5_000, consecutive: 1 };
    const seen: Array<StoredLockout | undefined> = [];
    const renewal = slowReads(0, { lockout });
    const begun = renewal.begin({ takes: () => true, lockedOut: (l) => (seen.push(l), true) });
    await jest.advanceTimersByTimeAsync(0);
    await begun;
    expect(seen[0]).toBe(lockout);
    const timed = { until: 0, remainingMs: 500, consecutive: 1 };
    const instant = slowReads(0, { lockout: timed });
    const seen2: Array<StoredLockout | undefined> = [];
    const begun2 = instant.begin({ takes: () => true, lockedOut: (l) => (seen2.push(l), true) });
    await jest.advanceTimersByTimeAsync(0);
    await begun2;
    expect(seen2[0]).toBe(timed);
  });

  test('a shared failure stops the renewal while remainingMs lasts, whatever its writer-clock until says', async () => {
    const failure = { until: 0, remainingMs: 1, message: 'invalid_scope', attempts: 1 };
    const begun = slowReads(0, { failure }).begin(takesAny);
    await jest.advanceTimersByTimeAsync(0);
    await expect(begun).resolves.toEqual({ kind: 'failure', failure });

    const over = { until: T0 + 60_000, remainingMs: 0, message: 'invalid_scope', attempts: 1 };
    const begun2 = slowReads(0, { failure: over }).begin(takesAny);
    await jest.advanceTimersByTimeAsync(0);
    const start = await begun2;
    expect(start.kind).toBe('renew');
  });

  test("the policy's own failed() decides when given, with the failure and now", async () => {
    const failure = { until: T0 + 60_000, message: 'invalid_scope', attempts: 1 };
    const asked: Array<[StoredFailure, number]> = [];
    const begun = slowReads(0, { failure }).begin({
      ...takesAny,
      failed: (f, now) => (asked.push([f, now - T0]), false),
    });
    await jest.advanceTimersByTimeAsync(0);
    const start = await begun;
    expect(start.kind).toBe('renew');
    expect(asked).toEqual([
      [failure, 0],
      [failure, 0],
    ]); // before taking the lock, and again under it
  });
});

describe('what another process stored just before this one took the lock is read again under it', () => {
  /** A shared store where, as this process takes the free lock, another process has just stored `before`. */
  function storedAsLockTaken(before: (memory: MemoryTokenStore) => Promise<void>) {
    const memory = new MemoryTokenStore();
    memory.useClock(() => Date.now());
    const store: TokenStore = {
      get: (key) => memory.get(key),
      set: (key, t) => memory.set(key, t),
      delete: (key) => memory.delete(key),
      getFailure: (key) => memory.getFailure(key),
      getLockout: (key) => memory.getLockout(key),
      acquireLock: async (key) => {
        await before(memory);
        return memory.acquireLock(key);
      },
    };
    return { memory, renewal: new SharedRenewal(new SafeStore(store, KEY, {}, 60_000), () => Date.now()) };
  }

  test('its token: taken, no token call, and the lock handed back to be released', async () => {
    const { memory, renewal } = storedAsLockTaken((m) => m.set(KEY, token('just-stored')));
    const start = await renewal.begin(takesAny);
    expect(start).toEqual({ kind: 'token', token: token('just-stored'), release: expect.any(Function) });
    expect(await memory.acquireLock(KEY)).toBeUndefined();
    await start.release!();
    expect(await memory.acquireLock(KEY)).toBeInstanceOf(Function);
  });

  test('its permanent failure: the renewal stops with it, the lock handed back to be released', async () => {
    const failure = { until: T0 + 5_000, message: 'invalid_scope', attempts: 1 };
    const { memory, renewal } = storedAsLockTaken((m) => m.setFailure(KEY, failure));
    const start = await renewal.begin(takesAny);
    expect(start).toEqual({ kind: 'failure', failure, release: expect.any(Function) });
    await start.release!();
    expect(await memory.acquireLock(KEY)).toBeInstanceOf(Function);
  });

  test('its lockout: the renewal stops (kind locked), the lock handed back to be released', async () => {
    const { renewal } = storedAsLockTaken((m) => m.setLockout(KEY, { until: T0 + 5_000, consecutive: 1 }));
    const start = await renewal.begin(takesAny);
    expect(start).toEqual({ kind: 'locked', release: expect.any(Function) });
    await start.release!();
  });

  test('nothing new: renew here, holding the lock', async () => {
    const { memory, renewal } = storedAsLockTaken(() => Promise.resolve());
    const start = await renewal.begin(takesAny);
    expect(start).toEqual({ kind: 'renew', release: expect.any(Function) });
    expect(await memory.acquireLock(KEY)).toBeUndefined();
    await start.release!();
  });
});
