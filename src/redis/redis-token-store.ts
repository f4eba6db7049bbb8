import { randomBytes } from 'node:crypto';
import type { StoredFailure, StoredLockout, StoredToken, TokenStore } from '../store/token-store';
import type { RedisClientLike } from './client';
import { decodeFailure, decodeLockout, decodeToken, encodeFailure, encodeLockout, encodeToken } from './codec';
import { DecryptionFailure, TokenCipher } from './encryption';
import { accessTokenDigest } from './fingerprint';
import { REDIS_ERROR_CODES } from './error-codes';
import { RedisStoreError } from './errors';
import { redisChannel, redisKeys } from './keys';
import { resolveRedisOptions, type ResolvedRedisOptions, type RedisTokenStoreOptions } from './options';
import { FailurePause } from './pause';
import { runCommand, type CommandSettings } from './run-command';
import { DELETE_TOKEN_IF_MATCHES, GET_WITH_PTTL, RELEASE_LOCK } from './scripts';
import { Subscriptions } from './subscriptions';

/**
 * A {@link TokenStore} on Redis, shared by every process that uses the same Redis: one token per
 * client for a whole fleet, renewed by one process at a time, one lockout cool-down and one
 * negative cache of permanent failures for all.
 *
 * - Tokens are JSON with a TTL equal to their remaining life (none without `expires_in`),
 *   optionally encrypted (`encryptionKeys`).
 * - Key names are the prefix plus a hash; no secret is in any key or value but the token itself,
 *   and no secret is in any command but the SET of an unencrypted token's value.
 * - `delete` with an access token is a compare-and-delete script on the token's SHA-256 (never the
 *   token), so a stale 401 in one process never deletes the fresh token another process stored.
 * - `acquireLock` is `SET lock <random> NX PX lockTtlMs`, released by its owner only.
 * - A permanent token-endpoint failure is stored for the plugin's `failureCacheMs`, so the whole
 *   fleet fails fast with the same error after one token call.
 * - Storing a token, releasing the lock, storing a failure or a lockout is announced with
 *   `PUBLISH` (when the client has it); processes given a `subscriber` wake on it.
 * - Every command has a time limit; failures reject with {@link RedisStoreError}, which the plugin
 *   reports through `onStoreError` before carrying on with per-process tokens. After a failure the
 *   store skips Redis for `pauseAfterErrorMs`, so a Redis that is down costs little.
 *
 * @example
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
 * const store = new RedisTokenStore(redis, { subscriber: redis.duplicate() });
 * attachOAuth2(api, { ...options, store });
 * ```
 */
