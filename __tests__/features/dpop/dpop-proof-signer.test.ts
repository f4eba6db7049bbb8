import * as jose from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { resolveDPoPKey } from '../../../src/features/dpop/dpop-key';
import { ProofSigner } from '../../../src/features/dpop/proof-signer';

/**
 * The proof signer encodes and signs each proof in buffers it made once. Each proof must still be a
 * JWS of its own claims, verified by jose with the key the proof carries, whatever came before it,
 * and a payload too long for those buffers (a URL of kilobytes, a long nonce) as well as a short one.
 */
async function verified(proof: string): Promise<jose.JWTPayload> {
  const header = jose.decodeProtectedHeader(proof);
  const key = await jose.importJWK(header.jwk as jose.JWK, header.alg);
  const { payload } = await jose.jwtVerify(proof, key, { typ: 'dpop+jwt' });
  return payload;
}

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe.each([
  ['ES256', undefined],
  ['EdDSA', 'ed25519'],
])('%s proofs', (_alg, type) => {
  const key = type
    ? resolveDPoPKey(
        generateKeyPairSync(type as 'ed25519', {
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        }).privateKey,
        false,
      )
    : resolveDPoPKey(undefined, true);

  it('each proof verifies with its own claims, after a longer and a shorter one made with the same buffers', async () => {
    const signer = new ProofSigner(key, () => NOW);
    const long = `https://api.example.com/${'segment/'.repeat(400)}end`; // over 2 kB of payload
    const nonce = `n-${'\u00e9'.repeat(600)}`; // multi-byte UTF-8
    const claims = [
      { htm: 'GET', htu: 'https://api.example.com/users/1', ath: 'a'.repeat(43) },
      { htm: 'POST', htu: long, nonce },
      { htm: 'PUT', htu: 'https://api.example.com/u/2', nonce: 'short' },
      { htm: 'DELETE', htu: 'https://api.example.com/users/12345/things/67890', ath: 'b'.repeat(43) },
    ];
    const proofs = claims.map((c) => signer.proof(c));
    for (const [i, proof] of proofs.entries()) {
      const payload = await verified(proof);
      expect(payload).toEqual({ ...claims[i], jti: expect.any(String), iat: NOW / 1000 });
    }
    expect(new Set(proofs.map((p) => jose.decodeJwt(p).jti)).size).toBe(proofs.length);
  });
});
