import type { AuthCounters } from './counters';
import type { ClientAssertionOptions } from './client-assertion-check';
import type { DPoPServerOptions } from './dpop';
import type { WorkloadIdentityServerOptions } from './workload-assertion-check';
import type { ServerClient } from './clients';

export type { ServerClient } from './clients';

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
   * Serve https with this key and certificate; `requestCert` asks clients for a certificate (any is
   * accepted at the handshake; the token endpoint and the API decide what it is worth), verified
   * against `ca`. Needed by `mtls`.
   */
  tls?: TlsServerOptions;
  /** Mutual-TLS client authentication and certificate-bound tokens (RFC 8705); needs `tls` with `requestCert`. */
  mtls?: MtlsServerOptions;
  /** Serve the authorization server metadata (RFC 8414 / OpenID Discovery), for clients configured with `issuer`. */
  discovery?: DiscoveryServerOptions;
  /**
   * Accepts client assertions at the token endpoint (`private_key_jwt` with `publicKey`,
   * `client_secret_jwt` with the client secret), verified: signature, `iss`/`sub`, `aud`, `exp`,
   * `jti` replay. A refused assertion gets `invalid_client` (and counts as bad credentials).
   * Default: assertions are refused.
   */
  clientAssertion?: ClientAssertionOptions;
  /**
   * Require DPoP (RFC 9449): token requests and API calls must carry a valid `DPoP` proof, tokens are
   * issued as `token_type: DPoP` bound to the proof's key, and the API wants `Authorization: DPoP`.
   * Nonces are required where asked. @default undefined (bearer only)
   */
  dpop?: DPoPServerOptions;
  /**
   * Accepts tokens of a federated workload issuer (verified against its JWKS: signature, `iss`,
   * `aud`, `exp`, `nbf`, `sub`): as the client's assertion (`client_assertion` whose `iss` is this
   * issuer, with `client_id` = `clientId`; no `jti` replay check, platform tokens are reused) and as
   * the `assertion` of the JWT bearer grant (RFC 7523 §2.1, `invalid_grant` when refused). See
   * `startTokenFile`. @default undefined (refused)
   */
  workloadIdentity?: WorkloadIdentityServerOptions;
  /**
   * More clients besides `clientId` (many tenants), each with its own secret and its own lockout
   * (same `lockoutAfter`/`lockoutSeconds`): its client-credentials token calls authenticate with
   * its id and secret, its tokens name it (`IssuedToken.clientId`), and its API routes are
   * `/v2.01/{its clientId}/…`, where a token issued to another client is refused (401, counted in
   * `wrongClientTokens`). More can be added with `addClient()`. @default [] (one client)
   */
  clients?: readonly ServerClient[];
  /**
   * Serve the token exchange grant (RFC 8693) at the token endpoint: a client-authenticated
   * `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` with a `subject_token` the server
   * accepts gets an access token bound to that subject (`IssuedToken.subject`; the API echoes it as
   * `subject`) and `issued_token_type`; errors per §2.2.2 (`invalid_request`, `invalid_target`).
   * @default undefined (the grant is refused: `unsupported_grant_type`)
   */
  tokenExchange?: TokenExchangeServerOptions;
  /**
   * Public clients (RFC 6749 §2.1, token endpoint authentication method `none`): token calls that
   * name one of these ids with `client_id` in the body and carry no credentials are accepted, for any
   * grant but client credentials (RFC 6749 §4.4: confidential clients only; refused with
   * `invalid_client`). Discovery then lists `none`. @default [] (every call authenticates)
   */
  publicClients?: readonly string[];
}

/** The token exchange grant of the embedded server (see `AuthServerOptions.tokenExchange`). */
export interface TokenExchangeServerOptions {
  /**
   * Which subject tokens are accepted: `'issued'`, the live ones the server issued with
   * `AuthServer.issueSubjectToken` (their subject as named there); `'any'`, any token too (its
   * subject: a JWT's `sub`, else `opaque:` and a hash of the token). @default 'issued'
   */
  subjectTokens?: 'issued' | 'any';
  /** The `audience` values accepted; another gets `invalid_target`. @default any */
  audiences?: readonly string[];
  /** The `resource` values accepted; another gets `invalid_target`. @default any */
  resources?: readonly string[];
}

/** Options of {@link AuthServer.issueSubjectToken}. */
export interface SubjectTokenOptions {
  /** Lifetime in seconds. @default 3600 */
  lifetimeSeconds?: number;
  /** `'jwt'`: an (unsigned) JWT with `sub` and `exp`, so a client reads its expiry; `'opaque'`: random. @default 'opaque' */
  format?: 'opaque' | 'jwt';
}