export class RedisTokenStore implements TokenStore {
  /** How long a process that lost the lock waits for the holder's token at most: the lock's TTL. */
  readonly lockWaitMs: number;
  private readonly options: ResolvedRedisOptions;
  private readonly pause: FailurePause;
  /** The `clock` option, else the plugin's (see {@link RedisTokenStore.useClock}), else `Date.now`. */
  private clock: () => number;
  private readonly cipher?: TokenCipher;
  private readonly subscriptions?: Subscriptions;

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
    this.clock = this.options.clock ?? Date.now;
    this.pause = new FailurePause(this.options.pauseAfterErrorMs, () => this.clock());
    if (this.options.encryptionKeys.length > 0) this.cipher = new TokenCipher(this.options.encryptionKeys);
    const { subscriber, commandTimeoutMs } = this.options;
    if (subscriber) this.subscriptions = new Subscriptions(subscriber, commandTimeoutMs);
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const name = this.keys(key).token;
    const text = await this.run('GET', {}, () => this.client.get(name));
    if (text === null || text === undefined) return undefined;
    return decodeToken(this.unseal(text, name)) ?? this.malformed('GET', 'token');
  }

  /** Stores `token` (refresh token included, in one atomic SET) until it expires. An expired token is not stored. */
  async set(key: string, token: StoredToken): Promise<void> {
    const name = this.keys(key).token;
    const json = encodeToken(token);
    const value = this.cipher ? this.cipher.seal(json, name, token.accessToken) : json;
    const secrets = { secrets: [token.accessToken, token.refreshToken ?? ''] };
    if (token.expiresAt === undefined) {
      await this.run('SET', secrets, () => this.client.set(name, value));
    } else {
      const ttl = this.ttlUntil(token.expiresAt);
      if (ttl <= 0) return;
      await this.run('SET', secrets, () => this.client.set(name, value, 'PX', ttl));
    }
    await this.announce(key, 'token');
  }

  async delete(key: string, ifAccessToken?: string): Promise<void> {
    const name = this.keys(key).token;
    if (ifAccessToken === undefined) {
      await this.run('DEL', {}, () => this.client.del(name));
      return;
    }
    // The token's fingerprint, never the token: a command's arguments show in SLOWLOG and MONITOR.
    const digest = accessTokenDigest(ifAccessToken);
    await this.run('EVAL', { secrets: [ifAccessToken] }, () =>
      this.client.eval(DELETE_TOKEN_IF_MATCHES, 1, name, digest),
    );
  }

  async acquireLock(key: string): Promise<(() => Promise<void>) | undefined> {
    const name = this.keys(key).lock;
    const owner = randomBytes(16).toString('hex');
    // Released even during a pause: a lock left behind would make the others wait for its TTL.
    const release = async () => {
      await this.attempt('EVAL', {}, () => this.client.eval(RELEASE_LOCK, 1, name, owner));
      await this.announce(key, 'released');
    };
    const reply = await this.run(
      'SET',
      // A lock taken after the time-out would block the others for a whole TTL: give it back.
      { onLateReply: (late) => void (late === 'OK' && release().catch(() => undefined)) },
      () => this.client.set(name, owner, 'PX', this.options.lockTtlMs, 'NX'),
    );
    return reply === 'OK' ? release : undefined;
  }

  /** The shared cool-down, with `remainingMs` from the key's PTTL (Redis's clock, not the writer's). */
  async getLockout(key: string): Promise<StoredLockout | undefined> {
    const read = await this.readWithTtl(this.keys(key).lockout, 'lockout');
    if (!read) return undefined;
    const lockout = decodeLockout(read.text) ?? this.malformed('EVAL', 'lockout');
    return { ...lockout, remainingMs: read.remainingMs };
  }

  /** Shares a cool-down until it ends (TTL), or clears it with `undefined`. */
  async setLockout(key: string, lockout: StoredLockout | undefined): Promise<void> {
    const name = this.keys(key).lockout;
    const ttl = lockout ? this.ttlUntil(lockout.until) : 0;
    if (lockout && ttl > 0) {
      const value = encodeLockout(lockout);
      await this.run('SET', {}, () => this.client.set(name, value, 'PX', ttl));
      await this.announce(key, 'lockout');
    } else {
      await this.run('DEL', {}, () => this.client.del(name));
    }
  }

  /** The shared permanent failure, with `remainingMs` from the key's PTTL (Redis's clock, not the writer's). */
  async getFailure(key: string): Promise<StoredFailure | undefined> {
    const read = await this.readWithTtl(this.keys(key).failure, 'failure');
    if (!read) return undefined;
    const failure = decodeFailure(read.text) ?? this.malformed('EVAL', 'failure');
    return { ...failure, remainingMs: read.remainingMs };
  }

  /** Shares a permanent failure until `failure.until` (TTL), or clears it with `undefined`. */
  async setFailure(key: string, failure: StoredFailure | undefined): Promise<void> {
    const name = this.keys(key).failure;
    const ttl = failure ? this.ttlUntil(failure.until) : 0;
    if (failure && ttl > 0) {
      const value = encodeFailure(failure);
      await this.run('SET', {}, () => this.client.set(name, value, 'PX', ttl));
      await this.announce(key, 'failure');
    } else {
      await this.run('DEL', {}, () => this.client.del(name));
    }
  }

  /**
   * Calls `listener` on every announcement for `key` from any process, through the `subscriber`
   * connection. Without a `subscriber` it never calls it (the plugin polls).
   */
  async subscribe(key: string, listener: () => void): Promise<() => void> {
    if (!this.subscriptions) return () => undefined;
    return this.subscriptions.listen(redisChannel(this.options.prefix, key), listener);
  }

  /**
   * Called by `attachOAuth2` with the plugin's clock: TTLs and the pause after an error follow it,
   * unless the store was given its own `clock` option.
   */
  useClock(clock: () => number): void {
    if (this.options.clock === undefined) this.clock = clock;
  }

  private keys(key: string) {
    return redisKeys(this.options.prefix, key);
  }

  /**
   * A value and what remains of its key's life, read in one script. Undefined when the key does not
   * exist or has no life left; a key without expiry was not written by this store.
   */
  private async readWithTtl(name: string, what: string): Promise<{ text: string; remainingMs: number } | undefined> {
    const reply = await this.run('EVAL', {}, () => this.client.eval(GET_WITH_PTTL, 1, name));
    const [value, pttl] = Array.isArray(reply) ? (reply as unknown[]) : [];
    const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
    if (text === null || text === undefined || text === false || pttl === -2) return undefined;
    if (typeof text !== 'string' || typeof pttl !== 'number' || pttl < 0) return this.malformed('EVAL', what);
    return pttl > 0 ? { text, remainingMs: pttl } : undefined;
  }

  private ttlUntil(at: number): number {
    return Math.ceil(at - this.clock());
  }

  /** Best effort: a lost announcement only delays the waiters until their next poll. */
  private async announce(key: string, what: 'token' | 'released' | 'lockout' | 'failure'): Promise<void> {
    const { client } = this;
    if (!client.publish) return;
    const channel = redisChannel(this.options.prefix, key);
    await runCommand('PUBLISH', { timeoutMs: this.options.commandTimeoutMs }, () =>
      client.publish!(channel, what),
    ).catch(() => undefined);
  }

  private unseal(text: string, name: string): string {
    if (!this.cipher) return text;
    try {
      return this.cipher.open(text, name);
    } catch (error) {
      const reason = error instanceof DecryptionFailure ? error.message : 'the stored token does not decrypt';
      throw new RedisStoreError('GET', reason, REDIS_ERROR_CODES.decryptFailed);
    }
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
    throw new RedisStoreError(
      command,
      `the value stored under the ${what} key is not a ${what} this store wrote`,
      REDIS_ERROR_CODES.badValue,
    );
  }
}
