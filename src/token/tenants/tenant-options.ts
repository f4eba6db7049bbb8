import { createHash } from 'node:crypto';
import { OAuth2OptionsError, OAuth2RequestOptionsError, TenantLoadError } from '../../errors';
import { resolveClientAuth } from '../../options/client-auth-option';
import type { ResolvedOptions } from '../../options/validate-options';
import type { TenantCredentials } from '../../options/tenant-types';
import type { AxiosInstance } from 'axios';
import { isSecureEnough } from '../../util/url';
import { checkedResource, normaliseScope } from '../token-selector';
import { cacheKey } from '../cache-key';
import { didYouMean } from '../../options/suggest';
import { isEndpointSource, type EndpointResolver } from '../../contracts/endpoint';

/** The keys a loader's result may have (a typo is refused, naming it). */
const CREDENTIAL_KEYS: ReadonlySet<string> = new Set<keyof TenantCredentials>([
  'clientId',
  'clientSecret',
  'clientAuthentication',
  'tokenUrl',
  'scope',
  'resource',
  'tokenRequestParams',
]);

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

function invalid(tenant: string, field: string, problem: string, cause?: unknown): TenantLoadError {
  return new TenantLoadError(
    tenant,
    'invalid',
    `tenants.load("${tenant}") returned invalid credentials: "${field}" ${problem}`,
    { field, cause },
  );
}

/**
 * The options of one tenant's token requests: `base` (the attachment's) with the loader's
 * credentials checked and applied. Throws {@link TenantLoadError} (`reason: 'invalid'`) naming the
 * field at fault, never its value.
 */
export function tenantOptions(
  base: ResolvedOptions,
  /** The attachment's {@link tenantTemplate}. */
  template: ResolvedOptions,
  instance: AxiosInstance,
  tenant: string,
  value: unknown,
): ResolvedOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(tenant, 'credentials', 'must be an object such as { clientId, clientSecret }');
  for (const key of Object.keys(value)) {
    if (CREDENTIAL_KEYS.has(key)) continue;
    // A field's name is shown only when it is a typo of a known one: a key may itself be a secret.
    const typo = didYouMean(key, [...CREDENTIAL_KEYS]);
    if (typo !== '') throw invalid(tenant, key, `is not a known field${typo}`);
    throw invalid(tenant, 'credentials', `has an unknown field (known: ${[...CREDENTIAL_KEYS].join(', ')})`);
  }
  const given = value as Record<string, unknown>;
  const { clientId } = given;
  if (typeof clientId !== 'string' || clientId.trim() === '')
    throw invalid(tenant, 'clientId', 'must be a non-empty string');
  let clientAuthentication;
  try {
    clientAuthentication = resolveClientAuth(given.clientAuthentication, given.clientSecret, {
      clientId,
      tokenRequestFormat: base.tokenRequestFormat,
      instance,
      tokenHttpClient: base.tokenHttpClient,
      basicEncoding: base.basicEncoding,
    });
  } catch (error) {
    if (!(error instanceof OAuth2OptionsError)) throw error;
    throw invalid(tenant, error.option, 'is not valid (see cause)', error);
  }
  const overrides: { -readonly [K in keyof ResolvedOptions]?: ResolvedOptions[K] } = {
    clientId,
    clientAuthentication,
    tenant,
  };
  if (isEndpointSource(given.tokenUrl)) {
    // An endpoint source (`discover(issuer)`): the tenant's own resolver (its own discovery, single
    // flight and back-off), held by its options, so dropped with the tenant.
    let endpoint: EndpointResolver;
    try {
      endpoint = given.tokenUrl.attach({
        allowInsecureHttp: base.allowInsecureHttp,
        authMethod: base.tokenRequestFormat === 'query' ? undefined : clientAuthentication.method,
        mutualTls: clientAuthentication.mutualTls,
        clock: base.clock,
      });
    } catch (error) {
      if (!(error instanceof OAuth2OptionsError)) throw error;
      throw invalid(tenant, 'tokenUrl', 'is not a valid endpoint source (see cause)', error);
    }
    overrides.tokenUrl = undefined;
    overrides.issuer = given.tokenUrl.issuer;
    overrides.endpoint = endpoint;
  } else if (given.tokenUrl !== undefined) {
    overrides.tokenUrl = checkedTokenUrl(tenant, given.tokenUrl, base.allowInsecureHttp);
    // Not the attachment's endpoint source: a URL of its own.
    overrides.issuer = undefined;
    overrides.endpoint = undefined;
  }
  if (given.scope !== undefined) {
    const scope = typeof given.scope === 'string' ? normaliseScope(given.scope) : '';
    if (scope === '') throw invalid(tenant, 'scope', 'must be a non-empty string of space-separated scopes');
    overrides.scope = given.scope as string;
  }
  if (given.resource !== undefined) {
    try {
      overrides.resource = checkedResource('resource', given.resource);
    } catch (error) {
      if (!(error instanceof OAuth2RequestOptionsError)) throw error;
      throw invalid(tenant, 'resource', 'must be an absolute URI without a fragment (RFC 8707)');
    }
  }
  if (given.tokenRequestParams !== undefined) {
    const params = given.tokenRequestParams;
    if (
      typeof params !== 'object' ||
      params === null ||
      Array.isArray(params) ||
      !Object.values(params).every((v) => typeof v === 'string')
    )
      throw invalid(tenant, 'tokenRequestParams', 'must be an object of string values');
    overrides.tokenRequestParams = { ...base.tokenRequestParams, ...(params as Record<string, string>) };
  }
  // Assigned in one order for every tenant: one shape for all.
  const options = Object.create(template) as Record<string, unknown>;
  for (const key of TENANT_FIELDS) if (key in overrides) options[key] = overrides[key];
  return Object.freeze(options) as unknown as ResolvedOptions;
}

function checkedTokenUrl(tenant: string, value: unknown, allowInsecureHttp: boolean): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw invalid(tenant, 'tokenUrl', 'must be an absolute http(s) URL or an endpoint source such as discover(issuer)');
  if (!isSecureEnough(url, allowInsecureHttp))
    throw invalid(tenant, 'tokenUrl', 'must use https (http only on loopback hosts, or with allowInsecureHttp)');
  return url.toString();
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
