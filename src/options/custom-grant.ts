import { OAuth2OptionsError } from '../errors';
import type { CustomGrantOptions } from './options';

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
