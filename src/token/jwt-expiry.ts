import { decodeJwt } from '../util/jwt-parts';

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * When an access token that came without `expires_in` expires, read from its own `exp` claim if it is
 * a JWT (three base64url parts, a JSON header and payload): decoded, never verified, and otherwise
 * left opaque. Epoch ms on the plugin's clock, or undefined when it is not such a JWT.
 *
 * With an `iat` too, the lifetime `exp - iat` is counted from `sentAt`, so a client clock behind the
 * server's does not stretch it; the earlier of that and `exp` itself is used, so a token the server
 * issued earlier (and handed out again) is not kept past its `exp`.
 */
export function jwtExpiresAt(accessToken: string, sentAt: number): number | undefined {
  const claims = decodeJwt(accessToken)?.claims;
  if (!claims || !isTime(claims.exp)) return undefined;
  const atExp = claims.exp * 1000;
  return isTime(claims.iat) && claims.iat <= claims.exp
    ? Math.min(atExp, sentAt + (claims.exp - claims.iat) * 1000)
    : atExp;
}
