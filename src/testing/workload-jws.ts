import { constants, createPrivateKey, createPublicKey, KeyObject, sign, verify, type JsonWebKey } from 'node:crypto';

/** The asymmetric JWS algorithms of a workload token (RFC 7518 §3). */
export type WorkloadJwtAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
const EC_ALG: Record<string, WorkloadJwtAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** A private key as a `KeyObject` (a `KeyObject`, a PEM string or a private JWK). */
export function privateKeyOf(key: unknown): KeyObject {
  if (key instanceof KeyObject) return key;
  if (typeof key === 'string') return createPrivateKey(key);
  return createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
}

/** The default algorithm of a key: RS256 (RSA), ES256/384/512 (by curve), EdDSA (Ed25519). */
export function algorithmOf(key: KeyObject): WorkloadJwtAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'rsa-pss') return 'PS256';
  if (type === 'ed25519') return 'EdDSA';
  const alg = EC_ALG[String(key.asymmetricKeyDetails?.namedCurve)];
  if (type === 'ec' && alg) return alg;
  throw new TypeError(`unsupported key type ${String(type)} for a workload token`);
}

function options(alg: string, key: KeyObject) {
  if (alg.startsWith('ES')) return { key, dsaEncoding: 'ieee-p1363' as const };
  if (alg.startsWith('PS'))
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  return key;
}

/** A compact JWS of `claims` signed with `key` (`kid` in the header when given). */
export function signJwt(key: KeyObject, claims: Record<string, unknown>, kid?: string): string {
  const alg = algorithmOf(key);
  const header = { alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }) };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  const data = Buffer.from(input, 'ascii');
  const signature = alg === 'EdDSA' ? sign(null, data, key) : sign(HASH[alg.slice(2)], data, options(alg, key));
  return `${input}.${signature.toString('base64url')}`;
}

/** Whether `signature` over `input` is valid for `alg` with the public JWK `jwk` (asymmetric algorithms only). */
export function verifyJws(alg: string, input: string, signature: Buffer, jwk: JsonWebKey): boolean {
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const data = Buffer.from(input, 'ascii');
    if (alg === 'EdDSA') return key.asymmetricKeyType === 'ed25519' && verify(null, data, key, signature);
    const hash = HASH[alg.slice(2)];
    if (!hash || !/^(RS|PS|ES)/.test(alg)) return false;
    return verify(hash, data, options(alg, key), signature);
  } catch {
    return false;
  }
}
