import { scrub } from '../security/redact';
import { redisErrorCode } from './error-codes';

/**
 * A Redis command of {@link RedisTokenStore} failed or timed out. The plugin reports it through the
 * `onStoreError` hook and carries on without the shared cache. It never carries a secret: the
 * client's error is not attached (ioredis errors hold the command's arguments, token included);
 * only its message, with any token scrubbed, and a `code` (always set) are kept.
 */
export class RedisStoreError extends Error {
  override name = 'RedisStoreError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static get name(): string {
    return 'RedisStoreError';
  }
  /** The Redis command that failed: `GET`, `SET`, `DEL`, `EVAL`, `PUBLISH` or `SUBSCRIBE`. */
  readonly command: string;
  /**
   * Always set: the client's error code (e.g. `ECONNREFUSED`); `ETIMEDOUT` when Redis did not
   * answer in time; `EPAUSED` while Redis is skipped after a failure; else a mapped code (see
   * {@link REDIS_ERROR_CODES}): `REDIS_UNAVAILABLE`, a Redis reply prefix such as `WRONGTYPE`,
   * `REDIS_BAD_VALUE`, `REDIS_DECRYPT_FAILED` or `REDIS_COMMAND_FAILED`.
   */
  readonly code: string;

  constructor(command: string, message: string, code: string) {
    super(`RedisTokenStore: ${command} failed: ${message}`);
    this.command = command;
    this.code = code;
  }

  /** Wraps what a client threw, scrubbing `secrets` from its message. */
  static from(command: string, error: unknown, secrets: readonly string[]): RedisStoreError {
    const source = error instanceof Error ? error : new Error(String(error));
    return new RedisStoreError(command, scrub(source.message, secrets), redisErrorCode(error));
  }
}
