import type { AxiosError } from 'axios';
import type { AxiosLike } from '../attach/axios-like';
import type { OAuth2Hooks } from '../events/hooks';
import type { TokenStore } from '../store/token-store';
import type { ClientAuth } from '../contracts/client-auth';
import type { SenderConstraint } from '../contracts/sender-constraint';
import type { EndpointSource } from '../contracts/endpoint';
import type { Extension } from '../contracts/extension';
import type { TenantsFeature } from '../contracts/tenants';
import type { SubjectGrant } from '../contracts/grant';

/**
 * A grant type the plugin does not know by name (e.g. the JWT bearer grant of RFC 7523 §2.1,
 * `urn:ietf:params:oauth:grant-type:jwt-bearer`, or token exchange, RFC 8693), riding on the same
 * cache, single flight, replay and store as the built-in grants.
 */
export interface CustomGrantOptions {
  type: 'custom';
  /** The `grant_type` sent (an absolute URI or a registered name). */
  grantType: string;
  /**
   * The grant's parameters (e.g. `assertion`, or `subject_token` and `subject_token_type`), computed
   * anew for every token request attempt, retries included, so a short-lived assertion is always fresh.
   * Every value is treated as a secret (scrubbed from errors and hook payloads). A function that
   * throws (or rejects, or returns anything but an object of strings) fails the renewal with
   * `GrantParametersError`, which is not retried. It runs under the attempt's deadline
   * (`tokenRequestTimeoutMs`): `signal` aborts at the deadline or on `detach()`, and a function still
   * pending then fails the attempt as a time-out (transient, retried). `context` gives the audience an
   * assertion is for and the plugin's clock (see `jwtBearer(…)` in `axios-oauth2-bearer/client-auth`).
   * @default none (only `grant_type`, the scope and the client authentication are sent)
   */
  parameters?: (
    signal: AbortSignal,
    context: GrantParametersContext,
  ) => Record<string, string> | Promise<Record<string, string>>;
}

/** What a custom grant's `parameters` is told about the request (e.g. for an assertion's audience and expiry). */
export interface GrantParametersContext {
  /** The authorization server's issuer identifier when known (configured), else the token endpoint URL. */
  readonly audience: string;
  /** Now, in epoch ms (the attachment's clock). */
  readonly now: number;
}

/** The grant used to obtain tokens. */
export type GrantOptions =
  { type: 'client_credentials' } | { type: 'password'; username: string; password: string } | CustomGrantOptions;

/**
 * A `KeyObject` of `node:crypto` (`createPrivateKey(…)`, `generateKeyPairSync(…).privateKey`), described
 * structurally so that the plugin's types do not need `@types/node`. It must be a private key.
 */
export interface KeyObjectLike {
  readonly type: string;
  readonly asymmetricKeyType?: string;
}

/**
 * How the client authenticates at the token endpoint (RFC 6749 §2.3).
 * - `'client_secret_basic'`: `Authorization: Basic …` with `clientId` and `clientSecret`
 *   (RFC 6749 §2.3.1, see `basicEncoding`). The default (with the `query` format: `client_secret_post`).
 * - `'client_secret_post'`: `client_id` and `client_secret` in the request body (in the URL only with
 *   `tokenRequestFormat: 'query'`).
 * - A {@link ClientAuth} value from `axios-oauth2-bearer/client-auth`: `privateKeyJwt(key)`,
 *   `clientSecretJwt(secret)`, `tlsClientAuth()`, `selfSignedTlsClientAuth()`, or your own
 *   implementation of the contract. Such a value holds its own credentials: `clientSecret` is then
 *   left out.
 */
export type ClientAuthentication = 'client_secret_basic' | 'client_secret_post' | ClientAuth;

/**
 * Retries of transient token-endpoint failures (network error, time-out, 5xx). One token fetch makes
 * at most `retries + 1` attempts, each bounded by `tokenRequestTimeoutMs`, with at most `maxDelayMs`
 * between two: it ends within `(retries + 1) × tokenRequestTimeoutMs + retries × maxDelayMs`
 * (150 s with every default).
 */
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

