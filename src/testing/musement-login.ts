import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedServerOptions, ServerContext } from './context';
import { header, parseJsonObject } from './http-utils';
import { beginTokenCall, tokenError, tokenSuccess } from './token-call';

type MusementSettings = NonNullable<ResolvedServerOptions['musement']>;

/** Whether the request carries the expected `X-Musement-Application` header. */
export function hasApplication(req: IncomingMessage, musement: MusementSettings): boolean {
  return header(req, 'x-musement-application') === musement.application;
}

/** Login parameters from the query (legacy GET) or a JSON body (POST); undefined if unreadable. */
function loginParams(req: IncomingMessage, url: URL, body: string): Record<string, string> | undefined {
  if (req.method === 'GET') return Object.fromEntries(url.searchParams);
  const json = parseJsonObject(body);
  if (json === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * `POST /api/v3/login` (JSON body) and legacy `GET /api/v3/login?…`: grants
 * `client_credentials`, `password` and `refresh_token`. Every success issues a
 * new refresh token; a refresh token works once.
 */
export async function handleMusementLogin(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  musement: MusementSettings,
): Promise<void> {
  const body = await beginTokenCall(ctx, req, res, url.pathname);
  if (body === undefined) return;
  if (!hasApplication(req, musement)) {
    ctx.counters.missingApplication += 1;
    tokenError(ctx, res, 400, 'invalid_request', 'The X-Musement-Application header is missing or wrong.');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'POST') {
    tokenError(ctx, res, 405, 'invalid_request', 'Login accepts GET and POST only.', { Allow: 'GET, POST' });
    return;
  }
  const params = loginParams(req, url, body);
  if (params === undefined) {
    tokenError(ctx, res, 400, 'invalid_request', 'The body must be a JSON object.');
    return;
  }
  if (params.client_id !== ctx.options.clientId || params.client_secret !== ctx.options.clientSecret) {
    ctx.counters.badCredentials += 1;
    tokenError(ctx, res, 400, 'invalid_client', 'Client authentication failed.');
    return;
  }
  const grantType = params.grant_type;
  if (grantType === undefined) {
    tokenError(ctx, res, 400, 'invalid_request', 'The grant_type parameter is missing.');
    return;
  }
  if (grantType === 'password' && (params.username !== musement.username || params.password !== musement.password)) {
    ctx.counters.invalidGrants += 1;
    tokenError(ctx, res, 400, 'invalid_grant', 'Invalid username and password combination.');
    return;
  }
  if (grantType === 'refresh_token') {
    ctx.counters.refreshGrants += 1;
    if (params.refresh_token === undefined || !ctx.tokens.consumeRefreshToken(params.refresh_token)) {
      ctx.counters.invalidGrants += 1;
      tokenError(ctx, res, 400, 'invalid_grant', 'Invalid refresh token.');
      return;
    }
  } else if (grantType !== 'client_credentials' && grantType !== 'password') {
    tokenError(ctx, res, 400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}.`);
    return;
  }
  const lifetime = ctx.tokenLifetime;
  const issued = ctx.tokens.issue({ kind: 'musement', grantType, lifetimeSeconds: lifetime, withRefreshToken: true });
  tokenSuccess(ctx, res, {
    access_token: issued.token,
    expires_in: lifetime,
    token_type: 'bearer',
    scope: '',
    refresh_token: issued.refreshToken,
  });
}
