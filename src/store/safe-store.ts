import { bounded } from './bounded';
import { StoreTimeoutError } from '../errors';
import { emit, type OAuth2Hooks } from '../events/hooks';
import { withoutSecrets } from '../security/redact';
import type { StoredFailure, StoredLockout, StoredToken, TokenStore } from './token-store';

type Operation = 'get' | 'set' | 'delete' | 'lock' | 'lockout' | 'failure' | 'subscribe';

/**
 * A {@link TokenStore} bound to one key that never throws nor hangs: a store failure, or a call that
 * does not settle within `timeoutMs` ({@link StoreTimeoutError}), is reported through `onStoreError`
 * and the plugin carries on with its in-process state, so a request never fails because a shared
 * cache is away.
 */
export class SafeStore {
  private lastFailed = false;
  /** The token values last handed to the store: what a store's error may quote (scrubbed from `onStoreError`). */
  /** The token last handed to the store: what a store's error may quote (with {@link deleted}). */
  private lastSet?: StoredToken = undefined;
  /** Tokens asked to be deleted since (compare-and-delete): a store's error may quote them too. */
  private deleted?: string[] = undefined;

  constructor(
    private readonly store: TokenStore,
    private readonly key: string,
    private readonly hooks: OAuth2Hooks,
    private readonly timeoutMs: number,
    /** The attachment's own store (the default one): nobody to share a renewal lock with. */
    private readonly exclusive = false,
    /**
     * The key a lockout is shared under: the attachment's own key, whichever token (scope, resource)
     * this store serves, as a lockout is the client's.
     */
    private readonly lockoutKey = key,
  ) {}

  /** The token values last handed to the store: what a store's error may quote (scrubbed from `onStoreError`). Made when needed: one token cache per tenant. */
  private get secrets(): string[] {
    const held = this.lastSet ? [this.lastSet.accessToken, this.lastSet.refreshToken ?? ''] : [];
    return [...held, ...(this.deleted ?? [])].filter((s) => s.length >= 4);
  }

  /** Whether the store is the attachment's own (the default in-memory one), shared with no other process. */
  get ownedByAttachment(): boolean {
    return this.exclusive;
  }

  /** Whether the last store operation failed: the store is probably unreachable, so waiting on it is pointless. */
  get failing(): boolean {
    return this.lastFailed;
  }

  get(): Promise<StoredToken | undefined> {
    return this.guard('get', () => this.store.get(this.key));
  }

  set(token: StoredToken): Promise<void> {
    this.lastSet = token;
    this.deleted = undefined;
    return this.guard('set', () => this.store.set(this.key, token));
  }

  delete(ifAccessToken?: string): Promise<void> {
    if (ifAccessToken && ifAccessToken.length >= 4 && !this.secrets.includes(ifAccessToken))
      (this.deleted ??= []).push(ifAccessToken);
    return this.guard('delete', () => this.store.delete(this.key, ifAccessToken));
  }

  /**
   * Takes the cross-process renewal lock: `'won'` with a release function, `'lost'` when another
   * process holds it, `'none'` when the store has no lock or is unreachable (renew in this process).
   */
  async acquireLock(): Promise<{ status: 'won'; release: () => Promise<void> } | { status: 'lost' | 'none' }> {
    const { store } = this;
    if (!store.acquireLock || this.exclusive) return { status: 'none' };
    let release: (() => Promise<void>) | undefined;
    let late = false;
    try {
      const taking = Promise.resolve(store.acquireLock(this.key));
      // A lock won after the time-out is released at once, so it does not block the other processes.
      void taking.then(
        (won) => {
          if (late && won) won().catch(() => undefined);
        },
        () => undefined,
      );
      release = await bounded(taking, this.timeoutMs, () => {
        late = true;
        return new StoreTimeoutError('lock', this.timeoutMs);
      });
      this.lastFailed = false;
    } catch (error) {
      this.lastFailed = true;
      this.report('lock', error);
      return { status: 'none' };
    }
    if (!release) return { status: 'lost' };
    const unlock = release;
    return { status: 'won', release: async () => void (await this.guard('lock', unlock)) };
  }

  /** How long to wait for another process's renewal. */
  get lockWaitMs(): number {
    return this.store.lockWaitMs ?? 10_000;
  }

  getLockout(): Promise<StoredLockout | undefined> {
    const { store } = this;
    return store.getLockout
      ? this.guard('lockout', () => store.getLockout!(this.lockoutKey))
      : Promise.resolve(undefined);
  }

  setLockout(lockout: StoredLockout | undefined): Promise<void> {
    const { store } = this;
    return store.setLockout
      ? this.guard('lockout', () => store.setLockout!(this.lockoutKey, lockout))
      : Promise.resolve();
  }

  private report(operation: Operation, error: unknown): void {
    emit(this.hooks, 'onStoreError', { operation, error: withoutSecrets(error, this.secrets) });
  }

  getFailure(): Promise<StoredFailure | undefined> {
    const { store } = this;
    return store.getFailure ? this.guard('failure', () => store.getFailure!(this.key)) : Promise.resolve(undefined);
  }

  setFailure(failure: StoredFailure | undefined): Promise<void> {
    const { store } = this;
    return store.setFailure ? this.guard('failure', () => store.setFailure!(this.key, failure)) : Promise.resolve();
  }

  /**
   * Listens for other processes' renewals (see {@link TokenStore.subscribe}); resolves to the
   * function that stops listening, or `undefined` when the store cannot notify (then poll).
   * A failure here is reported but does not mark the store as failing: polling still works.
   */
  async subscribe(listener: () => void): Promise<(() => void) | undefined> {
    const { store } = this;
    if (!store.subscribe) return undefined;
    try {
      return await store.subscribe(this.key, listener);
    } catch (error) {
      this.report('subscribe', error);
      return undefined;
    }
  }

  private async guard<T>(operation: Operation, run: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await bounded(run(), this.timeoutMs, () => new StoreTimeoutError(operation, this.timeoutMs));
      this.lastFailed = false;
      return result;
    } catch (error) {
      this.lastFailed = true;
      this.report(operation, error);
      return undefined;
    }
  }
}
