import type { AxiosInstance } from 'axios';
import { cacheKey } from './cache-key';
import { OAuth2OptionsError } from './errors';
import type { OAuth2Options } from './options';
import { createRequestInterceptors } from './request-interceptor';
import { createResponseInterceptor } from './response-interceptor';
import { SafeStore } from './safe-store';
import { TokenClient } from './token-client';
import { TokenFetcher } from './token-fetcher';
import { TokenSource } from './token-source';
import { resolveOptions } from './validate-options';

/** What {@link attachOAuth2} returns. */
export interface OAuth2Handle {
  /** The cached access token, or one fresh fetch shared by all concurrent callers. */
  getAccessToken(): Promise<string>;
  /** Forgets the cached token (and refresh token), here and in the store; the next request fetches anew. */
  invalidate(): Promise<void>;
  /** Removes the plugin's interceptors, leaving the instance as it was. Idempotent. */
  detach(): void;
  /** The key under which the token is cached (a hash; no secret in it). */
  readonly cacheKey: string;
}

const ATTACHED = Symbol.for('axios-oauth2-bearer.attached');

/**
 * Gives `instance` OAuth 2.0 bearer authentication: a request interceptor that injects the token
 * (fetched once for all concurrent callers, renewed ahead of expiry) and a response interceptor
 * that refreshes and replays once when the token is rejected.
 *
 * @throws {OAuth2OptionsError} (a `TypeError`) naming the option at fault, or when the instance already has the plugin.
 */
export function attachOAuth2(instance: AxiosInstance, options: OAuth2Options): OAuth2Handle {
  if (!instance || typeof instance.request !== 'function' || !instance.interceptors) {
    throw new OAuth2OptionsError(
      'instance',
      'axios-oauth2-bearer: attachOAuth2 needs an axios instance (from axios.create()) as its first argument',
    );
  }
  if ((instance as unknown as Record<symbol, unknown>)[ATTACHED]) {
    throw new OAuth2OptionsError(
      'instance',
      'axios-oauth2-bearer: this axios instance already has the plugin attached; call detach() on the first handle before attaching again',
    );
  }
  const resolved = resolveOptions(instance, options);
  const key = cacheKey(resolved);
  const store = new SafeStore(resolved.store, key, resolved.hooks);
  const source = new TokenSource(resolved, new TokenFetcher(new TokenClient(instance, resolved), resolved), store);
  const request = createRequestInterceptors(source, resolved.apiOrigins);
  // Registered in this order: axios asks whenCached, then whenFetching, and runs at most one of them.
  const cachedId = instance.interceptors.request.use(request.injectCached, undefined, {
    synchronous: true,
    runWhen: request.whenCached,
  });
  const fetchingId = instance.interceptors.request.use(request.injectFetched, undefined, {
    runWhen: request.whenFetching,
  });
  const responseId = instance.interceptors.response.use(
    undefined,
    createResponseInterceptor(instance, source, resolved),
  );
  Object.defineProperty(instance, ATTACHED, { value: true, configurable: true, enumerable: false });

  let attached = true;
  return {
    cacheKey: key,
    getAccessToken: async () => (await source.getToken()).accessToken,
    invalidate: () => source.invalidate(),
    detach() {
      if (!attached) return;
      attached = false;
      instance.interceptors.request.eject(cachedId);
      instance.interceptors.request.eject(fetchingId);
      instance.interceptors.response.eject(responseId);
      delete (instance as unknown as Record<symbol, unknown>)[ATTACHED];
    },
  };
}
