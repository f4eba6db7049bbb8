import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerApi, echo, startApiCall } from './api-call';
import type { ServerContext } from './context';
import { bearerToken, header } from './http-utils';
import { peerThumbprint } from './mutual-tls';
import { DPoPGate } from './dpop';

/** URL of the SCA challenge sent by the `sca-required` route. */
export const SCA_REDIRECT_URL = 'https://sca.example/xyz';

/** A Mangopay-style error body: `{Message, Type, Id, Date, errors: null}`. */
export function mangopayError(message: string, type: string): Record<string, unknown> {
  return { Message: message, Type: type, Id: randomUUID(), Date: Date.now() / 1000, errors: null };
}

/** Mangopay's 401 for a token it does not accept (`invalid_credentials`), with `headers` (e.g. a DPoP challenge). */
function invalidCredentials(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  headers?: Record<string, string>,
): void {
  answerApi(
    ctx,
    req,
    res,
    path,
    401,
    mangopayError('The authorization credentials are not valid', 'invalid_credentials'),
    headers,
  );
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** DPoP servers: whether the call carries a valid proof for a live DPoP token bound to its key; answers it if not. */
function dpopAccepted(
  ctx: ServerContext,
  gate: DPoPGate,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  const token = /^DPoP\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1];
  const required = gate.options.requireNonceAtApi === true;
  const check = gate.check(req, DPoPGate.htuOf(req, path), token ?? '', required, gate.apiNonce);
  const challenge = (error: string, extra: Record<string, string> = {}) =>
    invalidCredentials(ctx, req, res, path, {
      'WWW-Authenticate': `DPoP algs="ES256 ES384 ES512 EdDSA", error="${error}"`,
      ...extra,
    });
  if (!check.ok && check.nonce) {
    challenge('use_dpop_nonce', { 'DPoP-Nonce': gate.apiNonce });
    return false;
  }
  const live = token !== undefined && ctx.tokens.isValid(token, 'mangopay');
  if (check.ok && live && gate.boundKey(token) === check.jkt) return true;
  ctx.counters.invalidTokens += 1;
  challenge('invalid_token');
  return false;
}

/**
 * Any method on `/v2.01/{clientId}/…` or `/V3.0/{clientId}/…`: checks the bearer
 * token, then answers the special route named by `subPath` or echoes the request.
 */
export async function handleMangopayApi(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  subPath: string,
  /** The client whose routes these are (many clients); the main client's when omitted. */
  routeClient: string = ctx.options.clientId,
): Promise<void> {
  const rawBody = await startApiCall(ctx, req);
  if (rawBody === undefined) return;
  const path = url.pathname;
  // Many clients: a token issued to another client than the route's is refused, and counted.
  const owner = ctx.tokens.get(bearerToken(req) ?? '')?.clientId;
  if (owner !== undefined && owner !== routeClient) {
    ctx.counters.wrongClientTokens += 1;
    ctx.counters.invalidTokens += 1;
    invalidCredentials(ctx, req, res, path);
    return;
  }
  if (ctx.dpop && !dpopAccepted(ctx, ctx.dpop, req, res, path)) return;
  if (!ctx.dpop && !ctx.tokens.isValid(bearerToken(req), 'mangopay', peerThumbprint(req))) {
    ctx.counters.invalidTokens += 1;
    invalidCredentials(ctx, req, res, path);
    return;
  }
  switch (subPath) {
    case '/sca-required':
      ctx.counters.scaChallenges += 1;
      answerApi(ctx, req, res, path, 401, mangopayError('Strong customer authentication required', 'not_authorized'), {
        'WWW-Authenticate': `PendingUserAction RedirectUrl=${SCA_REDIRECT_URL}`,
      });
      return;
    case '/not-authorized':
      answerApi(ctx, req, res, path, 401, mangopayError('This action is not authorized', 'not_authorized'));
      return;
    case '/forbidden':
      answerApi(
        ctx,
        req,
        res,
        path,
        403,
        mangopayError('You do not have access to this resource', 'forbidden_ressource'),
      );
      return;
    case '/rate-limited':
      answerApi(ctx, req, res, path, 429, mangopayError('Too many requests', 'rate_limit'), { 'Retry-After': '1' });
      return;
    case '/redirect': {
      const to = url.searchParams.get('to') ?? '';
      if (!isAbsoluteHttpUrl(to)) {
        answerApi(ctx, req, res, path, 400, mangopayError('The "to" parameter must be an absolute URL', 'param_error'));
        return;
      }
      answerApi(ctx, req, res, path, 302, undefined, { Location: to });
      return;
    }
    case '/slow': {
      const ms = Number(url.searchParams.get('ms') ?? '0');
      if (!(await ctx.sleep(Number.isFinite(ms) && ms > 0 ? ms : 0))) return;
      break;
    }
    default:
      break;
  }
  // Token exchange: the subject the token was issued for, so a client can check whose token it sent.
  const subject = ctx.tokens.subjectOf(ctx.dpop ? undefined : bearerToken(req));
  const body = echo(req, url, rawBody);
  answerApi(ctx, req, res, path, 200, subject === undefined ? body : { ...body, subject });
}
