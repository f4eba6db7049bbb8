import type { AxiosError } from 'axios';
import { headerValue } from '../util/headers';
import { parseWwwAuthenticate } from './www-authenticate';

function bodyType(data: unknown): string | undefined {
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (data && typeof data === 'object' && typeof (data as { Type?: unknown }).Type === 'string') {
    return (data as { Type: string }).Type;
  }
  return undefined;
}

/**
 * The default test of whether an error response means "the bearer token was rejected", so a new
 * token and one replay can help. True for a 401 when:
 * - the body's `Type` is Mangopay's `invalid_credentials` (always), or
 * - `WWW-Authenticate` is absent, or has a Bearer (or DPoP, RFC 9449) challenge without `error` or with
 *   `error="invalid_token"` (RFC 6750 §3.1).
 * False for any other status (403, 429…), for Mangopay's `not_authorized` / `forbidden_ressource`,
 * for a challenge naming only other schemes (Mangopay's SCA `PendingUserAction`), and for a Bearer
 * challenge with another error such as `insufficient_scope`.
 */
export function isTokenRejected(error: AxiosError): boolean {
  const response = error.response;
  if (!response || response.status !== 401) return false;
  const type = bodyType(response.data);
  if (type === 'invalid_credentials') return true;
  if (type !== undefined && type !== 'invalid_token') return false;
  const header = headerValue(response.headers, 'www-authenticate');
  if (header === undefined || header.trim() === '') return true;
  // A DPoP challenge (RFC 9449 §7.1) says the same as a Bearer one; `use_dpop_nonce` is not a rejection.
  const challenge = parseWwwAuthenticate(header).find((c) => c.scheme === 'bearer' || c.scheme === 'dpop');
  if (!challenge) return false;
  return challenge.params.error === undefined || challenge.params.error === 'invalid_token';
}
