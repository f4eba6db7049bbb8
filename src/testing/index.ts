/**
 * `axios-oauth2-bearer/testing`: an embedded OAuth 2.0 auth server that mimics
 * the Mangopay token endpoint and API (and optionally Musement's `/api/v3`),
 * with fault injection, lockout and exact counters, for tests and demos.
 *
 * @packageDocumentation
 */
export { startAuthServer } from './server';
export type { AuthCounters } from './counters';
export type { EchoBody } from './api-call';
export { LOCKOUT_DESCRIPTION } from './mangopay-token';
export { SCA_REDIRECT_URL } from './mangopay-api';
export type {
  ApiRequestRecord,
  AuthServer,
  AuthServerOptions,
  DPoPServerOptions,
  Fault,
  IssuedToken,
  MusementOptions,
  RandomFaultKind,
  RandomFaultOptions,
  RevokeOptions,
  TokenRequestRecord,
} from './types';
