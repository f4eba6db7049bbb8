import type { SubjectOptions } from '../../contracts/grant';
import type { GrantRun, HeldTenant, TenantCore, TenantEntries } from '../../contracts/tenants';
import type { TokenSource } from '../../contracts/token-source';
import type { OAuth2RequestOptions } from '../../http/request-options';
import type { StoredToken } from '../../store/token-store';
import { fetchReasking, type CredentialsReload, type Reasking } from './reasking-runner';

/**
 * Makes the token caches of tenants (one shared factory per attachment: no closure per tenant), and
 * reloads a tenant's credentials after `invalid_client`.
 */
export interface TenantCacheFactory<T extends TenantCore> extends CredentialsReload<T> {
  /** The token cache of `options` (a tenant's, or one of its selections), under `tenant`'s lockout cool-down. */
  cache(options: T['options'], tenant: TenantState<T>): T['cache'];
  /** The core's grant runner of `options`. */
  runner(options: T['options']): GrantRun<T['outcome']>;
  /** The core's token caches of `options` by selection (see `TenantsContext.entries`). */
  entries(options: T['options'], make: (options: T['options']) => T['cache']): TenantEntries<T['cache']>;
  /** Whether the attachment exchanges a subject token per request, for every tenant. */
  readonly exchanging: boolean;
}

/** Most token caches of selections (scope, resource) a tenant keeps track of for `forget()`. */
const TRACKED_SELECTIONS = 32;

type Selector<T extends TenantCore> = Parameters<TokenSource<T['cache']>['forSelector']>[0];

/**
 * One loaded tenant: its options (the attachment's, with its credentials, by prototype), its own
 * token cache and that cache's grant runner (it is itself: asks the loader again after
 * `invalid_client`, see `fetchReasking`), and (made on the first per-request scope or resource, or
 * with `apiOrigins` defaults) the core's token caches by selection. Lean by design: no Map, closure
 * or axios instance per tenant, and no object more than the core's for its own token's renewal.
 */
export class TenantState<T extends TenantCore>
  implements TokenSource<T['cache']>, HeldTenant, GrantRun<T['outcome']>, Reasking<T>
{
  /** The grant runner of its own token in use (the core's; then that of reloaded credentials). */
  runner: GrantRun<T['outcome']>;
  /** Whether its loader was asked again in this run of failures of its own token. */
  reasked = false;
  /** The tenant's own token (its default scope and resource). */
  readonly entry: T['cache'];
  /** The store key a lockout of this tenant is shared under (its own token's key). */
  lockoutKey = '';
  private entries?: TenantEntries<T['cache']>;
  /** Caches made for selections, so `forget()` reaches them (the last {@link TRACKED_SELECTIONS}). */
  private selections?: T['cache'][];

  constructor(
    readonly options: T['options'],
    /** The tenant's lockout cool-down, shared by its token caches (a lockout is the client's). */
    readonly cooldown: T['cooldown'],
    private readonly factory: TenantCacheFactory<T>,
  ) {
    this.runner = factory.runner(options);
    this.entry = factory.cache(options, this);
  }

  /** Who reloads its credentials (the attachment's factory). */
  get credentials(): CredentialsReload<T> {
    return this.factory;
  }

  /** The renewal of its own token (see `fetchReasking`). */
  fetch(refreshToken: string | undefined, transport?: unknown): Promise<T['outcome']> {
    return fetchReasking(this, refreshToken, transport);
  }

  /** The cache of requests to `origin` without per-request scope or resource. */
  forOrigin(origin: string): T['cache'] {
    return this.options.originDefaults.size === 0 ? this.entry : this.all().forOrigin(origin);
  }

  /** The cache of a request with a scope or resource in `perRequest`, bound where `target` serves. */
  forRequest(perRequest: object, target: T['cache']): T['cache'] {
    return this.all().forRequest(perRequest, target);
  }

  /** The cache of a handle call's selector. */
  forSelector(selector: Selector<T>): T['cache'] {
    return selector === undefined ? this.entry : this.all().forSelector(selector);
  }

  /**
   * Token exchange (`grant: tokenExchange(…)`): the cache of the subject of request `config` for the
   * selection `entry` stands for, in this tenant's own subject entries (bounded by `maxSubjects`,
   * named under this tenant's own HMAC key). Throws `OAuth2RequestOptionsError` (no subject, or an expired one).
   */
  forSubjectOf(entry: T['cache'], config: { oauth2?: OAuth2RequestOptions }): T['cache'] {
    return this.all().forSubjectOf(entry, config);
  }

  /** A handle call's cache: with token exchange, the subject's (see `TokenEntries.forHandleSubject`), else `entry`. */
  forHandleSubject(
    method: string,
    entry: T['cache'],
    options: SubjectOptions | undefined,
    create: boolean,
  ): T['cache'] | undefined {
    // Without token exchange and no subject named: the entry as is (no caches by selection made for it).
    if (!this.factory.exchanging && options?.subjectToken === undefined) return entry;
    return this.all().forHandleSubject(method, entry, options, create);
  }

  /** The tokens the tenant holds now. */
  heldTokens(): StoredToken[] {
    if (!this.entries) {
      const token = this.entry.held();
      return token ? [token] : [];
    }
    return this.entries.heldTokens();
  }

  /** Dropped from the directory (bounds): its caches retire (see `TokenCache.retire`). */
  retire(): void {
    this.entry.retire();
    for (const cache of this.selections ?? []) cache.retire();
    for (const cache of this.entries?.subjects?.entries() ?? []) cache.retire();
  }

  /** Forgotten (a customer disconnects): its tokens are dropped here and in the store. */
  async forget(): Promise<void> {
    const subjects = this.entries?.subjects?.entries() ?? [];
    await Promise.all([this.entry, ...(this.selections ?? []), ...subjects].map((cache) => cache.invalidate()));
  }

  private all(): TenantEntries<T['cache']> {
    this.entries ??= this.factory.entries(this.options, (options) => {
      if (options === this.options) return this.entry;
      const cache = this.factory.cache(options, this);
      // A subject's cache is held (and bounded) by the subject entries, not tracked here.
      if (options.subjectKey !== undefined) return cache;
      const tracked = (this.selections ??= []);
      tracked.push(cache);
      if (tracked.length > TRACKED_SELECTIONS) tracked.shift();
      return cache;
    });
    return this.entries;
  }
}
