/** Longest token whose parts are decoded (a larger one is treated as opaque). */
export const MAX_DECODED_JWT_LENGTH = 65_536;

/** A base64url part decoded as a JSON object, or undefined (not base64url, not JSON, not an object). */
export function decodeJsonPart(part: string | undefined): Record<string, unknown> | undefined {
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
 * The header and claims of a token shaped as a JWT (three parts, a JSON object header and payload),
 * decoded and never verified; undefined for anything else (an opaque token) or a token longer than
 * {@link MAX_DECODED_JWT_LENGTH}. The one decoder of the plugin: access tokens' `exp`, subject
 * tokens' `exp`, provided assertions, the embedded server's checks.
 */
export function decodeJwt(
  token: string,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  if (token.length > MAX_DECODED_JWT_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeJsonPart(parts[0]);
  const claims = header && decodeJsonPart(parts[1]);
  return claims ? { header, claims } : undefined;
}
