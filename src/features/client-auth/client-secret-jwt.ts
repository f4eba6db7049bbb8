import type { ClientAuth } from '../../contracts/client-auth';
import { hmacSigner } from './assertion-key';
import { signedCredentials } from './client-assertion';
import { assertionAudience, factoryOptions } from './assertion-audience';
import { requireFormBody } from './form-body';

/** Options of {@link clientSecretJwt}. */
export interface ClientSecretJwtOptions {
  /** The HMAC algorithm of the assertions. @default 'HS256' */
  alg?: 'HS256' | 'HS384' | 'HS512';
  /**
   * The `aud` of every assertion, when the server wants its issuer identifier while `tokenUrl` is a
   * URL. @default the issuer of `discover(issuer)`, else the token URL
   */
  audience?: string;
}

/**
 * `client_secret_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): each request to the authorization
 * server carries `client_id` and a new client assertion signed with HMAC keyed by `secret` (the
 * client secret, which is never sent itself; leave the `clientSecret` option out). The claims are
 * those of {@link privateKeyJwt}'s assertions.
 *
 * Checked now: `secret` must be a non-empty string at least as long as the hash output in UTF-8
 * bytes (32 for HS256, 48 for HS384, 64 for HS512, RFC 7518 §3.2), else `OAuth2OptionsError`
 * (`clientSecretJwt.secret`, `clientSecretJwt.alg`), which never shows the secret or its length.
 * The secret is scrubbed from every error and payload; it is not part of the cache key. Needs a form
 * body (`tokenRequestFormat: 'form'`, the default).
 *
 * @example
 * ```ts
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { clientSecretJwt } from 'axios-oauth2-bearer/client-auth';
 *
 * attachOAuth2(api, {
 *   tokenUrl: 'https://login.example.com/oauth2/token',
 *   clientId: 'my-client',
 *   clientAuthentication: clientSecretJwt(process.env.CLIENT_SECRET!),
 * });
 * ```
 */
export function clientSecretJwt(secret: string, given?: ClientSecretJwtOptions): ClientAuth {
  const options = factoryOptions<ClientSecretJwtOptions>('clientSecretJwt', given, ['alg', 'audience']);
  const signer = hmacSigner(secret, options.alg);
  const toSign = assertionAudience('clientSecretJwt', options.audience);
  const method = 'client_secret_jwt';
  const auth: ClientAuth = Object.freeze<ClientAuth>({
    method,
    mutualTls: false,
    identity: Object.freeze([method]),
    secrets: Object.freeze([secret]),
    attach: (attachment) => {
      requireFormBody(method, 'RFC 7523 §2.2', attachment);
      return auth;
    },
    credentials: (request) => signedCredentials(signer, toSign(request)),
  });
  return auth;
}
