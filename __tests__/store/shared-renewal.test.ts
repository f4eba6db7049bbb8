/**
 * The cross-process renewal protocol on the shared store (src/store/shared-renewal.ts): how a
 * renewal begins, decided from the shared token, failure, lockout and renewal lock.
 */
import { MemoryTokenStore } from '../../src/store/memory';
import { SafeStore } from '../../src/store/safe-store';
import { SharedRenewal, type RenewalPolicy } from '../../src/store/shared-renewal';
import type { StoredLockout, StoredToken } from '../../src/store/token-store';

const KEY = 'k';
const NOW = 1_000_000;

const token = (accessToken: string): StoredToken => ({
  accessToken,
  tokenType: 'Bearer',
  obtainedAt: NOW,
  expiresAt: NOW + 3_600_000,
});

function setup(store = new MemoryTokenStore()) {
  store.useClock(() => NOW); // the store drops what expired on this clock, as attachOAuth2 would hand it
  const safe = new SafeStore(store, KEY, {}, 1_000);
  return { store, renewal: new SharedRenewal(safe, () => NOW) };
}

/** Takes any token but `refused`; locked out when a shared lockout runs past now. */
function policy(refused?: string): RenewalPolicy & { lockouts: (StoredLockout | undefined)[] } {
  const lockouts: (StoredLockout | undefined)[] = [];
  return {
    lockouts,
    takes: (t) => t.accessToken !== refused,
    lockedOut: (lockout, now) => (lockouts.push(lockout), lockout !== undefined && lockout.until > now),
  };
}

describe('SharedRenewal.begin', () => {
  test('a usable shared token: taken, no lock taken', async () => {
    const { store, renewal } = setup();
    await store.set(KEY, token('shared-1'));
    await expect(renewal.begin(policy())).resolves.toEqual({ kind: 'token', token: token('shared-1') });
    expect(await store.acquireLock(KEY)).toBeInstanceOf(Function); // the lock was free
  });

  test('no usable token, lock free: renew here, holding the lock until release', async () => {
    const { store, renewal } = setup();
    await store.set(KEY, token('refused-1'));
    const start = await renewal.begin(policy('refused-1'));
    expect(start.kind).toBe('renew');
    expect(await store.acquireLock(KEY)).toBeUndefined(); // held by this renewal
    await start.release!();
    expect(await store.acquireLock(KEY)).toBeInstanceOf(Function);
  });

  test('another process holds the lock: waits for its token, and takes it (no lock)', async () => {
    const { store, renewal } = setup();
    const release = await store.acquireLock(KEY);
    const begun = renewal.begin(policy());
    await new Promise((resolve) => setImmediate(resolve));
    await store.set(KEY, token('from-holder'));
    const start = await begun;
    expect(start).toEqual({ kind: 'token', token: token('from-holder') });
    await release!();
  });

  test('the holder releases the lock without a token: takes the lock over and renews', async () => {
    const { store, renewal } = setup();
    const release = await store.acquireLock(KEY);
    const begun = renewal.begin(policy());
    await new Promise((resolve) => setImmediate(resolve));
    await release!();
    const start = await begun;
    expect(start.kind).toBe('renew');
    expect(start.release).toBeInstanceOf(Function);
    expect(await store.acquireLock(KEY)).toBeUndefined();
    await start.release!();
  });

  test('a shared permanent failure stops the renewal (kind failure), no lock taken', async () => {
    const { store, renewal } = setup();
    const failure = { until: NOW + 1, message: 'invalid_client', attempts: 1 };
    await store.setFailure(KEY, failure);
    await expect(renewal.begin(policy())).resolves.toEqual({ kind: 'failure', failure });
    expect(await store.acquireLock(KEY)).toBeInstanceOf(Function);
  });

  test('an expired shared failure does not stop it', async () => {
    const { store, renewal } = setup();
    await store.setFailure(KEY, { until: NOW, message: 'invalid_client', attempts: 1 });
    const start = await renewal.begin(policy());
    expect(start.kind).toBe('renew');
    await start.release!();
  });

  test('the shared lockout goes to the policy, which decides (kind locked)', async () => {
    const { store, renewal } = setup();
    const lockout = { until: NOW + 60_000, consecutive: 1 };
    await store.setLockout(KEY, lockout);
    const p = policy();
    await expect(renewal.begin(p)).resolves.toEqual({ kind: 'locked' });
    expect(p.lockouts).toEqual([lockout]);
  });

  test('a failure stored by the holder before it releases: read again under the lock, lock handed back for release', async () => {
    const { store, renewal } = setup();
    const release = await store.acquireLock(KEY);
    const begun = renewal.begin(policy());
    await new Promise((resolve) => setImmediate(resolve));
    const failure = { until: NOW + 5_000, message: 'invalid_client', attempts: 1 };
    // Stored and released at once: the waiter wakes on either and sees the failure.
    await store.setFailure(KEY, failure);
    await release!();
    const start = await begun;
    expect(start).toMatchObject({ kind: 'failure', failure });
    if (start.release) await start.release();
    expect(await store.acquireLock(KEY)).toBeInstanceOf(Function);
  });

  test("a store without a lock (the attachment's own): renew at once, nothing to release", async () => {
    const store = new MemoryTokenStore();
    const safe = new SafeStore(store, KEY, {}, 1_000, true);
    const start = await new SharedRenewal(safe, () => NOW).begin(policy());
    expect(start).toEqual({ kind: 'renew' });
  });
});
