import { scrub } from '../redact';

/**
 * A Redis command of {@link RedisTokenStore} failed or timed out. The plugin reports it through the
 * `onStoreError` hook and carries on without the shared cache. It never carries a secret: the
 * client's error is not attached (ioredis errors hold the command's arguments, token included);
 * only its message, with any token scrubbed, and its `code` are kept.
 */
export class RedisStoreError extends Error {
  override name = 'RedisStoreError';
  /** The Redis command that failed: `GET`, `SET`, `DEL` or `EVAL`. */
  readonly command: string;
  /** The client's error code (e.g. `ECONNREFUSED`), or `ETIMEDOUT` when Redis did not answer in time. */
  readonly code?: string;

  constructor(command: string, message: string, code?: string) {
    super(`RedisTokenStore: ${command} failed: ${message}`);
    this.command = command;
    if (code !== undefined) this.code = code;
  }

  /** Wraps what a client threw, scrubbing `secrets` from its message. */
  static from(command: string, error: unknown, secrets: readonly string[]): RedisStoreError {
    const source = error instanceof Error ? error : new Error(String(error));
    const code = (source as { code?: unknown }).code;
    return new RedisStoreError(command, scrub(source.message, secrets), typeof code === 'string' ? code : undefined);
  }
}
