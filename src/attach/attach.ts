import type { AxiosInstance } from 'axios';
import { registerAttachment } from './attachments';
import type { AxiosLike } from './axios-like';
import { cacheKey } from '../token/cache-key';
import { OAuth2OptionsError } from '../errors';
import type { OAuth2Options } from '../options/options';
import { createRequestInterceptors } from '../interceptors/request-interceptor';
import { registerFastPath } from '../interceptors/fast-path';
import { createResponseInterceptor } from '../interceptors/response-interceptor';
import { Lifecycle } from './lifecycle';
import { createResolvedRejectionHandler } from '../interceptors/resolved-rejection';
import { SafeStore } from '../store/safe-store';
import type { StoredToken } from '../store/token-store';
import { EndpointExchange } from '../token/endpoint-exchange';
import { GrantRunner } from '../token/grant-runner';
import { TokenCache } from '../token/token-cache';
import { resolveOptions } from '../options/validate-options';
import { notingNonces } from '../dpop/response-nonces';
import { schemeOf, type DPoPBinding } from '../dpop/dpop-binding';

/** What {@link OAuth2Handle.getToken} resolves to. The refresh token, if any, is never handed out. */
export interface TokenInfo {
  /** The access token. */
  accessToken: string;
  /**
   * The scheme the plugin sends the token with: `'DPoP'` for a DPoP token (with the `dpop` option),
   * else `'Bearer'`, whatever the server's `token_type` said.
   */
  tokenType: 'Bearer' | 'DPoP';
  /** When the token expires (from the server's `expires_in`, counted from when the request was sent); absent when the server gave none. */
  expiresAt?: Date;
  /** The scope the server granted, when it said. */
  scope?: string;
}

/** Options of {@link OAuth2Handle.getToken}. */
export interface GetTokenOptions {
  /**
   * Fetch a new token even if the cached one is still valid (the cached one is dropped). Concurrent
   * forced calls share one fetch; so do requests waiting meanwhile. @default false
   */
  forceRefresh?: boolean;
}

/** What {@link attachOAuth2} returns. */
export interface OAuth2Handle {
  /** The cached access token, or one fresh fetch shared by all concurrent callers. */
  getAccessToken(): Promise<string>;
  /** Like {@link OAuth2Handle.getAccessToken}, with the token's type, expiry and scope; `forceRefresh` to renew it. */
  getToken(options?: GetTokenOptions): Promise<TokenInfo>;
  /** Forgets the cached token (and refresh token), here and in the store; the next request fetches anew. */
  invalidate(): Promise<void>;
  /**
   * Removes the plugin's interceptors, leaving the instance as it was, and stops everything the plugin
   * still runs: an in-flight token request is aborted, retry sleeps and cool-down waits end, and every
   * caller still waiting for a token (a request, a replay, `getAccessToken()`) rejects with
   * `DetachedError` (code `OAUTH2_DETACHED`). Nothing of the plugin keeps the process alive afterwards.
   * Idempotent.
   */
  detach(): void;
  /** The key under which the token is cached (a hash; no secret in it). */
  readonly cacheKey: string;
}

/**
 * Gives `instance` OAuth 2.0 bearer authentication: a request interceptor that injects the token
 * (fetched once for all concurrent callers, renewed ahead of expiry) and a response interceptor
 * that refreshes and replays once when the token is rejected.
 *
 * `axiosInstance` may be an instance from `axios.create()` or the default export, of any axios 1.x
 * copy (an SDK's own one included). One axios object may carry several attachments when their
 * `apiOrigins` are disjoint (e.g. sandbox and production on the default export).
 *
 * @throws {OAuth2OptionsError} (a `TypeError`) naming the option at fault, or `apiOrigins` when another
 * attachment on the same axios object already serves one of the origins.
 */
export function attachOAuth2(axiosInstance: AxiosLike, options: OAuth2Options): OAuth2Handle {
  // The plugin uses only what AxiosLike declares; this copy's types stand for any copy's.
  const instance = axiosInstance as unknown as AxiosInstance;
  if (!instance || typeof instance.request !== 'function' || !instance.interceptors) {
    throw new OAuth2OptionsError(
      'instance',
      'axios-oauth2-bearer: attachOAuth2 needs an axios instance (from axios.create()) as its first argument',
    );
  }
  const resolved = resolveOptions(instance, options);
  // One clock: a store that reads the time (Redis TTLs and error pause) reads the plugin's.
  resolved.store.useClock?.(resolved.clock);
  const unregister = registerAttachment(instance, resolved.apiOrigins);
  const key = cacheKey(resolved);
  const store = new SafeStore(
    resolved.store,
    key,
    resolved.hooks,
    resolved.storeTimeoutMs,
    options.store === undefined,
  );
  const lifecycle = new Lifecycle();
  const fetcher = new GrantRunner(new EndpointExchange(instance, resolved), resolved, lifecycle);
  const source = new TokenCache(resolved, fetcher, store, lifecycle);
  const request = createRequestInterceptors(source, resolved);
  const ejectRequest = registerFastPath(
    instance.interceptors.request,
    request.route,
    request.injectCached,
    request.injectFetched,
  );
  const onRejected = createResponseInterceptor(instance, source, resolved);
  const onFulfilled = createResolvedRejectionHandler(onRejected, source);
  const responseId = instance.interceptors.response.use(
    resolved.dpop ? notingNonces(onFulfilled, resolved.dpop) : onFulfilled,
    onRejected,
  );
  // DPoP: the signing module starts loading now (its own chunk); requests wait for it if need be.
  resolved.dpop?.load().catch(() => undefined);

  let attached = true;
  return {
    cacheKey: key,
    getAccessToken: async () => (await source.getToken()).accessToken,
    getToken: async (getOptions) =>
      tokenInfo(await (getOptions?.forceRefresh ? source.forceRenew() : source.getToken()), resolved.dpop),
    invalidate: () => source.invalidate(),
    detach() {
      if (!attached) return;
      attached = false;
      ejectRequest();
      instance.interceptors.response.eject(responseId);
      unregister();
      source.close();
    },
  };
}

function tokenInfo(token: StoredToken, dpop: DPoPBinding | undefined): TokenInfo {
  const info: TokenInfo = { accessToken: token.accessToken, tokenType: schemeOf(token, dpop) };
  if (token.expiresAt !== undefined) info.expiresAt = new Date(token.expiresAt);
  if (token.scope !== undefined) info.scope = token.scope;
  return info;
}
