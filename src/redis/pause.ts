import { RedisStoreError } from './errors';

/**
 * Remembers that a Redis command just failed, so that for `pauseMs` the next commands fail at once
 * instead of each waiting for the client to give up (ioredis retries, time-outs): while Redis is
 * away, a token renewal costs one failed command instead of four.
 */
export class FailurePause {
  private until = 0;

  constructor(
    private readonly pauseMs: number,
    /** The store's clock (the plugin's, once attached). */
    private readonly now: () => number,
  ) {}

  /** Rejects while paused; the plugin reports it and carries on without Redis. */
  check(command: string): void {
    const left = this.until - this.now();
    if (left > 0)
      throw new RedisStoreError(
        command,
        `skipped for ${Math.ceil(left)} ms more: a Redis command failed less than ${this.pauseMs} ms ago`,
        'EPAUSED',
      );
  }

  failed(): void {
    this.until = this.now() + this.pauseMs;
  }
}
