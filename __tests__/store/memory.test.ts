/**
 * `MemoryTokenStore` (src/store/memory.ts) as a store shared between attachments sees it: least
 * recently used eviction, compare-and-delete, the renewal lock and its lapse, notifications, and
 * lockouts and failures that end on the plugin's clock.
 */
import { MemoryTokenStore } from '../../src';
import { MEMORY_LOCK_MS } from '../../src/store/memory';
import type { StoredToken } from '../../src/store/token-store';

const NOW = 1_000_000;

/** A token expiring at `expiresAt`; `null`: without `expiresAt`, as an older plugin stored it. */
const token = (accessToken: string, expiresAt: number | null = NOW + 60_000): StoredToken => ({
  accessToken,
  tokenType: 'Bearer',
  obtainedAt: NOW,
  ...(expiresAt === null ? {} : { expiresAt }),
});

function storeAt(now = { value: NOW }, options?: { maxTokens?: number }) {
  const store = new MemoryTokenStore(options);
  store.useClock(() => now.value);
  return { store, now };
}

describe('maxTokens', () => {
  test.each([0, -1, 1.5, Number.NaN])('%p is refused with a RangeError naming the option and the kind', (value) => {
    expect(() => new MemoryTokenStore({ maxTokens: value })).toThrow(
      new RangeError('MemoryTokenStore: "maxTokens" must be a positive integer, got number'),
    );
  });

  test('1 is accepted: the store then holds the last token stored only', async () => {
    const { store } = storeAt(undefined, { maxTokens: 1 });
    await store.set('a', token('tok-a'));
    await store.set('b', token('tok-b'));
    expect(store.size).toBe(1);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toEqual(token('tok-b'));
  });

  test('a read makes a token the most recently used: the unread one is evicted first', async () => {
    const { store } = storeAt(undefined, { maxTokens: 2 });
    await store.set('a', token('tok-a'));
    await store.set('b', token('tok-b'));
    await store.get('a');
    await store.set('c', token('tok-c'));
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toEqual(token('tok-a'));
    expect(await store.get('c')).toEqual(token('tok-c'));
  });

  test('storing again under a key makes it the most recently used, without counting twice', async () => {
    const { store } = storeAt(undefined, { maxTokens: 2 });
    await store.set('a', token('tok-a1'));
    await store.set('b', token('tok-b'));
    await store.set('a', token('tok-a2'));
    expect(store.size).toBe(2);
    await store.set('c', token('tok-c'));
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toEqual(token('tok-a2'));
  });

  test('expired tokens are dropped before any live one is evicted', async () => {
    const { store, now } = storeAt(undefined, { maxTokens: 2 });
    await store.set('live', token('tok-live', NOW + 60_000));
    await store.set('short', token('tok-short', NOW + 1_000));
    now.value = NOW + 1_000;
    await store.set('new', token('tok-new', NOW + 60_000));
    expect(store.size).toBe(2);
    expect(await store.get('live')).toEqual(token('tok-live', NOW + 60_000));
    expect(await store.get('new')).toEqual(token('tok-new', NOW + 60_000));
  });

  test('a token without expiresAt (stored by an older plugin) never expires', async () => {
    const { store, now } = storeAt();
    await store.set('old', token('tok-old', null));
    now.value = Number.MAX_SAFE_INTEGER;
    await store.set('other', token('tok-other', null));
    expect(await store.get('old')).toEqual(token('tok-old', null));
    expect(store.size).toBe(2);
  });
});

