import type { ExchangeResult } from '../token/endpoint-exchange';
import type { AttemptExtras } from '../token/token-request';
import type { ResolvedOptions } from '../options/validate-options';
import type { DPoPSession } from './dpop-session';

/** What DPoP adds to one token request: its proof (made for the endpoint's URL) and the nonce reader. */
type ProofExtras = Required<Pick<AttemptExtras, 'headersFor' | 'onHeaders'>>;

/** The token endpoint asked for a nonce (RFC 9449 §8): `use_dpop_nonce` with a `DPoP-Nonce` header to retry with. */
function asksForNonce(result: ExchangeResult): boolean {
  return (
    result.kind === 'failure' &&
    result.failure.error === 'use_dpop_nonce' &&
    result.failure.headers?.['dpop-nonce'] !== undefined
  );
}

/**
 * One token request with DPoP: a fresh proof (new `jti`, the token endpoint's last nonce), the
 * response's `DPoP-Nonce` remembered, and a nonce challenge asked once more with the new nonce and a
 * new proof. That retry is part of the exchange: the grant runner sees only its outcome, so it is
 * neither a retry, a lockout step nor a cached failure. A second challenge is returned as the
 * failure it is (the runner makes it a `DPoPNonceError`).
 */
export async function dpopExchange(
  session: DPoPSession,
  options: Pick<ResolvedOptions, 'tokenRequestFormat'>,
  send: (extras: ProofExtras) => Promise<ExchangeResult>,
): Promise<ExchangeResult> {
  const method = options.tokenRequestFormat === 'query' ? 'GET' : 'POST';
  const extras: ProofExtras = {
    // Made when sent, so every attempt has its own proof (new jti, the latest nonce).
    headersFor: (url) => ({ DPoP: session.tokenRequestProof(method, url) }),
    onHeaders: (url, headers) => session.noteNonce(url, headers),
  };
  const attempt = () => send(extras);
  const first = await attempt();
  return asksForNonce(first) ? attempt() : first;
}
