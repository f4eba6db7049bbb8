import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ServerContext } from './context';
import { answerWithFault } from './faults';
import { header, readBody, sendJson } from './http-utils';
import type { TokenRequestRecord } from './types';

type MutableRecord = { -readonly [K in keyof TokenRequestRecord]: TokenRequestRecord[K] };

/**
 * Common start of every token call (Mangopay token or Musement login): counts
 * and logs it, applies the next fault, then reads the body. Resolves the body,
 * or undefined when the call was answered by a fault or the client went away.
 */
export async function beginTokenCall(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<string | undefined> {
  ctx.counters.tokenCalls += 1;
  const record: MutableRecord = {
    at: Date.now(),
    method: req.method ?? 'GET',
    path,
    authorization: header(req, 'authorization'),
    contentType: header(req, 'content-type'),
    body: '',
  };
  ctx.tokenLog.push(record);
  const fault = ctx.faults.next();
  if (fault !== undefined && fault.type !== 'delay') {
    ctx.counters.tokenFaults += 1;
    if (fault.type === 'status' && fault.delayMs !== undefined && !(await ctx.sleep(fault.delayMs))) return undefined;
    answerWithFault(res, fault);
    return undefined;
  }
  if (fault !== undefined) {
    ctx.counters.tokenDelays += 1;
    if (!(await ctx.sleep(fault.ms))) return undefined;
  }
  try {
    record.body = await readBody(req);
  } catch {
    return undefined;
  }
  return record.body;
}

/** Answers a token call with an OAuth error (RFC 6749 §5.2) and counts the failure. */
export function tokenError(
  ctx: ServerContext,
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers: OutgoingHttpHeaders = {},
): void {
  ctx.counters.tokenFailures += 1;
  sendJson(res, status, { error, error_description: description }, headers);
}

/** Answers a token call with a token response and counts the success. */
export function tokenSuccess(ctx: ServerContext, res: ServerResponse, body: Record<string, unknown>): void {
  ctx.counters.tokenSuccesses += 1;
  sendJson(res, 200, body, { Pragma: 'no-cache' });
}
