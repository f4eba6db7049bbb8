import type { AttachedTenants, HeldTenant, TenantsContext, TenantsFeature } from '../../contracts/tenants';
import type { TenantsOptions } from '../../options/options';
import { TenantDirectory } from './tenant-directory';
import { checkedTenant, tenantOf } from './tenant-of';
import { resolveTenants } from './tenants-option';

/**
 * Many tenants on one attachment (its `tenants` option): each tenant (a customer, a legal entity)
 * has its own client credentials, loaded on demand by `load`, and its own token, renewal, lockout
 * cool-down, failure cache and rejection breaker. A request names its tenant with
 * `oauth2: { tenant }` (or `fromRequest` derives it); handle calls take `{ tenant }`. The options are
 * checked here: a bad one throws `OAuth2OptionsError` naming `tenants.<field>`.
 *
 * @example
 * ```ts
 * import { tenants } from 'axios-oauth2-bearer/tenants';
 *
 * const auth = attachOAuth2(api, {
 *   tokenUrl: 'https://api.mangopay.com/v2.01/oauth/token',
 *   tenants: tenants({ load: async (tenant, { signal }) => secrets.read(`mangopay/${tenant}`, { signal }) }),
 * });
 * await api.get(`/v2.01/${clientId}/users`, { oauth2: { tenant: 'acme' } });
 * await auth.forgetTenant('acme'); // the customer disconnected
 * ```
 */
export function tenants(options: TenantsOptions): TenantsFeature {
  const resolved = resolveTenants(options);
  const { fromRequest } = resolved;
  const feature: TenantsFeature = {
    kind: 'tenants',
    attach<S extends HeldTenant, O>(context: TenantsContext<S, O>): AttachedTenants<S, O> {
      const directory = new TenantDirectory(resolved, context);
      return {
        tenantOf: (config) => tenantOf(config, fromRequest),
        checked: checkedTenant,
        loaded: (tenant) => directory.loaded(tenant),
        load: (tenant, signals) => directory.load(tenant, signals),
        reask: (tenant) => directory.reask(tenant),
        forget: (tenant) => directory.forget(tenant),
        heldTokens: () => directory.heldTokens(),
      };
    },
  };
  return Object.freeze(feature);
}
