import { RedisStoreError } from './errors';

/** How one Redis command is run. */
export interface CommandSettings {
  /** Longest wait for the reply before failing with `ETIMEDOUT`. */
  timeoutMs: number;
  /** Values sent with the command that must not appear in an error message (tokens). */
  secrets?: readonly string[];
  /** Called with the reply if it comes after the time-out (e.g. to release a lock taken too late). */
  onLateReply?: (reply: unknown) => void;
}

/**
 * Runs one client call with a time limit, so a Redis that stopped answering (a black-holed
 * connection, a client queueing commands while it reconnects) delays a token renewal by at most
 * `timeoutMs` per command instead of hanging requests. Every failure becomes a {@link RedisStoreError}.
 */
export function runCommand<T>(command: string, settings: CommandSettings, call: () => Promise<T>): Promise<T> {
  const { timeoutMs, secrets = [], onLateReply } = settings;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new RedisStoreError(command, `no reply within ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    timer.unref?.();
    const finish = (settle: () => void) => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      settle();
      return true;
    };
    new Promise<T>((run) => run(call())).then(
      (reply) => {
        if (!finish(() => resolve(reply))) onLateReply?.(reply);
      },
      (error: unknown) => void finish(() => reject(RedisStoreError.from(command, error, secrets))),
    );
  });
}
