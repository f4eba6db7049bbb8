import type { ServerRequest } from '../http/send';
import type { ResolvedOptions } from '../options/validate-options';
import { isTlsMethod } from '../client-auth/mutual-tls';

/** The grant parameters of one token request, named as on the wire. */
export type GrantParams =
  | { grant_type: 'client_credentials' }
  | { grant_type: 'password'; username: string; password: string }
  | { grant_type: 'refresh_token'; refresh_token: string }
  /** `grant: { type: 'custom' }`: its parameters are computed per attempt (see {@link AttemptExtras}). */
  | { grant_type: string };

/** `client_assertion_type` of RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * What one attempt adds to its token request, computed anew per request: a fresh client assertion,
 * a custom grant's parameters, a DPoP proof. Whoever makes them adds them to the attempt's `Secrets`.
 */
export interface AttemptExtras {
  params: Record<string, string>;
  /** Headers made once the endpoint is known (a DPoP proof is for one URL). */
  headersFor?: (url: string) => Record<string, string>;
  /** Reads the answer's headers (a `DPoP-Nonce`), with the URL that sent them. */
  onHeaders?: (url: string, headers: unknown) => void;
}

/** application/x-www-form-urlencoded encoding of one value (WHATWG URL standard; space → `+`). */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/**
 * The Basic credentials header value. `'rfc6749'` form-encodes id and secret before base64
 * (RFC 6749 §2.3.1); `'raw'` encodes `id:secret` as is.
 */
export function basicAuthorization(clientId: string, clientSecret: string, encoding: 'rfc6749' | 'raw'): string {
  const pair =
    encoding === 'raw' ? `${clientId}:${clientSecret}` : `${formEncode(clientId)}:${formEncode(clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** The grant parameters of the configured main grant. */
export function mainGrant(options: ResolvedOptions): GrantParams {
  const grant = options.grant;
  if (grant.type === 'custom') return { grant_type: grant.grantType };
  return grant.type === 'password'
    ? { grant_type: 'password', username: grant.username, password: grant.password }
    : { grant_type: 'client_credentials' };
}

/**
 * The client's credentials as body parameters (RFC 6749 §2.3.1, RFC 7523 §2.2, RFC 8705 §2), for a
 * token request and a revocation alike: none with Basic (a header, see {@link tokenHeaders});
 * `client_id` and the assertion type with an assertion method (the assertion itself is made per
 * request, see `clientAssertion`); `client_id` alone with mutual TLS (the certificate authenticates);
 * else `client_id` and `client_secret`.
 */
export function clientAuthParams(options: ResolvedOptions): Record<string, string> {
  const auth = options.clientAuthentication;
  if (auth === 'client_secret_basic') return {};
  if (auth === 'private_key_jwt' || auth === 'client_secret_jwt')
    return { client_id: options.clientId, client_assertion_type: JWT_BEARER_ASSERTION_TYPE };
  if (isTlsMethod(auth)) return { client_id: options.clientId };
  return { client_id: options.clientId, client_secret: options.clientSecret };
}

/**
 * The parameters of a token request for `grant`, as sent (body, or query string in `query` mode):
 * `tokenRequestParams`, then the grant, the scope, the resource indicator (RFC 8707) and the client
 * credentials ({@link clientAuthParams}).
 */
export function tokenParams(options: ResolvedOptions, grant: GrantParams): Record<string, string> {
  const params: Record<string, string> = { ...options.tokenRequestParams, ...grant };
  if (options.scope !== undefined) params.scope = options.scope;
  if (options.resource !== undefined) params.resource = options.resource;
  return { ...params, ...clientAuthParams(options) };
}

/** The headers of every token request: `Accept`, `tokenRequestHeaders`, the Basic credentials and the body type. */
export function tokenHeaders(options: ResolvedOptions): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.tokenRequestHeaders };
  const auth = options.clientAuthentication;
  if (auth === 'client_secret_basic') {
    headers.Authorization = basicAuthorization(options.clientId, options.clientSecret, options.basicEncoding);
  }
  if (auth !== 'query') {
    headers['Content-Type'] =
      options.tokenRequestFormat === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  }
  return headers;
}

/**
 * Builds the token request for `grant`, sent to `url` (the configured `tokenUrl`, or the discovered
 * endpoint): one client-authentication method per request (RFC 6749 §2.3), credentials never in the
 * URL except in the legacy `query` mode. `extras` adds this attempt's parameters and headers (e.g. a
 * DPoP proof for `url`).
 */
export function buildTokenRequest(
  options: ResolvedOptions,
  grant: GrantParams,
  url = options.tokenUrl as string,
  extras?: AttemptExtras,
): ServerRequest {
  const base = tokenParams(options, grant);
  const params = extras ? { ...base, ...extras.params } : base;
  const headers = extras?.headersFor ? { ...tokenHeaders(options), ...extras.headersFor(url) } : tokenHeaders(options);
  if (options.clientAuthentication === 'query') {
    return { method: 'GET', url, params: new URLSearchParams(params), headers };
  }
  const data = options.tokenRequestFormat === 'json' ? JSON.stringify(params) : new URLSearchParams(params).toString();
  return { method: 'POST', url, data, headers };
}
