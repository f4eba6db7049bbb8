import type { ExchangeResult } from '../token/endpoint-exchange';
import type { ResolvedOptions } from '../options/validate-options';
import type { DPoPSession } from './dpop-session';

/** What a token request carries besides the grant: extra headers, and who reads the response's headers. */
export interface TokenRequestExtras {
  headers?: Record<string, string>;
  onHeaders?: (headers: unknown) => void;
}

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
  options: Pick<ResolvedOptions, 'tokenUrl' | 'clientAuthentication'>,
  send: (extras: TokenRequestExtras) => Promise<ExchangeResult>,
): Promise<ExchangeResult> {
  const method = options.clientAuthentication === 'query' ? 'GET' : 'POST';
  const onHeaders = (headers: unknown) => {
    session.noteNonce(options.tokenUrl, headers);
  };
  const attempt = () => send({ headers: { DPoP: session.tokenRequestProof(method, options.tokenUrl) }, onHeaders });
  const first = await attempt();
  return asksForNonce(first) ? attempt() : first;
}
