import type { ClientAuth } from '../../contracts/client-auth';
import { assertionCredentials } from './client-assertion';
import { assertionAudience, factoryOptions } from './assertion-audience';
import { refuse } from './assertion-key';
import { requireFormBody } from './form-body';
import { fileProvider } from './assertion-file';
import { providedAssertion, type AssertionProvider } from './provided-assertion';

/** Options of {@link clientAssertion}. */
export interface ClientAssertionProviderOptions {
  /**
   * The audience the provider is asked for, when the server wants another one than the plugin's.
   * @default the issuer of `discover(issuer)`, else the token URL
   */
  audience?: string;
  /** A name for the provider in error messages (e.g. `spiffe`). @default 'provider' */
  name?: string;
}

const METHOD = 'private_key_jwt';

/** The `ClientAuth` of an assertion provider: `client_id` and the provided assertion, per request. */
function providedClientAuth(
  provider: AssertionProvider,
  source: string,
  audience: ReturnType<typeof assertionAudience>,
): ClientAuth {
  const auth: ClientAuth = Object.freeze<ClientAuth>({
    method: METHOD,
    mutualTls: false,
    // The token is the client's, whatever proves it: a rotated assertion keeps its token.
    identity: Object.freeze([METHOD]),
    secrets: Object.freeze([]),
    attach: (attachment) => {
      requireFormBody(METHOD, 'RFC 7523 §2.2', attachment);
      return auth;
    },
    credentials: async (given) => {
      const request = audience(given);
      const { signal, now } = request;
      const assertion = await providedAssertion(provider, source, { audience: request.audience, signal, now });
      return assertionCredentials(request, assertion);
    },
  });
  return auth;
}

/**
 * Client authentication with an assertion the platform issued to the workload (RFC 7523 §2.2, as
 * `private_key_jwt`): a SPIFFE JWT-SVID, a cloud SDK's identity token, any signed JWT the
 * authorization server trusts through a federated issuer. `provider` is called for each token request
 * (every attempt, retries included) with `{ audience, signal, now }`, under the attempt's deadline
 * (`tokenRequestTimeoutMs`): it should cache what it fetches itself. What it returns is sent as
 * `client_assertion` with `client_id`, and scrubbed from every error and payload.
 *
 * Checked per request: a compact JWS (three base64url parts) with a numeric `exp` still ahead by the
 * plugin's clock, else `AssertionSourceError` (`malformed` / `expired`, no token request sent); a
 * provider that throws fails the same way (`unavailable`). Never shows the assertion. Checked now:
 * `provider` is a function, the options known (`OAuth2OptionsError` naming `clientAssertion.…`).
 * No client secret (leave `clientSecret` out). Needs a form body (the default).
 *
 * @example
 * ```ts
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { clientAssertion } from 'axios-oauth2-bearer/client-auth';
 *
 * attachOAuth2(api, {
 *   tokenUrl: 'https://login.example.com/oauth2/token',
 *   clientId: 'orders-service',
 *   // e.g. a SPIFFE Workload API client, or a cloud SDK's identity token
 *   clientAuthentication: clientAssertion(({ audience, signal }) => workloadApi.fetchJwtSvid({ audience, signal })),
 * });
 * ```
 */
export function clientAssertion(provider: AssertionProvider, given?: ClientAssertionProviderOptions): ClientAuth {
  const options = factoryOptions<ClientAssertionProviderOptions>('clientAssertion', given, ['audience', 'name']);
  if (typeof provider !== 'function') refuse('clientAssertion.provider', `must be a function, got ${typeof provider}`);
  if (options.name !== undefined && (typeof options.name !== 'string' || !/^\S+$/.test(options.name)))
    refuse('clientAssertion.name', 'must be a non-empty string without spaces');
  const source = options.name === undefined ? 'provider' : `provider ${options.name}`;
  return providedClientAuth(provider, source, assertionAudience('clientAssertion', options.audience));
}

/**
 * Client authentication with a token file the platform keeps fresh (RFC 7523 §2.2, as
 * `private_key_jwt`): a Kubernetes projected service-account token
 * (`/var/run/secrets/tokens/…`, accepted as client credentials by e.g. Keycloak 26.5), an Azure or GCP
 * federated token file. Per token request: one `stat` of the file, and a read only when it changed
 * (inode, size, mtime, ctime) or the held assertion expires within 60 s; never on an API request.
 * An assertion already expired by the plugin's clock is never sent: `AssertionSourceError`
 * (`expired`, with `expiredAt` and the file's path, never its content), no token request.
 * `path` is checked now (`OAuth2OptionsError` naming `clientAssertionFile.path`). Node.js only.
 *
 * @example
 * ```ts
 * import { attachOAuth2 } from 'axios-oauth2-bearer';
 * import { clientAssertionFile } from 'axios-oauth2-bearer/client-auth';
 *
 * attachOAuth2(api, {
 *   tokenUrl: 'https://keycloak.example.com/realms/prod/protocol/openid-connect/token',
 *   clientId: 'orders-service',
 *   clientAuthentication: clientAssertionFile('/var/run/secrets/tokens/keycloak'),
 * });
 * ```
 */
export function clientAssertionFile(path: string): ClientAuth {
  const provider = fileProvider(path, 'clientAssertionFile');
  return providedClientAuth(provider, `file ${path}`, assertionAudience('clientAssertionFile', undefined));
}
