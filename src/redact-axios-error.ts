import { AxiosHeaders } from 'axios';

/** What an injected `Authorization` header reads as once an error leaves the plugin. */
export const REDACTED_BEARER = 'Bearer [redacted]';

function hideKey(target: object | undefined, key: string): void {
  if (!target || !Object.prototype.hasOwnProperty.call(target, key)) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor?.enumerable && descriptor.configurable !== false) {
    Object.defineProperty(target, key, { ...descriptor, enumerable: false });
  }
}

/**
 * Removes the plugin's bearer token from an axios error before the caller sees it: the injected
 * `Authorization` header is masked, and the raw request objects (which hold the header text) are
 * made non-enumerable, so neither `JSON.stringify(error)` nor `util.inspect(error)` shows the token.
 * The objects stay readable for code that asks for them.
 */
export function redactAxiosError(error: {
  config?: { headers?: unknown };
  request?: unknown;
  response?: object;
}): void {
  const headers = error.config?.headers;
  if (headers instanceof AxiosHeaders) {
    if (headers.has('Authorization')) headers.set('Authorization', REDACTED_BEARER);
  } else if (headers && typeof headers === 'object') {
    for (const key of Object.keys(headers))
      if (key.toLowerCase() === 'authorization') (headers as Record<string, unknown>)[key] = REDACTED_BEARER;
  }
  hideKey(error, 'request');
  hideKey(error.response, 'request');
}
