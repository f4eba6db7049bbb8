import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { cancelSignals } from '../util/abort';
import { forRequest } from './request-error';
import { injectedMarker, markInjected, type InjectedMarker } from './injected-marker';
import type { StoredToken } from '../store/token-store';
import { tokenEndpointTest } from './token-endpoint-request';
import type { TokenCache } from '../token/token-cache';
import { originOf, originSource, pathOnly } from '../util/url';
import { emit } from '../options/hooks';
import type { ResolvedOptions } from '../options/validate-options';
import type { FastPathRoute } from './fast-path';
import './request-options';
import { schemeOf } from '../dpop/dpop-binding';

/** Distinct base URLs (or absolute URLs) whose verdict is memoised (a client uses one or a few). */
const ORIGIN_MEMO_SIZE = 16;

/** The plugin's request side, as `attachOAuth2` registers it with `registerFastPath` (fast-path.ts). */
export interface RequestInterceptors {
  /** Which interceptor a request takes: none, `injectCached` (a token is cached) or `injectFetched`. */
  route: (config: InternalAxiosRequestConfig) => FastPathRoute;
  /** Synchronous: injects the cached token. */
  injectCached: (config: InternalAxiosRequestConfig) => InternalAxiosRequestConfig;
  /** Waits for a token (the shared fetch), then injects it. */
  injectFetched: (
    config: InternalAxiosRequestConfig,
  ) => InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig>;
}

/**
 * The request side: injects `Authorization: Bearer …` into requests bound for an allowed origin,
 * unless the request opts out or the caller set its own `Authorization` header (which, with
 * `authorizationHeader: 'replace'`, is overwritten instead).
 *
 * Two interceptors, of which axios runs one per request (see `registerFastPath` (fast-path.ts)): with a
 * cached token, a synchronous one, so the hot path costs no extra microtask; without one, an
 * asynchronous one that waits for the shared fetch.
 */
