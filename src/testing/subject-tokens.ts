import type { ServerContext } from './context';
import { opaqueToken } from './issued-token-registry';
import type { SubjectTokenOptions } from './types';

/**
 * A subject token (a user's token, for the token exchange grant) naming `subject`: random, or an
 * unsigned JWT with `sub`, `iat` and `exp` (so a client can read its expiry). Recorded, so the token
 * endpoint accepts it until it expires; never valid at the API.
 */
export function issueSubjectToken(ctx: ServerContext, subject: string, options: SubjectTokenOptions): string {
  if (typeof subject !== 'string' || subject === '') throw new RangeError('subject must be a non-empty string');
  const lifetime = options.lifetimeSeconds ?? 3600;
  if (!(Number.isFinite(lifetime) && lifetime > 0)) throw new RangeError('lifetimeSeconds must be a positive number');
  const now = Date.now();
  const expiresAt = now + lifetime * 1000;
  let token = opaqueToken();
  if (options.format === 'jwt') {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { sub: subject, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000), jti: token };
    token = `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
  }
  ctx.tokens.addSubjectToken(token, subject, expiresAt);
  return token;
}
