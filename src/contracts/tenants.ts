/**
 * Many tenants as a value (`tenants: tenants({ load })` from `axios-oauth2-bearer/tenants`). The core
 * sees the feature through this file only: the feature finds a request's tenant, loads and holds the
 * tenants (one load per tenant, bounded, idle ones dropped, failures served for a while) and their
 * token sources, and asks the loader again after `invalid_client`; the core hands it, at attach, its
 * machinery (credential checks, token caches, grant runners: {@link TenantsContext}) and asks it per
 * request for the token source to use (a {@link SourceChoice}).
 */
import type { StoredToken } from '../store/token-store';
import type { Lifecycle } from '../util/lifecycle';
import type { ClientAuth } from './client-auth';
import type { EndpointResolver, EndpointSource } from './endpoint';
import type { SourceChoice, TokenSource } from './token-source';

/**
 * What a tenant's credentials (`load`'s result, checked by the feature) set over the attachment's
 * options. A key present with `undefined` clears the attachment's value (a tenant URL clears its issuer).
 */
export interface TenantFields {
  clientId: string;
  clientAuthentication: ClientAuth;
  tenant: string;
  tokenUrl?: string;
  issuer?: string;
  endpoint?: EndpointResolver;
  scope?: string;
  resource?: string;
  tokenRequestParams?: Record<string, string>;
}

/** The attachment's checks a tenant's credentials go through (the core's, given at attach). */
export interface CredentialRules {
  /** The client authentication of `authentication` / `secret` for `clientId`; throws `OAuth2OptionsError` naming the field. */
  clientAuth(authentication: unknown, secret: unknown, clientId: string): ClientAuth;
  /** Binds an endpoint source (`discover(issuer)`) to the tenant; throws `OAuth2OptionsError`. */
  attachEndpoint(source: EndpointSource, clientAuth: ClientAuth): EndpointResolver;
  /** Whether plain http is allowed beyond loopback hosts (`allowInsecureHttp`). */
  readonly allowInsecureHttp: boolean;
  /** Whether `scope` holds at least one scope. */
  scopeOk(scope: string): boolean;
  /** `resource` checked (RFC 8707); throws `OAuth2RequestOptionsError`. */
  resource(value: unknown): string | undefined;
  /** The attachment's `tokenRequestParams` (a tenant's are merged over them). */
  readonly tokenRequestParams: Readonly<Record<string, string>>;
}

/** A token cache, as the tenants hold it (the core's). */
export interface TenantCache {
  /** Dropped (bounds): it stops serving and renewing. */
  retire(): void;
  /** Its token dropped, here and in the store. */
  invalidate(): Promise<void>;
  /** The token it holds now. */
  held(): StoredToken | undefined;
}

/** What one run of a grant gives, as the tenants see it: its kind and, when it failed, its error. */
export interface RunOutcome {
  readonly kind: string;
  readonly error?: unknown;
}

/** A grant runner (the core's): one renewal's token request(s), as a token cache runs it. */
export interface GrantRun<R extends RunOutcome> {
  fetch(refreshToken: string | undefined, transport?: unknown): Promise<R>;
}

/** The options of one token cache (the core's resolved options), as the tenants read them. */
export interface TenantOptionsView {
  readonly clientId: string;
  readonly clientAuthentication: ClientAuth;
  readonly tenant?: string;
  readonly issuer?: string;
  readonly endpoint?: EndpointResolver;
  /** Token exchange: set on a subject's options. */
  readonly subjectKey?: string;
  /** The `apiOrigins` defaults (scope, resource per origin). */
  readonly originDefaults: ReadonlyMap<string, unknown>;
}

/** The core's types the tenants work with, opaque but for what the views above show. */
export interface TenantCore {
  cache: TenantCache;
  options: TenantOptionsView;
  outcome: RunOutcome;
  /** A lockout cool-down (one per tenant, shared by its caches). */
  cooldown: unknown;
}

/** What a held tenant is to its directory. */
export interface HeldTenant {
  /** Dropped by the bounds (`maxTenants`, `idleMs`): its caches retire. */
  retire(): void;
  /** Forgotten (`forgetTenant`): its tokens are dropped here and in the store. */
  forget(): Promise<void>;
}

/** A tenant's token caches by selection, made by the core (its `TokenEntries`). */
export type TenantEntries<C> = TokenSource<C> & { readonly subjects?: { entries(): C[] } };

/**
 * The core machinery the tenants use, given at attach: the checks of credentials, the options a
 * tenant's fields go over, and what makes token caches, grant runners and lockout cool-downs.
 */
export interface TenantsContext<T extends TenantCore> {
  /** The plugin's clock. */
  readonly clock: () => number;
  /** The deadline of one call to the loader, in ms (the token deadline). */
  readonly timeoutMs: number;
  /** The attachment's lifecycle: a load stops (and the sweeper with it) on `detach()`. */
  readonly lifecycle: Lifecycle;
  /** The checks a loader's result goes through. */
  readonly rules: CredentialRules;
  /** The attachment's options: a tenant's are these with its {@link TenantFields} over them (by prototype). */
  readonly base: T['options'];
  /** The attachment's own tokens (requests without a tenant); undefined when it has no credentials of its own. */
  readonly own?: TokenSource<T['cache']>;
  /** Whether the attachment exchanges a subject token per request (`grant: tokenExchange()`), for every tenant. */
  readonly exchanging: boolean;
  /** The key of the token requests of `options` (public identity only, no secret). */
  cacheKey(options: T['options']): string;
  /** The token caches of one set of options by selection; `make` makes each (`options` itself: the default one). */
  entries(options: T['options'], make: (options: T['options']) => T['cache']): TenantEntries<T['cache']>;
  /** A lockout cool-down of the attachment's settings. */
  cooldown(): T['cooldown'];
  /** The grant runner of `options` (one client to the server, the attachment's lifecycle). */
  runner(options: T['options']): GrantRun<T['outcome']>;
  /** A token cache: `options`' tokens under `storeKey`, its lockout shared under `lockoutKey` and `cooldown`, renewed by `runner`. */
  cache(
    options: T['options'],
    storeKey: string,
    lockoutKey: string,
    cooldown: T['cooldown'],
    runner: GrantRun<T['outcome']>,
  ): T['cache'];
  /** The options of a cache made by `entries` (a selection's, a subject's) over other credentials' options `fresh`. */
  rebase(entry: T['options'], fresh: T['options']): T['options'];
}

/** The tenants of one attachment: the token source of each request (its tenant's), and what the handle asks. */
export interface AttachedTenants<S> extends SourceChoice<S> {
  /** Drops a tenant (`forgetTenant(tenant)`, checked) and its tokens; resolves once the store has been told. */
  forget(tenant: unknown): Promise<void>;
}

/** The `tenants` option's value (see the file's comment). Immutable. */
export interface TenantsFeature {
  /** Marks the value for the core's shape check. */
  readonly kind: 'tenants';
  /** Makes the tenants of one attachment. */
  attach<T extends TenantCore>(context: TenantsContext<T>): AttachedTenants<TokenSource<T['cache']>>;
}

/** Whether `value` has the shape of a {@link TenantsFeature} (the check the core makes on the `tenants` option). */
export function isTenantsFeature(value: unknown): value is TenantsFeature {
  const feature = value as Partial<TenantsFeature> | null;
  return (
    typeof feature === 'object' &&
    feature !== null &&
    feature.kind === 'tenants' &&
    typeof feature.attach === 'function'
  );
}
