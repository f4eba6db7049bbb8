import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import type { StoredToken } from './stores/token-store';
import type { TokenSource } from './token-source';
import { requestOrigin } from './url';
import './request-options';

/** Which access token each request config was sent with; read by the response side. */
export type SentTokens = WeakMap<object, string>;

/** Distinct base URLs whose origin is memoised (a client uses one or a few). */
const ORIGIN_MEMO_SIZE = 16;

/**
 * The request interceptor: injects `Authorization: Bearer …` into requests bound for an allowed
 * origin, unless the request opts out or the caller set its own `Authorization` header. With a
 * cached token it returns synchronously, so the hot path costs no extra promise.
 */
export function createRequestInterceptor(source: TokenSource, apiOrigins: ReadonlySet<string>, sent: SentTokens) {
  const originMemo = new Map<string, string | undefined>();

  function allowed(config: InternalAxiosRequestConfig): boolean {
    const memoKey = `${config.baseURL ?? ''}\n${config.url ?? ''}\n${config.allowAbsoluteUrls ?? ''}`;
    let origin = originMemo.get(memoKey);
    if (origin === undefined && !originMemo.has(memoKey)) {
      origin = requestOrigin(config);
      if (originMemo.size >= ORIGIN_MEMO_SIZE) originMemo.delete(originMemo.keys().next().value as string);
      originMemo.set(memoKey, origin);
    }
    return origin !== undefined && apiOrigins.has(origin);
  }

  function inject(
    config: InternalAxiosRequestConfig,
    headers: AxiosHeaders,
    token: StoredToken,
  ): InternalAxiosRequestConfig {
    headers.set('Authorization', `Bearer ${token.accessToken}`);
    config.oauth2 = { ...config.oauth2, injected: true };
    sent.set(config, token.accessToken);
    return config;
  }

  return function injectBearer(
    config: InternalAxiosRequestConfig,
  ): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> {
    const flags = config.oauth2;
    if (flags?.skip || !allowed(config)) return config;
    const headers = config.headers instanceof AxiosHeaders ? config.headers : AxiosHeaders.from(config.headers);
    config.headers = headers;
    if (headers.has('Authorization') && !flags?.injected) return config;
    const cached = source.peek();
    if (cached) return inject(config, headers, cached);
    return source.getToken(config.signal).then((token) => inject(config, headers, token));
  };
}
