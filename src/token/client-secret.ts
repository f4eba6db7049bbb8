import type { ClientAuth, ClientCredentials } from '../contracts/client-auth';
import { basicAuthorization } from './token-request';

/** The client-authentication methods of the simple path: a shared secret, sent with every token request. */
export type ClientSecretMethod = 'client_secret_basic' | 'client_secret_post';

/**
 * The built-in shared-secret methods (RFC 6749 §2.3.1), as {@link ClientAuth} values:
 * - `client_secret_basic`: `Authorization: Basic …`, id and secret form-encoded first (`'rfc6749'`)
 *   or as is (`'raw'`);
 * - `client_secret_post`: `client_id` and `client_secret` as parameters (the body, or the URL with
 *   the legacy `query` format).
 *
 * They hold the secret and both Basic encodings of it (a server may echo either), so every path that
 * shows an answer scrubs them. The cache key gets the method's name (and the Basic encoding), never
 * the secret: a rotated secret keeps its token.
 */
export function clientSecretAuth(
  method: ClientSecretMethod,
  clientId: string,
  clientSecret: string,
  basicEncoding: 'rfc6749' | 'raw',
): ClientAuth {
  return Object.freeze(new ClientSecretAuth(method, clientId, clientSecret, basicEncoding));
}

/**
 * The value {@link clientSecretAuth} returns: four fields, the rest computed when read (at a token
 * request, not per request to the API), so that many of them (one per tenant) stay small.
 */
class ClientSecretAuth implements ClientAuth {
  constructor(
    readonly method: ClientSecretMethod,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly basicEncoding: 'rfc6749' | 'raw',
  ) {}

  get mutualTls(): boolean {
    return false;
  }

  get identity(): readonly string[] {
    return this.method === 'client_secret_basic' ? [this.method, this.basicEncoding] : [this.method];
  }

  /** The secret and both Basic encodings of it (a server may echo either). */
  get secrets(): readonly string[] {
    const { clientId, clientSecret } = this;
    return [
      clientSecret,
      ...(['rfc6749', 'raw'] as const).map((e) => basicAuthorization(clientId, clientSecret, e).slice('Basic '.length)),
    ];
  }

  credentials(): ClientCredentials {
    return this.method === 'client_secret_basic'
      ? { headers: { Authorization: basicAuthorization(this.clientId, this.clientSecret, this.basicEncoding) } }
      : { params: { client_id: this.clientId, client_secret: this.clientSecret } };
  }
}
