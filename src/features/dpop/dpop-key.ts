import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { OAuth2OptionsError } from '../../errors';

/** The JWS algorithms the plugin signs DPoP proofs with, by key type. */
export type DPoPAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

/** The public half of a DPoP key as a JWK (RFC 7517): only the members the proof header needs. */
export interface DPoPPublicJwk {
  kty: 'EC' | 'OKP';
  crv: string;
  x: string;
  y?: string;
}

/**
 * A DPoP key, imported (or generated) once, when `dpop()` is called. The private key is a `KeyObject` kept
 * behind a function, so neither `JSON.stringify` nor `util.inspect` of anything holding this reaches it.
 */
export interface DPoPKey {
  readonly alg: DPoPAlgorithm;
  readonly publicJwk: DPoPPublicJwk;
  /** RFC 7638 JWK thumbprint (base64url SHA-256), the `jkt` a bound token carries in `cnf`. */
  readonly thumbprint: string;
  readonly privateKey: () => KeyObject;
}

const CURVE_ALGORITHMS: Record<string, DPoPAlgorithm> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

function refuse(reason: string): never {
  throw new OAuth2OptionsError('dpop.privateKey', `axios-oauth2-bearer: option "dpop.privateKey" ${reason}`);
}

/** A `KeyObject` from a PEM string, a private `KeyObject` or a private JWK; never echoes the value. */
function importPrivateKey(value: unknown): KeyObject {
  if (value !== null && typeof value === 'object' && (value as KeyObject).type === 'private') {
    return value as KeyObject;
  }
  try {
    if (typeof value === 'string') return createPrivateKey(value);
    if (value !== null && typeof value === 'object' && typeof (value as { kty?: unknown }).kty === 'string') {
      if (typeof (value as { d?: unknown }).d !== 'string') refuse('must be a private JWK (it has no "d")');
      return createPrivateKey({ key: value as JsonWebKey, format: 'jwk' });
    }
  } catch (error) {
    if (error instanceof OAuth2OptionsError) throw error;
    refuse('could not be read as a private key (PEM, KeyObject or private JWK)');
  }
  return refuse('must be a PEM string, a private KeyObject or a private JWK');
}

/** RFC 7638: SHA-256 of the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: DPoPPublicJwk): string {
  const canonical =
    jwk.kty === 'EC'
      ? JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
      : JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

/** The key's public JWK and proof algorithm; other key types are an `OAuth2OptionsError`. */
function describeKey(privateKey: KeyObject): { alg: DPoPAlgorithm; publicJwk: DPoPPublicJwk } {
  const type = privateKey.asymmetricKeyType;
  if (type !== 'ec' && type !== 'ed25519' && type !== 'ed448') {
    refuse(`must be an EC (P-256, P-384, P-521) or Ed25519/Ed448 key, got a ${String(type)} key`);
  }
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (type === 'ec') {
    const alg = CURVE_ALGORITHMS[String(jwk.crv)];
    if (!alg) refuse(`must use the curve P-256, P-384 or P-521, got ${String(jwk.crv)}`);
    return { alg, publicJwk: { kty: 'EC', crv: String(jwk.crv), x: String(jwk.x), y: String(jwk.y) } };
  }
  return { alg: 'EdDSA', publicJwk: { kty: 'OKP', crv: String(jwk.crv), x: String(jwk.x) } };
}

/**
 * A fresh ES256 key for `dpop()`. Generated as PEM, then imported: exporting a JWK from a
 * `generateKeyPairSync` key object can hang Node 20 when a garbage collection hits at that moment.
 */
function generatedKey(): KeyObject {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return createPrivateKey(privateKey);
}

/** The DPoP key: `dpop()` generates one (`generate`), `dpop({ privateKey })` imports the one given. */
export function resolveDPoPKey(privateKeyOption: unknown, generate: boolean): DPoPKey {
  const privateKey = generate ? generatedKey() : importPrivateKey(privateKeyOption);
  const { alg, publicJwk } = describeKey(privateKey);
  return { alg, publicJwk, thumbprint: jwkThumbprint(publicJwk), privateKey: () => privateKey };
}
