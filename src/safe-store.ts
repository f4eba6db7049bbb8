import { emit, type OAuth2Hooks } from './hooks';
import type { StoredLockout, StoredToken, TokenStore } from './stores/token-store';

/**
 * A {@link TokenStore} bound to one key that never throws: a store failure is reported through
 * `onStoreError` and the plugin carries on with its in-process state, so a request never fails
 * because a shared cache is away.
 */
export class SafeStore {
  constructor(private readonly store: TokenStore, private readonly key: string, private readonly hooks: OAuth2Hooks) {}

  get(): Promise<StoredToken | undefined> {
    return this.guard('get', () => this.store.get(this.key));
  }

  set(token: StoredToken): Promise<void> {
    return this.guard('set', () => this.store.set(this.key, token));
  }

  delete(ifAccessToken?: string): Promise<void> {
    return this.guard('delete', () => this.store.delete(this.key, ifAccessToken));
  }

  getLockout(): Promise<StoredLockout | undefined> {
    const { store } = this;
    return store.getLockout ? this.guard('lockout', () => store.getLockout!(this.key)) : Promise.resolve(undefined);
  }

  setLockout(lockout: StoredLockout | undefined): Promise<void> {
    const { store } = this;
    return store.setLockout ? this.guard('lockout', () => store.setLockout!(this.key, lockout)) : Promise.resolve();
  }

  private async guard<T>(operation: 'get' | 'set' | 'delete' | 'lockout', run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      emit(this.hooks, 'onStoreError', { operation, error });
      return undefined;
    }
  }
}
