import { AxiosHeaders } from 'axios';
import { scrubDeep } from './redact';
import { headerValue } from '../util/headers';
import { safeValue, serialiseAs, showAs } from './safe-view';

/** What an injected `Authorization` header reads as once an error leaves the plugin. */
export const REDACTED_BEARER = 'Bearer [redacted]';

type ErrorLike = Error & {
  config?: object & { headers?: unknown };
  request?: unknown;
  response?: object & { data?: unknown };
};

function hideKey(target: object | undefined, key: string): void {
  if (!target || !Object.prototype.hasOwnProperty.call(target, key)) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor?.enumerable && descriptor.configurable !== false) {
    Object.defineProperty(target, key, { ...descriptor, enumerable: false });
  }
}

/**
 * Replaces the plugin's own `Authorization` header (exactly `injected`) with {@link REDACTED_BEARER}
 * (`DPoP [redacted]` for a DPoP token, whose `DPoP` proof header is masked with it).
 */
function maskInjected(headers: unknown, injected: string): void {
  const dpop = injected.startsWith('DPoP ');
  const masked = dpop ? 'DPoP [redacted]' : REDACTED_BEARER;
  if (headers instanceof AxiosHeaders) {
    if (headers.get('Authorization') !== injected) return;
    headers.set('Authorization', masked);
    if (dpop && headers.has('DPoP')) headers.set('DPoP', '[redacted]');
  } else if (headers && typeof headers === 'object') {
    const plain = headers as Record<string, unknown>;
    const ours = Object.keys(plain).some((key) => key.toLowerCase() === 'authorization' && plain[key] === injected);
    if (!ours) return;
    for (const key of Object.keys(plain)) {
      const name = key.toLowerCase();
      if (name === 'authorization') plain[key] = masked;
      else if (dpop && name === 'dpop') plain[key] = '[redacted]';
    }
  }
}

/** The secret-free rendering of an axios error: what `JSON.stringify(error)` shows. */
function errorView(error: ErrorLike): Record<string, unknown> {
  const { response } = error;
  return {
    name: error.name,
    message: error.message,
    code: (error as { code?: unknown }).code,
    status: (response as { status?: unknown } | undefined)?.status ?? (error as { status?: unknown }).status,
    config: error.config && safeValue(error.config),
    stack: error.stack,
  };
}

/**
 * The secret-free rendering of a response: no request, a stream body (which holds the socket) as
 * `[IncomingMessage]`, and the plugin's token scrubbed from the body (an API may echo it).
 */
function responseView(response: object, secrets: readonly string[]): Record<string, unknown> {
  const view = scrubDeep(safeValue({ ...response }) as Record<string, unknown>, secrets);
  delete view.request;
  return view;
}

/**
 * Makes an axios error safe to log before it leaves the plugin:
 * - the plugin's own bearer (`injected`, the exact header value it sent) is masked in the live
 *   config, which stays usable otherwise (a retry re-injects a fresh token);
 * - the raw request objects (which hold the header text) become non-enumerable;
 * - `JSON.stringify` and `util.inspect` of the error, its `config` and its `response` show a safe
 *   view: every credential header masked (the caller's own too), and agents, sockets, streams,
 *   signals, cancel tokens and other objects reduced to `[ClassName]`.
 *
 * Everything stays readable (`error.config.httpsAgent`, `error.request`) for code that asks for it,
 * and a config re-sent as is (axios-retry) still carries the caller's headers, agents and body.
 */
export function redactAxiosError(error: ErrorLike, injected?: string): void {
  const { config, response } = error;
  // A DPoP proof sent with the plugin's token is scrubbed like the token (a server may echo it).
  const proof = injected?.startsWith('DPoP ') && config ? headerValue(config.headers, 'dpop') : undefined;
  if (config) {
    if (injected !== undefined) maskInjected(config.headers, injected);
    showAs(config, () => safeValue(config));
  }
  hideKey(error, 'request');
  if (response) {
    hideKey(response, 'request');
    const secrets = injected === undefined ? [] : [injected.slice(injected.indexOf(' ') + 1)];
    if (proof !== undefined && proof !== '[redacted]') secrets.unshift(proof);
    showAs(response, () => responseView(response, secrets));
  }
  // util.inspect keeps its usual error format (stack, then the now safe config and response).
  serialiseAs(error, () => errorView(error));
}
