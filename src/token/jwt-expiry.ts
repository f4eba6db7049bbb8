/** Largest access token whose JWT payload is decoded for its `exp` (a larger one keeps the default lifetime). */
const MAX_DECODED_LENGTH = 65_536;

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

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
  if (accessToken.length > MAX_DECODED_LENGTH) return undefined;
  const parts = accessToken.split('.');
  if (parts.length !== 3 || !decodeJsonObject(parts[0])) return undefined;
  const claims = decodeJsonObject(parts[1]);
  if (!claims || !isTime(claims.exp)) return undefined;
  const atExp = claims.exp * 1000;
  return isTime(claims.iat) && claims.iat <= claims.exp
    ? Math.min(atExp, sentAt + (claims.exp - claims.iat) * 1000)
    : atExp;
}
