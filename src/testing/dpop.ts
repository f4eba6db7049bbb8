import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { header } from './http-utils';

/** `dpop` option of the embedded server: require DPoP (RFC 9449) proofs, and nonces where asked. */
export interface DPoPServerOptions {
  /** The token endpoint answers `400 use_dpop_nonce` + `DPoP-Nonce` until a proof carries its nonce. @default false */
  requireNonceAtTokenEndpoint?: boolean;
  /** The API answers `401 WWW-Authenticate: DPoP error="use_dpop_nonce"` + `DPoP-Nonce` likewise. @default false */
  requireNonceAtApi?: boolean;
}

/** The outcome of checking one request's proof: the key thumbprint, or what to answer. */
export type DPoPCheck = { ok: true; jkt: string } | { ok: false; nonce: boolean; reason: string };

const ALGORITHMS: Record<string, string | null> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', EdDSA: null };
/** Proofs older (or further in the future) than this are refused. */
const MAX_AGE_SECONDS = 300;
/** jtis remembered to refuse a replayed proof (the oldest are forgotten first). */
const MAX_JTIS = 10_000;

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function thumbprint(jwk: Record<string, unknown>): string {
  const members = jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x'];
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The embedded server's DPoP side: verifies proofs (signature, `typ`, public `jwk`, `htm`, `htu`,
 * `iat`, a `jti` never seen, `ath`, the nonce when required), keeps the nonces it hands out, and
 * which key each token is bound to.
 */
export class DPoPGate {
  tokenNonce: string;
  apiNonce: string;
  private readonly jtis = new Set<string>();
  private readonly bindings = new Map<string, string>();

  constructor(readonly options: DPoPServerOptions) {
    this.tokenNonce = randomBytes(12).toString('base64url');
    this.apiNonce = randomBytes(12).toString('base64url');
  }

  /** New nonces at the token endpoint and the API (the old ones are refused from now on). */
  rotateNonces(): void {
    this.tokenNonce = randomBytes(12).toString('base64url');
    this.apiNonce = randomBytes(12).toString('base64url');
  }

  /** Records that `token` is bound to the key `jkt`. */
  bind(token: string, jkt: string): void {
    this.bindings.set(token, jkt);
  }

  /** The key thumbprint `token` is bound to, if it was issued as a DPoP token. */
  boundKey(token: string): string | undefined {
    return this.bindings.get(token);
  }

  /** Checks the `DPoP` header of a request to `htu` (`accessToken`: the API's token, for `ath`). */
  check(
    req: IncomingMessage,
    htu: string,
    accessToken: string | undefined,
    requireNonce: boolean,
    nonce: string,
  ): DPoPCheck {
    const fail = (reason: string, isNonce = false): DPoPCheck => ({ ok: false, nonce: isNonce, reason });
    const proof = header(req, 'dpop');
    const parts = proof?.split('.') ?? [];
    if (parts.length !== 3) return fail('no DPoP proof');
    const [head, body] = [decode(parts[0]), decode(parts[1])];
    const jwk = head?.jwk as Record<string, unknown> | undefined;
    const alg = typeof head?.alg === 'string' ? head.alg : '';
    if (!head || !body || head.typ !== 'dpop+jwt' || !jwk || 'd' in jwk || !(alg in ALGORITHMS))
      return fail('malformed proof header');
    let valid = false;
    try {
      const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      const options = alg === 'EdDSA' ? key : { key, dsaEncoding: 'ieee-p1363' as const };
      valid = verify(
        ALGORITHMS[alg],
        Buffer.from(`${parts[0]}.${parts[1]}`),
        options,
        Buffer.from(parts[2], 'base64url'),
      );
    } catch {
      // A JWK node:crypto cannot import: not a valid proof.
    }
    if (!valid) return fail('bad signature');
    if (body.htm !== (req.method ?? 'GET') || body.htu !== htu) return fail('htm or htu mismatch');
    const iat = typeof body.iat === 'number' ? body.iat : NaN;
    if (!(Math.abs(Date.now() / 1000 - iat) <= MAX_AGE_SECONDS)) return fail('iat out of range');
    if (typeof body.jti !== 'string' || this.jtis.has(body.jti)) return fail('jti missing or replayed');
    if (accessToken !== undefined && body.ath !== createHash('sha256').update(accessToken).digest('base64url'))
      return fail('ath mismatch');
    this.jtis.add(body.jti);
    if (this.jtis.size > MAX_JTIS) this.jtis.delete(this.jtis.values().next().value as string);
    if (requireNonce && body.nonce !== nonce) return fail('nonce required', true);
    return { ok: true, jkt: thumbprint(jwk) };
  }

  /** The `htu` of a request as this server sees it (its Host header, the path without query). */
  static htuOf(req: IncomingMessage, path: string): string {
    return `http://${header(req, 'host') ?? '127.0.0.1'}${path}`;
  }
}
