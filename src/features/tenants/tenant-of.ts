import type { AxiosRequestConfig } from 'axios';
import { OAuth2RequestOptionsError } from '../../errors';
import '../../http/request-options';
import { describe } from '../../util/describe';

/** Longest tenant identifier accepted (it names the tenant in errors and keys, hashed). */
const MAX_TENANT_LENGTH = 512;

function tenantError(option: string, problem: string): OAuth2RequestOptionsError {
  return new OAuth2RequestOptionsError(option, `axios-oauth2-bearer: ${problem}`);
}

/** A tenant identifier as given by `where` (`oauth2.tenant`, `getToken.tenant`…), checked. */
export function checkedTenant(where: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_TENANT_LENGTH)
    throw tenantError(
      where,
      `"${where}" must be a non-empty string of at most ${MAX_TENANT_LENGTH} characters, got ${describe(value)}`,
    );
  return value;
}

/**
 * The tenant of a request: `oauth2.tenant`, else what `fromRequest` derives, else undefined. Throws
 * `OAuth2RequestOptionsError` for a bad value (or a `fromRequest` that throws).
 */
export function tenantOf(
  config: AxiosRequestConfig,
  fromRequest: ((config: AxiosRequestConfig) => string | undefined) | undefined,
): string | undefined {
  const given = config.oauth2?.tenant;
  if (given !== undefined) return checkedTenant('oauth2.tenant', given);
  if (fromRequest === undefined) return undefined;
  let derived: string | undefined;
  try {
    derived = fromRequest(config);
  } catch {
    throw tenantError('tenants.fromRequest', 'tenants.fromRequest threw for this request');
  }
  return derived === undefined ? undefined : checkedTenant('tenants.fromRequest', derived);
}

/**
 * The tenant a handle call's `options` name (`<method>.tenant`, checked), or undefined (then the
 * attachment's own). Throws `OAuth2RequestOptionsError` for a bad value.
 */
export function tenantOfCall(method: string, options: unknown): string | undefined {
  const tenant = (options as { tenant?: unknown } | undefined)?.tenant;
  if (tenant === undefined || typeof options !== 'object' || options === null) return undefined;
  return checkedTenant(`${method}.tenant`, tenant);
}
