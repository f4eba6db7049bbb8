import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { headerValue } from '../util/headers';
import { discardBody, readLimited, TOO_LARGE } from '../token/response-limit';
import { startDeadline } from '../token/attempt-deadline';
import { noRedirects } from '../token/server-transport';
import '../interceptors/request-options';

/** How a metadata document is fetched: the token requests' client, transport, deadline and size cap. */
export interface MetadataTransport {
  /** The client that sends token requests (bare, or `tokenHttpClient`). */
  client: AxiosInstance;
  /** Adapter, agents, proxy: as a token request would have them. */
  config: AxiosRequestConfig;
  fetchOptions?: Record<string, unknown>;
  timeoutMs: number;
  maxBytes: number;
  /** The attachment's signal, aborted by `detach()`. */
  signal?: AbortSignal;
}

/** A fetched document (any JSON value), or why there is none (no secret: a URL and a status). */
export type MetadataAnswer = { kind: 'document'; document: unknown } | { kind: 'failed'; why: string; status?: number };

function declaredLength(response: AxiosResponse): number | undefined {
  const value = Number(headerValue(response.headers, 'content-length'));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function parse(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * GETs one metadata document like a token request is sent: outside the attached instance's
 * interceptors (`oauth2.skip`), no redirect followed, bounded in time and size.
 */
export async function fetchMetadata(url: string, transport: MetadataTransport): Promise<MetadataAnswer> {
  const { client, timeoutMs, maxBytes } = transport;
  const deadline = startDeadline(timeoutMs, transport.signal);
  try {
    const response = await client.request({
      method: 'GET',
      url,
      headers: { Accept: 'application/json' },
      ...transport.config,
      timeout: timeoutMs,
      signal: deadline.signal,
      ...noRedirects(transport.fetchOptions),
      maxContentLength: -1,
      responseType: 'stream',
      transformResponse: [(body: unknown) => body],
      validateStatus: () => true,
      oauth2: { skip: true },
    });
    const { status } = response;
    if (status === 0 || (status >= 300 && status < 400)) {
      discardBody(response.data);
      return {
        kind: 'failed',
        status,
        why: `${url} answered a redirect (HTTP ${status}); discovery never follows one`,
      };
    }
    if (status < 200 || status >= 300) {
      discardBody(response.data);
      return { kind: 'failed', status, why: `${url} answered HTTP ${status}` };
    }
    const body = await readLimited(response.data, maxBytes, deadline.signal, declaredLength(response));
    if (body === TOO_LARGE) {
      return {
        kind: 'failed',
        status,
        why: `${url} answered a body larger than maxTokenResponseBytes (${maxBytes} bytes)`,
      };
    }
    const document = parse(body);
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      return { kind: 'failed', status, why: `${url} did not answer a JSON object` };
    }
    return { kind: 'document', document };
  } catch (error) {
    // Only the error's code (ECONNREFUSED, …): its message is not needed, and not shown.
    const code = (error as { code?: unknown } | undefined)?.code;
    const reason = deadline.expired
      ? `no answer within ${timeoutMs} ms`
      : typeof code === 'string'
        ? code
        : 'network error';
    return { kind: 'failed', why: `${url} could not be reached (${reason})` };
  } finally {
    deadline.clear();
  }
}
