import type { ClientAuth } from '../../contracts/client-auth';
import type { KeyObjectLike, PrivateJwk } from '../../options/options';
import { privateKeySigner, type ClientAssertionAlgorithm } from './assertion-key';
import { signedCredentials } from './client-assertion';
import { assertionAudience, factoryOptions } from './assertion-audience';
import { requireFormBody } from './form-body';

/** Options of {@link privateKeyJwt}. */
export interface PrivateKeyJwtOptions {
  /**
   * The JWS algorithm, when the server registered another one than the key's default (e.g. `PS256`
   * for an RSA key). It must fit the key: RS/PS for RSA, the curve's ES for EC, EdDSA for Ed25519.
   * @default the JWK's `alg`, else RS256 (RSA), ES256/ES384/ES512 (by curve), EdDSA (Ed25519)
   */
  alg?: Exclude<ClientAssertionAlgorithm, 'HS256' | 'HS384' | 'HS512'>;
  /** The `kid` header of the assertions. @default the JWK's own `kid`, else none */
  kid?: string;
  /**
   * The `aud` of every assertion, when the server wants its issuer identifier while `tokenUrl` is a
   * URL. @default the issuer of `discover(issuer)`, else the token URL
   */
  audience?: string;
}

/**
 * `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): each request to the authorization
 * server (every token request attempt, retries and the DPoP nonce retry included, and the revocation)
 * carries `client_id` and a new client assertion signed with `privateKey`: `iss` = `sub` = the
 * client id, `aud` the `audience` option, else the issuer of `discover(issuer)`, else the token URL,
 * a fresh `jti`, a 60 s lifetime.
 * No client secret (leave `clientSecret` out).
 *
 * The key (a PEM string: PKCS#8, PKCS#1 or SEC1; a private `KeyObject`; or a private JWK; RSA of
 * 2048 bits or more, EC P-256/P-384/P-521, Ed25519) is imported and checked now: a bad key or an
 * algorithm that does not fit it throws `OAuth2OptionsError` (`privateKeyJwt.privateKey`,
 * `privateKeyJwt.alg`, `privateKeyJwt.kid`), which never shows the key. Only the imported
 * `KeyObject` is kept. Needs a form body (`tokenRequestFormat: 'form'`, the default).
 *
 * @example
 * ```ts
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { privateKeyJwt } from 'axios-oauth2-bearer/client-auth';
 *
 * attachOAuth2(api, {
 *   tokenUrl: 'https://login.example.com/oauth2/token',
 *   clientId: 'my-client',
 *   clientAuthentication: privateKeyJwt(process.env.CLIENT_KEY_PEM!, { kid: 'key-2026' }),
 * });
 * ```
 */
export function privateKeyJwt(
  privateKey: string | KeyObjectLike | PrivateJwk,
  given?: PrivateKeyJwtOptions,
): ClientAuth {
  const options = factoryOptions<PrivateKeyJwtOptions>('privateKeyJwt', given, ['alg', 'kid', 'audience']);
  const signer = privateKeySigner(privateKey, options.alg, options.kid);
  const toSign = assertionAudience('privateKeyJwt', options.audience);
  const method = 'private_key_jwt';
  const auth: ClientAuth = Object.freeze<ClientAuth>({
    method,
    mutualTls: false,
    // The token is the client's, not bound to the key: a rotated key keeps its token, like a rotated secret.
    identity: Object.freeze([method]),
    secrets: Object.freeze([]),
    attach: (attachment) => {
      requireFormBody(method, 'RFC 7523 §2.2', attachment);
      return auth;
    },
    credentials: (request) => signedCredentials(signer, toSign(request)),
  });
  return auth;
}
