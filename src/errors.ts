/**
 * Error classes raised by the plugin. Every one is `instanceof OAuth2Error`, has a stable `code`,
 * and never carries a secret: no client secret, password, refresh token, access token or
 * `Authorization` header is reachable from `message`, `JSON.stringify(error)` or `util.inspect(error)`.
 */

/** Stable error codes, one per failure kind. */
export type OAuth2ErrorCode =
  | 'OAUTH2_INVALID_OPTIONS'
  | 'OAUTH2_INVALID_REQUEST_OPTIONS'
  | 'OAUTH2_TOKEN_ENDPOINT_ERROR'
  | 'OAUTH2_ACCOUNT_LOCKED'
  | 'OAUTH2_INVALID_TOKEN_RESPONSE'
  | 'OAUTH2_REPLAY_NOT_POSSIBLE'
  | 'OAUTH2_TOKEN_REJECTED'
  | 'OAUTH2_DETACHED'
  | 'OAUTH2_STORE_TIMEOUT'
  | 'OAUTH2_DISCOVERY_FAILED'
  | 'OAUTH2_ISSUER_MISMATCH'
  | 'OAUTH2_GRANT_PARAMETERS'
  | 'OAUTH2_DPOP_NONCE'
  | 'OAUTH2_ASSERTION_SOURCE'
  // Many tenants:
  | 'OAUTH2_UNKNOWN_TENANT'
  | 'OAUTH2_TENANT_LOAD_FAILED';

/**
 * A brand every plugin error carries: the kinds (class names) it is. `instanceof` checks it, so an
 * error still matches when it comes from another copy of this package in the process (the CommonJS
 * and ESM builds loaded side by side, or the `redis` subpath bundle).
 */
const BRAND = Symbol.for('axios-oauth2-bearer.error-kinds');

interface ErrorClass {
  readonly kind?: string;
}

function kindsOf(ctor: unknown): string[] {
  const kinds: string[] = [];
  for (let c = ctor; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (Object.prototype.hasOwnProperty.call(c, 'kind')) kinds.push(String((c as ErrorClass).kind));
  }
  return kinds;
}

function brand(target: object, kinds: string[]): void {
  Object.defineProperty(target, BRAND, { value: kinds, enumerable: false });
}

function isInstance(ctor: ErrorClass, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(ctor, value)) return true;
  if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(ctor, 'kind')) return false;
  const kinds = (value as Record<symbol, unknown>)[BRAND];
  return Array.isArray(kinds) && kinds.includes(ctor.kind);
}

/** Defines `key` on `target` as a non-enumerable property: readable, but skipped by JSON and inspect. */
export function hide(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
}

/** What a plugin error is constructed with besides its message. */
export interface OAuth2ErrorOptions {
  /** The error behind this one (non-enumerable). */
  cause?: unknown;
  /**
   * The answer behind the error, secret-free, as `error.response` (non-enumerable): the token
   * endpoint's for token-endpoint failures and lockouts, the API's 401 for the rejection breaker.
   */
  response?: ErrorResponse;
}

/**
 * `error.response` of a plugin error: what the server answered, in the shape of an axios response,
 * with no secret in it (no `Authorization`, `Cookie` or `Set-Cookie` header; tokens and credentials
 * scrubbed from the body). `status` 0 when no server answered (network failure, time-out, detach);
 * `data` is then `{ error: <code>, error_description: <message> }`.
 */
export interface ErrorResponse {
  status: number;
  statusText: string;
  /** Lower-cased names; credential headers left out. */
  headers: Record<string, string>;
  /** The parsed body (JSON object, or text), scrubbed. */
  data: unknown;
}

/** Base class of every error the plugin raises. */
export class OAuth2Error extends Error {
  /** The brand `instanceof` checks (see the class docs): each plugin error class has its own. */
  static get kind(): string {
    return 'OAuth2Error';
  }
  override name = 'OAuth2Error';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static get name(): string {
    return 'OAuth2Error';
  }
  readonly code: OAuth2ErrorCode;
  /**
   * What the server answered (see {@link ErrorResponse}); non-enumerable. Set on token-endpoint
   * failures, lockouts and rejection cool-downs; on an error that failed an API request, always set
   * (status 0 when no server answered), with `config` and `isAxiosError` (see the README's "Errors").
   */
  declare readonly response?: ErrorResponse;

  constructor(code: OAuth2ErrorCode, message: string, options?: OAuth2ErrorOptions) {
    super(message);
    this.code = code;
    brand(this, kindsOf(new.target));
    if (options?.cause !== undefined) hide(this, 'cause', options.cause);
    if (options?.response !== undefined) hide(this, 'response', options.response);
  }

