/** Largest subject token whose JWT payload is decoded for its `exp` (a larger one has no known expiry). */
const MAX_DECODED_LENGTH = 65_536;

function decodeObject(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined || !/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The expiry of a subject token, in epoch ms: its `exp` claim when it is a JWT (three base64url parts,
 * a JSON header and payload; decoded, never verified: the authorization server verifies it), else
 * undefined (an opaque token: only an explicit `subjectTokenExpiresAt` tells).
 */
export function subjectTokenExpiry(token: string): number | undefined {
  if (token.length > MAX_DECODED_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !decodeObject(parts[0])) return undefined;
  const exp = decodeObject(parts[1])?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) && exp >= 0 ? Math.floor(exp * 1000) : undefined;
}
