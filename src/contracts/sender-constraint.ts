import type { OAuth2Error, OAuth2ErrorOptions } from '../errors';
import type { RequestTarget } from '../util/url';

/**
 * What the core tells a sender constraint about the attachment it is given to (at attach time).
 */
export interface ConstraintAttachment {
  /** Whether the attachment has a `store` option: its tokens may be shared with other processes. */
  readonly sharedStore: boolean;
  /** The attachment's clock (epoch milliseconds), for the time claims of proofs. */
  readonly clock: () => number;
}

/** An API request as the constraint sees it when it signs: its target and what redirects it follows. */
export type ConstrainedRequest = RequestTarget & {
  method?: string;
  beforeRedirect?: unknown;
  maxRedirects?: number;
  fetchOptions?: unknown;
  env?: unknown;
};

/** The headers of an outgoing API request (axios's `AxiosHeaders` of any axios copy), as the constraint writes them. */
export interface ConstrainedHeaders {
  set(name: string, value: string, rewrite?: boolean): unknown;
}

/** A failure answer of the token endpoint, as the constraint sees it (headers lower-cased, scrubbed). */
export interface ConstraintTokenFailure {
  readonly status?: number;
  readonly error?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The working half of a constraint for one attachment, loaded by {@link BoundSenderConstraint.load}
 * (its code, the signing code of DPoP say, is loaded then, not at import).
 */
export interface ConstraintSession {
  /**
   * Headers for one token request (`method` and `url` as sent), made anew for every request sent (a
   * DPoP proof with a fresh `jti` and the endpoint's last nonce). They are secrets of the attempt.
   */
  tokenRequestHeaders(method: string, url: string): Record<string, string>;
  /**
   * Makes an API request carrying `accessToken` (a token of this constraint) fit to send: sets its
   * proof header(s) on `headers`, and keeps them from another origin along a redirect.
   */
  signRequest(config: ConstrainedRequest, headers: ConstrainedHeaders, accessToken: string): void;
  /** Notes what a response (of the API or the token endpoint at `from`) says for later proofs (a `DPoP-Nonce`). */
  noteResponse(from: string | RequestTarget, headers: unknown): void;
  /** Whether a token endpoint failure is a challenge to answer by sending the request once more. */
  isTokenEndpointChallenge(failure: ConstraintTokenFailure): boolean;
  /** Whether an API response is a challenge to answer by sending the request once more (same token). */
  isApiChallenge(status: number | undefined, headers: unknown): boolean;
  /**
   * The error a challenge repeated right after its one resend becomes, or undefined when `failure`
   * is not such a challenge (`'token_endpoint'`: a final token endpoint failure; `'api'`: a second
   * API challenge for the same request, `failure` then being its status and headers).
   */
  challengeError(
    source: 'token_endpoint' | 'api',
    failure: ConstraintTokenFailure,
    options: OAuth2ErrorOptions,
  ): OAuth2Error | undefined;
}

/** A constraint given to one attachment: its session, loaded once, on first use. */
export interface BoundSenderConstraint {
  /** The constraint this binds. */
  readonly constraint: SenderConstraint;
  /** The loaded session; undefined until {@link load} resolved (requests then wait for it). */
  readonly session?: ConstraintSession;
  /** Loads the session (once; a failed load is tried again on the next need). */
  load(): Promise<ConstraintSession>;
}

/**
 * A sender constraint (the `senderConstraint` option): tokens bound to something the client holds,
 * so that a stolen token is useless alone. The core calls it through this interface only, and never
 * imports an implementation: `dpop()` from `axios-oauth2-bearer/dpop` (RFC 9449) is one.
 *
 * What the core does with it: token requests carry {@link ConstraintSession.tokenRequestHeaders};
 * a token whose `token_type` is one of {@link tokenTypes} is sent as `Authorization: <scheme> …`
 * with {@link ConstraintSession.signRequest} applied; every response is shown to
 * {@link ConstraintSession.noteResponse}; a challenge (token endpoint or API) is answered by one
 * resend, a second one becomes {@link ConstraintSession.challengeError}; {@link cacheKeyPart} splits
 * the token cache (a bound token is of no use to a client holding another key).
 *
 * Certificate-bound tokens (RFC 8705 §3) fit the same shape: `tokenTypes: ['bearer']`, `scheme:
 * 'Bearer'`, `cacheKeyPart: ['x5t#S256', thumbprint]`, a `check` that the instance's agent holds the
 * certificate, no token request headers, a `signRequest` that checks the request goes out with that
 * agent, and no challenges.
 */
export interface SenderConstraint {
  /** A short name for messages, e.g. `'DPoP'`. */
  readonly name: string;
  /** The `token_type` values (lower case) of tokens bound by this constraint: what `acceptTokenTypes` defaults to. */
  readonly tokenTypes: readonly string[];
  /** The `Authorization` scheme bound tokens are sent with (`DPoP`). */
  readonly scheme: string;
  /** Its part of the cache key: public only (a key's RFC 7638 thumbprint, a certificate's `x5t#S256`). */
  readonly cacheKeyPart: readonly [string, string];
  /**
   * Refuses an attachment it cannot serve with an `OAuth2OptionsError` naming `senderConstraint`
   * (e.g. a key generated per process with a shared `store`).
   */
  check?(attachment: ConstraintAttachment): void;
  /** Its state for one attachment (nonces, memos); nothing is loaded or signed yet. */
  bind(attachment: ConstraintAttachment): BoundSenderConstraint;
}
