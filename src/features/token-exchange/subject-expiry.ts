import { decodeJwt } from '../../util/jwt-parts';

/**
 * The expiry of a subject token, in epoch ms: its `exp` claim when it is a JWT (three base64url parts,
 * a JSON header and payload; decoded, never verified: the authorization server verifies it), else
 * undefined (an opaque token: only an explicit `subjectTokenExpiresAt` tells).
 */
export function subjectTokenExpiry(token: string): number | undefined {
  const exp = decodeJwt(token)?.claims.exp;
  return typeof exp === 'number' && Number.isFinite(exp) && exp >= 0 ? Math.floor(exp * 1000) : undefined;
}
