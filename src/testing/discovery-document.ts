import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context';
import { sendJson } from './http-utils';
import { REVOKE_PATH } from './mangopay-revoke';

/** Where the mutual-TLS alias of the token endpoint is served (with `discovery.mtlsAlias`). */
export const MTLS_TOKEN_PATH = '/mtls/v2.01/oauth/token';

/** The issuer the server identifies as: its origin and `discovery.issuerPath`. */
export function issuerOf(ctx: ServerContext): string | undefined {
  const discovery = ctx.options.discovery;
  return discovery && `${ctx.origin}${discovery.issuerPath ?? ''}`;
}

/** The two well-known metadata paths of the issuer: RFC 8414 §3.1, then OpenID Connect Discovery §4. */
function metadataPaths(issuerPath: string): string[] {
  return [`/.well-known/oauth-authorization-server${issuerPath}`, `${issuerPath}/.well-known/openid-configuration`];
}

/**
 * Answers a metadata request (RFC 8414) when `path` is one of the issuer's well-known locations
 * (only the kinds listed in `discovery.serve`); returns false for any other path.
 */
export function handleMetadata(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const discovery = ctx.options.discovery;
  if (!discovery) return false;
  const [rfc8414, openid] = metadataPaths(discovery.issuerPath ?? '');
  const serve = discovery.serve ?? ['oauth-authorization-server', 'openid-configuration'];
  const served =
    (path === rfc8414 && serve.includes('oauth-authorization-server')) ||
    (path === openid && serve.includes('openid-configuration'));
  if (!served) return false;
  ctx.metadataLog.push(path);
  const methods = ['client_secret_basic', 'client_secret_post'];
  if (ctx.options.mtls) methods.push('tls_client_auth', 'self_signed_tls_client_auth');
  if (ctx.assertions) methods.push(...ctx.assertions.methods);
  // Workload tokens as client assertions are sent as private_key_jwt (RFC 7523 §2.2).
  if (ctx.workload && !methods.includes('private_key_jwt')) methods.push('private_key_jwt');
  if (ctx.options.publicClients.length > 0) methods.push('none');
  const document: Record<string, unknown> = {
    issuer: discovery.issuer ?? issuerOf(ctx),
    token_endpoint: `${ctx.origin}/v2.01/oauth/token`,
    revocation_endpoint: `${ctx.origin}${REVOKE_PATH}`,
    token_endpoint_auth_methods_supported: methods,
    grant_types_supported: [
      'client_credentials',
      ...(ctx.workload ? ['urn:ietf:params:oauth:grant-type:jwt-bearer'] : []),
    ],
  };
  if (discovery.mtlsAlias) {
    document.mtls_endpoint_aliases = { token_endpoint: `${ctx.origin}${MTLS_TOKEN_PATH}` };
    document.tls_client_certificate_bound_access_tokens = true;
  }
  void req;
  sendJson(res, 200, document);
  return true;
}
