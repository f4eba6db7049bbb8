import { createHash } from 'node:crypto';
import { grantTypeOf, resolveClientAuth } from '../../options/client-auth-option';
import type { ResolvedOptions } from '../../options/validate-options';
import type { CredentialRules, TenantFields } from '../../contracts/tenants';
import type { AxiosInstance } from 'axios';
import { checkedResource, normaliseScope } from '../token-selector';
import { cacheKey } from '../cache-key';
import { didYouMean } from '../../util/suggest';

/**
 * Options that differ from `base` in `overrides` alone: an object whose prototype is `base` (no copy
 * of the ~50 resolved options per tenant or per token entry), frozen like `base`.
 */
export function deriveOptions(base: ResolvedOptions, overrides: Partial<ResolvedOptions>): ResolvedOptions {
  const descriptors: PropertyDescriptorMap = {};
  for (const [key, value] of Object.entries(overrides))
    descriptors[key] = { value, enumerable: true, writable: false, configurable: false };
  return Object.freeze(Object.create(base, descriptors) as ResolvedOptions);
}

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
] as const;

/**
 * The prototype of every tenant's options of an attachment: `base` with the tenant fields made
 * writable (they are frozen on `base`), so each tenant's options are a small object of plain
 * assignments whose shape V8 shares between tenants (one hidden class, the fields in the object).
 */
export function tenantTemplate(base: ResolvedOptions): ResolvedOptions {
  const descriptors: PropertyDescriptorMap = {};
  for (const key of TENANT_FIELDS) descriptors[key] = { value: base[key], writable: true, enumerable: true };
  return Object.create(base, descriptors) as ResolvedOptions;
}

/**
 * The checks a tenant's credentials go through (the `tenants` feature applies them to a loader's
 * result): the attachment's client authentication, endpoint sources, scope and resource rules.
 */
export function tenantRules(base: ResolvedOptions, instance: AxiosInstance): CredentialRules {
  return {
    clientAuth: (authentication, secret, clientId) =>
      resolveClientAuth(authentication, secret, {
        clientId,
        grantType: grantTypeOf(base.grant),
        tokenRequestFormat: base.tokenRequestFormat,
        instance,
        tokenHttpClient: base.tokenHttpClient,
        basicEncoding: base.basicEncoding,
      }),
    attachEndpoint: (source, clientAuthentication) =>
      source.attach({
        allowInsecureHttp: base.allowInsecureHttp,
        authMethod: base.tokenRequestFormat === 'query' ? undefined : clientAuthentication.method,
        mutualTls: clientAuthentication.mutualTls,
        clock: base.clock,
      }),
    allowInsecureHttp: base.allowInsecureHttp,
    scopeOk: (scope) => normaliseScope(scope) !== '',
    resource: (value) => checkedResource('resource', value),
    tokenRequestParams: base.tokenRequestParams,
    suggest: (name, known) => didYouMean(name, known),
  };
}

/** The options of one tenant's token requests: the attachment's {@link tenantTemplate} with the tenant's checked `fields`. */
export function tenantOptions(template: ResolvedOptions, fields: TenantFields): ResolvedOptions {
  // Assigned in one order for every tenant: one shape for all.
  const options = Object.create(template) as Record<string, unknown>;
  for (const key of TENANT_FIELDS) if (key in fields) options[key] = fields[key];
  return Object.freeze(options) as unknown as ResolvedOptions;
}

/**
 * The cache key (store key) of a tenant's token: the key of its token requests (public identity
 * only, see `cacheKey`: its client id, endpoint, method…) bound to the tenant's name, so that two
 * tenants never share a token, even with the same client id. No secret in it.
 */
export function tenantCacheKey(options: ResolvedOptions): string {
  const parts = ['tenant/v1', options.tenant ?? '', cacheKey(options)];
  const digest = createHash('sha256').update(JSON.stringify(parts), 'utf8').digest().subarray(0, 20);
  // One flat string (not a concatenation over a slice of a longer one): it is held per tenant.
  return Buffer.from(`oauth2:${digest.toString('hex')}`, 'latin1').toString('latin1');
}
