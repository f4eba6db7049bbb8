import { randomBytes } from 'node:crypto';
import type { StoredLockout, StoredToken, TokenStore } from '../stores/token-store';
import type { RedisClientLike } from './client';
import { decodeLockout, decodeToken, encodeLockout, encodeToken } from './codec';
import { RedisStoreError } from './errors';
import { redisKeys } from './keys';
import { resolveRedisOptions, type ResolvedRedisOptions, type RedisTokenStoreOptions } from './options';
import { FailurePause } from './pause';
import { runCommand, type CommandSettings } from './run-command';
import { DELETE_TOKEN_IF_MATCHES, RELEASE_LOCK } from './scripts';

/**
 * A {@link TokenStore} on Redis, shared by every process that uses the same Redis: one token per
 * client for a whole fleet, renewed by one process at a time, and one lockout cool-down for all.
 *
 * - Tokens are JSON with a TTL equal to their remaining life (none without `expires_in`).
 * - Key names are the prefix plus a hash; no secret is in any key or value but the token itself.
 * - `delete` with an access token is a compare-and-delete script, so a stale 401 in one process
 *   never deletes the fresh token another process stored.
 * - `acquireLock` is `SET lock <random> NX PX lockTtlMs`, released by its owner only.
 * - Every command has a time limit; failures reject with {@link RedisStoreError}, which the plugin
 *   reports through `onStoreError` before carrying on with per-process tokens. After a failure the
 *   store skips Redis for `pauseAfterErrorMs`, so a Redis that is down costs little.
 *
 * @example
 * ```ts
 * const store = new RedisTokenStore(new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 }));
 * attachOAuth2(api, { ...options, store });
 * ```
 */
export class RedisTokenStore implements TokenStore {
  /** How long a process that lost the lock waits for the holder's token: the lock's TTL. */
  readonly lockWaitMs: number;
  private readonly options: ResolvedRedisOptions;
  private readonly pause: FailurePause;

  /**
   * @param client - an ioredis client (`Redis` or `Cluster`), or any {@link RedisClientLike}
   * @throws {OAuth2OptionsError} when the client or an option is invalid
   */
  constructor(
    private readonly client: RedisClientLike,
    options: RedisTokenStoreOptions = {},
  ) {
    this.options = resolveRedisOptions(client, options);
    this.lockWaitMs = this.options.lockTtlMs;
    this.pause = new FailurePause(this.options.pauseAfterErrorMs);
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const text = await this.run('GET', {}, () => this.client.get(this.keys(key).token));
    if (text === null || text === undefined) return undefined;
    return decodeToken(text) ?? this.malformed('GET', 'token');
  }

  /** Stores `token` (refresh token included, in one atomic SET) until it expires. An expired token is not stored. */
  async set(key: string, token: StoredToken): Promise<void> {
    const name = this.keys(key).token;
    const value = encodeToken(token);
    const secrets = { secrets: [token.accessToken, token.refreshToken ?? ''] };
    if (token.expiresAt === undefined) {
      await this.run('SET', secrets, () => this.client.set(name, value));
      return;
    }
    const ttl = this.ttlUntil(token.expiresAt);
    if (ttl > 0) await this.run('SET', secrets, () => this.client.set(name, value, 'PX', ttl));
  }

  async delete(key: string, ifAccessToken?: string): Promise<void> {
    const name = this.keys(key).token;
    if (ifAccessToken === undefined) {
      await this.run('DEL', {}, () => this.client.del(name));
      return;
    }
    await this.run('EVAL', { secrets: [ifAccessToken] }, () =>
      this.client.eval(DELETE_TOKEN_IF_MATCHES, 1, name, ifAccessToken),
    );
  }

  async acquireLock(key: string): Promise<(() => Promise<void>) | undefined> {
    const name = this.keys(key).lock;
    const owner = randomBytes(16).toString('hex');
    // Released even during a pause: a lock left behind would make the others wait for its TTL.
    const release = async () =>
      void (await this.attempt('EVAL', {}, () => this.client.eval(RELEASE_LOCK, 1, name, owner)));
    const reply = await this.run(
      'SET',
      // A lock taken after the time-out would block the others for a whole TTL: give it back.
      { onLateReply: (late) => void (late === 'OK' && release().catch(() => undefined)) },
      () => this.client.set(name, owner, 'PX', this.options.lockTtlMs, 'NX'),
    );
    return reply === 'OK' ? release : undefined;
  }

  async getLockout(key: string): Promise<StoredLockout | undefined> {
    const text = await this.run('GET', {}, () => this.client.get(this.keys(key).lockout));
    if (text === null || text === undefined) return undefined;
    return decodeLockout(text) ?? this.malformed('GET', 'lockout');
  }

  /** Shares a cool-down until it ends (TTL), or clears it with `undefined`. */
  async setLockout(key: string, lockout: StoredLockout | undefined): Promise<void> {
    const name = this.keys(key).lockout;
    const ttl = lockout ? this.ttlUntil(lockout.until) : 0;
    if (lockout && ttl > 0) {
      const value = encodeLockout(lockout);
      await this.run('SET', {}, () => this.client.set(name, value, 'PX', ttl));
    } else {
      await this.run('DEL', {}, () => this.client.del(name));
    }
  }

  private keys(key: string) {
    return redisKeys(this.options.prefix, key);
  }

  private ttlUntil(at: number): number {
    return Math.ceil(at - this.options.clock());
  }

  /** Runs a command unless a recent failure paused Redis. */
  private async run<T>(
    command: string,
    settings: Omit<CommandSettings, 'timeoutMs'>,
    call: () => Promise<T>,
  ): Promise<T> {
    this.pause.check(command);
    return this.attempt(command, settings, call);
  }

  private async attempt<T>(
    command: string,
    settings: Omit<CommandSettings, 'timeoutMs'>,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await runCommand(command, { ...settings, timeoutMs: this.options.commandTimeoutMs }, call);
    } catch (error) {
      this.pause.failed();
      throw error;
    }
  }

  private malformed(command: string, what: string): never {
    throw new RedisStoreError(command, `the value stored under the ${what} key is not a ${what} this store wrote`);
  }
}
