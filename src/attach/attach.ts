import type { ResolvedOptions } from '../options/validate-options';
import axios, { type AxiosInstance } from 'axios';
import { ChosenSources, type AttachmentTokens } from '../token/attachment-tokens';
import { registerAttachment } from './attachments';
import { notAxiosLike, type AxiosLike } from './axios-like';
import { cacheKey } from '../token/cache-key';
import { OAuth2OptionsError } from '../errors';
import type { OAuth2Options } from '../options/options';
import { createRequestInterceptors } from '../interceptors/request-interceptor';
import { endpointDiscovery } from '../interceptors/discovered-endpoint';
import { registerFastPath } from '../interceptors/fast-path';
import { createResponseInterceptor } from '../interceptors/response-interceptor';
import { Lifecycle } from '../util/lifecycle';
import { createResolvedRejectionHandler } from '../interceptors/resolved-rejection';
import { SafeStore } from '../store/safe-store';
import type { StoredToken } from '../store/token-store';
import { EndpointExchange } from '../token/endpoint-exchange';
import { GrantRunner } from '../token/grant-runner';
import { TokenCache } from '../token/token-cache';
import { resolveOptions } from '../options/validate-options';
import { attachmentEvents } from '../events/attachment-events';
import { closeAttachment, type CloseOptions } from './close';
import type { AttachedExtension } from '../contracts/extension';
import type { EndpointResolver } from '../contracts/endpoint';

declare global {
  // Declared as @types/node and lib.esnext.disposable do (identical declarations merge), so the
  // handle's type checks for consumers whose `lib` and `types` have neither.
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}
import { Cooldown } from '../policy/cooldown';
import { TokenEntries } from '../token/token-entries';
import { handleSelector, type TokenSelector } from '../token/token-selector';
import { notingResponses } from '../interceptors/constraint-responses';
import { tokenScheme } from '../token/token-scheme';
import type { SenderConstraint } from '../contracts/sender-constraint';
import { tenantsContext } from './tenants-context';

/** What {@link OAuth2Handle.getToken} resolves to. The refresh token, if any, is never handed out. */
export interface TokenInfo {
  /** The access token. */
  accessToken: string;
  /**
   * The scheme the plugin sends the token with: the sender constraint's for a token it binds
   * (`'DPoP'` for a DPoP token with `senderConstraint: dpop()`), else `'Bearer'`, whatever the
   * server's `token_type` said.
   */
  tokenType: 'Bearer' | 'DPoP' | (string & {});
  /**
   * When the token expires, in epoch milliseconds on the plugin's `clock`: from the server's
   * `expires_in` (counted from when the request was sent), else the `exp` of a JWT access token,
   * else `defaultTokenLifetimeSeconds` after it was obtained. Absent only for a token from a store
   * written without one.
   */
  expiresAt?: number;
  /** The scope the server granted, when it said. */
  scope?: string;
}

// The selector of handle calls (`getToken`, `getAccessToken`, `invalidate`).
export type { TokenSelector } from '../token/token-selector';

/** Many tenants: the tenant a handle call acts on (an attachment with the `tenants` option). */
export interface TenantSelector {
  /** The tenant (its credentials and tokens); the attachment's own when omitted. */
  tenant?: string;
}

/** The handle calls' keys naming a subject (token exchange). */
const SUBJECT_KEYS = ['subjectToken', 'subjectTokenExpiresAt'];

/**
 * Token exchange (`grant: tokenExchange(…)`): which subject's token a handle call acts on. Required
 * on such an attachment, refused on any other.
 */
export interface SubjectSelector {
  /** The subject token (e.g. a user's access token) whose exchanged token is meant. */
  subjectToken?: string;
  /** When the subject token expires (epoch ms on the plugin's clock), for an opaque one (a JWT's `exp` is read). */
  subjectTokenExpiresAt?: number;
}

/** Options of {@link OAuth2Handle.getToken}. */
export interface GetTokenOptions extends TokenSelector, SubjectSelector, TenantSelector {
  /**
   * Fetch a new token even if the cached one is still valid (the cached one is dropped). Concurrent
   * forced calls share one fetch; so do requests waiting meanwhile. @default false
   */
  forceRefresh?: boolean;
}

