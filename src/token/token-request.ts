import type { AxiosRequestConfig } from 'axios';
import type { ResolvedOptions } from '../options/validate-options';

/** The grant parameters of one token request, named as on the wire. */
export type GrantParams =
  | { grant_type: 'client_credentials' }
  | { grant_type: 'password'; username: string; password: string }
  | { grant_type: 'refresh_token'; refresh_token: string };

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
  return grant.type === 'password'
    ? { grant_type: 'password', username: grant.username, password: grant.password }
    : { grant_type: 'client_credentials' };
}

/**
 * The parameters of a token request for `grant`, as sent (body, or query string in `query` mode):
 * `tokenRequestParams`, then the grant, the scope and, unless Basic is used, the client credentials.
 */
export function tokenParams(options: ResolvedOptions, grant: GrantParams): Record<string, string> {
  const params: Record<string, string> = { ...options.tokenRequestParams, ...grant };
  if (options.scope !== undefined) params.scope = options.scope;
  if (options.clientAuthentication !== 'client_secret_basic') {
    params.client_id = options.clientId;
    params.client_secret = options.clientSecret;
  }
  return params;
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
 * Builds the token request for `grant`: one client-authentication method per request
 * (RFC 6749 §2.3), credentials never in the URL except in the legacy `query` mode. `extras.headers`
 * (e.g. a DPoP proof) are added to the request's headers.
 */
export function buildTokenRequest(
  options: ResolvedOptions,
  grant: GrantParams,
  extras?: { headers?: Record<string, string> },
): AxiosRequestConfig {
  const params = tokenParams(options, grant);
  const headers = extras?.headers ? { ...tokenHeaders(options), ...extras.headers } : tokenHeaders(options);
  if (options.clientAuthentication === 'query') {
    return { method: 'GET', url: options.tokenUrl, params: new URLSearchParams(params), headers };
  }
  const data = options.tokenRequestFormat === 'json' ? JSON.stringify(params) : new URLSearchParams(params).toString();
  return { method: 'POST', url: options.tokenUrl, data, headers };
}

/** The forms a secret may take when a server echoes it: as is, form-encoded, percent-encoded. */
function encodings(secret: string): string[] {
  return [secret, formEncode(secret), encodeURIComponent(secret)];
}

/** Every secret a token request may carry, for scrubbing text that could echo one. */
export function grantSecrets(options: ResolvedOptions, grant: GrantParams): string[] {
  const { clientId, clientSecret } = options;
  const secrets = encodings(clientSecret);
  // The Basic credentials are the secret in base64, in either encoding: a server echoing them must not leak them.
  for (const encoding of ['rfc6749', 'raw'] as const)
    secrets.push(basicAuthorization(clientId, clientSecret, encoding).slice('Basic '.length));
  if (grant.grant_type === 'password') secrets.push(...encodings(grant.password));
  if (grant.grant_type === 'refresh_token') secrets.push(...encodings(grant.refresh_token));
  // Longest first, so a secret is scrubbed whole before any shorter secret inside it.
  return secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}
