/**
 * Settles like `promise`, or rejects with `onTimeout()` after `ms` milliseconds. The timer is
 * unref'd (it never keeps the process alive) and cleared as soon as `promise` settles; a late
 * rejection of `promise` is handled (never an unhandled rejection).
 */
export function bounded<T>(promise: T | PromiseLike<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    (timer as { unref?: () => void }).unref?.();
    Promise.resolve(promise).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the store's own reason through
        reject(error);
      },
    );
  });
}