/** What {@link attachOAuth2} returns. */
export interface OAuth2Handle {
  /** The cached access token (of the selected scope and resource), or one fresh fetch shared by all concurrent callers. */
  getAccessToken(selector?: TokenSelector & SubjectSelector & TenantSelector): Promise<string>;
  /** Like {@link OAuth2Handle.getAccessToken}, with the token's type, expiry and scope; `forceRefresh` to renew it. */
  getToken(options?: GetTokenOptions): Promise<TokenInfo>;
  /**
   * Forgets the cached token (and refresh token) of the selected scope and resource (the
   * attachment's own when omitted), here and in the store; the next request for it fetches anew.
   */
  invalidate(selector?: TokenSelector & SubjectSelector & TenantSelector): Promise<void>;
  /**
   * Many tenants: forgets a tenant (a customer disconnects): its credentials and the tokens this
   * process holds for it are dropped, here and in the store; the next request for it calls
   * `tenants.load` again. Tokens of it that only a shared store holds expire with their TTL.
   * Resolves when the store has been told; a no-op for a tenant not held.
   */
  forgetTenant(tenant: string): Promise<void>;
  /**
   * Removes the plugin's interceptors, leaving the instance as it was, and stops everything the plugin
   * still runs: an in-flight token request is aborted, retry sleeps and cool-down waits end, and every
   * caller still waiting for a token (a request, a replay, `getAccessToken()`) rejects with
   * `DetachedError` (code `OAUTH2_DETACHED`). Nothing of the plugin keeps the process alive afterwards.
   * This holds for the tokens of every scope and resource. Idempotent.
   */
  detach(): void;
  /**
   * Ends the attachment: everything {@link OAuth2Handle.detach} does (at once), then each extension's
   * close step: with `revokeOnClose()`, revokes (RFC 7009) the access tokens this process holds,
   * unless they may be shared (a `store` option) or `revoke: false`. Never rejects: a failed
   * revocation is reported through the `onRevocationFailed` hook. Idempotent: later calls return the
   * first call's promise.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * `await using auth = attachOAuth2(…)`: {@link OAuth2Handle.close} with its defaults. Present where
   * the runtime has `Symbol.asyncDispose` (every Node line the package supports).
   */
  [Symbol.asyncDispose](): Promise<void>;
  /** The key under which the attachment's own token is cached (a hash; no secret in it). */
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
  const notAxios = notAxiosLike(instance);
  if (notAxios !== undefined) {
    throw new OAuth2OptionsError(
      'instance',
      `axios-oauth2-bearer: attachOAuth2 needs an axios instance (from axios.create()) as its first argument, ${notAxios}`,
    );
  }
  const checked = resolveOptions(instance, options);
  const key = cacheKey(checked);
  // Extensions attach once the options are checked and the key known; one may refuse the attachment.
  const extensions: AttachedExtension[] = checked.extensions.map((extension) =>
    extension.attach({
      cacheKey: key,
      grant: checked.grant.type,
      allowInsecureHttp: checked.allowInsecureHttp,
      endpointSource: checked.endpoint !== undefined,
    }),
  );
  const events = attachmentEvents(checked.hooks, extensions);
  // The attachment's options, immutable: every component reads these; the core emits through `events` alone.
  const resolved: ResolvedOptions = Object.freeze({ ...checked, hooks: events.hooks, events });
  // One clock: a store that reads the time (Redis TTLs and error pause) reads the plugin's.
  resolved.store.useClock?.(resolved.clock);
  const unregister = registerAttachment(instance, resolved.apiOrigins);
  const lifecycle = new Lifecycle();
  const cooldown = new Cooldown(resolved);
  // The attachment's one client to the authorization server, shared by every token entry (and tenant).
  const serverClient = resolved.tokenHttpClient ?? axios.create();
  // One token cache per (scope, resource): its own store key and token requests; one lifecycle and
  // one lockout cool-down (shared under the attachment's key) for all.
  const makeEntries = () =>
    new TokenEntries(resolved, (entryOptions) => {
      const store = new SafeStore(
        resolved.store,
        cacheKey(entryOptions),
        resolved.hooks,
        resolved.storeTimeoutMs,
        options.store === undefined,
        key,
      );
      const exchange = new EndpointExchange(instance, entryOptions, serverClient);
      const fetcher = new GrantRunner(exchange, entryOptions, lifecycle);
      return new TokenCache(entryOptions, fetcher, store, lifecycle, cooldown);
    });
  // Many tenants: the feature chooses each request's token source (its tenant's, or the attachment's own).
  const own = resolved.noOwnCredentials ? undefined : makeEntries();
  const tenants = resolved.tenants?.attach(
    tenantsContext(instance, resolved, { lifecycle, serverClient, ownStore: options.store === undefined, own }),
  );
  const chosen = tenants && new ChosenSources(own, tenants);
  const plain = chosen ? undefined : (own as TokenEntries);
  const entries: AttachmentTokens = chosen ?? (plain as TokenEntries);
  const request = createRequestInterceptors(
    entries,
    resolved,
    resolved.tokenUrl === undefined
      ? endpointDiscovery(instance, resolved, resolved.endpoint as EndpointResolver, lifecycle.signal, serverClient)
      : undefined,
    tenants,
  );
  const ejectRequest = registerFastPath(
    instance.interceptors.request,
    request.route,
    request.injectCached,
    request.injectFetched,
  );
  const onRejected = createResponseInterceptor(instance, entries, resolved);
  const onFulfilled = createResolvedRejectionHandler(onRejected, entries);
  const responseId = instance.interceptors.response.use(
    resolved.senderConstraint ? notingResponses(onFulfilled, resolved.senderConstraint) : onFulfilled,
    onRejected,
  );
  // A sender constraint: its session (signing code, its own chunk) starts loading now; requests wait for it if need be.
  resolved.senderConstraint?.load().catch(() => undefined);
  /** The entry a handle call selects; a bad selector rejects the call. */
  const entryFor = (
    method: string,
    selector: unknown,
    extra: readonly string[] = [],
    create = true,
  ): TokenCache | undefined | Promise<TokenCache> =>
    // Many tenants: the tenant's entry (loaded if need be); else the attachment's (or its subject's).
    chosen
      ? // Undefined only with `create` false (invalidate), which allows it.
        (chosen.forCall(method, selector, [...extra, ...SUBJECT_KEYS], create) as Promise<TokenCache>)
      : (plain as TokenEntries).forHandleSubject(
          method,
          (plain as TokenEntries).forSelector(handleSelector(method, selector, [...extra, ...SUBJECT_KEYS])),
          selector as SubjectSelector | undefined,
          create,
        );

