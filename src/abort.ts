import { CanceledError } from 'axios';

/** The part of an AbortSignal the plugin needs (axios accepts this "generic" shape too). */
export interface SignalLike {
  readonly aborted: boolean;
  addEventListener?: (type: 'abort', listener: () => void) => void;
  removeEventListener?: (type: 'abort', listener: () => void) => void;
}

function canceled(): Error {
  return new CanceledError('canceled while waiting for an OAuth 2.0 token');
}

/**
 * Settles like `promise`, or rejects with axios's `CanceledError` as soon as `signal` aborts.
 * Only this caller stops waiting: the shared work behind `promise` goes on.
 */
export function raceSignal<T>(promise: Promise<T>, signal: SignalLike | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(canceled());
  if (typeof signal.addEventListener !== 'function') return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(canceled());
    signal.addEventListener?.('abort', onAbort);
    promise.then(resolve, reject).finally(() => signal.removeEventListener?.('abort', onAbort));
  });
}

/** Waits `ms` milliseconds; rejects with `CanceledError` if `signal` aborts first. */
export function sleep(ms: number, signal?: SignalLike): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const delay = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return raceSignal(delay, signal).finally(() => clearTimeout(timer));
}
