import type { SignalLike } from '../util/abort';
import type { SafeStore } from './safe-store';
import type { StoredFailure, StoredLockout, StoredToken } from './token-store';
import { sharedEnd } from './shared-end';
import { WakeSignal } from './wake-signal';

/**
 * Rounds of waiting (`lockWaitMs` each) for other processes' renewals before renewing in this
 * process regardless: reached only when successive lock holders each hang for the lock's whole TTL.
 */
export const MAX_LOCK_ROUNDS = 3;

/** How a renewal begins, as the shared store decides it (see {@link SharedRenewal.begin}). */
export type RenewalStart = (
  | { kind: 'token'; token: StoredToken }
  | { kind: 'renew' }
  | { kind: 'failure'; failure: StoredFailure }
  | { kind: 'locked' }
) & {
  /** Present when this process holds the renewal lock: to be called once the renewal is over, whatever its end. */
  release?: () => Promise<void>;
};

/** What the renewal asks of the token cache at each read of the store: its policy, not the protocol's. */
export interface RenewalPolicy {
  /**
   * A token read from the store: whether it serves this renewal. Called on every token read, so the
   * cache may learn from it too (a token obtained after its cool-down ended closes the lockout episode).
   */
  takes(token: StoredToken): boolean;
  /** The shared lockout read from the store (or none): whether a cool-down is open now, which stops the renewal. */
  lockedOut(lockout: StoredLockout | undefined, now: number): boolean;
  /**
   * The shared permanent failure read from the store: whether it stops the renewal now. Default:
   * while the store says it lasts.
   */
  failed?(failure: StoredFailure, now: number): boolean;
}

/**
 * The cross-process protocol of one renewal, on the shared store: read the shared token, the shared
 * permanent failure and the shared lockout; take the renewal lock, or wait for the process holding
 * it (woken by the store's notifications, else polling) until its token, failure or lockout
 * appears, or it releases the lock without a token (then take the lock over at once); give up
 * waiting after {@link MAX_LOCK_ROUNDS} rounds of `lockWaitMs`, or at once when the store is away,
 * and renew in this process. It never throws for an outcome: {@link begin} says how the renewal
 * begins, and the token cache acts on it.
 */
export class SharedRenewal {
  constructor(
    private readonly store: SafeStore,
    private readonly clock: () => number,
    /** Aborted by `detach()`: ends the waits. */
    private readonly signal?: SignalLike,
  ) {}

  /**
   * How this renewal begins: another process's usable `token`; a shared `failure` or `locked`
   * (an open cool-down) that stops it; or `renew` here. With `release`, this process holds the
   * renewal lock (the outcome was read again under it) and must release it when done.
   */
  async begin(policy: RenewalPolicy): Promise<RenewalStart> {
    const { store } = this;
    for (let round = 1; ; round++) {
      const shared = await store.get();
      if (shared && policy.takes(shared)) return { kind: 'token', token: shared };
      const stop = await this.sharedStop(policy);
      if (stop) return stop;
      let lock = round <= MAX_LOCK_ROUNDS ? await store.acquireLock() : ({ status: 'none' } as const);
      if (lock.status === 'lost') {
        const waited = await this.waitForHolder(policy);
        if (!waited) continue; // the holder is slow or the store is away: try again, at most MAX_LOCK_ROUNDS
        if ('token' in waited) return { kind: 'token', token: waited.token };
        if ('stop' in waited) return waited.stop;
        lock = waited.lock; // the holder released the lock without a token: take over at once
      }
      if (lock.status !== 'won') return { kind: 'renew' };
      const { release } = lock;
      // Read again under the lock: the previous holder may have stored its token, a failure or
      // a lockout between our last read and its release of the lock.
      const stored = await store.get();
      if (stored && policy.takes(stored)) return { kind: 'token', token: stored, release };
      const stopped = await this.sharedStop(policy);
      return stopped ? { ...stopped, release } : { kind: 'renew', release };
    }
  }

  /**
   * Waits for the process holding the renewal lock: until its token appears, its failure or
   * lockout appears, or it releases the lock without a token, in which case this process takes the
   * lock (returned). Undefined after `lockWaitMs` or when the store fails.
   */
  private async waitForHolder(
    policy: RenewalPolicy,
  ): Promise<
    | { token: StoredToken }
    | { lock: { status: 'won'; release: () => Promise<void> } }
    | { stop: RenewalStart }
    | undefined
  > {
    const { store } = this;
    const deadline = this.clock() + store.lockWaitMs;
    const wake = new WakeSignal();
    wake.arm();
    // Not awaited: polling starts at once, and a subscriber that is slow or away costs nothing.
    const listening = store.subscribe(wake.notify);
    try {
      for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
        const left = deadline - this.clock();
        if (left <= 0) return undefined;
        await wake.wait(Math.min(delay, Math.max(1, left)), this.signal);
        wake.arm(); // before reading: a change during the reads below ends the next wait at once
        const shared = await store.get();
        if (shared && policy.takes(shared)) return { token: shared };
        if (store.failing) return undefined; // the store is away: stop waiting, renew in this process
        const stop = await this.sharedStop(policy);
        if (stop) return { stop };
        const lock = await store.acquireLock();
        if (lock.status === 'won') return { lock };
        if (lock.status === 'none') return undefined;
      }
    } finally {
      void listening.then((stop) => stop?.());
    }
  }

  /** What stops a renewal, as shared by other processes: a permanent failure, or an open cool-down. Both read at once. */
  private async sharedStop(policy: RenewalPolicy): Promise<RenewalStart | undefined> {
    const asked = this.clock();
    const [storedFailure, storedLockout] = await Promise.all([this.store.getFailure(), this.store.getLockout()]);
    const now = this.clock();
    // What remained when Redis answered is counted from when it was asked, so the end here is never
    // later than the key's own (a slow reply on a loaded machine does not lengthen it).
    const failure = sinceAsked(storedFailure, now - asked);
    const lockout = sinceAsked(storedLockout, now - asked);
    const stops = (f: StoredFailure) => (policy.failed ? policy.failed(f, now) : sharedEnd(f, now, Infinity) > now);
    if (failure && stops(failure)) return { kind: 'failure', failure };
    return policy.lockedOut(lockout, now) ? { kind: 'locked' } : undefined;
  }
}

/** `shared` with what remains of it counted `elapsedMs` later (the time its read took). */
function sinceAsked<T extends { remainingMs?: number }>(shared: T | undefined, elapsedMs: number): T | undefined {
  if (shared?.remainingMs === undefined || elapsedMs <= 0) return shared;
  return { ...shared, remainingMs: Math.max(0, shared.remainingMs - elapsedMs) };
}
