import { createPrivateKey, createSecretKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { OAuth2OptionsError } from '../../errors';

/** The JWS algorithms of a client assertion (`private_key_jwt`: asymmetric; `client_secret_jwt`: HMAC). */
export type ClientAssertionAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'HS256'
  | 'HS384'
  | 'HS512';

/** What signs the client assertions of one method: the imported key, never the PEM or JWK it came from. */
export interface AssertionSigner {
  alg: ClientAssertionAlgorithm;
  key: KeyObject;
  kid?: string;
}

/**
 * Throws the {@link OAuth2OptionsError} of a factory's input: `option` is `factory.input`
 * (e.g. `privateKeyJwt.privateKey`), the message starts `factory: input …`. Never shows the value.
 */
export function refuse(option: string, why: string): never {
  const [factory, input] = option.split('.');
  throw new OAuth2OptionsError(option, `axios-oauth2-bearer: ${factory}: ${input} ${why}`);
}

/** The algorithms a key can sign with, the default first (RFC 7518 §3.1); none for an unsupported key. */
function algorithmsFor(key: KeyObject): string[] {
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const ec = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' }[String(curve)];
  if (type === 'rsa' || type === 'rsa-pss') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
      refuse('privateKeyJwt.privateKey', 'must be an RSA key of 2048 bits or more');
    return type === 'rsa' ? 'RS256 RS384 RS512 PS256 PS384 PS512'.split(' ') : ['PS256', 'PS384', 'PS512'];
  }
  if (type === 'ed25519') return ['EdDSA'];
  if (type === 'ec' && ec) return [ec];
  return refuse(
    'privateKeyJwt.privateKey',
    `must be an RSA, EC (P-256, P-384, P-521) or Ed25519 key, got ${type} ${curve ?? ''}`,
  );
}

/**
 * `privateKey` (PEM, KeyObject or JWK) as a private `KeyObject`. Messages never show the key, and the
 * import error (which might quote it) is not kept.
 */
function importPrivateKey(value: unknown): KeyObject {
  const option = 'privateKeyJwt.privateKey';
  if (value instanceof KeyObject) {
    return value.type === 'private' ? value : refuse(option, `must be a private key, got a ${value.type} KeyObject`);
  }
  const jwk = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  if (typeof value !== 'string' && jwk?.kty === undefined) refuse(option, 'must be a PEM string, a KeyObject or a JWK');
  if (jwk ? jwk.d === undefined : /PUBLIC KEY-|CERTIFICATE-/.test(value as string))
    refuse(option, 'must be a private key, got a public key');
  try {
    return createPrivateKey(jwk ? { key: jwk as JsonWebKey, format: 'jwk' } : (value as string));
  } catch {
    return refuse(option, 'could not be read as a private key (PEM: PKCS#8, PKCS#1 or SEC1; or a JWK)');
  }
}

/** `alg` when given (a string the key can sign with), else `fallback`. */
function chooseAlgorithm(option: string, alg: unknown, fallback: unknown, allowed: string[]): ClientAssertionAlgorithm {
  const chosen = alg ?? fallback ?? allowed[0];
  if (!allowed.includes(chosen as string)) {
    const shown = typeof chosen === 'string' ? chosen.slice(0, 16) : typeof chosen;
    refuse(
      alg === undefined ? option : `${option.split('.')[0]}.alg`,
      `must be one of ${allowed.join(', ')}, got "${shown}"`,
    );
  }
  return chosen as ClientAssertionAlgorithm;
}

/**
 * The signer of `privateKeyJwt(privateKey, { alg, kid })`: the key imported and checked now (RSA of
 * 2048 bits or more, EC P-256/P-384/P-521, Ed25519), the algorithm the key fits (`alg`, else the
 * JWK's `alg`, else the key type's default), the `kid` (else the JWK's own). Throws
 * {@link OAuth2OptionsError} naming `privateKeyJwt.privateKey`, `.alg` or `.kid`.
 */
export function privateKeySigner(privateKey: unknown, alg: unknown, kid: unknown): AssertionSigner {
  if (kid !== undefined && (typeof kid !== 'string' || kid === ''))
    refuse('privateKeyJwt.kid', 'must be a non-empty string');
  if (privateKey === undefined) refuse('privateKeyJwt.privateKey', 'is required (PEM, KeyObject or private JWK)');
  const key = importPrivateKey(privateKey);
  const jwk =
    !(privateKey instanceof KeyObject) && typeof privateKey === 'object' ? (privateKey as Record<string, unknown>) : {};
  const chosen = chooseAlgorithm('privateKeyJwt.privateKey', alg, jwk.alg, algorithmsFor(key));
  const ownKid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  return { alg: chosen, key, kid: kid ?? ownKid };
}

/**
 * The signer of `clientSecretJwt(secret, { alg })`: HMAC keyed by the client secret (HS256 by
 * default). RFC 7518 §3.2: the key must be at least as long as the hash output (32 bytes for HS256,
 * 48 for HS384, 64 for HS512), counted in UTF-8 bytes; a shorter secret is refused (the message gives
 * the length needed, never the secret or its length).
 */
export function hmacSigner(secret: unknown, alg: unknown): AssertionSigner {
  if (typeof secret !== 'string' || secret.trim() === '')
    refuse('clientSecretJwt.secret', 'must be a non-empty string');
  const chosen = chooseAlgorithm('clientSecretJwt.alg', alg, undefined, ['HS256', 'HS384', 'HS512']);
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const needed = Number(chosen.slice(2)) / 8;
  if ((key.symmetricKeySize ?? 0) < needed)
    refuse('clientSecretJwt.secret', `must be at least ${needed} bytes (UTF-8) for ${chosen} (RFC 7518 §3.2)`);
  return { alg: chosen, key };
}
