/**
 * `axios-oauth2-bearer/client-auth`: the client-authentication methods beyond the shared secret, as
 * values for the `clientAuthentication` option. A user of `client_secret_basic` / `client_secret_post`
 * never loads (or bundles) this module.
 */
export { privateKeyJwt, type PrivateKeyJwtOptions } from './private-key-jwt';
export { clientSecretJwt, type ClientSecretJwtOptions } from './client-secret-jwt';
export { tlsClientAuth } from './tls-client-auth';
export { publicClient } from './public-client';
export { selfSignedTlsClientAuth } from './self-signed-tls-client-auth';
export { clientAssertion, clientAssertionFile, type ClientAssertionProviderOptions } from './client-assertion-provider';
export { assertionFile } from './assertion-file';
export { jwtBearer, JWT_BEARER_GRANT_TYPE, type JwtBearerOptions } from './jwt-bearer-grant';
export type { AssertionProvider, AssertionRequest } from './provided-assertion';
export { AssertionSourceError, type AssertionSourceReason } from '../../errors';
export type { ClientAssertionAlgorithm } from './assertion-key';
export type {
  ClientAuth,
  ClientAuthAttachment,
  ClientAuthRequest,
  ClientAuthTransport,
  ClientCredentials,
  TokenRequestFormat,
} from '../../contracts/client-auth';
