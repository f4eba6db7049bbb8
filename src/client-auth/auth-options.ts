import { OAuth2OptionsError } from '../errors';
import type { ClientAuthentication, CustomGrantOptions } from '../options/options';

/** Whether `method` authenticates with a signed client assertion (RFC 7523 §2.2). */
export function usesAssertion(method: ClientAuthentication): boolean {
  return method === 'private_key_jwt' || method === 'client_secret_jwt';
}

/**
 * RFC 7523 §2.2 sends the assertion as form parameters: a JSON body cannot carry it. (The `query`
 * method is another `clientAuthentication` value, so it cannot be combined with one.)
 */
export function checkAuthenticationFormat(method: ClientAuthentication, format: 'form' | 'json'): 'form' | 'json' {
  if (format === 'json' && usesAssertion(method)) {
    throw new OAuth2OptionsError(
      'tokenRequestFormat',
      `axios-oauth2-bearer: option "tokenRequestFormat" must be 'form' with clientAuthentication '${method}' ` +
        '(client assertions are form parameters, RFC 7523 §2.2)',
    );
  }
  return format;
}

/** Parameters a custom grant may not set: the plugin sends them itself. */
export const RESERVED_GRANT_PARAMETERS: readonly string[] = [
  'grant_type',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
];

/** `grant: { type: 'custom', grantType, parameters? }`, checked (its keys were checked by the caller). */
export function resolveCustomGrant(value: Record<string, unknown>): CustomGrantOptions {
  const { grantType, parameters } = value;
  if (typeof grantType !== 'string' || grantType.trim() === '' || /[\s]/.test(grantType)) {
    throw new OAuth2OptionsError(
      'grant.grantType',
      'axios-oauth2-bearer: option "grant.grantType" must be a grant type name or URI without spaces',
    );
  }
  if (['client_credentials', 'password', 'refresh_token'].includes(grantType)) {
    throw new OAuth2OptionsError(
      'grant.grantType',
      `axios-oauth2-bearer: option "grant.grantType" must not be '${grantType}': ` +
        (grantType === 'refresh_token'
          ? 'the plugin uses refresh tokens itself'
          : `use grant: { type: '${grantType}' }`),
    );
  }
  if (parameters !== undefined && typeof parameters !== 'function') {
    throw new OAuth2OptionsError(
      'grant.parameters',
      'axios-oauth2-bearer: option "grant.parameters" must be a function returning the parameters',
    );
  }
  return { type: 'custom', grantType, parameters: parameters as CustomGrantOptions['parameters'] };
}
