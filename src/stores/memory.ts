import type { StoredFailure, StoredLockout, StoredToken, TokenStore } from './token-store';

/** The default store: a map in this process. Share one instance between attachments to share tokens. */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  private readonly lockouts = new Map<string, StoredLockout>();
  private readonly failures = new Map<string, StoredFailure>();

  get(key: string): Promise<StoredToken | undefined> {
    return Promise.resolve(this.tokens.get(key));
  }

  set(key: string, token: StoredToken): Promise<void> {
    this.tokens.set(key, token);
    return Promise.resolve();
  }

  delete(key: string, ifAccessToken?: string): Promise<void> {
    const current = this.tokens.get(key);
    if (ifAccessToken === undefined || current?.accessToken === ifAccessToken) this.tokens.delete(key);
    return Promise.resolve();
  }

  getLockout(key: string): Promise<StoredLockout | undefined> {
    return Promise.resolve(this.lockouts.get(key));
  }

  setLockout(key: string, lockout: StoredLockout | undefined): Promise<void> {
    if (lockout) this.lockouts.set(key, lockout);
    else this.lockouts.delete(key);
    return Promise.resolve();
  }

  getFailure(key: string): Promise<StoredFailure | undefined> {
    return Promise.resolve(this.failures.get(key));
  }

  setFailure(key: string, failure: StoredFailure | undefined): Promise<void> {
    if (failure) this.failures.set(key, failure);
    else this.failures.delete(key);
    return Promise.resolve();
  }
}
