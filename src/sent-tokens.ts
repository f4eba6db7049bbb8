import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';

/**
 * The exact `Authorization` value the plugin put into a request, kept on its config under a
 * non-enumerable symbol (neither `JSON.stringify` nor `util.inspect` shows it, and axios does not
 * copy it into a re-sent config).
 */
const INJECTED = Symbol('axios-oauth2-bearer.injected-authorization');

/** Records that the plugin sent `config` with `Authorization: value` (one property write per request). */
export function markInjected(config: object, value: string): void {
  Object.defineProperty(config, INJECTED, { value, writable: true, configurable: true });
}

function authorizationOf(config: InternalAxiosRequestConfig): unknown {
  const headers = config.headers as unknown;
  return headers instanceof AxiosHeaders
    ? headers.get('Authorization')
    : (headers as Record<string, unknown> | undefined)?.Authorization;
}

/**
 * The `Authorization` value the plugin injected into `config`, when the request went out with it:
 * undefined when the plugin injected none, or when another interceptor changed the header since
 * (that header is not the plugin's). No history of tokens is kept, so a request that outlives any
 * number of renewals is still recognised.
 */
export function injectedAuthorization(config: InternalAxiosRequestConfig): string | undefined {
  const value = (config as unknown as Record<symbol, string | undefined>)[INJECTED];
  return value !== undefined && authorizationOf(config) === value ? value : undefined;
}
