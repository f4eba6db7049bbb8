/** Observability callbacks. Payloads never hold a secret; a hook that throws is ignored. */
export interface OAuth2Hooks {
  /** A token was obtained from the token endpoint. */
  onTokenAcquired?(event: TokenEvent): void;
  /** A token replaced an earlier one (renewal ahead of expiry, or after a rejection). */
  onTokenRenewed?(event: TokenEvent): void;
  /** A request answered "token rejected" was replayed with a new token. */
  onRequestReplayed?(event: ReplayEvent): void;
  /** The token endpoint reported a lockout; no token call until `retryAt`. */
  onLockoutOpened?(event: LockoutEvent): void;
  /** A trial call after a cool-down succeeded. */
  onLockoutClosed?(event: { at: number }): void;
  /** A token request failed (every attempt, retried or not). */
  onTokenEndpointFailure?(event: TokenFailureEvent): void;
  /**
   * The API rejected freshly issued tokens twice in a row (see `OAuth2Options.rejection`): no token
   * request until `retryAt`; requests needing a token fail with `TokenRejectedError` meanwhile.
   */
  onRejectionStormOpened?(event: RejectionStormEvent): void;
  /** A token was accepted by the API again after a rejection cool-down. */
  onRejectionStormClosed?(event: { at: number }): void;
  /**
   * The token store failed (or did not answer within `storeTimeoutMs`); the plugin carried on without
   * it. `failure`: reading or sharing a permanent token-endpoint failure; `subscribe`: listening for other processes' renewals (the
   * plugin then polls).
   */
  onStoreError?(event: {
    operation: 'get' | 'set' | 'delete' | 'lock' | 'lockout' | 'failure' | 'subscribe';
    error: unknown;
  }): void;
  /**
   * A request to an API origin went out without the plugin's bearer because it already carried an
   * `Authorization` header and `authorizationHeader` is `'respect'` (an SDK setting its own header
   * leaves the plugin inert: see `authorizationHeader: 'replace'`), or carried axios's `auth` option
   * (per request or in the instance's `defaults.auth`; axios sends Basic then, whatever the setting:
   * no token is fetched or renewed for it). Not called for `oauth2.skip`, other origins or the token endpoint.
   */
  onRequestSkipped?(event: RequestSkippedEvent): void;
  /**
   * `close()` (with `revokeOnClose()`) could not revoke the token (RFC 7009): the server refused it or could
   * not be reached. `close()` still resolves; the token stays valid until it expires.
   */
  onRevocationFailed?(event: RevocationFailedEvent): void;
}

export interface RevocationFailedEvent {
  /** HTTP status of the answer; absent when the server could not be reached. */
  status?: number;
  /** The RFC 6749 §5.2 `error` code the server answered with, if any (e.g. `unsupported_token_type`). */
  error?: string;
  /** What went wrong, without any secret. */
  message: string;
}

export interface RequestSkippedEvent {
  /** Why the plugin left the request alone. */
  reason: 'caller-authorization';
  /** Upper-case HTTP method. */
  method: string;
  /** The request's path (no origin, no query string, no fragment); never a header value. */
  url: string;
}

export interface TokenEvent {
  /** The `grant_type` that gave the token: a built-in one, or a custom grant's `grantType`. */
  grant: 'client_credentials' | 'password' | 'refresh_token' | (string & {});
  /**
   * Epoch ms when the token expires: from `expires_in`, else the access token's JWT `exp`, else
   * `defaultTokenLifetimeSeconds`. (Undefined only for a token another version of the plugin stored.)
   */
  expiresAt?: number;
  /** Whether a background (soft-window) refresh fetched it. */
  background: boolean;
  /**
   * For a token selected per request, per origin or through the handle (see "Several tokens per
   * attachment"): the scope it was asked for. Absent for the attachment's own token.
   */
  scope?: string;
  /** Likewise, the RFC 8707 resource indicator it was asked for. Absent for the attachment's own token. */
  resource?: string;
  /** Many tenants: the tenant whose token it is (`tenants` option). Absent for the attachment's own token. */
  tenant?: string;
}

export interface ReplayEvent {
  method: string;
  url: string;
  /** Whether a new token had to be fetched (false when a newer token was already cached). */
  fetched: boolean;
}

export interface LockoutEvent {
  retryAt: number;
  retryAfterMs: number;
  consecutive: number;
  error?: string;
  status?: number;
  /** Many tenants: the tenant locked out (`tenants` option). Absent for the attachment's own client. */
  tenant?: string;
}

export interface RejectionStormEvent {
  /** Epoch ms when the cool-down ends and one trial token may be fetched. */
  retryAt: number;
  retryAfterMs: number;
  /** Cool-downs in a row (the delay doubles with each). */
  consecutive: number;
  /** HTTP status of the rejection (401). */
  status?: number;
}

export interface TokenFailureEvent {
  /**
   * `not_sent`: no token request went out because what it needed could not be made: a custom grant's
   * `parameters` failed (`GrantParametersError`) or the client's assertion could not be had
   * (`AssertionSourceError`: an expired or unreadable token file). Reported for a background renewal
   * too, while the current token still serves, so a broken workload token shows before it matters.
   */
  kind: 'permanent' | 'transient' | 'lockout' | 'invalid_response' | 'not_sent';
  error?: string;
  status?: number;
  attempt: number;
  /** Whether another attempt follows. */
  willRetry: boolean;
}

/** Calls a hook, swallowing anything it throws. */
export function emit<K extends keyof OAuth2Hooks>(
  hooks: OAuth2Hooks,
  name: K,
  event: Parameters<NonNullable<OAuth2Hooks[K]>>[0],
): void {
  const hook = hooks[name] as ((e: unknown) => void) | undefined;
  if (!hook) return;
  try {
    const result: unknown = hook.call(hooks, event);
    // An async hook that rejects must not become an unhandled rejection (fatal in Node by default).
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // A broken hook must never break a request.
  }
}

/** Every hook's name, in the order of {@link OAuth2Hooks} (each one checked at attach time, each one a channel). */
export const HOOK_NAMES = Object.keys({
  onTokenAcquired: true,
  onTokenRenewed: true,
  onRequestReplayed: true,
  onLockoutOpened: true,
  onLockoutClosed: true,
  onRejectionStormOpened: true,
  onRejectionStormClosed: true,
  onTokenEndpointFailure: true,
  onStoreError: true,
  onRequestSkipped: true,
  onRevocationFailed: true,
} satisfies Record<keyof OAuth2Hooks, true>) as readonly (keyof OAuth2Hooks)[];
