import type { AxiosRequestConfig } from 'axios';
import type { ClientAuthentication } from './options';
import type { EndpointSource } from '../contracts/endpoint';

/**
 * One tenant's credentials, as `tenants.load` returns them: values in the shape of the attachment's
 * own options. What a tenant leaves out is the attachment's (its `tokenUrl`, `scope`, `resource`…);
 * `tokenRequestParams` are merged over the attachment's.
 */
export interface TenantCredentials {
  /** The tenant's client id (public: part of its cache key). */
  clientId: string;
  /** Its client secret, for `client_secret_basic`/`client_secret_post` (a secret: scrubbed everywhere). */
  clientSecret?: string;
  /**
   * Its client authentication: `'client_secret_basic'`, `'client_secret_post'`, or a value from
   * `axios-oauth2-bearer/client-auth` (`privateKeyJwt(key)`, `clientSecretJwt(secret)`…) holding its
   * own credentials (then no `clientSecret`). @default the attachment's method for a `clientSecret`
   */
  clientAuthentication?: ClientAuthentication;
  /**
   * Its token endpoint: an absolute https URL (http on loopback hosts), or an endpoint source such as
   * `discover(issuer)` (`axios-oauth2-bearer/discovery`): the tenant then discovers its own token
   * endpoint (once, shared by its requests, kept while the tenant is held; a failure is a
   * `DiscoveryError` for this tenant only). @default the attachment's `tokenUrl`
   */
  tokenUrl?: string | EndpointSource;
  /** Scopes of its tokens. @default the attachment's `scope` */
  scope?: string;
  /** RFC 8707 resource indicator of its tokens. @default the attachment's `resource` */
  resource?: string;
  /** Extra token-request parameters, merged over the attachment's. @default {} */
  tokenRequestParams?: Record<string, string>;
}

/** What `tenants.load` is given besides the tenant. */
export interface TenantLoadContext {
  /** Aborted at the deadline (`tokenRequestTimeoutMs`) or on `detach()`: stop the lookup then. */
  signal: AbortSignal;
}

/**
 * The options of `tenants()` (`axios-oauth2-bearer/tenants`), the value of the `tenants` option.
 * Many tenants on one attachment: each tenant (a customer, a legal entity) has its own client
 * credentials, loaded on demand, and its own token, renewal, lockout cool-down, failure cache and
 * rejection breaker. A request names its tenant with `oauth2: { tenant }` (or `fromRequest` derives
 * it); handle calls take `{ tenant }`.
 *
 * @example
 * ```ts
 * const auth = attachOAuth2(api, {
 *   tokenUrl: 'https://api.mangopay.com/v2.01/oauth/token',
 *   tenants: tenants({ load: async (tenant, { signal }) => secrets.read(`mangopay/${tenant}`, { signal }) }),
 * });
 * await api.get(`/v2.01/${clientId}/users`, { oauth2: { tenant: 'acme' } });
 * await auth.forgetTenant('acme'); // the customer disconnected
 * ```
 */
export interface TenantsOptions {
  /**
   * Loads a tenant's credentials: called once per tenant (concurrent requests share one call), its
   * result held up to `maxTenants` tenants and `idleMs` of disuse. `undefined`: no such tenant
   * (`UnknownTenantError`). Throwing, or not settling within the token deadline
   * (`tokenRequestTimeoutMs`, then `signal` aborts), fails the tenant's requests with
   * `TenantLoadError` for `retryMs`. After the token endpoint answers `invalid_client`, it is asked
   * once more (a rotated secret) before the error is served.
   */
  load: (
    tenant: string,
    context: TenantLoadContext,
  ) => TenantCredentials | undefined | Promise<TenantCredentials | undefined>;
  /**
   * The tenant of a request that has no `oauth2.tenant` (an SDK that cannot pass per-request
   * options): e.g. a header or a path segment of `config`. Synchronous; `undefined`: no tenant.
   * @default none (only `oauth2.tenant` names the tenant)
   */
  fromRequest?: (config: AxiosRequestConfig) => string | undefined;
  /** Most tenants held (credentials and tokens); beyond it the least recently used is dropped. @default 1000 */
  maxTenants?: number;
  /** A tenant unused this long is dropped (its credentials and tokens), in milliseconds. @default 3600000 (1 hour) */
  idleMs?: number;
  /** How long a failed or unknown tenant's load is served from cache before the loader is asked again. @default 5000 */
  retryMs?: number;
}
