import type { ClientAuth } from '../../contracts/client-auth';
import { mutualTlsAuth } from './mutual-tls';

/**
 * `self_signed_tls_client_auth` (RFC 8705 §2.2): the server checks the client certificate the token
 * requests present against the certificate (or JWK) registered for the client, no PKI involved.
 * Otherwise as {@link tlsClientAuth}: `client_id` in the form body, no secret, the certificate from
 * the instance's `httpsAgent` (or `tokenHttpClient`), checked at attach time, tokens cached per
 * certificate thumbprint.
 *
 * @example
 * ```ts
 * import https from 'node:https';
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { selfSignedTlsClientAuth } from 'axios-oauth2-bearer/client-auth';
 *
 * const api = axios.create({ httpsAgent: new https.Agent({ cert, key }) });
 * attachOAuth2(api, {
 *   tokenUrl: 'https://mtls.example.com/token',
 *   clientId: 'my-client',
 *   clientAuthentication: selfSignedTlsClientAuth(),
 * });
 * ```
 */
export function selfSignedTlsClientAuth(): ClientAuth {
  return mutualTlsAuth('self_signed_tls_client_auth');
}
