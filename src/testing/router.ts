import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context';
import { sendJson } from './http-utils';
import { handleMangopayApi, mangopayError } from './mangopay-api';
import { handleMangopayToken, TOKEN_PATH } from './mangopay-token';
import { handleMangopayRevoke, REVOKE_PATH } from './mangopay-revoke';
import { handleMusementApi } from './musement-api';
import { handleMusementLogin } from './musement-login';
import { handleMetadata, MTLS_TOKEN_PATH } from './discovery-document';

/** Prefixes of the Mangopay API routes; the client id follows. */
export const API_PREFIXES = ['/v2.01/', '/V3.0/'] as const;
/** Prefix of the Musement-like routes. */
export const MUSEMENT_PREFIX = '/api/v3';

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The part of `path` after `/v2.01/{clientId}` or `/V3.0/{clientId}`, or undefined if it is not an API path. */
export function clientSubPath(path: string, clientId: string): string | undefined {
  for (const prefix of API_PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const segment = slash < 0 ? rest : rest.slice(0, slash);
    if (safeDecode(segment) === clientId) return slash < 0 ? '' : rest.slice(slash);
  }
  return undefined;
}

/** The extra client an API path names (`/v2.01/{clientId}/…`), with the rest of the path. */
function extraClientRoute(ctx: ServerContext, path: string): { clientId: string; subPath: string } | undefined {
  for (const prefix of API_PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const clientId = safeDecode(slash < 0 ? rest : rest.slice(0, slash));
    if (clientId !== undefined && ctx.clients.has(clientId))
      return { clientId, subPath: slash < 0 ? '' : rest.slice(slash) };
  }
  return undefined;
}

function requestUrl(req: IncomingMessage): URL | undefined {
  const raw = req.url ?? '/';
  try {
    return new URL(raw.startsWith('/') ? `http://127.0.0.1${raw}` : raw);
  } catch {
    return undefined;
  }
}

/** Dispatches one request to the matching handler; unknown paths get a 404. */
export async function route(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestUrl(req);
  const path = url?.pathname ?? '';
  if (url !== undefined) {
    if (path === TOKEN_PATH) return handleMangopayToken(ctx, req, res, path);
    if (path === MTLS_TOKEN_PATH && ctx.options.discovery?.mtlsAlias) return handleMangopayToken(ctx, req, res, path);
    if (handleMetadata(ctx, req, res, path)) return;
    if (path === REVOKE_PATH) return handleMangopayRevoke(ctx, req, res);
    const subPath = clientSubPath(path, ctx.options.clientId);
    if (subPath !== undefined) return handleMangopayApi(ctx, req, res, url, subPath);
    // Many clients: the routes of an extra client, which accept only its tokens.
    const extra = extraClientRoute(ctx, path);
    if (extra !== undefined) return handleMangopayApi(ctx, req, res, url, extra.subPath, extra.clientId);
    const { musement } = ctx.options;
    if (musement !== undefined && (path === MUSEMENT_PREFIX || path.startsWith(`${MUSEMENT_PREFIX}/`))) {
      if (path === `${MUSEMENT_PREFIX}/login`) return handleMusementLogin(ctx, req, res, url, musement);
      return handleMusementApi(ctx, req, res, url, musement);
    }
  }
  sendJson(res, 404, mangopayError(`No route for ${path || 'this URL'}`, 'not_found'));
}
