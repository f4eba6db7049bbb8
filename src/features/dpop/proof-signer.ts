import { createHash, randomUUID, sign, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import type { DPoPKey } from './dpop-key';

const HASHES = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', EdDSA: null } as const;

/** base64url(SHA-256(access token)): the `ath` claim of a proof sent with that token (RFC 9449 §4.2). */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** Payload bytes a proof is encoded in without a new buffer (a proof's payload is about 250 bytes). */
const PROOF_SCRATCH_BYTES = 2048;

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
  /** The payload's JSON as UTF-8, for its base64url (reused: `proof` is synchronous). */
  private readonly payloadBytes = Buffer.allocUnsafe(PROOF_SCRATCH_BYTES);
  /** The signing input (the encoded header, `.`, then each proof's encoded payload), reused likewise. */
  private readonly input: Buffer;

  constructor(
    key: DPoPKey,
    private readonly clock: () => number,
  ) {
    const header = JSON.stringify({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk });
    this.prefix = `${Buffer.from(header, 'utf8').toString('base64url')}.`;
    this.input = Buffer.allocUnsafe(this.prefix.length + Math.ceil((PROOF_SCRATCH_BYTES * 4) / 3));
    this.input.write(this.prefix, 0, 'latin1');
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
    json += '}';
    // Encoded and signed in the two buffers made once, not in new ones per proof; a payload too long
    // for them (a URL of kilobytes) takes new buffers.
    const length = Buffer.byteLength(json, 'utf8');
    if (length > PROOF_SCRATCH_BYTES) {
      const input = this.prefix + Buffer.from(json, 'utf8').toString('base64url');
      return `${input}.${sign(this.hash, Buffer.from(input, 'latin1'), this.key).toString('base64url')}`;
    }
    this.payloadBytes.write(json, 0, 'utf8');
    const payload = this.payloadBytes.toString('base64url', 0, length);
    const end = this.prefix.length + this.input.write(payload, this.prefix.length, 'latin1');
    const signature = sign(this.hash, this.input.subarray(0, end), this.key);
    return `${this.prefix}${payload}.${signature.toString('base64url')}`;
  }
}