  /**
   * `instanceof` also matches errors from another copy of this package (by brand), and
   * {@link OAuth2OptionsError}, which must stay a `TypeError`, matches `instanceof OAuth2Error`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, value);
  }

  /** Safe serialisation: name, code, message and the error's own public fields. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, code: this.code, message: this.message };
  }
}

/** Bad options passed to `attachOAuth2` or a preset. A `TypeError` that also matches `instanceof OAuth2Error`. */
export class OAuth2OptionsError extends TypeError {
  static get kind(): string {
    return 'OAuth2OptionsError';
  }
  override name = 'OAuth2OptionsError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static get name(): string {
    return 'OAuth2OptionsError';
  }
  readonly code = 'OAUTH2_INVALID_OPTIONS' as const;
  /** The option path at fault, e.g. `grant.username`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
    brand(this, ['OAuth2OptionsError', OAuth2Error.kind]);
  }

  /** Matches by brand too, like {@link OAuth2Error}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, value);
  }
}

/**
 * Bad per-request options (`config.oauth2` of an axios request, or the selector given to
 * `getToken`/`getAccessToken`/`invalidate`): an unknown key (a typo such as `resorce`) or a value of
 * the wrong shape. The request is rejected with it before any token work. A `TypeError` that also
 * matches `instanceof OAuth2Error`.
 */
export class OAuth2RequestOptionsError extends TypeError {
  static get kind(): string {
    return 'OAuth2RequestOptionsError';
  }
  override name = 'OAuth2RequestOptionsError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static get name(): string {
    return 'OAuth2RequestOptionsError';
  }
  readonly code = 'OAUTH2_INVALID_REQUEST_OPTIONS' as const;
  /** The per-request option at fault, e.g. `oauth2.resorce`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
    brand(this, ['OAuth2RequestOptionsError', OAuth2Error.kind]);
  }

  /** Matches by brand too, like {@link OAuth2Error}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, value);
  }
}

/** Fields describing a token-endpoint failure. */
export interface TokenEndpointErrorDetails {
  /** RFC 6749 §5.2 `error` code, when the server sent one. */
  error?: string;
  /** RFC 6749 §5.2 `error_description`. */
  errorDescription?: string;
  /** RFC 6749 §5.2 `error_uri`. */
  errorUri?: string;
  /** HTTP status of the token response; absent for network errors and time-outs. */
  status?: number;
  /** Whether the failure was transient (network, time-out, 5xx) and retries were exhausted. */
  transient: boolean;
  /** Number of token requests made for this failure (1 plus retries). */
  attempts: number;
}

/** The token endpoint refused to issue a token, or could not be reached. */
export class TokenEndpointError extends OAuth2Error {
  static override get kind(): string {
    return 'TokenEndpointError';
  }
  override name = 'TokenEndpointError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'TokenEndpointError';
  }
  readonly error?: string;
  readonly errorDescription?: string;
  readonly errorUri?: string;
  readonly status?: number;
  readonly transient: boolean;
  readonly attempts: number;

  constructor(message: string, details: TokenEndpointErrorDetails, options?: OAuth2ErrorOptions & { body?: unknown }) {
    super('OAUTH2_TOKEN_ENDPOINT_ERROR', message, options);
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.errorUri = details.errorUri;
    this.status = details.status;
    this.transient = details.transient;
    this.attempts = details.attempts;
    if (options?.body !== undefined) hide(this, 'body', options.body);
  }
}

/** How long a cool-down ending at `retryAt` has left at `now`, and how a message says it. */
function coolDown(retryAt: number, now: number): { retryAfterMs: number; text: string } {
  const retryAfterMs = Math.max(0, Math.ceil(retryAt - now));
  const text = `no token request until ${new Date(retryAt).toISOString()} (retry in ${Math.ceil(retryAfterMs / 1000)} s)`;
  return { retryAfterMs, text };
}

/** The account is locked out (or rate limited) at the token endpoint; no token call is made until `retryAt`. */
export class AccountLockedError extends OAuth2Error {
  static override get kind(): string {
    return 'AccountLockedError';
  }
  override name = 'AccountLockedError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'AccountLockedError';
  }
  /** Milliseconds from when this error was created until the cool-down ends. */
  readonly retryAfterMs: number;
  /** When the cool-down ends, in whole epoch milliseconds on the plugin's clock. */
  readonly retryAt: number;
  /** The token endpoint's `error` code that opened the cool-down, if any. */
  readonly error?: string;
  readonly status?: number;

  constructor(
    retryAt: number,
    now: number,
    details: { error?: string; status?: number },
    options?: OAuth2ErrorOptions,
  ) {
    const { retryAfterMs, text } = coolDown(retryAt, now);
    super('OAUTH2_ACCOUNT_LOCKED', `The token endpoint locked this client out; ${text}`, options);
    this.retryAfterMs = retryAfterMs;
    this.retryAt = retryAt;
    this.error = details.error;
    this.status = details.status;
  }
}

