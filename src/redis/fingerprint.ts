import { createHash } from 'node:crypto';

/**
 * SHA-256 of an access token, hex: the token's fingerprint, stored next to it (in clear, also when
 * the value is encrypted) and sent by the compare-and-delete script instead of the token. It names
 * a token without being one: it cannot be turned back into the token, nor sent to an API in its
 * place (DPoP sends the same digest, `ath`, with every request, RFC 9449 §4.2).
 */
export function accessTokenDigest(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'utf8').digest('hex');
}
