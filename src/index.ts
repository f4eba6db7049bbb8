export { attachOAuth2, type OAuth2Handle, type TokenInfo, type GetTokenOptions } from './attach/attach';
export type { AxiosLike, InterceptorManagerLike } from './attach/axios-like';
export type {
  OAuth2Options,
  GrantOptions,
  ClientAuthentication,
  RetryOptions,
  LockoutOptions,
  RejectionOptions,
  DPoPOptions,
  PrivateKeyObjectLike,
  PrivateJwk,
} from './options/options';
export type {
  OAuth2Hooks,
  TokenEvent,
  ReplayEvent,
  LockoutEvent,
  RejectionStormEvent,
  TokenFailureEvent,
  RequestSkippedEvent,
} from './options/hooks';
export type { OAuth2RequestOptions } from './interceptors/request-options';
export type { RequestTransport } from './interceptors/transport';
export type { TokenStore, StoredToken, StoredLockout, StoredFailure } from './store/token-store';
export { MemoryTokenStore } from './store/memory';
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
  DPoPNonceError,
  type OAuth2ErrorCode,
  type ErrorResponse,
  type OAuth2ErrorOptions,
  type TokenEndpointErrorDetails,
} from './errors';
export { isTokenRejected } from './policy/token-rejection';
export { parseWwwAuthenticate, type Challenge } from './policy/www-authenticate';
export {
  mangopay,
  musement,
  type MangopayPresetOptions,
  type MusementPresetOptions,
  type Preset,
  type Environment,
} from './options/presets';
