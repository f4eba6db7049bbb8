import type { AxiosError, AxiosInstance } from 'axios';
import type { OAuth2Hooks } from './hooks';
import type { TokenStore } from './stores/token-store';

/** The grant used to obtain tokens. */
export type GrantOptions = { type: 'client_credentials' } | { type: 'password'; username: string; password: string };

/**
 * How the client authenticates at the token endpoint.
 * - `client_secret_basic`: `Authorization: Basic …` (RFC 6749 §2.3.1), form body. The default.
 * - `client_secret_post`: `client_id` and `client_secret` in the request body, never in the URL.
 * - `query`: a GET with every parameter in the query string (legacy APIs such as Musement's old `/login`).
 */
export type ClientAuthentication = 'client_secret_basic' | 'client_secret_post' | 'query';

/** Retries of transient token-endpoint failures (network error, time-out, 5xx). */
export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  retries?: number;
  /** Delay before the first retry; doubles each retry (with jitter). @default 250 */
  baseDelayMs?: number;
  /** Upper bound of one delay, `Retry-After` included. @default 10000 */
  maxDelayMs?: number;
}

/** The cool-down opened when the token endpoint reports a lockout (`unauthorized_client`, 423, 429). */
export interface LockoutOptions {
  /** Cool-down after the first lockout when the server gives no `Retry-After`; doubles per consecutive lockout. @default 60000 */
  initialCooldownMs?: number;
  /** Longest cool-down computed by doubling. @default 900000 (15 minutes) */
  maxCooldownMs?: number;
  /** Longest `Retry-After` honoured; longer values are capped to this. @default 3600000 (1 hour) */
  maxRetryAfterMs?: number;
  /**
   * What a request needing a token does during a cool-down: `'fail'` rejects at once with
   * `AccountLockedError`; `'wait'` waits for the cool-down to end (abortable with the request's signal).
   * @default 'fail'
   */
  whileLocked?: 'fail' | 'wait';
}

/** Options of {@link attachOAuth2}. */
export interface OAuth2Options {
  /** Absolute URL of the token endpoint. Must be https, except on loopback hosts. */
  tokenUrl: string;
  /** The client identifier (Mangopay: ClientId). */
  clientId: string;
  /** The client secret (Mangopay: API key). */
  clientSecret: string;
  /** Space-separated scopes to request. @default undefined (none sent) */
  scope?: string;
  /** @default { type: 'client_credentials' } */
  grant?: GrantOptions;
  /** @default 'client_secret_basic' */
  clientAuthentication?: ClientAuthentication;
  /**
   * Encoding of the Basic credentials: `'rfc6749'` form-urlencodes id and secret before base64
   * (RFC 6749 §2.3.1); `'raw'` base64-encodes `id:secret` as is, for servers that reject the strict form.
   * @default 'rfc6749'
   */
  basicEncoding?: 'rfc6749' | 'raw';
  /** Body format of POST token requests. @default 'form' (application/x-www-form-urlencoded) */
  tokenRequestFormat?: 'form' | 'json';
  /** Extra headers sent on every token request (e.g. `X-Musement-Application`). @default {} */
  tokenRequestHeaders?: Record<string, string>;
  /** Extra parameters sent on every token request (e.g. `audience`). @default {} */
  tokenRequestParams?: Record<string, string>;
  /**
   * Origins (`https://host[:port]`) that receive the bearer token. Requests to any other origin get none.
   * @default the origin of `instance.defaults.baseURL` at attach time, else the origin of `tokenUrl`
   */
  apiOrigins?: string[];
  /** Seconds before expiry when callers stop using a token and wait for a new one. @default 30 */
  refreshSkewSeconds?: number;
  /**
   * Refresh in the background during the soft window (the last 10% of a token's life, at most 2 minutes,
   * before the skew) while callers keep the still-valid token. @default true
   */
  backgroundRefresh?: boolean;
  /** Where tokens are cached. @default a new in-memory store per attachment */
  store?: TokenStore;
  /**
   * The axios instance that sends token requests. @default a bare client (no interceptors) sharing
   * the attached instance's adapter, agents, proxy and timeout, read at each token request.
   */
  tokenHttpClient?: AxiosInstance;
  /**
   * Time-out of one token request, so a token endpoint that never answers cannot hang requests.
   * @default the attached instance's `timeout` when set, else 30000
   */
  tokenRequestTimeoutMs?: number;
  /** Decides whether a 401 means "token rejected" (refresh and replay). @default {@link isTokenRejected} */
  isTokenRejected?: (error: AxiosError) => boolean;
  /** @default see {@link RetryOptions} */
  retry?: RetryOptions;
  /** @default see {@link LockoutOptions} */
  lockout?: LockoutOptions;
  /**
   * How long a permanent token-endpoint error (e.g. `invalid_client`) is served from cache; a store
   * with `setFailure` (Redis) shares it with the other processes for that time. `0`: not cached. @default 5000
   */
  failureCacheMs?: number;
  /** Observability callbacks; payloads hold no secret; a throwing hook is ignored. @default {} */
  hooks?: OAuth2Hooks;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  clock?: () => number;
  /** Random source in [0, 1) for jitter, for tests. @default Math.random */
  random?: () => number;
}
