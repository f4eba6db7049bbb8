import type { AttachedTenants, TenantCore, TenantsContext, TenantsFeature } from '../../contracts/tenants';
import type { TokenSource } from '../../contracts/token-source';
import { OAuth2RequestOptionsError } from '../../errors';
import type { TenantsOptions } from '../../options/tenant-types';
import { tenantCaches } from './tenant-caches';
import { TenantDirectory } from './tenant-directory';
import { checkedTenant, tenantOf, tenantOfCall } from './tenant-of';
import { tenantOptions, tenantTemplate } from './tenant-options';
import { TenantState, type TenantCacheFactory } from './tenant-state';
import { resolveTenants } from './tenants-option';

/** The keys of a handle call's options that name its tenant. */
const CALL_KEYS: readonly string[] = Object.freeze(['tenant']);

function noOwnCredentials(): OAuth2RequestOptionsError {
  return new OAuth2RequestOptionsError(
    'oauth2.tenant',
    'axios-oauth2-bearer: this attachment has tenants and no credentials of its own: name the tenant with oauth2: { tenant } (or tenants.fromRequest)',
  );
}

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
    attach<T extends TenantCore>(context: TenantsContext<T>): AttachedTenants<TokenSource<T['cache']>> {
      const template = tenantTemplate(context.base);
      const factory: TenantCacheFactory<T> = tenantCaches(context, (tenant): Promise<T['options'] | undefined> =>
        directory.reask(tenant),
      );
      const directory = new TenantDirectory<TenantState<T>, T['options']>(resolved, {
        clock: context.clock,
        timeoutMs: context.timeoutMs,
        lifecycle: context.lifecycle,
        rules: context.rules,
        options: (fields) => tenantOptions(template, fields),
        make: (checked) => new TenantState(checked, context.cooldown(), factory),
      });
      const { own } = context;
      return {
        keyOf: (config) => tenantOf(config, fromRequest),
        keyOfCall: tenantOfCall,
        callKeys: CALL_KEYS,
        own() {
          if (own) return own;
          throw noOwnCredentials();
        },
        loaded: (tenant) => directory.loaded(tenant),
        load: (tenant, signals) => directory.load(tenant, signals),
        forget: (tenant) => directory.forget(checkedTenant('forgetTenant.tenant', tenant)),
      };
    },
  };
  return Object.freeze(feature);
}
