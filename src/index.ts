export {
  attachOAuth2,
  type OAuth2Handle,
  type TokenInfo,
  type GetTokenOptions,
  type TokenSelector,
  type SubjectSelector,
} from './attach/attach';
export type { AxiosLike, InterceptorManagerLike } from './attach/axios-like';
export type {
  OAuth2Options,
  GrantOptions,
  CustomGrantOptions,
  GrantParametersContext,
  PrivateJwk,
  KeyObjectLike,
  ClientAuthentication,
  ApiOrigin,
  RetryOptions,
  LockoutOptions,
  RejectionOptions,
} from './options/options';
export type { ClientAuth, ClientAuthRequest, ClientCredentials, TokenRequestFormat } from './contracts/client-auth';
export type {
  SenderConstraint,
  BoundSenderConstraint,
  ConstraintSession,
  ConstraintAttachment,
  ConstrainedRequest,
  ConstrainedHeaders,
  ConstraintTokenFailure,
} from './contracts/sender-constraint';
export type {
  OAuth2Hooks,
  TokenEvent,
  ReplayEvent,
  LockoutEvent,
  RejectionStormEvent,
  TokenFailureEvent,
  RequestSkippedEvent,
  RevocationFailedEvent,
} from './events/hooks';
export type { CloseOptions } from './attach/close';
export type { EndpointSource, ResolvedEndpoint } from './contracts/endpoint';
export type { Extension } from './contracts/extension';
export type { OAuth2RequestOptions } from './http/request-options';
export type { RequestTransport } from './http/transport';
export type { TokenStore, StoredToken, StoredLockout, StoredFailure } from './store/token-store';
export { MemoryTokenStore, type MemoryTokenStoreOptions } from './store/memory';
export {
  OAuth2Error,
  OAuth2OptionsError,
  OAuth2RequestOptionsError,
  TokenEndpointError,
  AccountLockedError,
  InvalidTokenResponseError,
  ReplayNotPossibleError,
  TokenRejectedError,
  DetachedError,
  StoreTimeoutError,
  GrantParametersError,
  DPoPNonceError,
  AssertionSourceError,
  type AssertionSourceReason,
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
// Many tenants:
export type { TenantSelector } from './attach/attach';
export type { TenantCredentials, TenantLoadContext, TenantsOptions } from './options/tenant-types';
export { UnknownTenantError, TenantLoadError } from './errors';
