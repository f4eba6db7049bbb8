/**
 * Many tenants as a value (`tenants: tenants({ load })` from `axios-oauth2-bearer/tenants`). The core
 * sees the feature through this file only: the feature finds a request's tenant, loads and holds the
 * tenants (one load per tenant, bounded, idle ones dropped, failures served for a while); the core
 * checks a loaded tenant's credentials and makes what serves its tokens (`check`, `make`, given at attach).
 */
import type { AxiosRequestConfig } from 'axios';
import type { StoredToken } from '../store/token-store';
import type { SignalLike } from '../util/abort';
import type { Lifecycle } from '../util/lifecycle';
import type { ClientAuth } from './client-auth';
import type { EndpointResolver, EndpointSource } from './endpoint';

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
  /** `; did you mean "<name>"?`, or `''`. */
  suggest(name: string, known: readonly string[]): string;
}

/** What the core makes of one loaded tenant (its token caches), as the feature holds it. */
export interface HeldTenant {
  /** Dropped by the bounds (`maxTenants`, `idleMs`): its caches retire. */
  retire(): void;
  /** Forgotten (`forgetTenant`): its tokens are dropped here and in the store. */
  forget(): Promise<void>;
  /** The tokens it holds now (for `close()`'s revocation). */
  heldTokens(): StoredToken[];
}

/** What the core gives the feature at attach. `O`: a tenant's checked options; `S`: what serves its tokens. */
export interface TenantsContext<S extends HeldTenant, O> {
  /** The plugin's clock. */
  readonly clock: () => number;
  /** The deadline of one call to the loader, in ms (the token deadline). */
  readonly timeoutMs: number;
  /** The attachment's lifecycle: a load stops (and the sweeper with it) on `detach()`. */
  readonly lifecycle: Lifecycle;
  /** The checks a loader's result goes through. */
  readonly rules: CredentialRules;
  /** The tenant's options: the attachment's with the checked `fields` over them. */
  readonly options: (fields: TenantFields) => O;
  /** What serves the tokens of a tenant's checked options. */
  readonly make: (options: O) => S;
}

/** The tenants of one attachment, as the request side and the handle use them. */
export interface AttachedTenants<S extends HeldTenant, O> {
  /**
   * The tenant of a request: `oauth2.tenant`, else the feature's `fromRequest`, else undefined.
   * Throws `OAuth2RequestOptionsError` for a bad value (or a `fromRequest` that throws).
   */
  tenantOf(config: AxiosRequestConfig): string | undefined;
  /** A tenant identifier given by `where` (`getToken.tenant`…), checked (throws `OAuth2RequestOptionsError`). */
  checked(where: string, value: unknown): string;
  /** The tenant when loaded, synchronously (the hot path); counts as a use. */
  loaded(tenant: string): S | undefined;
  /** The tenant, loaded if need be (one load shared by concurrent callers); rejects for this caller when a signal aborts. */
  load(tenant: string, signals?: Array<SignalLike | undefined>): Promise<S>;
  /** Asks the loader again (after `invalid_client`): the checked options it gives now, or undefined. */
  reask(tenant: string): Promise<O | undefined>;
  /** Drops a tenant and its tokens; resolves once the store has been told. */
  forget(tenant: string): Promise<void>;
  /** The tokens every held tenant holds now. */
  heldTokens(): StoredToken[];
}

/** The `tenants` option's value (see the file's comment). Immutable. */
export interface TenantsFeature {
  /** Marks the value for the core's shape check. */
  readonly kind: 'tenants';
  /** Makes the tenants of one attachment. */
  attach<S extends HeldTenant, O>(context: TenantsContext<S, O>): AttachedTenants<S, O>;
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
