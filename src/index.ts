export { attachOAuth2, type OAuth2Handle, type TokenInfo, type GetTokenOptions } from './attach';
export type { AxiosLike, InterceptorManagerLike } from './axios-like';
export type {
  OAuth2Options,
  GrantOptions,
  ClientAuthentication,
  RetryOptions,
  LockoutOptions,
  RejectionOptions,
} from './options';
export type {
  OAuth2Hooks,
  TokenEvent,
  ReplayEvent,
  LockoutEvent,
  RejectionStormEvent,
  TokenFailureEvent,
  RequestSkippedEvent,
} from './hooks';
export type { OAuth2RequestOptions } from './request-options';
export type { RequestTransport } from './transport';
export type { TokenStore, StoredToken, StoredLockout, StoredFailure } from './stores/token-store';
export { MemoryTokenStore } from './stores/memory';
export {
  OAuth2Error,
  OAuth2OptionsError,
  TokenEndpointError,
  AccountLockedError,
  InvalidTokenResponseError,
  ReplayNotPossibleError,
  TokenRejectedError,
  DetachedError,
  StoreTimeoutError,
  type OAuth2ErrorCode,
  type ErrorResponse,
  type OAuth2ErrorOptions,
  type TokenEndpointErrorDetails,
} from './errors';
export { isTokenRejected } from './token-rejection';
export { parseWwwAuthenticate, type Challenge } from './www-authenticate';
export { parseRetryAfter, retryDelayMs, lockoutDelayMs } from './backoff';
export { freshness, tokenWindows, MIN_TOKEN_USE_MS, type Freshness, type TokenWindows } from './token';
export { basicAuthorization, formEncode } from './token-request';
export {
  mangopay,
  musement,
  type MangopayPresetOptions,
  type MusementPresetOptions,
  type Preset,
  type Environment,
} from './presets';
