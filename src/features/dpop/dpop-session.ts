import type {
  ConstrainedHeaders,
  ConstrainedRequest,
  ConstraintSession,
  ConstraintTokenFailure,
} from '../../contracts/sender-constraint';
import { DPoPNonceError, type OAuth2ErrorOptions } from '../../errors';
import { hasHeader, headerValue } from '../../util/headers';
import { requestUrl, type RequestTarget } from '../../util/url';
import { parseWwwAuthenticate } from '../../policy/www-authenticate';
import type { DPoPKey } from './dpop-key';
import { NonceMemory } from './nonce-memory';
import { accessTokenHash, ProofSigner } from './proof-signer';
import { ProofTargets, type ProofTarget } from './proof-target';
import { GuardMemo, guardFetchRedirects, guardProofOnRedirect } from './redirect-guard';

/**
 * The signing half of DPoP for one attachment, loaded on first use (see `DPoPBinding.load`): proofs
 * for token and API requests, the nonces servers gave, and the `ath` of the current token.
 */
export class DPoPSession implements ConstraintSession {
  private readonly signer: ProofSigner;
  private readonly nonces = new NonceMemory();
  /** The `ath` of the last token a proof was made for: one hash per token, not per request. */
  private lastAth?: { token: string; ath: string };
  private readonly targets = new ProofTargets();
  /** The redirect guards made so far, reused by every request (see `GuardMemo`). */
  private readonly guards = new GuardMemo();

  constructor(key: DPoPKey, clock: () => number) {
    this.signer = new ProofSigner(key, clock);
  }

  /** The `DPoP` header of a token request (`method` and `url` as sent): a fresh proof. */
  tokenRequestHeaders(method: string, url: string): Record<string, string> {
    return { DPoP: this.tokenRequestProof(method, url) };
  }

  /** A proof for a token request (`method` and `url` as sent), with the token endpoint's nonce if known. */
  tokenRequestProof(method: string, url: string): string {
    const at = this.targets.of(url);
    const htu = at?.htu ?? url;
    return this.signer.proof({ htm: method.toUpperCase(), htu, nonce: at && this.nonces.get(at.origin) });
  }

  /** Sets a fresh `DPoP` proof for `accessToken` on an API request's headers. */
  signRequest(config: ConstrainedRequest, headers: ConstrainedHeaders, accessToken: string): void {
    const url = requestUrl(config);
    const at = this.targets.of(url);
    const proof = this.proofFor((config.method ?? 'get').toUpperCase(), url, at, accessToken);
    // The first proof of a request (no `DPoP` header in any case): a plain property write, as the core
    // writes `Authorization` (axios normalises every header before sending); a resend replaces its own.
    if (hasHeader(headers, 'dpop')) headers.set('DPoP', proof, true);
    else (headers as unknown as Record<string, string>).DPoP = proof;
    // Never forwarded to another origin along a redirect, like `Authorization`.
    if (at === undefined) return;
    guardProofOnRedirect(config, at.origin, this.guards);
    guardFetchRedirects(config, at.origin, this.guards);
  }

  /** A proof for an API request to `url` carrying `accessToken`: `ath`, and the origin's nonce if known. */
  private proofFor(method: string, url: string, at: ProofTarget | undefined, accessToken: string): string {
    let memo = this.lastAth;
    if (memo?.token !== accessToken) memo = this.lastAth = { token: accessToken, ath: accessTokenHash(accessToken) };
    return this.signer.proof({
      htm: method,
      htu: at?.htu ?? url,
      ath: memo.ath,
      nonce: at && this.nonces.get(at.origin),
    });
  }

  /**
   * Remembers the `DPoP-Nonce` a response carries, for the origin of `from` (a URL, or the request
   * config, resolved only when there is a nonce); returns it (undefined when none).
   */
  noteResponse(from: string | RequestTarget, headers: unknown): string | undefined {
    const nonce = headerValue(headers, 'dpop-nonce');
    if (nonce === undefined) return undefined;
    const at = this.targets.of(typeof from === 'string' ? from : requestUrl(from));
    if (at) this.nonces.set(at.origin, nonce.trim());
    return nonce;
  }

  /** The token endpoint asked for a nonce (RFC 9449 §8): `use_dpop_nonce` with a `DPoP-Nonce` header to retry with. */
  isTokenEndpointChallenge(failure: ConstraintTokenFailure): boolean {
    return failure.error === 'use_dpop_nonce' && failure.headers?.['dpop-nonce'] !== undefined;
  }

  /**
   * A {@link DPoPNonceError}: for the token endpoint, when its final failure is `use_dpop_nonce` (the
   * one resend with the nonce was made); for the API, always (the core asks after a second challenge).
   */
  challengeError(
    source: 'token_endpoint' | 'api',
    failure: ConstraintTokenFailure,
    options: OAuth2ErrorOptions,
  ): DPoPNonceError | undefined {
    if (source === 'token_endpoint' && failure.error !== 'use_dpop_nonce') return undefined;
    return new DPoPNonceError(source, failure.status, options);
  }

  /** Whether an API response is a resource server's nonce challenge: 401 `DPoP error="use_dpop_nonce"`. */
  isApiChallenge(status: number | undefined, headers: unknown): boolean {
    if (status !== 401) return false;
    const header = headerValue(headers, 'www-authenticate');
    if (header === undefined || !/use_dpop_nonce/i.test(header)) return false;
    return parseWwwAuthenticate(header).some((c) => c.scheme === 'dpop' && c.params.error === 'use_dpop_nonce');
  }
}
