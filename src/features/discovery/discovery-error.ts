import { OAuth2Error, type OAuth2ErrorOptions } from '../../errors';

// Its own module (not errors.ts): the core never creates one; it ships with
// the `axios-oauth2-bearer/discovery` entry.
/**
 * Why discovery (`discover(issuer)`) gave no usable token endpoint:
 * - `issuer_mismatch`: the metadata's `issuer` is not exactly the configured one (code `OAUTH2_ISSUER_MISMATCH`);
 * - `unreachable`: no metadata document could be fetched (network error, time-out, error status,
 *   redirect, body over `maxTokenResponseBytes`, not JSON) at either well-known location;
 * - `invalid_metadata`: the document lacks a usable `token_endpoint` (absent, not absolute, or http
 *   where https is required);
 * - `auth_method_unsupported`: `token_endpoint_auth_methods_supported` does not list `clientAuthentication`.
 */
export type DiscoveryFailureReason = 'issuer_mismatch' | 'unreachable' | 'invalid_metadata' | 'auth_method_unsupported';

/**
 * Discovery of the authorization server's metadata (RFC 8414, then OpenID Connect Discovery) failed:
 * no token request was made. Code `OAUTH2_ISSUER_MISMATCH` when the document names another issuer,
 * else `OAUTH2_DISCOVERY_FAILED`. The next need of a token fetches the metadata again once
 * `retryAt` has passed (a doubling back-off: 1 s, 2 s, … up to 5 minutes); until then this error is
 * served at once.
 */
export class DiscoveryError extends OAuth2Error {
  static override get kind(): string {
    return 'DiscoveryError';
  }
  override name = 'DiscoveryError';
  // @ts-ignore TS2699 is for static fields (this getter is defined with the class); tsup's declaration build does not raise it
  static override get name(): string {
    return 'DiscoveryError';
  }
  /** What went wrong (see {@link DiscoveryFailureReason}). */
  readonly reason: DiscoveryFailureReason;
  /** The configured issuer. */
  readonly issuer: string;
  /** The well-known URLs asked, in order. */
  readonly urls: string[];
  /** HTTP status of the last metadata response, when one was received. */
  readonly status?: number;
  /** When the metadata may be fetched again, in whole epoch milliseconds on the plugin's clock. */
  readonly retryAt: number;

  constructor(
    message: string,
    details: { reason: DiscoveryFailureReason; issuer: string; urls: string[]; status?: number; retryAt: number },
    options?: OAuth2ErrorOptions,
  ) {
    super(
      details.reason === 'issuer_mismatch' ? 'OAUTH2_ISSUER_MISMATCH' : 'OAUTH2_DISCOVERY_FAILED',
      message,
      options,
    );
    this.reason = details.reason;
    this.issuer = details.issuer;
    this.urls = details.urls;
    if (details.status !== undefined) this.status = details.status;
    this.retryAt = details.retryAt;
  }
}
