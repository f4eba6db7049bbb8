import type { ResponseProblem } from '../../contracts/grant';
import { ACCESS_TOKEN_TYPES } from './token-types';

/**
 * RFC 8693 §2.2.1: `issued_token_type` is required in a token exchange response; it must be the
 * `requested_token_type` when one was asked for, else a type the plugin may send as an access
 * token (`…:access_token` or `…:jwt`). The value is shown cut short (it is public, but unbounded).
 */
export function checkIssuedTokenType(body: Readonly<Record<string, unknown>>, requested?: string): ResponseProblem {
  const issued = body.issued_token_type;
  const shown = typeof issued === 'string' ? `"${issued.slice(0, 80)}"` : issued === undefined ? 'none' : typeof issued;
  if (typeof issued !== 'string' || issued === '') {
    return {
      field: 'issued_token_type',
      message: `"issued_token_type" is required in a token exchange response (RFC 8693 §2.2.1), got ${shown}`,
    };
  }
  if (requested !== undefined) {
    if (issued === requested) return undefined;
    return {
      field: 'issued_token_type',
      message: `"issued_token_type" must be the requested_token_type "${requested}", got ${shown}`,
    };
  }
  if (ACCESS_TOKEN_TYPES.has(issued)) return undefined;
  return {
    field: 'issued_token_type',
    message: `"issued_token_type" must be an access token type (${[...ACCESS_TOKEN_TYPES].join(' or ')}) when no requestedTokenType is set, got ${shown}`,
  };
}