/** The token endpoint answered 2xx with something that is not a valid RFC 6749 §5.1 token response. */
export class InvalidTokenResponseError extends OAuth2Error {
  static override get kind(): string {
    return 'InvalidTokenResponseError';
  }
  override name = 'InvalidTokenResponseError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'InvalidTokenResponseError';
  }
  /** The response field at fault (`access_token`, `token_type`, `expires_in`, or `body`). */
  readonly field: string;
  readonly status?: number;

  constructor(field: string, message: string, details: { status?: number; body?: unknown; response?: ErrorResponse }) {
    super('OAUTH2_INVALID_TOKEN_RESPONSE', message, { response: details.response });
    this.field = field;
    this.status = details.status;
    if (details.body !== undefined) hide(this, 'body', details.body);
  }
}

/** A 401 asked for a replay, but the request body cannot be sent twice (a stream). The 401 is the `cause`. */
export class ReplayNotPossibleError extends OAuth2Error {
  static override get kind(): string {
    return 'ReplayNotPossibleError';
  }
  override name = 'ReplayNotPossibleError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'ReplayNotPossibleError';
  }
  constructor(message: string, options: { cause: unknown }) {
    super('OAUTH2_REPLAY_NOT_POSSIBLE', message, options);
  }
}

/**
 * The API rejected the plugin's tokens right after they were issued, again and again (a sandbox key
 * against the production API, a wrong base URL): instead of one token call per request, no token is
 * requested until `retryAt` (a doubling cool-down, see `OAuth2Options.rejection`); then one trial token
 * is fetched. `cause` is the last rejection (a redacted axios error: no token in it).
 */
export class TokenRejectedError extends OAuth2Error {
  static override get kind(): string {
    return 'TokenRejectedError';
  }
  override name = 'TokenRejectedError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'TokenRejectedError';
  }
  /** Milliseconds from when this error was created until the cool-down ends. */
  readonly retryAfterMs: number;
  /** When the cool-down ends and one trial token may be fetched, in whole epoch milliseconds on the plugin's clock. */
  readonly retryAt: number;
  /** HTTP status of the rejection (401). */
  readonly status?: number;
  /** Cool-downs in a row without a token being accepted in between (drives the doubling). */
  readonly consecutive: number;

  constructor(
    retryAt: number,
    now: number,
    details: { status?: number; consecutive: number },
    options?: OAuth2ErrorOptions,
  ) {
    const { retryAfterMs, text } = coolDown(retryAt, now);
    super(
      'OAUTH2_TOKEN_REJECTED',
      `The API rejected freshly issued tokens${details.status === undefined ? '' : ` (HTTP ${details.status})`}: ` +
        'check that the token endpoint and credentials belong to this API (e.g. a sandbox key against production, or a wrong base URL); ' +
        text,
      options,
    );
    this.retryAfterMs = retryAfterMs;
    this.retryAt = retryAt;
    this.status = details.status;
    this.consecutive = details.consecutive;
  }
}

/**
 * The plugin was detached (`handle.detach()`) while this caller waited for a token: the token request,
 * its retries and any cool-down wait were stopped, and every waiting caller rejects with this error.
 */
export class DetachedError extends OAuth2Error {
  static override get kind(): string {
    return 'DetachedError';
  }
  override name = 'DetachedError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'DetachedError';
  }
  constructor() {
    super(
      'OAUTH2_DETACHED',
      'The OAuth 2.0 plugin was detached from this axios instance while the request waited for a token',
    );
  }
}

/**
 * A token store call did not settle within `storeTimeoutMs`. Reported through `onStoreError` (never
 * thrown to a request): the plugin treats it as a store failure and carries on in-process.
 */
export class StoreTimeoutError extends OAuth2Error {
  static override get kind(): string {
    return 'StoreTimeoutError';
  }
  override name = 'StoreTimeoutError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'StoreTimeoutError';
  }
  /** The store operation that timed out. */
  readonly operation: string;
  readonly timeoutMs: number;
  constructor(operation: string, timeoutMs: number) {
    super('OAUTH2_STORE_TIMEOUT', `The token store did not answer "${operation}" within ${timeoutMs} ms`);
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A custom grant's `parameters` function threw, rejected, or returned something other than an object
 * of strings: no token request was sent. Not retried; served from the failure cache for
 * `failureCacheMs` like a permanent failure. `cause`: a plain copy (name, message, code) of what it threw.
 */
export class GrantParametersError extends OAuth2Error {
  static override get kind(): string {
    return 'GrantParametersError';
  }
  override name = 'GrantParametersError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'GrantParametersError';
  }

  constructor(message: string, cause?: Error) {
    super('OAUTH2_GRANT_PARAMETERS', message, { cause });
  }
}