/** The server's TLS settings (see `AuthServerOptions.tls`). */
export interface TlsServerOptions {
  /** PEM (or DER bytes) of the server's private key. */
  key: string | Uint8Array;
  /** PEM (or DER bytes) of the server's certificate. */
  cert: string | Uint8Array;
  /** CA(s) client certificates are verified against (`tls_client_auth`). */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** Ask clients for a certificate. Default false. */
  requestCert?: boolean;
}

/**
 * Mutual-TLS client authentication (RFC 8705 §2): a token call with `client_id` (the server's
 * `clientId`) in the body, no secret and no Basic header is authenticated by the connection's
 * certificate: one whose `x5t#S256` is in `selfSignedThumbprints` (`self_signed_tls_client_auth`), or
 * one verified against `tls.ca` whose subject is `subjectDn` when set (`tls_client_auth`); else
 * `invalid_client`. Tokens issued so are bound to that certificate (`IssuedToken.boundTo`): the API
 * accepts them only on a connection presenting it (401 otherwise).
 */
export interface MtlsServerOptions {
  /** RFC 4514 subject expected of a CA-issued client certificate (e.g. `CN=client,O=Org,C=FR`). Default: any. */
  subjectDn?: string;
  /** `x5t#S256` thumbprints of the self-signed client certificates accepted. */
  selfSignedThumbprints?: readonly string[];
}

/** What the metadata document says and where it is served (see `AuthServerOptions.discovery`). */
export interface DiscoveryServerOptions {
  /** Path after the origin in the issuer (e.g. `/tenant`). Default `''` (the issuer is the origin). */
  issuerPath?: string;
  /** The `issuer` the document states, to test a mismatch. Default: the real issuer (`AuthServer.issuer`). */
  issuer?: string;
  /** Which well-known locations answer. Default both. */
  serve?: ReadonlyArray<'oauth-authorization-server' | 'openid-configuration'>;
  /** Publish `mtls_endpoint_aliases.token_endpoint` (the token endpoint, also served at `/mtls/v2.01/oauth/token`). */
  mtlsAlias?: boolean;
}

/**
 * A fault replacing (or delaying) the answer to one token call:
 * - `status`: answer with this HTTP status, an optional `Retry-After` value and an optional JSON body;
 * - `reset`: destroy the socket without answering;
 * - `delay`: answer normally after `ms` milliseconds;
 * - `hang`: never answer (the socket is destroyed when the server closes).
 */
export type Fault =
  | {
      type: 'status';
      status: number;
      retryAfter?: string;
      body?: unknown;
      /** Answer after this many ms. */ delayMs?: number;
    }
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
  /** `x5t#S256` of the client certificate the token is bound to (mutual TLS), if any. */
  readonly boundTo?: string;
  /** The client it was issued to (Mangopay tokens): the main `clientId` or one of `clients`. */
  readonly clientId?: string;
  /** Token exchange: the subject the token was issued for. */
  readonly subject?: string;
  /** Token exchange: the subject of the actor token, when one was sent. */
  readonly actor?: string;
  /** Token exchange: the `audience` asked for. */
  readonly audience?: string;
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
  /** `http://127.0.0.1:PORT` (`https://…` with the `tls` option). */
  readonly url: string;
  /** The issuer identifier, with the `discovery` option. */
  readonly issuer?: string;
  /** The metadata paths asked for (with the `discovery` option), oldest first. */
  metadataRequests(): readonly string[];
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `${url}/v2.01/oauth/token`. */
  readonly tokenUrl: string;
  /** `${url}/v2.01/oauth/revoke`: RFC 7009 token revocation (client authenticated as at `tokenUrl`). */
  readonly revocationUrl: string;
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
  /** Many clients: adds a client (or gives a known one a new secret, its lockout kept). Throws RangeError for an empty id or secret. */
  addClient(client: ServerClient): void;
  /** Many clients: removes a client added by `clients` or `addClient()`; its credentials are refused from now on. */
  removeClient(clientId: string): boolean;
  /** Many clients: whether that client (an extra one, or the main one) is locked now. */
  isClientLocked(clientId: string): boolean;
  /** Many clients: one issued access token, by value (undefined if this server did not issue it). */
  issuedToken(token: string): IssuedToken | undefined;
  /** Many clients: revokes one access token; true when it was live. */
  revokeToken(token: string): boolean;
  /**
   * Token exchange (`tokenExchange` option): issues a subject token (a user's token, not valid at the
   * API) naming `subject`, for a client to exchange.
   */
  issueSubjectToken(subject: string, options?: SubjectTokenOptions): string;
  /** Stops listening and destroys every socket (keep-alive and hanging ones included). Idempotent. */
  close(): Promise<void>;
}
