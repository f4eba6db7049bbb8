import { send, tooLarge } from '../../http/send';
import { Secrets } from '../../security/secrets';
import type { EndpointRequestContext } from '../../contracts/endpoint';

/** How a metadata document is fetched: the token requests' client, transport, deadline and size cap. */
export type MetadataTransport = EndpointRequestContext;

/** A fetched document (any JSON value), or why there is none (no secret: a URL and a status). */
export type MetadataAnswer = { kind: 'document'; document: unknown } | { kind: 'failed'; why: string; status?: number };

function parse(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * GETs one metadata document through the one path to the authorization server (`send`): outside the
 * attached instance's interceptors, no redirect followed, bounded in time and size.
 */
export async function fetchMetadata(url: string, metadata: MetadataTransport): Promise<MetadataAnswer> {
  const { client, transport, maxBytes, signal } = metadata;
  const request = { method: 'GET', url, headers: { Accept: 'application/json' } } as const;
  // A discovery request carries no credential: nothing to scrub but what the error itself says.
  const answer = await send(request, { client, transport, maxBytes, signal, secrets: new Secrets() });
  if (answer.kind === 'unreachable') {
    // Only the error's code (ECONNREFUSED, …): its message is not needed, and not shown.
    const code = (answer.cause as { code?: unknown }).code;
    const reason = answer.timedOut
      ? `no answer within ${transport.timeoutMs} ms`
      : typeof code === 'string'
        ? code
        : 'network error';
    return { kind: 'failed', why: `${url} could not be reached (${reason})` };
  }
  const { status } = answer;
  if (answer.kind === 'redirect')
    return { kind: 'failed', status, why: `${url} answered a redirect (HTTP ${status}); discovery never follows one` };
  if (status < 200 || status >= 300) return { kind: 'failed', status, why: `${url} answered HTTP ${status}` };
  if (tooLarge(answer.body)) {
    return {
      kind: 'failed',
      status,
      why: `${url} answered a body larger than maxTokenResponseBytes (${maxBytes} bytes)`,
    };
  }
  const document = parse(answer.body);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { kind: 'failed', status, why: `${url} did not answer a JSON object` };
  }
  return { kind: 'document', document };
}