/**
 * DPoP (RFC 9449): a server asked for a nonce again right after the one retry with the nonce it
 * gave (`use_dpop_nonce` from the token endpoint, or `WWW-Authenticate: DPoP error="use_dpop_nonce"`
 * from an API). The plugin retries a nonce challenge once, never in a loop. `response` is the
 * server's answer (no credential header in it).
 */
export class DPoPNonceError extends OAuth2Error {
  static override get kind(): string {
    return 'DPoPNonceError';
  }
  override name = 'DPoPNonceError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'DPoPNonceError';
  }
  /** Who asked: the token endpoint or the API. */
  readonly source: 'token_endpoint' | 'api';
  /** HTTP status of the repeated challenge (400 from a token endpoint, 401 from an API). */
  readonly status?: number;

  constructor(source: 'token_endpoint' | 'api', status: number | undefined, options?: OAuth2ErrorOptions) {
    const who = source === 'api' ? 'The API' : 'The token endpoint';
    super(
      'OAUTH2_DPOP_NONCE',
      `${who} asked for a new DPoP nonce again right after the retry with the nonce it gave (use_dpop_nonce); not retried further`,
      options,
    );
    this.source = source;
    this.status = status;
  }
}

/** Why an assertion from a provider or a token file could not be sent (see {@link AssertionSourceError}). */
export type AssertionSourceReason = 'expired' | 'malformed' | 'unavailable';

/**
 * An assertion from a provider (`clientAssertion(fn)`, `clientAssertionFile(path)`, the `assertion`
 * of `jwtBearer(…)`, all in `axios-oauth2-bearer/client-auth`) could not be sent, and no token request
 * was: `expired` (its `exp` is past by the plugin's clock; `expiredAt` says when), `malformed` (not a
 * compact JWS with a numeric `exp`), or `unavailable` (the provider threw, the file could not be
 * read; `cause` is a plain copy: name, message, code). `source` names the file or the provider,
 * never the assertion. Not retried, not cached: the next token request asks the provider again (a
 * rotated file is picked up).
 */
export class AssertionSourceError extends OAuth2Error {
  static override get kind(): string {
    return 'AssertionSourceError';
  }
  override name = 'AssertionSourceError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'AssertionSourceError';
  }
  readonly reason: AssertionSourceReason;
  /** `file /var/run/secrets/tokens/token`, or `provider` (or the provider's name). */
  readonly source: string;
  /** `expired`: the assertion's `exp`, in epoch ms. */
  readonly expiredAt?: number;

  constructor(
    reason: AssertionSourceReason,
    source: string,
    message: string,
    details: { expiredAt?: number; cause?: Error } = {},
  ) {
    super('OAUTH2_ASSERTION_SOURCE', message, { cause: details.cause });
    this.reason = reason;
    this.source = source;
    if (details.expiredAt !== undefined) this.expiredAt = details.expiredAt;
  }
}

// ---- Many tenants -------------------------------------------------------------------------------

/**
 * Many tenants: the `tenants.load` function returned `undefined` for this tenant (no such customer).
 * No token call is made; the answer is remembered for `tenants.retryMs`, then asked again.
 */
export class UnknownTenantError extends OAuth2Error {
  static override get kind(): string {
    return 'UnknownTenantError';
  }
  override name = 'UnknownTenantError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'UnknownTenantError';
  }
  /** The tenant asked for (an identifier of yours, never a secret). */
  readonly tenant: string;

  constructor(tenant: string) {
    super('OAUTH2_UNKNOWN_TENANT', `Unknown tenant "${tenant}": tenants.load() returned no credentials for it`);
    this.tenant = tenant;
  }
}

/**
 * Many tenants: the credentials of a tenant could not be loaded: `tenants.load` threw (`reason:
 * 'threw'`, `cause` a plain error with its name and code; its message is not copied, as it may quote a secret), did not settle within the token
 * deadline (`'timeout'`, its signal aborted), or returned credentials of the wrong shape
 * (`'invalid'`, `field` names the field; the value is never shown). No token call is made; the
 * failure is served to the tenant's requests for `tenants.retryMs`, then the loader is asked again.
 */
export class TenantLoadError extends OAuth2Error {
  static override get kind(): string {
    return 'TenantLoadError';
  }
  override name = 'TenantLoadError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'TenantLoadError';
  }
  readonly tenant: string;
  readonly reason: 'threw' | 'timeout' | 'invalid';
  /** With `reason: 'invalid'`: the field of the loader's result at fault, e.g. `clientSecret`. */
  readonly field?: string;

  constructor(
    tenant: string,
    reason: 'threw' | 'timeout' | 'invalid',
    message: string,
    details: { field?: string; cause?: unknown } = {},
  ) {
    super('OAUTH2_TENANT_LOAD_FAILED', message, { cause: details.cause });
    this.tenant = tenant;
    this.reason = reason;
    if (details.field !== undefined) this.field = details.field;
  }
}
