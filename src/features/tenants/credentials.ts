import { OAuth2OptionsError, OAuth2RequestOptionsError, TenantLoadError } from '../../errors';
import type { ClientAuth } from '../../contracts/client-auth';
import { isEndpointSource } from '../../contracts/endpoint';
import type { CredentialRules, TenantFields } from '../../contracts/tenants';
import type { TenantCredentials } from '../../options/tenant-types';
import { didYouMean } from '../../util/suggest';
import { isSecureEnough } from '../../util/url';

/** The keys a loader's result may have (a typo is refused, naming it). */
const CREDENTIAL_KEYS: readonly string[] = [
  'clientId',
  'clientSecret',
  'clientAuthentication',
  'tokenUrl',
  'scope',
  'resource',
  'tokenRequestParams',
] satisfies (keyof TenantCredentials)[];

function invalid(tenant: string, field: string, problem: string, cause?: unknown): TenantLoadError {
  return new TenantLoadError(
    tenant,
    'invalid',
    `tenants.load("${tenant}") returned invalid credentials: "${field}" ${problem}`,
    { field, cause },
  );
}

/**
 * A loader's result checked against the attachment's `rules`: what it sets over the attachment's
 * options. Throws {@link TenantLoadError} (`reason: 'invalid'`) naming the field at fault, never its value.
 */
export function checkCredentials(tenant: string, value: unknown, rules: CredentialRules): TenantFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(tenant, 'credentials', 'must be an object such as { clientId, clientSecret }');
  for (const key of Object.keys(value)) {
    if (CREDENTIAL_KEYS.includes(key)) continue;
    // A field's name is shown only when it is a typo of a known one: a key may itself be a secret.
    const typo = didYouMean(key, CREDENTIAL_KEYS);
    if (typo !== '') throw invalid(tenant, key, `is not a known field${typo}`);
    throw invalid(tenant, 'credentials', `has an unknown field (known: ${CREDENTIAL_KEYS.join(', ')})`);
  }
  const given = value as Record<string, unknown>;
  const { clientId } = given;
  if (typeof clientId !== 'string' || clientId.trim() === '')
    throw invalid(tenant, 'clientId', 'must be a non-empty string');
  let clientAuthentication: ClientAuth;
  try {
    clientAuthentication = rules.clientAuth(given.clientAuthentication, given.clientSecret, clientId);
  } catch (error) {
    if (!(error instanceof OAuth2OptionsError)) throw error;
    throw invalid(tenant, error.option, 'is not valid (see cause)', error);
  }
  const fields: TenantFields = { clientId, clientAuthentication, tenant };
  if (isEndpointSource(given.tokenUrl)) {
    // An endpoint source (`discover(issuer)`): the tenant's own resolver (its own discovery, single
    // flight and back-off), held by its options, so dropped with the tenant.
    try {
      fields.endpoint = rules.attachEndpoint(given.tokenUrl, clientAuthentication);
    } catch (error) {
      if (!(error instanceof OAuth2OptionsError)) throw error;
      throw invalid(tenant, 'tokenUrl', 'is not a valid endpoint source (see cause)', error);
    }
    fields.tokenUrl = undefined;
    fields.issuer = given.tokenUrl.issuer;
  } else if (given.tokenUrl !== undefined) {
    fields.tokenUrl = checkedTokenUrl(tenant, given.tokenUrl, rules.allowInsecureHttp);
    // Not the attachment's endpoint source: a URL of its own.
    fields.issuer = undefined;
    fields.endpoint = undefined;
  }
  if (given.scope !== undefined) {
    if (typeof given.scope !== 'string' || !rules.scopeOk(given.scope))
      throw invalid(tenant, 'scope', 'must be a non-empty string of space-separated scopes');
    fields.scope = given.scope;
  }
  if (given.resource !== undefined) {
    try {
      fields.resource = rules.resource(given.resource);
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
    fields.tokenRequestParams = { ...rules.tokenRequestParams, ...(params as Record<string, string>) };
  }
  return fields;
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
