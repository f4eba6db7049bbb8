import {
  constants,
  createHmac,
  createPublicKey,
  KeyObject,
  timingSafeEqual,
  verify,
  type JsonWebKey,
} from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** `client_assertion_type` of RFC 7523 §2.2. */
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Options of the embedded server's client-assertion check (`private_key_jwt`, `client_secret_jwt`). */
export interface ClientAssertionOptions {
  /**
   * Accept `private_key_jwt` assertions signed by the matching private key: a PEM public key (or
   * certificate), a `KeyObject` of `node:crypto` (public, or the private one), or a public JWK.
   * RS*, PS*, ES256/384/512 and EdDSA.
   */
  publicKey?: string | { readonly type: string } | Record<string, unknown>;
  /** Accept `client_secret_jwt` assertions (HS256/384/512 with `clientSecret`). Default: true without `publicKey`. */
  secretJwt?: boolean;
  /** Accepted `aud` values. Default: the token endpoint URL and the server's origin (its issuer), as the client reached them. */
  audience?: readonly string[];
  /** Longest accepted `exp - iat`, in seconds. Default 300. */
  maxLifetimeSeconds?: number;
}

const b64json = (part: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/**
 * Verifies client assertions (RFC 7523 §3) for the embedded server: signature with the configured
 * public key or the client secret, `iss` = `sub` = the client id, `aud`, `exp` in the future and not
 * too far, and a `jti` not seen before (replay). Answers a reason for a refusal, never the assertion.
 */
export class ClientAssertionCheck {
  private readonly publicKey?: KeyObject;
  private readonly secretJwt: boolean;
  /** jti → exp (epoch seconds) of the assertions seen, for replay detection. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly options: ClientAssertionOptions,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {
    // Typed structurally in the options (no @types/node needed by users): a KeyObject, a PEM or a JWK.
    const key = options.publicKey;
    if (key instanceof KeyObject) this.publicKey = key.type === 'private' ? createPublicKey(key) : key;
    else if (typeof key === 'string') this.publicKey = createPublicKey(key);
    else if (key !== undefined) this.publicKey = createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
    this.secretJwt = options.secretJwt ?? key === undefined;
  }

  /** Whether this request authenticates with an assertion (so it is checked here). */
  static applies(form: Record<string, string>): boolean {
    return form.client_assertion !== undefined || form.client_assertion_type !== undefined;
  }

  /** The `token_endpoint_auth_methods_supported` this check adds: `private_key_jwt`, `client_secret_jwt`. */
  get methods(): string[] {
    return [...(this.publicKey ? ['private_key_jwt'] : []), ...(this.secretJwt ? ['client_secret_jwt'] : [])];
  }

  /** Undefined when the assertion is valid, else why it is not. */
  refusal(req: IncomingMessage, form: Record<string, string>, tokenPath: string): string | undefined {
    if (form.client_assertion_type !== JWT_BEARER) return 'client_assertion_type must be jwt-bearer';
    if (form.client_secret !== undefined) return 'a client_secret must not come with an assertion';
    const parts = (form.client_assertion ?? '').split('.');
    const header = b64json(parts[0] ?? '');
    const claims = b64json(parts[1] ?? '');
    if (parts.length !== 3 || !header || !claims) return 'the assertion is not a JWT';
    if (!this.signatureValid(String(header.alg), `${parts[0]}.${parts[1]}`, Buffer.from(parts[2], 'base64url')))
      return `bad signature or unaccepted alg ${String(header.alg).slice(0, 10)}`;
    if (claims.iss !== this.clientId || claims.sub !== this.clientId) return 'iss and sub must be the client id';
    if (form.client_id !== undefined && form.client_id !== this.clientId) return 'client_id does not match';
    const origin = `http://${req.headers.host ?? ''}`;
    const audiences = this.options.audience ?? [`${origin}${tokenPath}`, origin];
    if (typeof claims.aud !== 'string' || !audiences.includes(claims.aud)) return 'aud is not accepted';
    const now = Math.floor(Date.now() / 1000);
    const { exp, iat, jti } = claims;
    if (typeof exp !== 'number' || exp <= now) return 'exp missing or past';
    const from = typeof iat === 'number' ? iat : now;
    if (exp - from > (this.options.maxLifetimeSeconds ?? 300)) return 'the assertion lives too long';
    if (typeof jti !== 'string' || jti === '') return 'jti missing';
    for (const [id, until] of this.seen) if (until < now) this.seen.delete(id);
    if (this.seen.has(jti)) return 'jti replayed';
    this.seen.set(jti, exp);
    return undefined;
  }

  private signatureValid(alg: string, input: string, signature: Buffer): boolean {
    const data = Buffer.from(input, 'ascii');
    const hash = HASH[alg.slice(2)];
    if (alg.startsWith('HS') && hash) {
      if (!this.secretJwt) return false;
      const expected = createHmac(hash, this.clientSecret).update(data).digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    }
    const key = this.publicKey;
    if (!key) return false;
    try {
      if (alg === 'EdDSA') return verify(null, data, key, signature);
      if (!hash) return false;
      if (alg.startsWith('ES')) return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      if (alg.startsWith('PS')) {
        const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
        return verify(hash, data, pss, signature);
      }
      return alg.startsWith('RS') && verify(hash, data, key, signature);
    } catch {
      return false;
    }
  }
}
