import type { AxiosInstance, AxiosResponse } from 'axios';
import { headerValue } from '../util/headers';
import type { Secrets } from '../security/secrets';
import { startDeadline } from './deadline';
import { discardBody, readLimited, TOO_LARGE } from './read-limited';
import type { ServerTransport } from './server-transport';
import './request-options';

export { TOO_LARGE } from './read-limited';

/** One request to the authorization server, as built by its feature (token, discovery, revocation). */
export interface ServerRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** The body, already encoded (a form or JSON text). */
  data?: string;
  /** Query parameters (the legacy `query` client authentication). */
  params?: URLSearchParams;
}

/** How it travels, and what bounds it. */
export interface SendContext {
  /** The client that sends it: `tokenHttpClient`, else a bare axios client. */
  client: AxiosInstance;
  /** Adapter, agents, proxy, fetch options and the deadline (see `serverTransport`). */
  transport: ServerTransport;
  /** The size cap of the answer's body (`maxTokenResponseBytes`). */
  maxBytes: number;
  /** Aborts it early: the attachment's (`detach()`), or the token attempt's deadline. */
  signal?: AbortSignal;
  /** What it carries, scrubbed from a transport error. */
  secrets: Secrets;
}

/**
 * What the authorization server did, every outcome a value:
 * - `answer`: a status other than a redirect, with the body as text (or what a custom adapter parsed),
 *   or {@link TOO_LARGE} when it had more than the cap (not read further, the connection closed);
 * - `redirect`: a 3xx, or fetch's opaque redirect (status 0): never followed, its body discarded;
 * - `unreachable`: no answer (network failure, the deadline, an abort): `cause` is a plain, scrubbed
 *   copy of the error (name, message, code), `timedOut` says whether a deadline passed.
 */
export type ServerAnswer =
  | { kind: 'answer'; status: number; statusText: string; headers: unknown; body: unknown }
  | { kind: 'redirect'; status: number; statusText: string; headers: unknown }
  | { kind: 'unreachable'; cause: Error; timedOut: boolean };

/**
 * A redirect, or what fetch makes of one with `redirect: 'manual'` where the platform hides it
 * (an opaque-redirect response, status 0).
 */
export function isRedirect(status: number): boolean {
  return status === 0 || (status >= 300 && status < 400);
}

function declaredLength(response: AxiosResponse): number | undefined {
  const value = Number(headerValue(response.headers, 'content-length'));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The one path to the authorization server: every request the plugin makes there (token, discovery,
 * revocation) goes through here, with the same guarantees whatever the client and adapter (http or
 * fetch, on any axios version):
 * - an overall deadline (`transport.timeoutMs`: an abort signal over connection, headers and body,
 *   not only axios's idle `timeout`), under `context.signal`;
 * - no redirect followed (`maxRedirects: 0` and fetch `redirect: 'manual'`; a 3xx is a `redirect`):
 *   following would send the credentials, or accept an answer, from wherever it points;
 * - the body read as a stream up to `maxBytes`, on every adapter (some ignore `maxContentLength`);
 * - marked `oauth2.skip`, so a client with this plugin attached (even the attached instance) sends
 *   it as is: no bearer, no replay;
 * - a transport error reduced to a scrubbed copy: nothing axios attaches (config, credentials) leaves.
 *
 * Never rejects.
 */
export async function send(request: ServerRequest, context: SendContext): Promise<ServerAnswer> {
  const { client, transport, maxBytes, secrets } = context;
  const { timeoutMs, fetchOptions } = transport;
  const deadline = startDeadline(timeoutMs, context.signal);
  try {
    const response = await client.request({
      ...request,
      ...transport.inherited,
      timeout: timeoutMs,
      signal: deadline.signal,
      // Never follow a redirect (axios 1.7–1.19's fetch adapter ignores `maxRedirects`).
      maxRedirects: 0,
      fetchOptions: { ...fetchOptions, redirect: 'manual' },
      // Enforced below on every adapter (some ignore it, others would hide the status).
      maxContentLength: -1,
      responseType: 'stream',
      transformRequest: [(body: unknown) => body],
      transformResponse: [(body: unknown) => body],
      validateStatus: () => true,
      oauth2: { skip: true },
    });
    const { status, statusText, headers } = response;
    if (isRedirect(status)) {
      discardBody(response.data);
      return { kind: 'redirect', status, statusText, headers };
    }
    const body = await readLimited(response.data, maxBytes, deadline.signal, declaredLength(response));
    return { kind: 'answer', status, statusText, headers, body };
  } catch (error) {
    const reason: unknown = deadline.signal.reason;
    const timedOut = deadline.expired;
    return { kind: 'unreachable', cause: secrets.safeCause(timedOut ? reason : error), timedOut };
  } finally {
    deadline.clear();
  }
}

/** Whether an answer's body was over the cap. */
export function tooLarge(body: unknown): body is typeof TOO_LARGE {
  return body === TOO_LARGE;
}
