import { createHash } from 'node:crypto';
import { mainGrant, tokenHeaders, tokenParams } from './token-request';
import type { ResolvedOptions } from '../options/validate-options';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Entries sorted by name, names lower-cased when `foldCase` (header names are case-insensitive). */
function sortedEntries(record: Record<string, string>, foldCase: boolean): [string, string][] {
  return Object.entries(record)
    .map(([name, value]): [string, string] => [foldCase ? name.toLowerCase() : name, value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The cache key of a client's token: a hash of everything that reaches the token endpoint and may
 * change the token it issues (the main grant's request as sent: method and URL, every parameter
 * (`tokenRequestParams`, grant, scope, client credentials in the body), every header
 * (`tokenRequestHeaders`, Basic credentials with their encoding), and the body format), so two
 * environments, clients, audiences or grants never share a token. Parameter and header order does
 * not matter. Without `tokenUrl`, the `issuer` stands for the endpoint; with mutual TLS, the client
 * certificate's thumbprint is part of it; with DPoP, the key's thumbprint. No secret (nor the client
 * id) appears in the key, which a shared store may show to others.
 */
export function cacheKey(options: ResolvedOptions): string {
  const auth = options.clientAuthentication;
  const parts = [
    'v2',
    auth === 'query' ? 'GET' : 'POST',
    // A discovered endpoint is not known yet: the issuer stands for it (one issuer, one token endpoint).
    options.tokenUrl ?? `issuer:${options.issuer as string}`,
    auth === 'query' ? 'query' : options.tokenRequestFormat,
    sortedEntries(tokenHeaders(options), true),
    sortedEntries(tokenParams(options, mainGrant(options)), false),
  ];
  // Mutual TLS: tokens may be bound to the certificate (RFC 8705 §3), so it is part of the key (its public thumbprint).
  if (options.clientCertificate !== undefined) parts.push(`x5t#S256:${options.clientCertificate}`);
  // A DPoP token is bound to one key: only a client holding that key (RFC 7638 thumbprint) may use it.
  if (options.dpop) parts.push([['dpop', options.dpop.key.thumbprint]]);
  return `oauth2:${sha256(JSON.stringify(parts)).slice(0, 40)}`;
}
