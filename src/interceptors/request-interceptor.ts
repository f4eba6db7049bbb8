import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { cancelSignals, raceSignal } from '../util/abort';
import { forRequest } from './request-error';
import { injectedMarker, markInjected, type InjectedMarker } from '../http/injected-marker';
import type { StoredToken } from '../store/token-store';
import { tokenEndpointsTest } from './token-endpoint-request';
import type { EndpointDiscovery } from './discovered-endpoint';
import { TokenCache } from '../token/token-cache';
import { notExchanging } from '../token/token-entries';
import { requestSelector } from '../token/token-selector';
import { originOf, originSource, pathOnly } from '../util/url';
import { hasHeader } from '../util/headers';
import { emit } from '../events/hooks';
import type { ResolvedOptions } from '../options/validate-options';
import type { FastPathRoute } from './fast-path';
import { cacheProbes } from '../events/attachment-events';
import '../http/request-options';
import { tokenScheme } from '../token/token-scheme';
import type { AttachmentTokens } from '../token/attachment-tokens';
import type { SourceChoice, TokenSource } from '../contracts/token-source';
import { OAuth2RequestOptionsError } from '../errors';

/** A request whose chosen token source is not loaded yet (it takes the async route, which loads it). */
class PendingSource {
  constructor(readonly key: string) {}
}

/** Distinct base URLs (or absolute URLs) whose verdict is memoised (a client uses one or a few). */
const ORIGIN_MEMO_SIZE = 16;

/**
 * The verdict on requests bound where a config is (its base URL or absolute URL): `of(origin)` for an
 * API origin, false for any other. Memoised per source, the last {@link ORIGIN_MEMO_SIZE} kept.
 */
function bySource<T>(
  apiOrigins: ReadonlySet<string>,
  of: (origin: string) => T,
): (config: InternalAxiosRequestConfig) => T | false {
  const memo = new Map<string, T | false>();
  return (config) => {
    const source = originSource(config);
    let verdict = memo.get(source);
    if (verdict === undefined) {
      const origin = originOf(source);
      verdict = origin !== undefined && apiOrigins.has(origin) && of(origin);
      if (memo.size >= ORIGIN_MEMO_SIZE) memo.delete(memo.keys().next().value as string);
      memo.set(source, verdict);
    }
    return verdict;
  };
}

