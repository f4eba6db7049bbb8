import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context';
import { hasMediaType, parseForm, readBody, sendJson } from './http-utils';
import { checkCredentials, TOKEN_PATH } from './mangopay-token';

/** Path of the token revocation endpoint (RFC 7009), beside the token endpoint. */
export const REVOKE_PATH = '/v2.01/oauth/revoke';

/**
 * `POST /v2.01/oauth/revoke`: RFC 7009 token revocation. The client authenticates as at the token
 * endpoint (Basic or body credentials); `token` is revoked if this server issued it (the API then
 * answers it 401). HTTP 200 also for an unknown or already revoked token (§2.2); 400
 * `invalid_request` without `token`, 401 `invalid_client` for bad credentials, 400
 * `unsupported_token_type` for a `token_type_hint` other than `access_token` or `refresh_token`.
 * Counted in `revocationCalls` and, when a live token was revoked, `revokedTokens`.
 */
export async function handleMangopayRevoke(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  ctx.counters.revocationCalls += 1;
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'invalid_request' }, { Allow: 'POST' });
    return;
  }
  let body: string;
  try {
    body = await readBody(req);
  } catch {
    return;
  }
  if (!hasMediaType(req, 'application/x-www-form-urlencoded')) {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'Content-Type must be form-urlencoded.' });
    return;
  }
  const form = parseForm(body);
  // A client assertion names the server by its token endpoint (or origin), as for a token request.
  const check = checkCredentials(ctx, req, form, TOKEN_PATH);
  // A client authenticated with mutual TLS (an object naming its certificate) is as good as one with its secret.
  if (check !== 'ok' && !(typeof check === 'object' && 'mtls' in check)) {
    const status = check === 'bad' ? 401 : 400;
    sendJson(res, status, { error: check === 'bad' ? 'invalid_client' : 'invalid_request' });
    return;
  }
  if (form.token === undefined || form.token === '') {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'The token parameter is missing.' });
    return;
  }
  const hint = form.token_type_hint;
  if (hint !== undefined && hint !== 'access_token' && hint !== 'refresh_token') {
    sendJson(res, 400, { error: 'unsupported_token_type' });
    return;
  }
  if (ctx.tokens.revoke(form.token)) ctx.counters.revokedTokens += 1;
  res.writeHead(200, { 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}
