import { OAuth2OptionsError } from '../errors';
import { isTlsMethod } from './mutual-tls';
import type { ClientAuthentication, CustomGrantOptions } from '../options/options';

/**
 * The assertion methods (RFC 7523 §2.2) and mutual TLS (RFC 8705 §2) send their parameters as a
 * form body: a JSON body cannot carry them. (The `query` method is another `clientAuthentication`
 * value, so it cannot be combined with one.)
 */
export function checkAuthenticationFormat(method: ClientAuthentication, format: 'form' | 'json'): 'form' | 'json' {
  if (format === 'json' && (method.endsWith('_jwt') || isTlsMethod(method))) {
    const rfc = isTlsMethod(method) ? 'RFC 8705 §2' : 'RFC 7523 §2.2';
    throw new OAuth2OptionsError(
      'tokenRequestFormat',
      `axios-oauth2-bearer: option "tokenRequestFormat" must be 'form' with '${method}' (${rfc})`,
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
