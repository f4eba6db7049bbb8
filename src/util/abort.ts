import { CanceledError } from 'axios';

/** The part of an AbortSignal the plugin needs (axios accepts this "generic" shape too). */
export interface SignalLike {
  readonly aborted: boolean;
  addEventListener?: (type: 'abort', listener: () => void) => void;
  removeEventListener?: (type: 'abort', listener: () => void) => void;
  /** The error a waiter rejects with when this signal aborts. @default a new axios `CanceledError` */
  canceledError?: () => Error;
}

function canceled(): Error {
  return new CanceledError('canceled while waiting for an OAuth 2.0 token');
}

function errorOf(signal: SignalLike): Error {
  return signal.canceledError ? signal.canceledError() : canceled();
}

/**
 * Settles like `promise`, or rejects as soon as one of `signals` aborts (with that signal's
 * `canceledError()`, else axios's `CanceledError`). Only this caller stops waiting: the shared work
 * behind `promise` goes on.
 */
export function raceSignal<T>(promise: Promise<T>, ...signals: Array<SignalLike | undefined>): Promise<T> {
  const live = signals.filter((s): s is SignalLike => s !== undefined);
  if (live.length === 0) return promise;
  const aborted = live.find((s) => s.aborted);
  if (aborted) return Promise.reject(errorOf(aborted));
  const listening = live.filter((s) => typeof s.addEventListener === 'function');
  if (listening.length === 0) return promise;
  return new Promise<T>((resolve, reject) => {
    const listeners = listening.map((signal) => {
      const onAbort = () => reject(errorOf(signal));
      signal.addEventListener?.('abort', onAbort);
      return () => signal.removeEventListener?.('abort', onAbort);
    });
    promise.then(resolve, reject).finally(() => listeners.forEach((remove) => remove()));
  });
}

/** Waits `ms` milliseconds; rejects (see {@link raceSignal}) if one of `signals` aborts first, and then clears the timer. */
export function sleep(ms: number, ...signals: Array<SignalLike | undefined>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const delay = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return raceSignal(delay, ...signals).finally(() => clearTimeout(timer));
}

/** An axios `CancelToken`, as far as the plugin uses it (axios's own, or another copy's). */
interface CancelTokenLike {
  reason?: unknown;
  subscribe?: (listener: (reason: unknown) => void) => void;
  unsubscribe?: (listener: (reason: unknown) => void) => void;
  promise?: Promise<unknown>;
}

/**
 * A legacy axios `CancelToken` seen as a {@link SignalLike}: aborted once canceled, and waiters reject
 * with the token's own `reason` (axios's `Cancel`/`CanceledError`, so `axios.isCancel(error)` holds).
 */
class CancelTokenSignal implements SignalLike {
  private readonly listeners = new Map<() => void, (reason: unknown) => void>();

  constructor(private readonly token: CancelTokenLike) {}

  get aborted(): boolean {
    return this.token.reason !== undefined && this.token.reason !== null;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    const wrapped = () => listener();
    this.listeners.set(listener, wrapped);
    if (typeof this.token.subscribe === 'function') this.token.subscribe(wrapped);
    else void this.token.promise?.then(wrapped, () => undefined);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const wrapped = this.listeners.get(listener);
    this.listeners.delete(listener);
    if (wrapped) this.token.unsubscribe?.(wrapped);
  }

  canceledError(): Error {
    const reason = this.token.reason;
    return reason instanceof Error ? reason : canceled();
  }
}

/**
 * The signals a request's wait for a token must honour: its `signal` and its legacy `cancelToken`.
 * Allocates only for a request that has a `cancelToken`.
 */
export function cancelSignals(config: { signal?: unknown; cancelToken?: unknown }): Array<SignalLike | undefined> {
  const signal = config.signal as SignalLike | undefined;
  const token = config.cancelToken as CancelTokenLike | undefined;
  if (!token || typeof token !== 'object') return [signal];
  return [signal, new CancelTokenSignal(token)];
}