/** A token's header value and marker, made once per token. */
interface Marked {
  token: StoredToken;
  header: string;
  marker: InjectedMarker;
  /** Whether requests sent with it are signed by the sender constraint (a DPoP proof). */
  proof: boolean;
}

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
  entries: AttachmentTokens,
  options: Pick<
    ResolvedOptions,
    'apiOrigins' | 'tokenUrl' | 'authorizationHeader' | 'hooks' | 'events' | 'senderConstraint' | 'subjectGrant'
  >,
  /**
   * With an endpoint source (`discover(issuer)`, then `options.tokenUrl` is undefined): where the
   * token endpoints come from once found. Given exactly when `options.tokenUrl` is not.
   */
  discoverEndpoints?: EndpointDiscovery,
  /**
   * A token source chosen per request (many tenants), when the attachment has one; `entries` is then
   * the owner of injected markers.
   */
  choice?: SourceChoice<TokenSource<TokenCache>>,
): RequestInterceptors {
  const { apiOrigins, hooks, senderConstraint: constraint } = options;
  const { hit, miss } = cacheProbes(options.events);
  /**
   * Whether a request targets the token endpoint (it then never gets a bearer). Undefined while a
   * discovered endpoint is not known yet: a request that would get a bearer first waits for the
   * discovery (not for a token), on the asynchronous route.
   */
  let isTokenRequest: ((config: InternalAxiosRequestConfig) => boolean) | undefined =
    options.tokenUrl === undefined ? undefined : tokenEndpointsTest([options.tokenUrl]);
  /** `authorizationHeader: 'replace'`: a caller's `Authorization` header is overwritten. */
  const replace = options.authorizationHeader === 'replace';
  /** The last token seen cached: what `injectCached` falls back to if the cache was emptied since `route`. */
  let lastCached: StoredToken | undefined;
  /** The entry `route` found that token in. */
  let lastEntry: TokenCache | undefined;
  /** The header value and marker of the last token injected, made once per token. */
  let marked: Marked | undefined;
  /** The same, for every token still held (a token dropped is forgotten with it). */
  const markedByToken = new WeakMap<StoredToken, Marked>();
  /**
   * The request `route` just sent to `injectCached`, with what its verdict rested on. When axios runs
   * `injectCached` right after (the usual case), the checks are not made twice; an interceptor that
   * ran in between and changed the target or the per-request options makes them run again.
   */
  let routedConfig: InternalAxiosRequestConfig | undefined;
  let routedUrl: string | undefined;
  let routedBase: string | undefined;
  let routedOptions: unknown;

  /** The token entry of requests bound where `config` is (the default one, or its origin's with `apiOrigins` defaults), or false. */
  const originEntry = bySource(apiOrigins, (origin) => entries.forOrigin(origin));

  /**
   * The token entry `config` takes, undefined when it gets no bearer (`skip`, another origin, the
   * token endpoint), or the error of its per-request options (an unknown key, a bad value): checked
   * on every request that has them and does not `skip`, whatever its origin, so a typo is never
   * silently ignored. A request without per-request options costs what it did before.
   */
  function pick(config: InternalAxiosRequestConfig): TokenCache | OAuth2RequestOptionsError | undefined {
    const perRequest = config.oauth2;
    if (perRequest === undefined) {
      const target = originEntry(config);
      return target && !isTokenRequest?.(config) ? unlessOwnCredentials(config, target) : undefined;
    }
    // Only `true` skips; any other value (`'false'`, `1`, a non-object `oauth2`) is checked below.
    if (perRequest?.skip === true) return undefined;
    if (perRequest?.tenant !== undefined) return noTenants();
    const target = originEntry(config);
    const bearer = target && !isTokenRequest?.(config);
    try {
      // A request that gets no bearer has its options checked, but selects (makes) no entry.
      if (!bearer) return void requestSelector(perRequest);
      return unlessOwnCredentials(config, entries.forRequest(perRequest, target));
    } catch (error) {
      return error as OAuth2RequestOptionsError;
    }
  }

  /** Many tenants: `oauth2.tenant` on an attachment without the `tenants` option. */
  function noTenants(): OAuth2RequestOptionsError {
    return new OAuth2RequestOptionsError(
      'oauth2.tenant',
      'axios-oauth2-bearer: "oauth2.tenant" needs an attachment with the tenants option',
    );
  }

  /** A chosen source: the API origin `config` is bound for, or false when it may not carry the bearer. */
  const allowedOrigin = bySource(apiOrigins, (origin) => origin);
  /** Whether the attachment exchanges a subject token per request (`grant: tokenExchange()`). */
  const exchanging = options.subjectGrant !== undefined;

  /**
   * {@link pick} for an attachment whose token source is chosen per request (`choice`): the entry
   * of the source the request names (`loaded`: the one the async route just loaded), a
   * {@link PendingSource} when it is not loaded yet, the attachment's own entry when it names none,
   * or the error of bad options (none named and no credentials of its own included).
   */
  function pickChosen(
    config: InternalAxiosRequestConfig,
    loaded?: TokenSource<TokenCache>,
  ): TokenCache | PendingSource | OAuth2RequestOptionsError | undefined {
    const sources = choice as SourceChoice<TokenSource<TokenCache>>;
    const perRequest = config.oauth2;
    if (perRequest?.skip === true) return undefined;
    const origin = allowedOrigin(config);
    try {
      // A request that gets no bearer has its options checked, but selects (loads) nothing.
      if (origin === false || isTokenRequest?.(config)) {
        if (perRequest !== undefined) requestSelector(perRequest);
        return undefined;
      }
      const key = sources.keyOf(config);
      const source = key === undefined ? sources.own() : (loaded ?? sources.loaded(key));
      if (source === undefined) return new PendingSource(key as string);
      const target = source.forOrigin(origin);
      const selected =
        perRequest !== undefined && requestSelector(perRequest) !== undefined
          ? source.forRequest(perRequest, target)
          : target;
      const entry = unlessOwnCredentials(config, selected);
      // Token exchange: the request's subject, in its source's own subject entries.
      if (entry !== undefined && exchanging) return source.forSubjectOf(entry, config);
      // A subject on an attachment that exchanges none is refused, as on the plain route.
      if (perRequest?.subjectToken !== undefined) throw notExchanging('oauth2.subjectToken');
      return entry;
    } catch (error) {
      return error as OAuth2RequestOptionsError;
    }
  }

  /**
   * Token exchange (`grant: tokenExchange(…)`): the entry `pick` chose stands for a selection; the
   * request takes its subject's entry, or fails (no subject, or an expired one) with no token call.
   * Chosen once here: an attachment without token exchange runs `pick` alone, at no cost per request.
   */
  const subjects = entries.subjects;
  const select: typeof pick =
    subjects === undefined
      ? pick
      : (config) => {
          const entry = pick(config);
          if (!(entry instanceof TokenCache)) return entry;
          try {
            return entries.forSubjectOf(entry, config);
          } catch (error) {
            return error as OAuth2RequestOptionsError;
          }
        };

  /**
   * `entry`, or undefined when the request carries its own credentials in axios's `auth` option (per
   * request or the instance's `defaults.auth`): axios then sends Basic and drops any `Authorization`
   * header, so no token is fetched or renewed for it. Reported like a caller's own header.
   */
  function unlessOwnCredentials(config: InternalAxiosRequestConfig, entry: TokenCache): TokenCache | undefined {
    if (!config.auth) return entry;
    reportSkipped(config);
    return undefined;
  }

  /** `onRequestSkipped`: a request to an API origin left to the caller's own credentials. */
  function reportSkipped(config: InternalAxiosRequestConfig): void {
    if (!hooks.onRequestSkipped) return;
    const method = (config.method ?? 'get').toUpperCase();
    emit(hooks, 'onRequestSkipped', { reason: 'caller-authorization', method, url: pathOnly(config.url) });
  }

  // A source chosen per request: its pick; without, the plain one (nothing more per request).
  const choose: (
    config: InternalAxiosRequestConfig,
  ) => TokenCache | PendingSource | OAuth2RequestOptionsError | undefined = choice ? pickChosen : select;

  function route(config: InternalAxiosRequestConfig): FastPathRoute {
    const entry = choose(config);
    if (entry === undefined) return 'none';
    // Bad per-request options: the asynchronous interceptor rejects the request with the error.
    if (!(entry instanceof TokenCache)) return 'async';
    // Discovery: until the token endpoint is known, requests wait for it on the async route.
    if (isTokenRequest === undefined) return 'async';
    // A sender constraint: until its session (the signing code) is loaded, requests wait for it on the async route.
    if (constraint !== undefined && constraint.session === undefined) return 'async';
    const cached = entry.peek(config);
    if (!cached) return 'async';
    lastCached = cached;
    lastEntry = entry;
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
   * The entry of `config` checked again (interceptors that run between axios's choice (`runWhen`) and
   * the injection may have changed the target or the options); throws the error of bad options.
   */
  function entryFor(config: InternalAxiosRequestConfig): TokenCache | PendingSource | undefined {
    const entry = choose(config);
    if (entry === undefined || entry instanceof TokenCache || entry instanceof PendingSource) return entry;
    throw forRequest(entry, config);
  }

  /** Loads the request's chosen source (one load shared by all its requests), then handles it. */
  function afterSourceLoad(
    config: InternalAxiosRequestConfig,
    pending: PendingSource,
  ): Promise<InternalAxiosRequestConfig> {
    return (choice as SourceChoice<TokenSource<TokenCache>>).load(pending.key, cancelSignals(config)).then(
      (source) => {
        const entry = pickChosen(config, source);
        if (entry === undefined || entry instanceof PendingSource) return config;
        if (!(entry instanceof TokenCache)) throw forRequest(entry, config);
        return isTokenRequest === undefined ? afterDiscovery(config) : fetchFor(config, entry);
      },
      (error: unknown) => {
        throw forRequest(error, config);
      },
    );
  }

  /** The headers to inject into, or undefined when the caller's own `Authorization` header stays. */
  function headersFor(config: InternalAxiosRequestConfig): AxiosHeaders | undefined {
    // Duck-typed: the headers of another axios copy (an SDK's own) are kept as they are; converting
    // them to this copy's class would lose them in copies that do not convert back (axios 1.7).
    let headers = config.headers as AxiosHeaders | undefined;
    if (typeof headers?.has !== 'function' || typeof headers.set !== 'function') {
      headers = AxiosHeaders.from(config.headers);
      config.headers = headers;
    }
    // The caller's own header. This copy's AxiosHeaders: `has('Authorization')`'s answer, at a fraction of its cost.
    const own =
      headers instanceof AxiosHeaders
        ? hasHeader(headers, 'authorization')
        : (headers as Pick<AxiosHeaders, 'has'>).has('Authorization');
    // `auth` set by an interceptor that ran after the route was chosen: axios would drop the bearer.
    if ((replace || config.oauth2?.injected || !own) && !config.auth) return headers;
    reportSkipped(config);
    return undefined;
  }

  function inject(
    config: InternalAxiosRequestConfig,
    headers: AxiosHeaders,
    token: StoredToken,
    entry: TokenCache,
  ): InternalAxiosRequestConfig {
    if (marked?.token !== token) {
      // Requests alternating between entries (several tokens) find each token's header made already.
      let made = markedByToken.get(token);
      if (!made) {
        const { scheme, bound } = tokenScheme(token, constraint?.constraint);
        const header = `${scheme} ${token.accessToken}`;
        made = { token, header, marker: injectedMarker(header, entries, entry), proof: bound };
        markedByToken.set(token, made);
      }
      marked = made;
    }
    // A bound token: the constraint signs this request (DPoP: a fresh proof, bound to the token by `ath`).
    if (marked.proof) constraint?.session?.signRequest(config, headers, token.accessToken);
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
      if (routedUnchanged(config)) {
        // Just routed: the token `route` saw is still the one to send (no time has passed).
        const headers = headersFor(config);
        if (!headers || !lastCached) return config;
        if (hit.hasSubscribers) hit.publish();
        return inject(config, headers, lastCached, lastEntry as TokenCache);
      }
      const entry = entryFor(config);
      if (!entry || entry instanceof PendingSource) return config;
      const headers = headersFor(config);
      // A token was cached when axios chose this interceptor; if it went since, the one seen then
      // is sent (a rejection of it is handled by the response side), if it is this entry's.
      const token = entry.peek() ?? (entry === lastEntry ? lastCached : undefined);
      if (!headers || !token) return config;
      if (hit.hasSubscribers) hit.publish();
      return inject(config, headers, token, entry);
    },
    injectFetched(config) {
      if (constraint !== undefined && constraint.session === undefined) {
        return constraint.load().then(
          () => interceptors.injectFetched(config),
          (error: unknown) => {
            throw forRequest(error, config);
          },
        );
      }
      const entry = entryFor(config);
      if (!entry) return config;
      if (entry instanceof PendingSource) return afterSourceLoad(config, entry);
      if (isTokenRequest === undefined) return afterDiscovery(config);
      return fetchFor(config, entry);
    },
  };

  /**
   * Waits for the discovery of the token endpoint (not for a token: the discovery never passes
   * through this instance's interceptors), then handles `config` like any request: no bearer if it
   * targets a token endpoint. When discovery failed, `config` needs a token, which fails with its error.
   */
  async function afterDiscovery(config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> {
    // Only this request stops waiting when it is aborted; the discovery goes on for the others.
    const endpoints = await raceSignal((discoverEndpoints as EndpointDiscovery)(config), ...cancelSignals(config));
    if (endpoints && isTokenRequest === undefined) isTokenRequest = tokenEndpointsTest(endpoints);
    const entry = entryFor(config);
    if (entry instanceof PendingSource) return afterSourceLoad(config, entry);
    return entry ? fetchFor(config, entry) : config;
  }

  /** Injects the cached token of `entry`, else waits for the shared fetch. */
  function fetchFor(
    config: InternalAxiosRequestConfig,
    entry: TokenCache,
  ): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> {
    const headers = headersFor(config);
    if (!headers) return config;
    const cached = entry.peek();
    if (cached) {
      if (hit.hasSubscribers) hit.publish();
      return inject(config, headers, cached, entry);
    }
    if (miss.hasSubscribers) miss.publish();
    return entry.getTokenFor(config, cancelSignals(config)).then(
      (token) => inject(config, headers, token, entry),
      (error: unknown) => {
        throw forRequest(error, config);
      },
    );
  }
  return interceptors;
}
