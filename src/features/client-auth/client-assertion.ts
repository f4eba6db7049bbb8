import { constants, createHmac, randomUUID, sign } from 'node:crypto';
import type { AssertionSigner } from './assertion-key';
import type { ClientAuthRequest, ClientCredentials } from '../../contracts/client-auth';

/** `client_assertion_type` of RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Lifetime of a client assertion: it is used at once, for one request. */
export const ASSERTION_LIFETIME_SECONDS = 60;

/** What one client assertion states (RFC 7523 §3). */
export interface AssertionClaims {
  clientId: string;
  /** The authorization server's issuer identifier when known, else the token endpoint URL. */
  audience: string;
  /** Epoch ms (the plugin's clock). */
  now: number;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

const HASHES: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** The JWS signature of `input` (RFC 7518 §3): ECDSA in IEEE P1363 form (r ‖ s), PSS with a digest-sized salt. */
function signature(signer: AssertionSigner, input: Buffer): Buffer {
  const { alg, key } = signer;
  if (alg === 'EdDSA') return sign(null, input, key);
  const hash = HASHES[alg.slice(2)];
  if (alg.startsWith('HS')) return createHmac(hash, key).update(input).digest();
  if (alg.startsWith('ES')) return sign(hash, input, { key, dsaEncoding: 'ieee-p1363' });
  if (alg.startsWith('PS')) {
    return sign(hash, input, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  }
  return sign(hash, input, key); // RS*: PKCS#1 v1.5
}

/**
 * A signed client assertion (RFC 7523 §2.2, OpenID Connect Core §9): `iss` = `sub` = the client id,
 * `aud` a single string, a fresh `jti` per call (so every attempt, retries included, has its own),
 * `iat` now and `exp` {@link ASSERTION_LIFETIME_SECONDS} later.
 */
export function signClientAssertion(signer: AssertionSigner, claims: AssertionClaims): string {
  const header: Record<string, string> = { alg: signer.alg, typ: 'JWT' };
  if (signer.kid !== undefined) header.kid = signer.kid;
  const iat = Math.floor(claims.now / 1000);
  const payload = {
    iss: claims.clientId,
    sub: claims.clientId,
    aud: claims.audience,
    jti: randomUUID(),
    iat,
    exp: iat + ASSERTION_LIFETIME_SECONDS,
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${base64url(signature(signer, Buffer.from(input, 'ascii')))}`;
}

/**
 * The credentials of an assertion method for one request (RFC 7523 §2.2): `client_id`, the assertion
 * type and `assertion`, which is a secret of that request (scrubbed wherever the answer shows).
 */
export function assertionCredentials(request: ClientAuthRequest, assertion: string): ClientCredentials {
  return {
    params: {
      client_id: request.clientId,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: assertion,
    },
    secrets: [assertion],
  };
}

/** The credentials of `signer`'s method for one request: a new assertion (new `jti`) for `request.audience`. */
export function signedCredentials(signer: AssertionSigner, request: ClientAuthRequest): ClientCredentials {
  const assertion = signClientAssertion(signer, {
    clientId: request.clientId,
    audience: request.audience,
    now: request.now,
  });
  return assertionCredentials(request, assertion);
}
