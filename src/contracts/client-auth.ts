/**
 * The contract every client-authentication method implements (RFC 6749 §2.3, RFC 7523 §2.2,
 * RFC 8705 §2). The core (token requests, revocation, the cache key, discovery, secrets) calls only
 * this shape: the built-in `client_secret_basic` / `client_secret_post` of the simple path
 * (`src/token/client-secret.ts`), and the values made by the factories of
 * `axios-oauth2-bearer/client-auth` (`privateKeyJwt(key)`, `clientSecretJwt(secret)`,
 * `tlsClientAuth()`, `selfSignedTlsClientAuth()`, `clientAssertion(fn)`, `clientAssertionFile(path)`).
 * Adding a method adds a file implementing it, not a branch in the core: an assertion provider
 * (`({ audience, signal }) => string`, e.g. a Kubernetes token file re-read on rotation) is a
 * {@link ClientAuth} whose `credentials` calls it and sends the result as `client_assertion`
 * (`src/features/client-auth/client-assertion-provider.ts`).
 */

/** How the token request is encoded: a form body, a JSON body, or (legacy APIs) a GET with a query string. */
export type TokenRequestFormat = 'form' | 'json' | 'query';

/** What a method may read of an axios instance at attach time: the TLS settings of its transport. */
export interface ClientAuthTransport {
  readonly defaults?: { readonly httpsAgent?: unknown; readonly fetchOptions?: unknown };
}

/** What the core tells a method about the attachment, once, at attach time (see {@link ClientAuth.attach}). */
export interface ClientAuthAttachment {
  readonly clientId: string;
  /**
   * The `grant_type` of the attachment's token requests: `client_credentials`, `password`, or a
   * custom grant's (e.g. `urn:ietf:params:oauth:grant-type:jwt-bearer`). A refresh token the server
   * issues is redeemed with the same client authentication.
   */
  readonly grantType: string;
  readonly tokenRequestFormat: TokenRequestFormat;
  /** The attached instance (its `httpsAgent` presents the client certificate of mutual TLS). */
  readonly instance: ClientAuthTransport;
  /** The `tokenHttpClient` option, when given: it sends the token requests instead of the instance. */
  readonly tokenHttpClient?: ClientAuthTransport;
}

/** What the core gives a method for one request to the authorization server (token or revocation). */
export interface ClientAuthRequest {
  readonly clientId: string;
  /**
   * The audience of a client assertion: the authorization server's issuer identifier when known
   * (configured), else the token endpoint URL (RFC 7523 §3, the 2025 advisory on assertion audiences).
   */
  readonly audience: string;
  /** Now, in epoch ms (the attachment's clock). */
  readonly now: number;
  /** Aborted at the attempt's deadline (`tokenRequestTimeoutMs`) or on `detach()`. */
  readonly signal: AbortSignal;
}

/** What a method adds to one request to the authorization server. */
export interface ClientCredentials {
  /** Body parameters (or query parameters with the `query` format), e.g. `client_id`, `client_assertion`. */
  readonly params?: Readonly<Record<string, string>>;
  /** Headers, e.g. `Authorization: Basic …`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Values made for this request that must never show (a signed assertion): scrubbed like the held {@link ClientAuth.secrets}. */
  readonly secrets?: readonly string[];
}

/**
 * One client-authentication method, as a value. Immutable; holds no per-request state.
 */
export interface ClientAuth {
  /**
   * The method's registered name (RFC 8414 `token_endpoint_auth_methods_supported`), e.g.
   * `private_key_jwt`: checked against a discovered server's list, shown in messages.
   */
  readonly method: string;
  /**
   * Whether the client proves itself with the TLS connection's certificate (RFC 8705): the token
   * requests then go to the metadata's `mtls_endpoint_aliases.token_endpoint` when there is one.
   */
  readonly mutualTls: boolean;
  /**
   * The method's public part of the cache key: its name and public identity only (a certificate's
   * thumbprint), never a secret nor anything derived from one (see `src/token/cache-key.ts`).
   */
  readonly identity: readonly string[];
  /** The secrets it holds (a client secret and its encodings), scrubbed from every error, hook payload and message. */
  readonly secrets: readonly string[];
  /**
   * Checks the method against the attachment, once at attach time, and returns the method as this
   * attachment uses it (itself, or a copy whose `identity` includes e.g. the client certificate's
   * thumbprint). Throws `OAuth2OptionsError` naming the option at fault (a JSON body, no client
   * certificate on the instance…). Absent: nothing to check.
   */
  attach?(attachment: ClientAuthAttachment): ClientAuth;
  /**
   * What one request to the authorization server carries (a token request, each attempt and retry
   * on its own, or a revocation). May be async (an assertion signed or fetched per request) and then
   * must honour `request.signal`.
   */
  credentials(request: ClientAuthRequest): ClientCredentials | Promise<ClientCredentials>;
}

/** Whether `value` has the shape of a {@link ClientAuth} (the check the core makes on the option). */
export function isClientAuth(value: unknown): value is ClientAuth {
  const auth = value as Partial<ClientAuth> | null;
  return (
    typeof auth === 'object' &&
    auth !== null &&
    typeof auth.method === 'string' &&
    typeof auth.mutualTls === 'boolean' &&
    Array.isArray(auth.identity) &&
    Array.isArray(auth.secrets) &&
    typeof auth.credentials === 'function' &&
    (auth.attach === undefined || typeof auth.attach === 'function')
  );
}
