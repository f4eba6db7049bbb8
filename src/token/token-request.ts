import type { ServerRequest } from '../http/send';
import type { ResolvedOptions } from '../options/validate-options';
import type { ClientCredentials } from '../contracts/client-auth';
import { formEncode } from '../util/form-encode';

/** The grant parameters of one token request, named as on the wire. */
export type GrantParams =
  | { grant_type: 'client_credentials' }
  | { grant_type: 'password'; username: string; password: string }
  | { grant_type: 'refresh_token'; refresh_token: string }
  /** `grant: { type: 'custom' }`: its parameters are computed per attempt (see {@link AttemptExtras}). */
  | { grant_type: string };

/**
 * What one attempt adds to its token request, computed anew per request: a custom grant's
 * parameters, a DPoP proof (the client credentials come from the method, see {@link ClientCredentials}). Whoever makes them adds them to the attempt's `Secrets`.
 */
export interface AttemptExtras {
  params: Record<string, string>;
  /** Headers made once the endpoint is known (a DPoP proof is for one URL). */
  headersFor?: (url: string) => Record<string, string>;
  /** Reads the answer's headers (a `DPoP-Nonce`), with the URL that sent them. */
  onHeaders?: (url: string, headers: unknown) => void;
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

/** The HTTP method of a token request: GET in the legacy `query` format (parameters in the URL), else POST. */
export function tokenRequestMethod(format: ResolvedOptions['tokenRequestFormat']): 'GET' | 'POST' {
  return format === 'query' ? 'GET' : 'POST';
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
 * The parameters of a token request for `grant`, before the client credentials (body, or query string
 * with the `query` format): `tokenRequestParams`, then the grant, the scope and the resource indicator
 * (RFC 8707).
 */
export function tokenParams(options: ResolvedOptions, grant: GrantParams): Record<string, string> {
  const params: Record<string, string> = { ...options.tokenRequestParams, ...grant };
  if (options.scope !== undefined) params.scope = options.scope;
  if (options.resource !== undefined) params.resource = options.resource;
  return params;
}

/** The headers of every token request before the client credentials: `Accept`, `tokenRequestHeaders` and the body type. */
export function tokenHeaders(options: ResolvedOptions): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.tokenRequestHeaders };
  if (options.tokenRequestFormat !== 'query') {
    headers['Content-Type'] =
      options.tokenRequestFormat === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  }
  return headers;
}

/**
 * Builds the token request for `grant`, sent to `url` (the configured `tokenUrl`, or the discovered
 * endpoint): one client-authentication method per request (RFC 6749 §2.3): `credentials`, made by the
 * attachment's method for this request, added last (a grant's parameters cannot override them);
 * credentials never in the URL except with the legacy `query` format. `extras` adds this attempt's
 * parameters and headers (e.g. a DPoP proof for `url`).
 */
export function buildTokenRequest(
  options: ResolvedOptions,
  grant: GrantParams,
  url = options.tokenUrl as string,
  extras?: AttemptExtras,
  credentials?: ClientCredentials,
): ServerRequest {
  const params = { ...tokenParams(options, grant), ...extras?.params, ...credentials?.params };
  const headers = { ...tokenHeaders(options), ...credentials?.headers, ...extras?.headersFor?.(url) };
  if (tokenRequestMethod(options.tokenRequestFormat) === 'GET') {
    return { method: 'GET', url, params: new URLSearchParams(params), headers };
  }
  const data = options.tokenRequestFormat === 'json' ? JSON.stringify(params) : new URLSearchParams(params).toString();
  return { method: 'POST', url, data, headers };
}