export function createRequestInterceptors(
  source: TokenCache,
  options: Pick<ResolvedOptions, 'apiOrigins' | 'tokenUrl' | 'authorizationHeader' | 'hooks' | 'dpop'>,
): RequestInterceptors {
  const { apiOrigins, hooks, dpop } = options;
  const isTokenRequest = tokenEndpointTest(options.tokenUrl);
  /** `authorizationHeader: 'replace'`: a caller's `Authorization` header is overwritten. */
  const replace = options.authorizationHeader === 'replace';
  /** Whether requests to a base URL (or absolute URL) may carry the bearer, by that URL. */
  const allowedBySource = new Map<string, boolean>();
  /** The last token seen cached: what `injectCached` falls back to if the cache was emptied since `route`. */
  let lastCached: StoredToken | undefined;
  /** The header value and marker of the last token injected, made once per token. */
  let marked: { token: StoredToken; header: string; marker: InjectedMarker; proof: boolean } | undefined;
  /**
   * The request `route` just sent to `injectCached`, with what its verdict rested on. When axios runs
   * `injectCached` right after (the usual case), the checks are not made twice; an interceptor that
   * ran in between and changed the target or the per-request options makes them run again.
   */
  let routedConfig: InternalAxiosRequestConfig | undefined;
  let routedUrl: string | undefined;
  let routedBase: string | undefined;
  let routedOptions: unknown;

  function allowed(config: InternalAxiosRequestConfig): boolean {
    const source = originSource(config);
    let verdict = allowedBySource.get(source);
    if (verdict === undefined) {
      const origin = originOf(source);
      verdict = origin !== undefined && apiOrigins.has(origin);
      if (allowedBySource.size >= ORIGIN_MEMO_SIZE)
        allowedBySource.delete(allowedBySource.keys().next().value as string);
      allowedBySource.set(source, verdict);
    }
    return verdict;
  }

  function route(config: InternalAxiosRequestConfig): FastPathRoute {
    if (config.oauth2?.skip || !allowed(config) || isTokenRequest(config)) return 'none';
    // DPoP: until the signing module is loaded, requests wait for it on the async route.
    if (dpop !== undefined && dpop.session === undefined) return 'async';
    const cached = source.peek(config);
    if (!cached) return 'async';
    lastCached = cached;
    routedConfig = config;
    routedUrl = config.url;
    routedBase = config.baseURL;
    routedOptions = config.oauth2;
    return 'sync';
  }

  /** Whether `route` found `config` bound for an API origin just now, and nothing it checked has changed. */
  function routedUnchanged(config: InternalAxiosRequestConfig): boolean {
    const same =
      routedConfig === config &&
      routedUrl === config.url &&
      routedBase === config.baseURL &&
      routedOptions === config.oauth2;
    routedConfig = undefined;
    return same;
  }

  /**
   * The headers to inject into, or undefined when the caller's own `Authorization` header stays.
   * `skip`, the origin and the token endpoint are checked again: interceptors that run between axios's choice (`runWhen`)
   * and this one may have changed them.
   */
  function headersFor(config: InternalAxiosRequestConfig, checked = false): AxiosHeaders | undefined {
    if (!checked && (config.oauth2?.skip || !allowed(config) || isTokenRequest(config))) return undefined;
    // Duck-typed: the headers of another axios copy (an SDK's own) are kept as they are; converting
    // them to this copy's class would lose them in copies that do not convert back (axios 1.7).
    let headers = config.headers as AxiosHeaders | undefined;
    if (typeof headers?.has !== 'function' || typeof headers.set !== 'function') {
      headers = AxiosHeaders.from(config.headers);
      config.headers = headers;
    }
    if (replace || config.oauth2?.injected || !headers.has('Authorization')) return headers;
    if (hooks.onRequestSkipped) {
      const method = (config.method ?? 'get').toUpperCase();
      emit(hooks, 'onRequestSkipped', { reason: 'caller-authorization', method, url: pathOnly(config.url) });
    }
    return undefined;
  }

  function inject(
    config: InternalAxiosRequestConfig,
    headers: AxiosHeaders,
    token: StoredToken,
  ): InternalAxiosRequestConfig {
    if (marked?.token !== token) {
      const scheme = schemeOf(token, dpop);
      const header = `${scheme} ${token.accessToken}`;
      marked = { token, header, marker: injectedMarker(header, source), proof: scheme === 'DPoP' };
    }
    // DPoP: a fresh proof for this request (one signature), bound to the token by `ath`.
    if (marked.proof) dpop?.session?.signRequest(config, headers, token.accessToken);
    const value = marked.header;
    // First injection: headersFor found no Authorization header (in any case), so a plain property
    // write does; a retry of an injected request, or 'replace', overwrites the header by name.
    if (replace || config.oauth2?.injected) headers.set('Authorization', value, true);
    else headers.Authorization = value;
    config.oauth2 = config.oauth2 ? { ...config.oauth2, injected: true } : { injected: true };
    markInjected(config, marked.marker);
    return config;
  }

  const interceptors: RequestInterceptors = {
    route,
    injectCached(config) {
      const checked = routedUnchanged(config);
      const headers = headersFor(config, checked);
      // Just routed: the token `route` saw is still the one to send (no time has passed).
      const token = (checked ? undefined : source.peek()) ?? lastCached;
      // A token was cached when axios chose this interceptor; if it went since, the one seen then
      // is sent (a rejection of it is handled by the response side).
      return headers && token ? inject(config, headers, token) : config;
    },
    injectFetched(config) {
      if (dpop !== undefined && dpop.session === undefined) {
        return dpop.load().then(
          () => interceptors.injectFetched(config),
          (error: unknown) => {
            throw forRequest(error, config);
          },
        );
      }
      const headers = headersFor(config);
      if (!headers) return config;
      const cached = source.peek();
      if (cached) return inject(config, headers, cached);
      return source.getTokenFor(config, cancelSignals(config)).then(
        (token) => inject(config, headers, token),
        (error: unknown) => {
          throw forRequest(error, config);
        },
      );
    },
  };
  return interceptors;
}