/**
 * The breaker against an API that rejects every token (a sandbox key against the production API, a
 * wrong base URL). A rejection is *early* when the token had been obtained less than `windowMs`
 * before; two early rejections in a row (typically the first token, then its replacement on the
 * replay) open a cool-down during which no token is requested and requests needing a token fail at
 * once with `TokenRejectedError` (whatever `lockout.whileLocked` says); then one trial token is
 * fetched, and another early rejection reopens the cool-down, doubled. A response accepting a token
 * (any status but 401 to a request that carried the plugin's bearer) resets the count and closes it.
 * The state is per attachment (not shared through the store). Reported by the hooks
 * `onRejectionStormOpened` / `onRejectionStormClosed`.
 */
export interface RejectionOptions {
  /** How soon after it was obtained a token's rejection counts as early; `0` turns the breaker off. @default 10000 */
  windowMs?: number;
  /** First cool-down; doubles per consecutive cool-down (plus up to 10% jitter). @default 5000 */
  initialCooldownMs?: number;
  /** Longest cool-down. @default 300000 (5 minutes) */
  maxCooldownMs?: number;
}

/** An `apiOrigins` entry with its own token defaults. */
export interface ApiOrigin {
  /** The origin (`https://host[:port]`, or any absolute URL of it). */
  origin: string;
  /** Scopes of the token for requests to this origin (over the attachment's `scope`). */
  scope?: string;
  /** RFC 8707 resource indicator of the token for requests to this origin (over the attachment's `resource`). */
  resource?: string;
}

/** Options of {@link attachOAuth2}. */
/**
 * A private JWK (RFC 7517), e.g. from `keyObject.export({ format: 'jwk' })`: it must have its private
 * members (`d`…); checked at attach time.
 */
export interface PrivateJwk {
  kty?: string;
  crv?: string;
  d?: string;
  kid?: string;
  alg?: string;
  [member: string]: unknown;
}

