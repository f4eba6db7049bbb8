import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ServerContext } from './context';
import { tokenError } from './token-call';
import type { IssueRequest } from './issued-token-registry';
import type { TokenExchangeServerOptions } from './types';

/** `grant_type` of RFC 8693 token exchange. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

const TYPE_PREFIX = 'urn:ietf:params:oauth:token-type:';
/** Subject and actor token types the server knows (RFC 8693 §3). */
const KNOWN_TYPES = new Set(
  ['access_token', 'refresh_token', 'id_token', 'jwt', 'saml1', 'saml2'].map((t) => TYPE_PREFIX + t),
);
/** Token types the server issues: access tokens (as `…:access_token` or `…:jwt`). */
const ISSUABLE_TYPES = new Set([`${TYPE_PREFIX}access_token`, `${TYPE_PREFIX}jwt`]);

/** What an accepted token exchange adds to the issued token and to the answer. */
export interface AcceptedExchange {
  readonly issue: Pick<IssueRequest, 'subject' | 'actor' | 'audience'>;
  readonly answer: { readonly issued_token_type: string };
}

function jwtSub(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const sub = (claims as { sub?: unknown } | null)?.sub;
    return typeof sub === 'string' && sub !== '' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The subject a subject (or actor) token names: with `subjectTokens: 'issued'` (the default), a live
 * subject token this server issued (`issueSubjectToken`); with `'any'`, any token: a JWT's `sub`, else
 * `opaque:` and a hash of the token. Undefined: not accepted.
 */
function subjectOf(ctx: ServerContext, options: TokenExchangeServerOptions, token: string): string | undefined {
  const issued = ctx.tokens.subjectTokenOf(token);
  if (issued !== undefined) return issued;
  if (options.subjectTokens !== 'any') return undefined;
  return jwtSub(token) ?? `opaque:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

/**
 * The token exchange grant (RFC 8693 §2.1), once the client is authenticated: checks the request and
 * answers its errors (§2.2.2: `invalid_request`, `invalid_target`), or returns what the issued token
 * is bound to (its subject, actor and audience, recorded with it) and the answer's `issued_token_type`.
 */
export function acceptTokenExchange(
  ctx: ServerContext,
  res: ServerResponse,
  form: Record<string, string>,
  options: TokenExchangeServerOptions,
): AcceptedExchange | undefined {
  const fail = (error: string, description: string): undefined => {
    tokenError(ctx, res, 400, error, description);
    return undefined;
  };
  const { subject_token: subjectToken, subject_token_type: subjectType } = form;
  if (!subjectToken || !subjectType)
    return fail('invalid_request', 'subject_token and subject_token_type are required.');
  if (!KNOWN_TYPES.has(subjectType)) return fail('invalid_request', 'Unsupported subject_token_type.');
  const { actor_token: actorToken, actor_token_type: actorType } = form;
  if ((actorToken === undefined) !== (actorType === undefined)) {
    return fail('invalid_request', 'actor_token and actor_token_type go together.');
  }
  if (actorType !== undefined && !KNOWN_TYPES.has(actorType))
    return fail('invalid_request', 'Unsupported actor_token_type.');
  const requested = form.requested_token_type;
  if (requested !== undefined && !ISSUABLE_TYPES.has(requested)) {
    return fail('invalid_request', 'Unsupported requested_token_type.');
  }
  const audience = form.audience;
  if (audience !== undefined && options.audiences !== undefined && !options.audiences.includes(audience)) {
    return fail('invalid_target', 'The audience is not a target this server issues tokens for.');
  }
  const resource = form.resource;
  if (resource !== undefined && options.resources !== undefined && !options.resources.includes(resource)) {
    return fail('invalid_target', 'The resource is not a target this server issues tokens for.');
  }
  const subject = subjectOf(ctx, options, subjectToken);
  if (subject === undefined) return fail('invalid_request', 'The subject_token is not valid.');
  const actor = actorToken === undefined ? undefined : subjectOf(ctx, { subjectTokens: 'any' }, actorToken);
  return {
    issue: { subject, actor, audience },
    answer: { issued_token_type: requested ?? `${TYPE_PREFIX}access_token` },
  };
}
