import type { AxiosRequestConfig } from 'axios';
import { OAuth2RequestOptionsError } from '../../errors';
import { injectedSource } from '../../http/injected-marker';
import type { StoredToken } from '../../store/token-store';
import { TokenCache } from '../token-cache';
import type { TokenEntries } from '../token-entries';
import { handleSelector, type NormalisedSelector } from '../token-selector';
import type { AttachedTenants } from '../../contracts/tenants';
import type { ResolvedOptions } from '../../options/validate-options';
import type { TenantState } from './tenant-state';
import type { SubjectOptions } from '../../contracts/grant';

/** What the interceptors and the handle use of an attachment's tokens: its {@link TokenEntries}, or its tenants'. */
export type TokenSource = Pick<
  TokenEntries,
  | 'defaultEntry'
  | 'forOrigin'
  | 'forRequest'
  | 'forSelector'
  | 'accepted'
  | 'entryOf'
  | 'heldTokens'
  | 'subjects'
  | 'forSubjectOf'
>;

function tenantError(option: string, problem: string): OAuth2RequestOptionsError {
  return new OAuth2RequestOptionsError(option, `axios-oauth2-bearer: ${problem}`);
}

/**
 * The tokens of an attachment with `tenants`: a layer above {@link TokenEntries}. Each tenant has its
 * own (a {@link TenantState} in the {@link TenantDirectory}); the attachment's own credentials, if
 * any, serve requests without a tenant. It is the owner the interceptors mark injected requests with,
 * so the response side finds the tenant's cache a token came from.
 */
export class TenantEntries implements TokenSource {
  constructor(
    /** The attachment's own tokens; undefined when it has no credentials of its own. */
    private readonly own: TokenEntries | undefined,
    /** The tenants (the `tenants` feature's): found, loaded, held. */
    readonly directory: AttachedTenants<TenantState, ResolvedOptions>,
    /** Whether the attachment exchanges a subject token per request (`grant: tokenExchange()`), for every tenant. */
    readonly exchanging = false,
  ) {}

  /** The attachment's own token (only reached for a request this attachment marked, which names its cache). */
  get defaultEntry(): TokenCache {
    return this.ownEntries().defaultEntry;
  }

  /**
   * The tenant of a request: `oauth2.tenant`, else what `tenants.fromRequest` derives, else
   * undefined. Throws `OAuth2RequestOptionsError` for a bad value (or a `fromRequest` that throws).
   */
  tenantOf(config: AxiosRequestConfig): string | undefined {
    return this.directory.tenantOf(config);
  }

  /** The tokens of requests without a tenant: the attachment's own; throws when it has none. */
  ownEntries(): TokenEntries {
    if (this.own) return this.own;
    throw tenantError(
      'oauth2.tenant',
      'this attachment has tenants and no credentials of its own: name the tenant with oauth2: { tenant } (or tenants.fromRequest)',
    );
  }

  forOrigin(origin: string): TokenCache {
    return this.ownEntries().forOrigin(origin);
  }

  forRequest(perRequest: object, target: TokenCache): TokenCache {
    return this.ownEntries().forRequest(perRequest, target);
  }

  forSelector(selector: NormalisedSelector | undefined): TokenCache {
    return this.ownEntries().forSelector(selector);
  }

  /**
   * Token exchange: the request interceptor takes the tenant route, which asks the tenant (or the
   * attachment's own entries) for the request's subject itself (`exchanging`).
   */
  readonly subjects = undefined;

  forSubjectOf(entry: TokenCache, config: Parameters<TokenEntries['forSubjectOf']>[1]): TokenCache {
    return this.ownEntries().forSubjectOf(entry, config);
  }

  /**
   * The cache a handle call acts on: `{ tenant }` selects the tenant (loaded if need be), the rest
   * (`scope`, `resource`) its token, and with token exchange `subjectToken` its subject's (in the
   * tenant's own subject entries); without a tenant, the attachment's own. `create` false: a subject
   * not held is not made (undefined).
   */
  async forHandle(
    method: string,
    options: unknown,
    extra: readonly string[] = [],
    create = true,
  ): Promise<TokenCache | undefined> {
    const tenant = (options as { tenant?: unknown } | undefined)?.tenant;
    const subject = options as SubjectOptions | undefined;
    if (tenant === undefined || typeof options !== 'object' || options === null) {
      const own = this.ownEntries();
      const entry = own.forSelector(handleSelector(method, options, ['tenant', ...extra]));
      return own.forHandleSubject(method, entry, subject, create);
    }
    const name = this.directory.checked(`${method}.tenant`, tenant);
    const rest = { ...(options as Record<string, unknown>) };
    delete rest.tenant;
    const selector = handleSelector(method, rest, extra);
    const state: TenantState = await this.directory.load(name);
    return state.forHandleSubject(method, state.forSelector(selector), subject, create);
  }

  accepted(config: Parameters<TokenCache['accepted']>[0]): void {
    this.entryOf(config)?.accepted(config);
  }

  entryOf(config: object | undefined): TokenCache | undefined {
    const source = config ? injectedSource(config, this) : undefined;
    return source instanceof TokenCache ? source : undefined;
  }

  /**
   * The tokens `close()` may revoke: the attachment's own only. A tenant's token would be revoked
   * authenticated as the attachment's client, not the tenant's (not done: its TTL ends it).
   */
  heldTokens(): StoredToken[] {
    return this.own?.heldTokens() ?? [];
  }
}