export interface OAuth2Options {
  /**
   * The token endpoint: its absolute URL (https, except on loopback hosts or with `allowInsecureHttp`),
   * or an endpoint source that finds it, e.g. `discover(issuer)` from `axios-oauth2-bearer/discovery`
   * (the authorization server's metadata, fetched on the first need of a token).
   */
  tokenUrl: string | EndpointSource;
  /**
   * The client identifier (Mangopay: ClientId). Required, except with `tenants` (each tenant has its
   * own): an attachment with `tenants` and no `clientId` has no credentials of its own, and a
   * request without a tenant fails with `OAuth2RequestOptionsError` (`oauth2.tenant`).
   */
  clientId?: string;
  /**
   * The client secret (Mangopay: API key), for `client_secret_basic` and `client_secret_post`.
   * Left out when `clientAuthentication` is a value from `axios-oauth2-bearer/client-auth` (it holds
   * its own credentials: `clientSecretJwt(secret)` takes the secret).
   */
  clientSecret?: string;
  /** Space-separated scopes to request. @default undefined (none sent) */
  scope?: string;
  /**
   * RFC 8707 resource indicator (an absolute URI without fragment, e.g. `https://api.example.com`),
   * sent as `resource` with every token request of this attachment (some servers issue API scopes
   * only with one). An `apiOrigins` entry or a request's `oauth2.resource` overrides it.
   * @default undefined (none sent)
   */
  resource?: string;
  /**
   * The grant: `{ type: 'client_credentials' }`, `{ type: 'password', … }`, `{ type: 'custom', … }`,
   * or a grant value whose tokens are per subject, e.g. `tokenExchange({ subjectTokenType })` from
   * `axios-oauth2-bearer/token-exchange` (RFC 8693: each request names its subject in
   * `oauth2.subjectToken`).
   * @default { type: 'client_credentials' }
   */
  grant?: GrantOptions | SubjectGrant;
  /** See {@link ClientAuthentication}. @default 'client_secret_basic' (`'client_secret_post'` with the `query` format) */
  clientAuthentication?: ClientAuthentication;
  /**
   * The lifetime assumed for a token whose response has no `expires_in` and that is not a JWT with a
   * numeric `exp` (which is used when present, decoded but not verified). Never "until rejected".
   * @default 600 (10 minutes)
   */
  defaultTokenLifetimeSeconds?: number;
  /**
   * Encoding of the Basic credentials: `'rfc6749'` form-urlencodes id and secret before base64
   * (RFC 6749 §2.3.1); `'raw'` base64-encodes `id:secret` as is, for servers that reject the strict form.
   * @default 'rfc6749'
   */
  basicEncoding?: 'rfc6749' | 'raw';
  /**
   * The `token_type` values accepted in a token response (compared case-insensitively), for servers
   * that answer a non-standard one (e.g. `['Bearer', 'access_token']`). Whatever the server says,
   * the token is sent to the API as `Authorization: Bearer …`, except a token bound by the
   * `senderConstraint` (`DPoP` with `dpop()`), sent in its scheme with a proof. A token response with
   * any other `token_type` fails with `InvalidTokenResponseError` (field `token_type`).
   * @default ['Bearer'], or the constraint's token types (`['DPoP']`) with `senderConstraint` (which then must list one)
   */
  acceptTokenTypes?: string[];
  /**
   * Sender-constrained tokens: a value such as `dpop()` from `axios-oauth2-bearer/dpop` (DPoP, RFC
   * 9449: token and API requests carry a `DPoP` proof, DPoP tokens are sent as `Authorization: DPoP …`).
   * `acceptTokenTypes` then defaults to the constraint's token types (`['DPoP']`): a token response
   * with another `token_type` fails with `InvalidTokenResponseError`.
   * @default undefined (none)
   */
  senderConstraint?: SenderConstraint;
  /**
   * How token requests are encoded: `'form'` (a POST with an application/x-www-form-urlencoded body),
   * `'json'` (a POST with a JSON body), or `'query'`: a GET with every parameter in the query string,
   * the credentials included (`client_secret_post`'s `client_id` and `client_secret`), for legacy APIs
   * such as Musement's old `/login`. The client-authentication values of
   * `axios-oauth2-bearer/client-auth` need `'form'`.
   * @default 'form'
   */
  tokenRequestFormat?: 'form' | 'json' | 'query';
  /** Extra headers sent on every token request (e.g. `X-Musement-Application`). @default {} */
  tokenRequestHeaders?: Record<string, string>;
  /** Extra parameters sent on every token request (e.g. `audience`). @default {} */
  tokenRequestParams?: Record<string, string>;
  /**
   * Origins (`https://host[:port]`) that receive the bearer token. Requests to any other origin get none.
   * Each must be https (RFC 6750 §5.3), except on loopback hosts or with `allowInsecureHttp`; so must
   * the default. A plain-http one is an `OAuth2OptionsError` at attach time.
   *
   * An entry may be an {@link ApiOrigin} object giving that origin its own `scope` and/or `resource`:
   * requests to it get the token for that scope and resource (each pair has its own cached token),
   * without per-request options. Precedence, field by field: the request's `oauth2` options, then the
   * origin's, then the attachment's `scope`/`resource`.
   * @default the origin of `instance.defaults.baseURL` at attach time, else the origin of `tokenUrl`
   */
  apiOrigins?: Array<string | ApiOrigin>;
  /**
   * Most tokens cached for selections made per request (`oauth2: { scope, resource }`) or through
   * `getToken({ scope, resource })`; beyond it the least recently used entry is dropped (a fetch of
   * its in flight still settles for its waiters). The attachment's own token and those of the
   * `apiOrigins` defaults, fixed at attach time, are not counted and never dropped.
   * @default 32
   */
  maxCachedTokens?: number;
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
   * The axios instance that sends token requests. It may have this plugin attached (even be the
   * attached instance): token requests are marked `oauth2: { skip: true }`, so they get no bearer and
   * no 401 replay from it. Its other interceptors run; they see `response.data` as a stream (the body
   * is read by the plugin, up to `maxTokenResponseBytes`). Per request, the plugin sets
   * `maxRedirects: 0`, `fetchOptions.redirect: 'manual'` (merged over its default `fetchOptions`),
   * the time-out and an abort signal.
   * @default a bare client (no interceptors) sharing the attached instance's adapter, agents, proxy,
   * `fetchOptions` and timeout, read at each token request.
   */
  tokenHttpClient?: AxiosLike;
  /**
   * Deadline of one token request attempt, from sending it to having read the whole response: a token
   * endpoint that never answers, or answers byte by byte, cannot hold requests longer than this. An
   * attempt that misses it is aborted (the connection is closed) and counts as a transient failure,
   * retried as {@link RetryOptions} says.
   *
   * One token fetch (all its attempts) therefore ends within
   * `(retries + 1) × tokenRequestTimeoutMs + retries × maxDelayMs`: with the defaults (no instance
   * `timeout`) 4 × 30 s + 3 × 10 s = 150 s at worst (a `Retry-After` is capped to `maxDelayMs`; without
   * one the delays total at most 250 + 500 + 1000 ms, so 121.75 s). A renewal that holds a refresh
   * token may run two such sequences (the refresh grant, then the main grant after `invalid_grant`).
   * Must be positive and at most 2147483647.
   * @default the attached instance's `timeout` when set, else 30000
   */
  tokenRequestTimeoutMs?: number;
  /**
   * Largest token response body read, in bytes (after decompression), with every adapter. A larger
   * body is not read further: the connection is closed. On a 2xx this is an `InvalidTokenResponseError`
   * (`field: 'body'`), permanent (not retried; served from the failure cache for `failureCacheMs`);
   * on an error status the body is ignored and the status alone classifies the failure.
   * @default 1048576 (1 MiB, far above any real token response, large JWTs included)
   */
  maxTokenResponseBytes?: number;
  /**
   * Allows plain `http:` for `tokenUrl` and for the origins that receive the bearer (`apiOrigins`, or
   * the default taken from the instance's `baseURL`) on any host. Without it, http is allowed only on
   * loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`): credentials and bearer tokens must travel
   * over TLS (RFC 6749 §2.3.1, RFC 6750 §5.3). Set it only for a private network you trust
   * (e.g. a service mesh that encrypts traffic itself).
   * @default false
   */
  allowInsecureHttp?: boolean;
  /** Decides whether a 401 means "token rejected" (refresh and replay). @default {@link isTokenRejected} */
  isTokenRejected?: (error: AxiosError) => boolean;
  /**
   * What happens to a request to an API origin that already carries an `Authorization` header (set by
   * the caller, an SDK, or the instance's defaults):
   * - `'respect'`: the caller's header is sent as is; the plugin injects nothing and never replays the
   *   request on a 401 (the header is not its own). Each such request is reported through the
   *   `onRequestSkipped` hook (`reason: 'caller-authorization'`).
   * - `'replace'`: the plugin overwrites it with its bearer, and handles the request as its own (a
   *   rejected token is renewed and the request replayed). For an SDK that sets its own header (see
   *   "Dropping it into an SDK" in the README). Requests to other origins, the token endpoint,
   *   requests with `oauth2.skip` and requests with axios's `auth` are left alone either way.
   * @default 'respect'
   */
  authorizationHeader?: 'respect' | 'replace';
  /** @default see {@link RetryOptions} */
  retry?: RetryOptions;
  /** @default see {@link LockoutOptions} */
  lockout?: LockoutOptions;
  /** @default see {@link RejectionOptions} */
  rejection?: RejectionOptions;
  /**
   * Longest wait for one call to the token store (`get`, `set`, `delete`, lock, lockout). A call that
   * does not settle in time is reported through `onStoreError` (a `StoreTimeoutError`) and treated as
   * a store failure: the plugin carries on in-process, so a store that never answers cannot hang requests.
   * @default 3000
   */
  storeTimeoutMs?: number;
  /**
   * How long a permanent token-endpoint error (e.g. `invalid_client`) is served from cache; a store
   * with `setFailure` (Redis) shares it with the other processes for that time. `0`: not cached. @default 5000
   */
  failureCacheMs?: number;
  /** Observability callbacks; payloads hold no secret; a throwing hook is ignored. @default {} */
  hooks?: OAuth2Hooks;
  /**
   * Extensions of the attachment, values made by their factories: e.g. `revokeOnClose()` from
   * `axios-oauth2-bearer/revocation` (RFC 7009 revocation on `close()`) and `diagnosticsChannels()`
   * from `axios-oauth2-bearer/diagnostics` (`node:diagnostics_channel` publications). Each at most once.
   * @default [] (none: nothing revoked on close, nothing published)
   */
  extensions?: Extension[];
  /**
   * Clock in epoch milliseconds, for tests. The default follows a monotonic clock, so steps of the
   * wall clock (NTP, a changed system time) do not stretch or cut cool-downs and token lifetimes.
   * Read as whole milliseconds (rounded down), so every time the plugin shows is an integer.
   * @default `Date.now()` read once at attach time, advanced by `performance.now()`
   */
  clock?: () => number;
  /** Random source in [0, 1) for jitter, for tests. @default Math.random */
  random?: () => number;
  /**
   * Many tenants on this attachment, each with its own credentials loaded on demand:
   * `tenants({ load })` from `axios-oauth2-bearer/tenants` (see {@link TenantsOptions}). Requests
   * name theirs with `oauth2: { tenant }`.
   * @default undefined (one client: the attachment's own credentials)
   */
  tenants?: TenantsFeature;
}
