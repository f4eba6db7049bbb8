import type { ClientAuth } from '../../contracts/client-auth';
import { OAuth2OptionsError } from '../../errors';

/**
 * `none` (RFC 6749 §2.1 and §3.2.1, RFC 8414): a public client, which holds no credentials. Each token
 * request names the client with `client_id` in the form body and proves nothing else; leave
 * `clientSecret` out. For servers that take such calls: a security token service that trusts the
 * grant itself (the JWT bearer grant with a workload token, token exchange), or a public client's
 * password or refresh-token grant.
 *
 * Checked at attach time: with the client credentials grant, which RFC 6749 §4.4 allows confidential
 * clients only, it is an `OAuth2OptionsError` naming `clientAuthentication`.
 *
 * @example
 * ```ts
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { assertionFile, jwtBearer, publicClient } from 'axios-oauth2-bearer/client-auth';
 *
 * attachOAuth2(api, {
 *   tokenUrl: 'https://sts.example.com/token',
 *   clientId: 'orders-service',
 *   clientAuthentication: publicClient(),
 *   grant: jwtBearer(assertionFile('/var/run/secrets/tokens/api')),
 * });
 * ```
 */
export function publicClient(): ClientAuth {
  return {
    method: 'none',
    mutualTls: false,
    identity: ['none'],
    secrets: [],
    attach(attachment) {
      if (attachment.grantType === 'client_credentials') {
        throw new OAuth2OptionsError(
          'clientAuthentication',
          'axios-oauth2-bearer: option "clientAuthentication" is publicClient(), which the client credentials grant ' +
            'does not allow (RFC 6749 §4.4: confidential clients only); give the grant, e.g. jwtBearer(…) or tokenExchange(…)',
        );
      }
      return this;
    },
    credentials: ({ clientId }) => ({ params: { client_id: clientId } }),
  };
}
