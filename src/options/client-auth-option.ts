import type { AxiosInstance } from 'axios';
import { isClientAuth, type ClientAuth, type TokenRequestFormat } from '../contracts/client-auth';
import { OAuth2OptionsError } from '../errors';
import { clientSecretAuth, type ClientSecretMethod } from '../token/client-secret';
import { describe } from '../util/describe';
import type { GrantOptions } from './options';

/** What the `clientAuthentication` option is checked against. */
export interface ClientAuthContext {
  clientId: string;
  /** The `grant_type` of the attachment's token requests (see `ClientAuthAttachment.grantType`). */
  grantType: string;
  tokenRequestFormat: TokenRequestFormat;
  instance: AxiosInstance;
  tokenHttpClient?: AxiosInstance;
  basicEncoding: 'rfc6749' | 'raw';
}

/** The strings the removed methods had, and the factory that replaces each (named in the error). */
const MOVED: Record<string, string> = {
  private_key_jwt: 'privateKeyJwt(privateKey)',
  client_secret_jwt: 'clientSecretJwt(secret)',
  tls_client_auth: 'tlsClientAuth()',
  self_signed_tls_client_auth: 'selfSignedTlsClientAuth()',
};

/** The `grant_type` of a grant option's token requests. */
export function grantTypeOf(grant: GrantOptions): string {
  return grant.type === 'custom' ? grant.grantType : grant.type;
}

function refuse(option: string, message: string): never {
  throw new OAuth2OptionsError(option, `axios-oauth2-bearer: option "${option}" ${message}`);
}

/**
 * `clientAuthentication` and `clientSecret`, checked: the simple path's strings become the built-in
 * shared-secret method (which needs `clientSecret`); a {@link ClientAuth} value is checked against the
 * attachment (its `attach`) and holds its own credentials (`clientSecret` must be left out). The
 * removed strings (`'private_key_jwt'`…) and `'query'` are refused with what replaces them.
 * Throws {@link OAuth2OptionsError}.
 */
export function resolveClientAuth(value: unknown, secret: unknown, context: ClientAuthContext): ClientAuth {
  if (value === undefined || value === 'client_secret_basic' || value === 'client_secret_post') {
    if (typeof secret !== 'string' || secret.trim() === '')
      refuse('clientSecret', `must be a non-empty string, got ${describe(secret, false)}`);
    const fallback = context.tokenRequestFormat === 'query' ? 'client_secret_post' : 'client_secret_basic';
    const method: ClientSecretMethod = value ?? fallback;
    return clientSecretAuth(method, context.clientId, secret, context.basicEncoding);
  }
  if (!isClientAuth(value)) {
    if (value === 'query')
      refuse('clientAuthentication', "'query' is now tokenRequestFormat: 'query' (with 'client_secret_post')");
    const name = typeof value === 'string' && Object.hasOwn(MOVED, value) ? value : undefined;
    if (name !== undefined)
      refuse('clientAuthentication', `'${name}' is now ${MOVED[name]} from 'axios-oauth2-bearer/client-auth'`);
    refuse(
      'clientAuthentication',
      "must be 'client_secret_basic', 'client_secret_post' or a value from 'axios-oauth2-bearer/client-auth' " +
        `(privateKeyJwt(…), clientSecretJwt(…), tlsClientAuth(), selfSignedTlsClientAuth(), publicClient()…), got ${describe(value)}`,
    );
  }
  if (secret !== undefined)
    refuse(
      'clientSecret',
      `must be left out with clientAuthentication '${value.method}' (the method holds its own credentials)`,
    );
  const { clientId, grantType, tokenRequestFormat, instance, tokenHttpClient } = context;
  const attached = value.attach
    ? value.attach({ clientId, grantType, tokenRequestFormat, instance, tokenHttpClient })
    : value;
  if (!isClientAuth(attached))
    refuse('clientAuthentication', `'${value.method}': attach() must return a client-authentication value`);
  return attached;
}
