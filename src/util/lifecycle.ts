import { setMaxListeners } from 'node:events';
import type { SignalLike } from './abort';
import { DetachedError } from '../errors';

/**
 * The life of one attachment, as a signal: `close()` (on `detach()`) aborts the in-flight token
 * request, stops retry sleeps, cool-down and store waits, and makes every caller still waiting for a
 * token reject with {@link DetachedError}.
 */
export class Lifecycle implements SignalLike {
  private readonly controller = new AbortController();

  constructor() {
    // Every caller waiting for a token listens here: many at once is normal, not a leak to warn about.
    setMaxListeners(0, this.controller.signal);
  }

  /** A real `AbortSignal`, for the token request that axios sends. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  addEventListener(type: 'abort', listener: () => void): void {
    this.controller.signal.addEventListener(type, listener, { once: true });
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    this.controller.signal.removeEventListener(type, listener);
  }

  canceledError(): Error {
    return new DetachedError();
  }

  /** Ends the attachment. Idempotent. */
  close(): void {
    this.controller.abort();
  }
}
