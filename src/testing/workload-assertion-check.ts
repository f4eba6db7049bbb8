import type { IncomingMessage } from 'node:http';
import type { Jwk } from './jwk';
import { decodeJsonPart } from '../util/jwt-parts';
import { verifyJws } from './workload-jws';

/**
 * The federated issuer whose tokens the embedded server accepts from workloads (a Kubernetes cluster's
 * service-account issuer, a SPIFFE trust domain, a cloud's identity platform): as the client's
 * assertion (RFC 7523 §2.2, `client_assertion` with `client_id` = the server's client) and as the
 * assertion of the JWT bearer grant (RFC 7523 §2.1).
 */
export interface WorkloadIdentityServerOptions {
  /** The `iss` of accepted tokens (e.g. `https://kubernetes.default.svc.cluster.local`). */
  issuer: string;
  /** The issuer's public keys (its JWKS, e.g. `tokenFile.jwks` of {@link startTokenFile}). */
  jwks: { readonly keys: readonly Jwk[] };
  /** Accepted `aud` values. Default: the token endpoint URL and the server's origin (its issuer), as the client reached them. */
  audience?: readonly string[];
  /** The `sub` required (e.g. `system:serviceaccount:shop:orders`). Default: any. */
  subject?: string;
}

/**
 * Verifies workload tokens for the embedded server: signature with a key of the JWKS (by `kid`, else
 * any key), `iss`, `aud` (a string or an array), `exp` ahead of the server's clock (`Date.now()`),
 * `nbf` not ahead, `sub` when required. Platform tokens are reused until they rotate: no `jti` replay
 * check. Answers a reason for a refusal, never the token.
 */
export class WorkloadAssertionCheck {
  constructor(private readonly options: WorkloadIdentityServerOptions) {}

  /** Whether `assertion` claims to come from the federated issuer (decoded, not verified). */
  claimsIssuer(assertion: string | undefined): boolean {
    return decodeJsonPart((assertion ?? '').split('.')[1] ?? '')?.iss === this.options.issuer;
  }

  /** Undefined when `assertion` is valid, else why it is not. */
  refusal(req: IncomingMessage, assertion: string | undefined, tokenPath: string): string | undefined {
    const parts = (assertion ?? '').split('.');
    const header = decodeJsonPart(parts[0] ?? '');
    const claims = decodeJsonPart(parts[1] ?? '');
    if (parts.length !== 3 || !header || !claims) return 'the assertion is not a JWT';
    const alg = String(header.alg);
    const keys = this.options.jwks.keys.filter((key) => header.kid === undefined || key.kid === header.kid);
    const signature = Buffer.from(parts[2], 'base64url');
    if (!keys.some((key) => verifyJws(alg, `${parts[0]}.${parts[1]}`, signature, key)))
      return `bad signature, unknown kid or unaccepted alg ${alg.slice(0, 10)}`;
    if (claims.iss !== this.options.issuer) return 'iss is not the workload issuer';
    const origin = `${'encrypted' in req.socket ? 'https' : 'http'}://${req.headers.host ?? ''}`;
    const audiences = this.options.audience ?? [`${origin}${tokenPath}`, origin];
    const aud = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
    if (!aud.some((value) => typeof value === 'string' && audiences.includes(value))) return 'aud is not accepted';
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return 'exp missing or past';
    if (typeof claims.nbf === 'number' && claims.nbf > now) return 'nbf is ahead';
    if (this.options.subject !== undefined && claims.sub !== this.options.subject) return 'sub is not accepted';
    return undefined;
  }
}
