/** `grant_type` of RFC 8693 token exchange. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** Token type identifiers registered by RFC 8693 §3. */
export const TOKEN_TYPES = Object.freeze({
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  refreshToken: 'urn:ietf:params:oauth:token-type:refresh_token',
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  saml1: 'urn:ietf:params:oauth:token-type:saml1',
  saml2: 'urn:ietf:params:oauth:token-type:saml2',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const);

/**
 * Issued token types a client may send as an access token when it asked for no type (RFC 8693
 * §2.2.1): an access token, or a JWT (which servers issue as access tokens).
 */
export const ACCESS_TOKEN_TYPES: ReadonlySet<string> = new Set([TOKEN_TYPES.accessToken, TOKEN_TYPES.jwt]);

/** Whether `value` is a token type identifier: a URI (RFC 8693 §3), e.g. `urn:ietf:params:oauth:token-type:jwt`. */
export function isTokenTypeUri(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[a-z][a-z\d+\-.]*:[^\s]+$/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
