import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerApi, echo, startApiCall } from './api-call';
import type { ResolvedServerOptions, ServerContext } from './context';
import { bearerToken } from './http-utils';
import { hasApplication } from './musement-login';

/**
 * Any method on `/api/v3/…` except `/login`: requires `X-Musement-Application`
 * (400 otherwise) and a valid Musement bearer token (401 with an RFC 6750
 * `WWW-Authenticate: Bearer` challenge otherwise), then echoes the request.
 */
export async function handleMusementApi(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  musement: NonNullable<ResolvedServerOptions['musement']>,
): Promise<void> {
  const rawBody = await startApiCall(ctx, req);
  if (rawBody === undefined) return;
  const path = url.pathname;
  if (!hasApplication(req, musement)) {
    ctx.counters.missingApplication += 1;
    answerApi(ctx, req, res, path, 400, {
      code: 'missing_application',
      message: 'The X-Musement-Application header is missing or wrong.',
    });
    return;
  }
  const token = bearerToken(req);
  if (!ctx.tokens.isValid(token, 'musement')) {
    ctx.counters.invalidTokens += 1;
    const challenge =
      token === undefined
        ? 'Bearer realm="musement"'
        : 'Bearer realm="musement", error="invalid_token", error_description="The access token is invalid or expired"';
    answerApi(
      ctx,
      req,
      res,
      path,
      401,
      { error: 'invalid_token', error_description: 'The access token is missing, invalid or expired.' },
      { 'WWW-Authenticate': challenge },
    );
    return;
  }
  answerApi(ctx, req, res, path, 200, echo(req, url, rawBody));
}
