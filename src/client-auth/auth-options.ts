import { OAuth2OptionsError } from '../errors';
import type { ClientAuthentication, CustomGrantOptions } from '../options/options';

/**
 * RFC 7523 §2.2 sends the assertion as form parameters: a JSON body cannot carry it. (The `query`
 * method is another `clientAuthentication` value, so it cannot be combined with one.)
 */
export function checkAuthenticationFormat(method: ClientAuthentication, format: 'form' | 'json'): 'form' | 'json' {
  if (format === 'json' && method.endsWith('_jwt')) {
    throw new OAuth2OptionsError(
      'tokenRequestFormat',
      `axios-oauth2-bearer: option "tokenRequestFormat" must be 'form' with '${method}' (RFC 7523 §2.2)`,
    );
  }
  return format;
}

/** `grant: { type: 'custom', grantType, parameters? }`, checked (its keys were checked by the caller). */
export function resolveCustomGrant(value: Record<string, unknown>): CustomGrantOptions {
  const { grantType, parameters } = value;
  const builtIn = ['client_credentials', 'password', 'refresh_token'].includes(grantType as string);
  if (typeof grantType !== 'string' || !/^\S+$/.test(grantType) || builtIn) {
    throw new OAuth2OptionsError(
      'grant.grantType',
      'axios-oauth2-bearer: option "grant.grantType" must be a grant type without spaces, not a built-in one',
    );
  }
  if (parameters !== undefined && typeof parameters !== 'function') {
    throw new OAuth2OptionsError(
      'grant.parameters',
      'axios-oauth2-bearer: option "grant.parameters" must be a function',
    );
  }
  return { type: 'custom', grantType, parameters: parameters as CustomGrantOptions['parameters'] };
}
