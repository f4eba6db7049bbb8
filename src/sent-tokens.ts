import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';

/**
 * Which `Authorization` value the plugin put into a request, kept on its config under a symbol.
 * The value is behind a function, so neither `JSON.stringify` nor `util.inspect` of the config
 * shows it. One marker per token (made when the token is first injected), so marking a request
 * costs one property write.
 */
export interface InjectedMarker {
  /** The exact header value injected: `Bearer <access token>`. */
  readonly header: () => string;
}

const INJECTED = Symbol('axios-oauth2-bearer.injected');

/** The marker of one injected header value. */
export function injectedMarker(header: string): InjectedMarker {
  return { header: () => header };
}

/** Records that `config` went out with the plugin's header `marker` stands for. */
export function markInjected(config: object, marker: InjectedMarker): void {
  (config as Record<symbol, InjectedMarker>)[INJECTED] = marker;
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
  const marker = (config as unknown as Record<symbol, InjectedMarker | undefined>)[INJECTED];
  const header = marker?.header();
  return header !== undefined && authorizationOf(config) === header ? header : undefined;
}
