import { createHash } from 'node:crypto';
import type { TenantFields } from '../../contracts/tenants';

/** The fields a tenant's credentials set over the attachment's options. */
const TENANT_FIELDS = [
  'clientId',
  'clientAuthentication',
  'tenant',
  'tokenUrl',
  'issuer',
  'endpoint',
  'scope',
  'resource',
  'tokenRequestParams',
] as const satisfies readonly (keyof TenantFields)[];

/**
 * Options that differ from `base` in `overrides` alone: an object whose prototype is `base` (no copy
 * of the ~50 resolved options), frozen like `base`.
 */
export function overlay<O extends object>(base: O, overrides: Readonly<Record<string, unknown>>): O {
  const descriptors: PropertyDescriptorMap = {};
  for (const [key, value] of Object.entries(overrides))
    descriptors[key] = { value, enumerable: true, writable: false, configurable: false };
  return Object.freeze(Object.create(base, descriptors) as O);
}

/**
 * The prototype of every tenant's options of an attachment: `base` (the attachment's options) with
 * the tenant fields made writable (they are frozen on `base`), so each tenant's options are a small
 * object of plain assignments whose shape V8 shares between tenants (one hidden class, the fields in the object).
 */
export function tenantTemplate<O extends object>(base: O): O {
  const descriptors: PropertyDescriptorMap = {};
  for (const key of TENANT_FIELDS)
    descriptors[key] = { value: (base as Record<string, unknown>)[key], writable: true, enumerable: true };
  return Object.create(base, descriptors) as O;
}

/** The options of one tenant's token requests: the attachment's {@link tenantTemplate} with the tenant's checked `fields`. */
export function tenantOptions<O extends object>(template: O, fields: TenantFields): O {
  // Assigned in one order for every tenant: one shape for all.
  const options = Object.create(template) as Record<string, unknown>;
  for (const key of TENANT_FIELDS) if (key in fields) options[key] = fields[key];
  return Object.freeze(options) as O;
}

/**
 * The cache key (store key) of a tenant's token: the key of its token requests (`requestKey`:
 * public identity only, its client id, endpoint, method…) bound to the tenant's name, so that two
 * tenants never share a token, even with the same client id. No secret in it.
 */
export function tenantCacheKey(tenant: string | undefined, requestKey: string): string {
  const parts = ['tenant/v1', tenant ?? '', requestKey];
  const digest = createHash('sha256').update(JSON.stringify(parts), 'utf8').digest().subarray(0, 20);
  // One flat string (not a concatenation over a slice of a longer one): it is held per tenant.
  return Buffer.from(`oauth2:${digest.toString('hex')}`, 'latin1').toString('latin1');
}