  let attached = true;
  let closing: Promise<void> | undefined;
  const handle: Omit<OAuth2Handle, typeof Symbol.asyncDispose> & Partial<OAuth2Handle> = {
    cacheKey: key,
    getAccessToken: async (selector) => {
      const picked = entryFor('getAccessToken', selector);
      return (await (picked instanceof Promise ? await picked : (picked as TokenCache)).getToken()).accessToken;
    },
    getToken: async (getOptions) => {
      // Without tenants the entry is there at once: the renewal starts in this same tick.
      const picked = entryFor('getToken', getOptions, ['forceRefresh']);
      const source = picked instanceof Promise ? await picked : (picked as TokenCache);
      return tokenInfo(
        await (getOptions?.forceRefresh ? source.forceRenew() : source.getToken()),
        resolved.senderConstraint?.constraint,
      );
    },
    // Token exchange: a subject not held has nothing to forget (no entry is made for it).
    invalidate: async (selector) => {
      const picked = entryFor('invalidate', selector, [], false);
      return (picked instanceof Promise ? await picked : picked)?.invalidate();
    },
    forgetTenant: async (tenant) => {
      if (!tenants)
        throw new OAuth2OptionsError('tenants', 'axios-oauth2-bearer: forgetTenant() needs the tenants option');
      await tenants.forget(tenant);
    },
    detach() {
      if (!attached) return;
      attached = false;
      ejectRequest();
      instance.interceptors.response.eject(responseId);
      unregister();
      lifecycle.close();
    },
    close(closeOptions) {
      closing ??= closeAttachment(
        resolved,
        extensions,
        () => entries.heldTokens(),
        options.store === undefined,
        () => handle.detach(),
        closeOptions,
        instance,
        serverClient,
      );
      return closing;
    },
  };
  // Older Node lines lack Symbol.asyncDispose: the handle then has close() alone.
  if (typeof Symbol.asyncDispose === 'symbol') handle[Symbol.asyncDispose] = () => handle.close();
  return handle as OAuth2Handle;
}

function tokenInfo(token: StoredToken, constraint: SenderConstraint | undefined): TokenInfo {
  const info: TokenInfo = { accessToken: token.accessToken, tokenType: tokenScheme(token, constraint).scheme };
  if (token.expiresAt !== undefined) info.expiresAt = token.expiresAt;
  if (token.scope !== undefined) info.scope = token.scope;
  return info;
}