describe('delete', () => {
  test('without ifAccessToken: deletes whatever is stored', async () => {
    const { store } = storeAt();
    await store.set('k', token('tok-1'));
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  test('with the stored access token: deletes it', async () => {
    const { store } = storeAt();
    await store.set('k', token('tok-1'));
    await store.delete('k', 'tok-1');
    expect(await store.get('k')).toBeUndefined();
  });

  test('with an access token, under a key holding nothing: resolves, nothing to delete', async () => {
    const { store } = storeAt();
    await expect(store.delete('k', 'tok-1')).resolves.toBeUndefined();
  });

  test('with another access token (a newer one was stored meanwhile): keeps the stored one', async () => {
    const { store } = storeAt();
    await store.set('k', token('tok-2'));
    await store.delete('k', 'tok-1');
    expect(await store.get('k')).toEqual(token('tok-2'));
  });
});

describe('renewal lock', () => {
  afterEach(() => jest.useRealTimers());

  test('one holder at a time per key; other keys are free', async () => {
    const { store } = storeAt();
    const release = await store.acquireLock('k');
    expect(release).toBeInstanceOf(Function);
    expect(await store.acquireLock('k')).toBeUndefined();
    expect(await store.acquireLock('other')).toBeInstanceOf(Function);
    await release!();
    expect(await store.acquireLock('k')).toBeInstanceOf(Function);
  });

  test(`a holder that never releases: the lock lapses after ${MEMORY_LOCK_MS} ms exactly`, async () => {
    jest.useFakeTimers({ now: NOW });
    const { store } = storeAt();
    expect(store.lockWaitMs).toBe(MEMORY_LOCK_MS);
    const stale = await store.acquireLock('k');
    jest.advanceTimersByTime(MEMORY_LOCK_MS - 1);
    expect(await store.acquireLock('k')).toBeUndefined();
    jest.advanceTimersByTime(1);
    const next = await store.acquireLock('k');
    expect(next).toBeInstanceOf(Function);
    // The lapsed holder's late release does not free the new holder's lock.
    await stale!();
    expect(await store.acquireLock('k')).toBeUndefined();
    await next!();
    expect(await store.acquireLock('k')).toBeInstanceOf(Function);
  });
});

describe('subscribe', () => {
  test('a listener is called on a token stored, a lock released, a lockout or a failure set or cleared, for its key only', async () => {
    const { store } = storeAt();
    const calls: string[] = [];
    const stop = await store.subscribe('k', () => calls.push('k'));
    await store.subscribe('other', () => calls.push('other'));
    await store.set('k', token('tok-1'));
    const release = await store.acquireLock('k');
    expect(calls).toEqual(['k']); // taking the lock notifies nobody
    await release!();
    await store.setLockout('k', { until: NOW + 1, consecutive: 1 });
    await store.setLockout('k', undefined);
    await store.setFailure('k', { until: NOW + 1, message: 'm', attempts: 1 });
    await store.setFailure('k', undefined);
    expect(calls).toEqual(['k', 'k', 'k', 'k', 'k', 'k']);
    stop();
    await store.set('k', token('tok-2'));
    expect(calls).toHaveLength(6);
  });

  test('two listeners of one key: stopping one keeps the other', async () => {
    const { store } = storeAt();
    const calls: string[] = [];
    const stopA = await store.subscribe('k', () => calls.push('a'));
    const stopB = await store.subscribe('k', () => calls.push('b'));
    stopA();
    await store.set('k', token('tok-1'));
    expect(calls).toEqual(['b']);
    stopB();
    // Stopping again, after the key's last listener left and a new one came, leaves the new one alone.
    const stopC = await store.subscribe('k', () => calls.push('c'));
    stopB();
    await store.set('k', token('tok-2'));
    expect(calls).toEqual(['b', 'c']);
    stopC();
  });

  test('a listener that stops listening while being called does not keep the others from being called', async () => {
    const { store } = storeAt();
    const calls: string[] = [];
    const stopA: { fn?: () => void } = {};
    stopA.fn = await store.subscribe('k', () => (calls.push('a'), stopA.fn!()));
    await store.subscribe('k', () => calls.push('b'));
    await store.set('k', token('tok-1'));
    await store.set('k', token('tok-2'));
    expect(calls).toEqual(['a', 'b', 'b']);
  });
});

describe('lockouts and failures end on the plugin clock', () => {
  test('a lockout is read until its end, then gone', async () => {
    const { store, now } = storeAt();
    const lockout = { until: NOW + 5_000, consecutive: 2, error: 'unauthorized_client', status: 400 };
    await store.setLockout('k', lockout);
    expect(await store.getLockout('other')).toBeUndefined();
    now.value = NOW + 4_999;
    expect(await store.getLockout('k')).toEqual(lockout);
    now.value = NOW + 5_000;
    expect(await store.getLockout('k')).toBeUndefined();
    now.value = NOW;
    expect(await store.getLockout('k')).toBeUndefined(); // dropped, not hidden
  });

  test('a failure is read until its end, then gone', async () => {
    const { store, now } = storeAt();
    const failure = { until: NOW + 5_000, message: 'invalid_scope', error: 'invalid_scope', attempts: 1 };
    await store.setFailure('k', failure);
    now.value = NOW + 4_999;
    expect(await store.getFailure('k')).toEqual(failure);
    now.value = NOW + 5_000;
    expect(await store.getFailure('k')).toBeUndefined();
    now.value = NOW;
    expect(await store.getFailure('k')).toBeUndefined();
  });

  test('ended lockouts and failures never read again are dropped by the next token stored; live ones stay', async () => {
    const { store, now } = storeAt();
    await store.setLockout('ended', { until: NOW + 1_000, consecutive: 1 });
    await store.setFailure('ended', { until: NOW + 1_000, message: 'm', attempts: 1 });
    await store.setLockout('live', { until: NOW + 9_000, consecutive: 1 });
    await store.setFailure('live', { until: NOW + 9_000, message: 'm', attempts: 1 });
    now.value = NOW + 1_000;
    await store.set('any', token('tok-1', NOW + 60_000));
    now.value = NOW; // back before their end: only what was dropped is gone
    expect(await store.getLockout('ended')).toBeUndefined();
    expect(await store.getFailure('ended')).toBeUndefined();
    expect(await store.getLockout('live')).toMatchObject({ until: NOW + 9_000 });
    expect(await store.getFailure('live')).toMatchObject({ until: NOW + 9_000 });
  });
});
