import { createPrivateKey, createSecretKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { OAuth2OptionsError } from '../errors';
import type { ClientAssertionAlgorithm, ClientAuthentication } from '../options/options';

/** What signs the client assertions of one attachment: the imported key, never the PEM or JWK it came from. */
export interface AssertionSigner {
  alg: ClientAssertionAlgorithm;
  key: KeyObject;
  kid?: string;
}

/** The raw options this module checks (before resolution). */
export interface AssertionOptionsInput {
  clientAuthentication: ClientAuthentication;
  clientSecret: string;
  privateKey?: unknown;
  privateKeyId?: unknown;
  clientAssertionAlgorithm?: unknown;
}

function refuse(option: string, why: string): never {
  throw new OAuth2OptionsError(option, `axios-oauth2-bearer: option "${option}" ${why}`);
}

/** The algorithms a key can sign with, the default first (RFC 7518 §3.1); none for an unsupported key. */
function algorithmsFor(key: KeyObject): string[] {
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const ec = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' }[String(curve)];
  if (type === 'rsa' || type === 'rsa-pss') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
      refuse('privateKey', 'must be an RSA key of 2048 bits or more');
    return type === 'rsa' ? 'RS256 RS384 RS512 PS256 PS384 PS512'.split(' ') : ['PS256', 'PS384', 'PS512'];
  }
  if (type === 'ed25519') return ['EdDSA'];
  if (type === 'ec' && ec) return [ec];
  return refuse('privateKey', `must be an RSA, EC (P-256, P-384, P-521) or Ed25519 key, got ${type} ${curve ?? ''}`);
}

/**
 * RFC 7518 §3.2: an HMAC key must be at least as long as the hash output (32 bytes for HS256, 48 for
 * HS384, 64 for HS512), counted in UTF-8 bytes. A shorter `client_secret_jwt` secret is refused (the
 * message gives the length needed, never the secret or its length).
 */
function checkHmacSecretLength(alg: string, key: KeyObject): void {
  const needed = Number(alg.slice(2)) / 8;
  if ((key.symmetricKeySize ?? 0) < needed)
    refuse(
      'clientSecret',
      `must be at least ${needed} bytes (UTF-8) for ${alg} with 'client_secret_jwt' (RFC 7518 §3.2)`,
    );
}

/**
 * `privateKey` (PEM, KeyObject or JWK) as a private `KeyObject`. Messages never show the key, and the
 * import error (which might quote it) is not kept.
 */
function importPrivateKey(value: unknown): KeyObject {
  if (value instanceof KeyObject) {
    return value.type === 'private'
      ? value
      : refuse('privateKey', `must be a private key, got a ${value.type} KeyObject`);
  }
  const jwk = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  if (typeof value !== 'string' && jwk?.kty === undefined)
    refuse('privateKey', 'must be a PEM string, a KeyObject or a JWK');
  if (jwk ? jwk.d === undefined : /PUBLIC KEY-|CERTIFICATE-/.test(value as string))
    refuse('privateKey', 'must be a private key, got a public key');
  try {
    return createPrivateKey(jwk ? { key: jwk as JsonWebKey, format: 'jwk' } : (value as string));
  } catch {
    return refuse('privateKey', 'could not be read as a private key (PEM: PKCS#8, PKCS#1 or SEC1; or a JWK)');
  }
}

/**
 * Checks the client-assertion options at attach time and imports the key: the signer of
 * `private_key_jwt` / `client_secret_jwt`, undefined for the other methods (which must then have no
 * `privateKey`, `privateKeyId` or `clientAssertionAlgorithm`). Throws {@link OAuth2OptionsError}.
 */
export function resolveAssertionSigner(input: AssertionOptionsInput): AssertionSigner | undefined {
  const { clientAuthentication: method, privateKey, privateKeyId: kid, clientAssertionAlgorithm: alg } = input;
  const keyed = method === 'private_key_jwt';
  const given = { privateKey, privateKeyId: kid, clientAssertionAlgorithm: alg };
  for (const [name, value] of Object.entries(given)) {
    const allowed = name === 'privateKey' ? keyed : keyed || method === 'client_secret_jwt';
    if (value !== undefined && !allowed)
      refuse(
        name,
        `is used only with clientAuthentication ${name === 'privateKey' ? '' : "'client_secret_jwt' or "}'private_key_jwt'`,
      );
  }
  if (!keyed && method !== 'client_secret_jwt') return undefined;
  if (kid !== undefined && (typeof kid !== 'string' || kid === ''))
    refuse('privateKeyId', 'must be a non-empty string');
  if (keyed && privateKey === undefined)
    refuse('privateKey', "is required with clientAuthentication 'private_key_jwt'");
  const key = keyed ? importPrivateKey(privateKey) : createSecretKey(Buffer.from(input.clientSecret, 'utf8'));
  const allowed = keyed ? algorithmsFor(key) : ['HS256', 'HS384', 'HS512'];
  const jwk =
    keyed && !(privateKey instanceof KeyObject) && typeof privateKey === 'object'
      ? (privateKey as Record<string, unknown>)
      : {};
  const chosen = alg ?? jwk.alg ?? allowed[0];
  if (!allowed.includes(chosen as string)) {
    const shown = typeof chosen === 'string' ? chosen.slice(0, 16) : typeof chosen;
    refuse(
      alg === undefined ? 'privateKey' : 'clientAssertionAlgorithm',
      `must be one of ${allowed.join(', ')} for this key, got "${shown}"`,
    );
  }
  if (!keyed) checkHmacSecretLength(chosen as string, key);
  const ownKid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  return { alg: chosen as ClientAssertionAlgorithm, key, kid: kid ?? ownKid };
}
