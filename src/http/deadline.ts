/**
 * The deadline of one request to the authorization server, or of one token request attempt (the
 * user callbacks it runs included): an `AbortSignal` that aborts `ms` after the start, so the whole
 * exchange (callbacks, connection, headers and body) is bounded, not just the time between bytes.
 * The timer is `unref`'d (it never keeps the process alive) and must be cleared with `clear()`.
 *
 * Deadlines nest: one started under another's signal expires with it (the signal's `reason` is the
 * {@link DeadlineExceeded} of whichever deadline passed), so the innermost code reports a time-out,
 * not a cancellation.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether a deadline passed (this one, or one it was started under). */
  readonly expired: boolean;
  /** Stops the timer; call it once the work settled. */
  clear(): void;
}

/** The transport error of a request or attempt that missed its deadline, shaped like axios's own time-outs. */
export class DeadlineExceeded extends Error {
  override name = 'Error';
  readonly code = 'ECONNABORTED';

  constructor(readonly ms: number) {
    super(`timeout of ${ms}ms exceeded (token request deadline, response body included)`);
  }
}

/** Whether `signal` aborted because a deadline passed. */
export function deadlinePassed(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof DeadlineExceeded;
}

/** Starts the deadline; `parent` (the attachment's life, ended by `detach()`, or an outer deadline) aborts it early too. */
export function startDeadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), ms);
  timer.unref?.();
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return deadlinePassed(controller.signal);
    },
    clear: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
