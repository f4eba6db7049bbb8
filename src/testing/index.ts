/**
 * `axios-oauth2-bearer/testing`: an embedded OAuth 2.0 auth server that mimics
 * the Mangopay token endpoint and API (and optionally Musement's `/api/v3`),
 * with fault injection, lockout and exact counters, for tests and demos; optionally over https with
 * mutual-TLS client authentication and certificate-bound tokens, and with a discovery document.
 *
 * @packageDocumentation
 */
export { startAuthServer } from './server';
export type { AuthCounters } from './counters';
export type { EchoBody } from './api-call';
export type { ClientAssertionOptions } from './client-assertion-check';
export type { ServerClient } from './clients';
export { LOCKOUT_DESCRIPTION } from './mangopay-token';
export { SCA_REDIRECT_URL } from './mangopay-api';
export { startTokenFile, type TokenFile, type TokenFileOptions } from './token-file';
export type { WorkloadIdentityServerOptions } from './workload-assertion-check';
export type { Jwk } from './jwk';
export type {
  ApiRequestRecord,
  AuthServer,
  AuthServerOptions,
  DiscoveryServerOptions,
  DPoPServerOptions,
  Fault,
  IssuedToken,
  MtlsServerOptions,
  MusementOptions,
  RandomFaultKind,
  RandomFaultOptions,
  RevokeOptions,
  TlsServerOptions,
  TokenRequestRecord,
  TokenExchangeServerOptions,
  SubjectTokenOptions,
} from './types';
