import { createHash, randomUUID, sign, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import type { DPoPKey } from './dpop-key';

const HASHES = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', EdDSA: null } as const;

/** base64url(SHA-256(access token)): the `ath` claim of a proof sent with that token (RFC 9449 §4.2). */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** What one proof says besides the fresh `jti` and `iat`. */
export interface ProofClaims {
  htm: string;
  htu: string;
  ath?: string;
  nonce?: string;
}

/**
 * Signs DPoP proofs (RFC 9449 §4.2) with one key: the header (`typ: dpop+jwt`, `alg`, the public
 * `jwk`) is encoded once, so a proof costs one signature plus a small JSON payload.
 */
export class ProofSigner {
  private readonly prefix: string;
  private readonly hash: string | null;
  private readonly key: KeyObject | SignKeyObjectInput;

  constructor(
    key: DPoPKey,
    private readonly clock: () => number,
  ) {
    const header = JSON.stringify({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk });
    this.prefix = `${Buffer.from(header, 'utf8').toString('base64url')}.`;
    this.hash = HASHES[key.alg];
    // JWS wants the raw r||s form of ECDSA signatures, not DER.
    this.key = key.alg === 'EdDSA' ? key.privateKey() : { key: key.privateKey(), dsaEncoding: 'ieee-p1363' };
  }

  /** A new proof: a unique `jti` and the current `iat` every time, so no two proofs are alike. */
  proof(claims: ProofClaims): string {
    // The payload is written as JSON text directly (no object, one string): `jti` (a UUID), `htm`,
    // `iat` and `ath` (base64url) need no escaping; `htu` and `nonce` are escaped by JSON.stringify.
    let json = `{"jti":"${randomUUID()}","htm":${JSON.stringify(claims.htm)},"htu":${JSON.stringify(claims.htu)},"iat":${Math.floor(this.clock() / 1000)}`;
    if (claims.ath !== undefined) json += `,"ath":"${claims.ath}"`;
    if (claims.nonce !== undefined) json += `,"nonce":${JSON.stringify(claims.nonce)}`;
    const input = this.prefix + Buffer.from(`${json}}`, 'utf8').toString('base64url');
    const signature = sign(this.hash, Buffer.from(input, 'latin1'), this.key);
    return `${input}.${signature.toString('base64url')}`;
  }
}
