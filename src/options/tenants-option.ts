import { OAuth2OptionsError } from '../errors';
import type { ClientAuth } from '../contracts/client-auth';
import { isTenantsFeature, type TenantsFeature } from '../contracts/tenants';
import { describe } from '../util/describe';

/**
 * The client authentication of an attachment with `tenants` and no credentials of its own: never
 * used for a token request (a request without a tenant fails first), it only fills the slot.
 */
export const NO_OWN_CREDENTIALS: ClientAuth = Object.freeze({
  method: 'none',
  mutualTls: false,
  identity: Object.freeze(['none']),
  secrets: Object.freeze([]),
  credentials: () => ({}),
});

/** `tenants`: a value of `tenants({...})` (`axios-oauth2-bearer/tenants`), or undefined. Throws {@link OAuth2OptionsError}. */
export function checkTenants(value: unknown): TenantsFeature | undefined {
  if (value === undefined || isTenantsFeature(value)) return value;
  throw new OAuth2OptionsError(
    'tenants',
    `axios-oauth2-bearer: option "tenants" must be tenants({ load }) from axios-oauth2-bearer/tenants, got ${describe(value)}`,
  );
}
