import { OAuth2OptionsError } from '../../errors';
import { describe } from '../../util/describe';
import { isSecureEnough } from '../../util/url';
import type { EndpointAttachContext, EndpointResolver, EndpointSource } from '../../contracts/endpoint';
import { Discovery } from './discovery';

const HTTP_RULE = 'http is allowed only on loopback hosts, or everywhere with allowInsecureHttp: true';

function refuse(expected: string, value: unknown): never {
  throw new OAuth2OptionsError(
    'issuer',
    `axios-oauth2-bearer: discover(issuer): "issuer" must be ${expected}, got ${describe(value, false)}`,
  );
}

/** `issuer` (RFC 8414 §2): an absolute http(s) URL with no query or fragment, kept exactly as given. */
function checkedIssuer(value: unknown): URL {
  if (typeof value !== 'string' || value.trim() === '') return refuse('a non-empty string', value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('an absolute URL', value);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('an https URL', value);
  if (/[?#]/.test(value)) refuse('a URL without query or fragment', value);
  return url;
}

/**
 * The token endpoint discovered from the authorization server's metadata, as the `tokenUrl` option:
 * fetched on the first need of a token (once, shared by every caller, through the same path, deadline
 * and size cap as a token request): `/.well-known/oauth-authorization-server` inserted between the
 * issuer's origin and its path (RFC 8414), then `{issuer}/.well-known/openid-configuration` (OpenID
 * Connect Discovery). The document's `issuer` must equal `issuer` exactly, else `DiscoveryError`
 * (`OAUTH2_ISSUER_MISMATCH`) and no token request. With a mutual-TLS client authentication the
 * server's `mtls_endpoint_aliases` are used. A failure is served for a doubling back-off (1 s … 5 min).
 *
 * The issuer is also the audience of client assertions, and the default API origin when neither
 * `apiOrigins` nor the instance's `baseURL` gives one. Each attachment discovers on its own; so does
 * each tenant whose credentials (`tenants.load`) give `tokenUrl: discover(issuer)`.
 *
 * @param issuer The issuer identifier: https (http on loopback hosts, or with `allowInsecureHttp`),
 * no query or fragment. Checked now (`OAuth2OptionsError` naming `issuer`); https at attach time.
 * @example
 * import { discover } from 'axios-oauth2-bearer/discovery';
 * attachOAuth2(api, { tokenUrl: discover('https://login.example.com/tenant'), clientId, clientSecret });
 */
export function discover(issuer: string): EndpointSource {
  const url = checkedIssuer(issuer);
  return Object.freeze({
    kind: 'discover',
    issuer,
    attach(attachment: EndpointAttachContext): EndpointResolver {
      if (!isSecureEnough(url, attachment.allowInsecureHttp)) {
        throw new OAuth2OptionsError(
          'issuer',
          `axios-oauth2-bearer: discover(issuer): "issuer" must use https (${HTTP_RULE}), got ${url.protocol}//${url.host}`,
        );
      }
      return new Discovery(issuer, attachment);
    },
  });
}
