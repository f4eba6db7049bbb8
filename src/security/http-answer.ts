import type { ErrorResponse } from '../errors';
import { scrubDeep } from './redact';
import { safeValue } from './safe-view';

const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** A plain copy of `headers` (AxiosHeaders of any copy, or a plain object) without credential headers, values scrubbed. */
export function safeHeaders(headers: unknown, secrets: readonly string[]): Record<string, string> {
  const source = headers as { toJSON?: () => unknown } | Record<string, unknown> | undefined;
  const plain =
    typeof source?.toJSON === 'function' ? (source.toJSON as () => unknown)() : (source as Record<string, unknown>);
  const out: Record<string, string> = {};
  if (!plain || typeof plain !== 'object') return out;
  for (const [key, value] of Object.entries(plain)) {
    if (DROPPED_HEADERS.has(key.toLowerCase()) || value === undefined || value === null) continue;
    out[key.toLowerCase()] = scrubDeep(Array.isArray(value) ? value.join(', ') : String(value), secrets);
  }
  return out;
}

/** A body as an error may show it: JSON-like values scrubbed, anything else reduced by the safe view. */
function safeData(data: unknown, secrets: readonly string[]): unknown {
  return scrubDeep(safeValue(data), secrets);
}

/**
 * The secret-free answer of an axios response, as a plugin error shows it in `error.response`:
 * headers without credential headers, the body with `secrets` scrubbed (a stream or buffer shows as
 * `[ClassName]`).
 */
export function answerOf(
  response: { status?: unknown; statusText?: unknown; headers?: unknown; data?: unknown },
  secrets: readonly string[],
): ErrorResponse {
  return {
    status: typeof response.status === 'number' ? response.status : 0,
    statusText: typeof response.statusText === 'string' ? response.statusText : '',
    headers: safeHeaders(response.headers, secrets),
    data: safeData(response.data, secrets),
  };
}

/**
 * What `error.response` is when no server answered (a network failure or time-out at the token
 * endpoint, a detach): status 0, no headers, and the plugin's error as an RFC 6749-style body
 * (`error`: the plugin's code, `error_description`: its message, which holds no secret).
 */
export function noAnswer(error: { code: string; message: string }): ErrorResponse {
  return { status: 0, statusText: '', headers: {}, data: { error: error.code, error_description: error.message } };
}
