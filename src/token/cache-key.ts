import { createHash } from 'node:crypto';
import { mainGrant, tokenParams, tokenRequestMethod } from './token-request';
import type { ResolvedOptions } from '../options/validate-options';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Names whose values may be secrets (a client secret, a password, an API key, a credential header):
 * their values never reach the key, whatever their entropy. Names ending in `_type` or `_type_hint`
 * (`client_assertion_type`, `subject_token_type`) name public URIs and stay.
 */
const SECRET_NAME =
  /secret|passw|pwd|api[-_]?key|apikey|(^|[-_])auth($|[-_])|(^|[-_])(proxy-)?authorization$|cookie|credential|private|signature|session|token|assertion/i;
const PUBLIC_NAME = /_type(_hint)?$/i;

/**
 * Grant inputs that tell one grant (one user) from another: server-issued, high-entropy tokens
 * (refresh tokens, RFC 8693 subject and actor tokens, RFC 7523 assertions, codes). Two users' tokens
 * must never share a cache entry, so these count, through a domain-separated SHA-256 only: a value
 * drawn from a space too large to search cannot be found from its hash, unlike a chosen password.
 */
const GRANT_INPUTS = new Set(['refresh_token', 'subject_token', 'actor_token', 'assertion', 'code', 'device_code']);

/** What a parameter or header value contributes: itself, a hash (grant inputs), or nothing (secrets). */
function identityOf(name: string, value: string, header: boolean): string | null {
  if (!header && GRANT_INPUTS.has(name))
    return `sha256:${sha256(`axios-oauth2-bearer/cache-key/v3/${name}\0${value}`)}`;
  return SECRET_NAME.test(name) && !PUBLIC_NAME.test(name) ? null : value;
}

/** Entries sorted by name (lower-cased for headers), values as {@link identityOf} says. */
function identityEntries(entries: Iterable<[string, string]>, header: boolean): [string, string | null][] {
  return [...entries]
    .map(([name, value]): [string, string | null] => {
      const key = header ? name.toLowerCase() : name;
      return [key, identityOf(key, value, header)];
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : String(av) < String(bv) ? -1 : 1));
}

/** The token endpoint without its userinfo password, its query parameters as {@link identityEntries} says. */
function endpointIdentity(url: string): unknown[] {
  const parsed = new URL(url);
  const query = identityEntries(parsed.searchParams, false);
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return [parsed.href, query];
}

/**
 * The cache key of a client's token: whose token it is, from public identity only, so that two
 * environments, clients, users, audiences or grants never share a token, while nothing in the key (which
 * appears in `handle.cacheKey`, every channel message and the Redis key names) lets a secret be guessed
 * offline faster than by asking the token endpoint.
 *
 * - Counted: the token endpoint (or, before discovery, the issuer) with its public query parameters,
 *   the request shape (method, body format), the client-authentication method's public identity
 *   (`ClientAuth.identity`: its name, the Basic encoding, a client certificate's thumbprint), the
 *   client id, the grant type and the username (password grant), every parameter of the request by
 *   name (`tokenRequestParams`, scope, resource, audience…) with its value unless it may be a secret,
 *   every `tokenRequestHeaders` name with its value unless it may be a secret, and the sender
 *   constraint's part (a DPoP key's thumbprint; all public).
 * - Not counted: the client secret (every method, `client_secret_jwt` included), the assertion key
 *   of `private_key_jwt` (the token is the client's, not bound to the key), the password, values
 *   of secret-looking parameter and header names (`Authorization`, `X-Api-Key`, `client_secret`…) and
 *   a password in the URL. Attachments differing only there share a key: they are the same client or
 *   user (a rotated secret or assertion key keeps its token).
 * - Hashed: grant inputs that are high-entropy server-issued tokens (`refresh_token`, `subject_token`…),
 *   so that two users never share a token; see `GRANT_INPUTS`.
 *
 * Parameter and header order, and header name case, do not matter. `v4` marks this format.
 */
export function cacheKey(options: ResolvedOptions): string {
  const auth = options.clientAuthentication;
  const format = options.tokenRequestFormat;
  const grant = mainGrant(options);
  const parts: unknown[] = [
    'v4',
    tokenRequestMethod(format),
    // A discovered endpoint is not known yet: the issuer stands for it (one issuer, one token endpoint).
    options.tokenUrl === undefined ? `issuer:${options.issuer as string}` : endpointIdentity(options.tokenUrl),
    format,
    // The method's public identity: its name (and Basic encoding), a client certificate's thumbprint (mutual TLS:
    // tokens may be bound to it, RFC 8705 §3). Never a secret (see ClientAuth.identity).
    auth.identity,
    options.clientId,
    'username' in grant ? ['password', grant.username] : grant.grant_type,
    identityEntries(Object.entries({ Accept: 'application/json', ...options.tokenRequestHeaders }), true),
    identityEntries(Object.entries(tokenParams(options, grant)), false),
  ];
  // A sender-constrained token is bound to one key: only a client holding it (its public part) may use the token.
  const constraint = options.senderConstraint?.constraint;
  if (constraint) parts.push([constraint.cacheKeyPart]);
  // Token exchange: the grant's public parameters, and the subject's keyed hash (an HMAC under the
  // attachment's random key, never the token nor a plain hash of it): each subject its own token.
  const subjectGrant = options.subjectGrant;
  if (subjectGrant) parts.push(['subject-grant', identityEntries(Object.entries(subjectGrant.identity), false)]);
  if (options.subjectKey !== undefined) parts.push(['subject', options.subjectKey]);
  return `oauth2:${sha256(JSON.stringify(parts)).slice(0, 40)}`;
}
