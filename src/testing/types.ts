import type { AuthCounters } from './counters';
import type { DPoPServerOptions } from './dpop';

export type { DPoPServerOptions } from './dpop';

/** Options of the Musement-like routes (`/api/v3/…`). */
export interface MusementOptions {
  /** Required value of the `X-Musement-Application` header on every Musement call. */
  application: string;
  /** Username accepted by the `password` grant. Default `'test-user'`. */
  username?: string;
  /** Password accepted by the `password` grant. Default `'test-password'`. */
  password?: string;
}

/** Options of {@link startAuthServer}. Every field is optional. */
export interface AuthServerOptions {
  /** OAuth client id (the Mangopay ClientId). Default `'test-client'`. */
  clientId?: string;
  /** OAuth client secret (the Mangopay API key). Default `'test-secret'`. */
  clientSecret?: string;
  /** `expires_in` of newly issued access tokens, in seconds. Default 1200. */
  tokenLifetimeSeconds?: number;
  /** Consecutive bad credential attempts that lock the account. Default 5. */
  lockoutAfter?: number;
  /** How long a lockout lasts, in wall-clock seconds. Default 60. */
  lockoutSeconds?: number;
  /** When set, lockout answers carry `Retry-After: <value>`. */
  lockoutRetryAfterSeconds?: number;
  /**
   * Which HTTP Basic encodings of the credentials are accepted: `'any'` (default),
   * `'strict'` (RFC 6749 §2.3.1 form-urlencoding only) or `'raw'` (no encoding only).
   */
  basicEncoding?: 'any' | 'strict' | 'raw';
  /** Enables the Musement-like routes under `/api/v3`. */
  musement?: MusementOptions;
  /**
   * Require DPoP (RFC 9449): token requests and API calls must carry a valid `DPoP` proof, tokens are
   * issued as `token_type: DPoP` bound to the proof's key, and the API wants `Authorization: DPoP`.
   * Nonces are required where asked. @default undefined (bearer only)
   */
  dpop?: DPoPServerOptions;
}

/**
 * A fault replacing (or delaying) the answer to one token call:
 * - `status`: answer with this HTTP status, an optional `Retry-After` value and an optional JSON body;
 * - `reset`: destroy the socket without answering;
 * - `delay`: answer normally after `ms` milliseconds;
 * - `hang`: never answer (the socket is destroyed when the server closes).
 */
export type Fault =
  | { type: 'status'; status: number; retryAfter?: string; body?: unknown }
  | { type: 'reset' }
  | { type: 'delay'; ms: number }
  | { type: 'hang' };

/** Kinds of faults the random fault generator can pick. */
export type RandomFaultKind = '503' | '500' | '429' | 'reset' | 'delay' | 'hang';

/** Settings of the random token faults used by soak runs. */
export interface RandomFaultOptions {
  /** Probability (0..1) that a token call gets a fault. */
  probability: number;
  /** Fault kinds to choose from, uniformly. */
  kinds: readonly RandomFaultKind[];
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Delay of the `delay` kind, in milliseconds. Default 50. */
  delayMs?: number;
}

/** Options of {@link AuthServer.revokeAllTokens}. */
export interface RevokeOptions {
  /** Also invalidate every Musement refresh token. Default false. */
  refreshTokens?: boolean;
}

/** A read-only snapshot of one issued access token. */
export interface IssuedToken {
  readonly token: string;
  /** Which endpoint issued it; a token is only valid on the routes of its kind. */
  readonly kind: 'mangopay' | 'musement';
  readonly grantType: string;
  readonly scope?: string;
  /** Epoch milliseconds. */
  readonly issuedAt: number;
  /** Epoch milliseconds; the token is valid while `Date.now() < expiresAt`. */
  readonly expiresAt: number;
  readonly revoked: boolean;
  /** The refresh token issued with it (Musement only). */
  readonly refreshToken?: string;
}

/** A record of one token call, as received. */
export interface TokenRequestRecord {
  /** Epoch milliseconds of arrival. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly contentType?: string;
  /** The raw request body (empty when a fault answered before it was read). */
  readonly body: string;
}

/** A record of one API call, as answered. */
export interface ApiRequestRecord {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly idempotencyKey?: string;
  readonly status: number;
}

/** A running embedded auth server. */
export interface AuthServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `${url}/v2.01/oauth/token`. */
  readonly tokenUrl: string;
  /** `${url}/v2.01/${clientId}`. */
  readonly apiBaseUrl: string;
  /** `${url}/V3.0/${clientId}`. */
  readonly apiV3BaseUrl: string;
  /** `${url}/api/v3` (the routes answer 404 unless the `musement` option was given). */
  readonly musementBaseUrl: string;
  /** Live counters, see {@link AuthCounters}. */
  readonly counters: AuthCounters;
  /** Zeroes every counter and clears the request logs. */
  resetCounters(): void;
  /** Changes the lifetime of tokens issued from now on (already issued tokens keep theirs). */
  setTokenLifetime(seconds: number): void;
  /** Invalidates every issued access token (and refresh token, if asked). */
  revokeAllTokens(options?: RevokeOptions): void;
  /** Queues faults, consumed one per token call, in order, before any random fault. */
  injectTokenFaults(faults: readonly Fault[]): void;
  /** Number of queued faults not consumed yet. */
  pendingTokenFaults(): number;
  /** Drops every queued fault. */
  clearTokenFaults(): void;
  /** Enables (or, with `null`, disables) random token faults. */
  setRandomTokenFaults(options: RandomFaultOptions | null): void;
  /** Snapshots of every issued access token, oldest first. */
  issuedTokens(): readonly IssuedToken[];
  /** The last 1000 token calls, oldest first. */
  tokenRequests(): readonly TokenRequestRecord[];
  /** The last 1000 API calls, oldest first. */
  apiRequests(): readonly ApiRequestRecord[];
  /** Whether the account is currently locked. */
  isLocked(): boolean;
  /** Ends any lockout and forgets past bad attempts. */
  unlock(): void;
  /** DPoP servers (`dpop` option): new nonces at the token endpoint and the API; the old ones are refused. */
  rotateDPoPNonces(): void;
  /** Stops listening and destroys every socket (keep-alive and hanging ones included). Idempotent. */
  close(): Promise<void>;
}
