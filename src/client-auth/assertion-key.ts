import { createPrivateKey, createSecretKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { OAuth2OptionsError } from '../errors';
import type { ClientAssertionAlgorithm, ClientAuthentication } from '../options/options';

/** What signs the client assertions of one attachment: the imported key, never the PEM or JWK it came from. */
export interface AssertionSigner {
  alg: ClientAssertionAlgorithm;
  key: KeyObject;
  kid?: string;
}

const EC_ALGORITHMS: Record<string, ClientAssertionAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/** The algorithms each key type can sign with; the first is the default. */
function algorithmsFor(key: KeyObject): readonly ClientAssertionAlgorithm[] {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
  if (type === 'rsa-pss') return ['PS256', 'PS384', 'PS512'];
  if (type === 'ed25519') return ['EdDSA'];
  if (type === 'ec') {
    const alg = EC_ALGORITHMS[String(key.asymmetricKeyDetails?.namedCurve)];
    if (alg) return [alg];
  }
  return [];
}

const HMAC_ALGORITHMS: readonly ClientAssertionAlgorithm[] = ['HS256', 'HS384', 'HS512'];

function refuse(option: string, why: string): never {
  throw new OAuth2OptionsError(option, `axios-oauth2-bearer: option "${option}" ${why}`);
}

/**
 * Imports `privateKey` (PEM, KeyObject or JWK) as a private `KeyObject`. The messages never show the
 * key, and the import error (which might quote it) is not kept.
 */
function importPrivateKey(value: unknown): KeyObject {
  if (value instanceof KeyObject) {
    if (value.type !== 'private') refuse('privateKey', `must be a private key, got a ${value.type} KeyObject`);
    return value;
  }
  if (typeof value === 'string') {
    if (/-----BEGIN (RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(value))
      refuse('privateKey', 'must be a private key, got a public key or certificate PEM');
    try {
      return createPrivateKey({ key: value, format: 'pem' });
    } catch {
      return refuse('privateKey', 'must be a PEM private key (PKCS#8, PKCS#1 or SEC1); this PEM could not be read');
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const jwk = value as Record<string, unknown>;
    if (typeof jwk.kty !== 'string') refuse('privateKey', 'must be a PEM string, a KeyObject or a JWK (no "kty")');
    if (jwk.d === undefined) refuse('privateKey', 'must be a private JWK (with "d"), got a public JWK');
    try {
      return createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      return refuse(
        'privateKey',
        `must be a valid private JWK; this one (kty "${jwk.kty.slice(0, 8)}") could not be read`,
      );
    }
  }
  return refuse('privateKey', 'must be a PEM string, a private KeyObject or a private JWK');
}

/** The JWK's own `alg` and `kid`, when `privateKey` is a JWK. */
function jwkHints(value: unknown): { alg?: string; kid?: string } {
  if (typeof value !== 'object' || value === null || value instanceof KeyObject) return {};
  const { alg, kid } = value as Record<string, unknown>;
  return { alg: typeof alg === 'string' ? alg : undefined, kid: typeof kid === 'string' ? kid : undefined };
}

function pick(
  allowed: readonly ClientAssertionAlgorithm[],
  requested: unknown,
  option: string,
  what: string,
): ClientAssertionAlgorithm {
  if (requested === undefined) return allowed[0];
  if (!allowed.includes(requested as ClientAssertionAlgorithm)) {
    const shown = typeof requested === 'string' ? `"${requested.slice(0, 16)}"` : typeof requested;
    refuse(option, `must be one of ${allowed.join(', ')} for ${what}, got ${shown}`);
  }
  return requested as ClientAssertionAlgorithm;
}

/** The raw options this module checks (before resolution). */
export interface AssertionOptionsInput {
  clientAuthentication: ClientAuthentication;
  clientSecret?: string;
  privateKey?: unknown;
  privateKeyId?: unknown;
  clientAssertionAlgorithm?: unknown;
}

/**
 * Checks the client-assertion options at attach time and imports the key: the signer of
 * `private_key_jwt` / `client_secret_jwt`, undefined for the other methods (which must then have no
 * `privateKey`, `privateKeyId` or `clientAssertionAlgorithm`). Throws {@link OAuth2OptionsError}.
 */
export function resolveAssertionSigner(input: AssertionOptionsInput): AssertionSigner | undefined {
  const { clientAuthentication: method, privateKey, privateKeyId, clientAssertionAlgorithm } = input;
  const keyed = method === 'private_key_jwt';
  if (method !== 'private_key_jwt' && method !== 'client_secret_jwt') {
    for (const [name, value] of [
      ['privateKey', privateKey],
      ['privateKeyId', privateKeyId],
      ['clientAssertionAlgorithm', clientAssertionAlgorithm],
    ] as const) {
      if (value !== undefined)
        refuse(name, `is used only with clientAuthentication 'private_key_jwt' or 'client_secret_jwt'`);
    }
    return undefined;
  }
  if (privateKeyId !== undefined && (typeof privateKeyId !== 'string' || privateKeyId === ''))
    refuse('privateKeyId', 'must be a non-empty string');
  if (!keyed) {
    if (privateKey !== undefined) refuse('privateKey', "is used only with clientAuthentication 'private_key_jwt'");
    const secret = input.clientSecret as string;
    const alg = pick(HMAC_ALGORITHMS, clientAssertionAlgorithm, 'clientAssertionAlgorithm', 'client_secret_jwt');
    return { alg, key: createSecretKey(Buffer.from(secret, 'utf8')), kid: privateKeyId };
  }
  if (privateKey === undefined) refuse('privateKey', "is required with clientAuthentication 'private_key_jwt'");
  const key = importPrivateKey(privateKey);
  const allowed = algorithmsFor(key);
  if (allowed.length === 0) {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    refuse(
      'privateKey',
      `must be an RSA, EC (P-256, P-384, P-521) or Ed25519 key, got ${key.asymmetricKeyType}${curve ? ` (${curve})` : ''}`,
    );
  }
  if (allowed[0].startsWith('RS') || allowed[0].startsWith('PS')) {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) refuse('privateKey', `must be an RSA key of at least 2048 bits (RFC 7518 §3.3), got ${bits}`);
  }
  const hints = jwkHints(privateKey);
  const requested = clientAssertionAlgorithm ?? hints.alg;
  const option = clientAssertionAlgorithm !== undefined ? 'clientAssertionAlgorithm' : 'privateKey';
  const alg = pick(allowed, requested, option, `this ${key.asymmetricKeyType} key`);
  return { alg, key, kid: (privateKeyId) ?? hints.kid };
}
