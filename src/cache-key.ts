import { createHash } from 'node:crypto';
import type { ResolvedOptions } from './validate-options';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The cache key of a client's token: token URL + client id + scope + grant subject + a hash of the
 * secret, all hashed, so two environments or two clients never share a token and no secret
 * (nor the client id) appears in the key, which a shared store may show to others.
 */
export function cacheKey(options: ResolvedOptions): string {
  const subject = options.grant.type === 'password' ? options.grant.username : '';
  const secretHash = sha256(
    options.clientSecret + (options.grant.type === 'password' ? `\0${options.grant.password}` : ''),
  );
  const parts = [options.tokenUrl, options.clientId, options.scope ?? '', options.grant.type, subject, secretHash];
  return `oauth2:${sha256(JSON.stringify(parts)).slice(0, 40)}`;
}
