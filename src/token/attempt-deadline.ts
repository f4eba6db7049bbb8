/**
 * The deadline of one token request attempt: an `AbortSignal` that aborts `ms` after the start, so
 * the whole exchange (connection, headers and body) is bounded, not just the time between bytes.
 * The timer is `unref`'d (it never keeps the process alive) and must be cleared with `clear()`.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether the deadline passed (the signal aborted because of it). */
  readonly expired: boolean;
  /** Stops the timer; call it once the attempt settled. */
  clear(): void;
}

/** Starts the deadline; `parent` (the attachment's life, ended by `detach()`) aborts it early too. */
export function startDeadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, ms);
  timer.unref?.();
  const onParentAbort = () => controller.abort();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    clear: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/** The transport error of an attempt that missed its deadline, shaped like axios's own time-outs. */
export function deadlineError(ms: number): Error {
  return Object.assign(new Error(`timeout of ${ms}ms exceeded (token request deadline, response body included)`), {
    code: 'ECONNABORTED',
  });
}
