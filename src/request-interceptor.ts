import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import type { TokenSource } from './token-source';
import { requestOrigin } from './url';
import './request-options';

/** Which access token each request config was sent with; read by the response side. */
export type SentTokens = WeakMap<object, string>;

/**
 * The request interceptor: injects `Authorization: Bearer …` into requests bound for an allowed
 * origin, unless the request opts out or the caller set its own `Authorization` header.
 */
export function createRequestInterceptor(source: TokenSource, apiOrigins: ReadonlySet<string>, sent: SentTokens) {
  return async function injectBearer(config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> {
    const flags = config.oauth2;
    if (flags?.skip) return config;
    const origin = requestOrigin(config);
    if (origin === undefined || !apiOrigins.has(origin)) return config;
    const headers = config.headers instanceof AxiosHeaders ? config.headers : AxiosHeaders.from(config.headers);
    config.headers = headers;
    if (headers.has('Authorization') && !flags?.injected) return config;
    const token = await source.getToken(config.signal);
    headers.set('Authorization', `Bearer ${token.accessToken}`);
    config.oauth2 = { ...flags, injected: true };
    sent.set(config, token.accessToken);
    return config;
  };
}
