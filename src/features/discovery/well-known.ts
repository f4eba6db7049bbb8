/**
 * The metadata locations of an issuer, in the order they are asked:
 * 1. RFC 8414 §3.1: `/.well-known/oauth-authorization-server` inserted between the issuer's origin and
 *    its path (`https://as.example/tenant` → `https://as.example/.well-known/oauth-authorization-server/tenant`);
 * 2. OpenID Connect Discovery 1.0 §4: `/.well-known/openid-configuration` appended to the issuer.
 * A trailing `/` of the issuer's path is dropped before either is formed.
 */
export function metadataUrls(issuer: string): [string, string] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}
