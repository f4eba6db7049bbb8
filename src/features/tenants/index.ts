/**
 * `axios-oauth2-bearer/tenants`: many tenants on one attachment as a value given to `attachOAuth2`'s
 * `tenants` option (each tenant with its own credentials, loaded on demand). Users who do not import
 * it never load it.
 */
export { tenants } from './tenants';
export type { TenantsOptions, TenantCredentials, TenantLoadContext } from '../../options/tenant-types';
export type { TenantsFeature, AttachedTenants, TenantsContext, HeldTenant } from '../../contracts/tenants';
