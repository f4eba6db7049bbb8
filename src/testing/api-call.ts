import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ServerContext } from './context';
import { echoBody, header, readBody, sendJson } from './http-utils';

/** Body of a successful API call: what the server received. */
/** Counts an API call and reads its body; undefined when the client went away mid-body (nothing to answer). */
export async function startApiCall(ctx: ServerContext, req: IncomingMessage): Promise<string | undefined> {
  ctx.counters.apiCalls += 1;
  try {
    return await readBody(req);
  } catch {
    return undefined;
  }
}

export interface EchoBody {
  ok: true;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the raw string; `null` when empty. */
  body: unknown;
  headers: { 'idempotency-key': string | null };
  /** Token exchange: the subject the request's token was issued for (absent for other tokens). */
  subject?: string;
}

/** Builds the echo answered by every ordinary API route. */
export function echo(req: IncomingMessage, url: URL, rawBody: string): EchoBody {
  return {
    ok: true,
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: echoBody(rawBody),
    headers: { 'idempotency-key': header(req, 'idempotency-key') ?? null },
  };
}

/** Answers an API call as JSON, updating the API counters and the API request log. */
export function answerApi(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const { counters } = ctx;
  if (status >= 200 && status < 300) counters.apiSuccesses += 1;
  if (status === 401) counters.api401 += 1;
  if (status === 403) counters.api403 += 1;
  ctx.apiLog.push({
    at: Date.now(),
    method: req.method ?? 'GET',
    path,
    authorization: header(req, 'authorization'),
    idempotencyKey: header(req, 'idempotency-key'),
    status,
  });
  if (status >= 300 && status < 400) {
    if (!res.headersSent && !res.destroyed) res.writeHead(status, { ...headers, 'Content-Length': 0 }).end();
    return;
  }
  sendJson(res, status, body, headers);
}
