import { raceSignal, type SignalLike } from '../util/abort';

/**
 * A one-shot wake-up for a process waiting on the shared store: armed before the store is read, so
 * a notification that arrives while the read is in flight is not lost, then waited for with a
 * time limit (the poll delay, since notifications are best effort).
 */
export class WakeSignal {
  private wake?: () => void;
  private woken?: Promise<void>;

  /** Arms the signal: the next {@link notify} ends the next {@link wait}. */
  arm(): void {
    this.woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /** Wakes the waiter (a no-op when not armed). */
  notify = (): void => {
    this.wake?.();
  };

  /**
   * Resolves on {@link notify} (since the last {@link arm}) or after `ms`, whichever comes first;
   * rejects as soon as `signal` aborts (`detach()`), the timer cleared either way.
   */
  wait(ms: number, signal?: SignalLike): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const elapsed = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    const woken = Promise.race(this.woken ? [this.woken, elapsed] : [elapsed]);
    return raceSignal(woken, signal).finally(() => clearTimeout(timer));
  }
}
