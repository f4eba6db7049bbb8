import type { ClientAuth } from '../../contracts/client-auth';
import { mutualTlsAuth } from './mutual-tls';

/**
 * `tls_client_auth` (RFC 8705 §2.1, PKI mutual TLS): the server checks the subject of the client
 * certificate the token requests present against the one registered for the client. Sends
 * `client_id` in the form body and no secret (leave `clientSecret` out).
 *
 * The certificate comes from the transport: the instance's `httpsAgent` with `cert` and `key` (or
 * `pfx`), its `fetchOptions.dispatcher` (fetch adapter), or `tokenHttpClient`. Checked at attach
 * time: no client certificate, a `pfx` that cannot be opened, or a `tokenHttpClient` presenting
 * another certificate than the instance are `OAuth2OptionsError`s. Certificate-bound tokens
 * (RFC 8705 §3) are cached per certificate (its `x5t#S256` thumbprint); with discovery, the
 * metadata's `mtls_endpoint_aliases.token_endpoint` is used.
 *
 * @example
 * ```ts
 * import https from 'node:https';
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { tlsClientAuth } from 'axios-oauth2-bearer/client-auth';
 *
 * const api = axios.create({ httpsAgent: new https.Agent({ cert, key }) });
 * attachOAuth2(api, { tokenUrl: 'https://mtls.example.com/token', clientId: 'my-client', clientAuthentication: tlsClientAuth() });
 * ```
 */
export function tlsClientAuth(): ClientAuth {
  return mutualTlsAuth('tls_client_auth');
}
