import type { SenderConstraint } from '../contracts/sender-constraint';
import type { StoredToken } from '../store/token-store';

/**
 * The scheme `token` is sent with: the sender constraint's (`DPoP`) when the constraint binds the
 * token's `token_type` (any case), else `Bearer` (the scheme follows the token type returned).
 * `bound`: whether requests carrying it are signed by the constraint.
 */
export function tokenScheme(
  token: StoredToken,
  constraint: SenderConstraint | undefined,
): { scheme: string; bound: boolean } {
  if (constraint !== undefined && constraint.tokenTypes.includes(token.tokenType?.toLowerCase())) {
    return { scheme: constraint.scheme, bound: true };
  }
  return UNBOUND;
}

const UNBOUND = Object.freeze({ scheme: 'Bearer', bound: false });
