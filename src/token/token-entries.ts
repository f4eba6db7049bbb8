import type { StoredToken } from '../store/token-store';
import { TokenCache } from './token-cache';
import type { ResolvedOptions } from '../options/validate-options';
import { injectedSource } from '../http/injected-marker';
import {
  mergeSelectors,
  normaliseScope,
  requestSelector,
  selectorKey,
  type NormalisedSelector,
} from './token-selector';
import type { BoundSubjectGrant, SubjectEntries, SubjectOptions } from '../contracts/grant';
import { OAuth2RequestOptionsError } from '../errors';
import type { OAuth2RequestOptions } from '../http/request-options';

/** Makes the token cache of one entry from the options of its token requests (scope and resource set). */
export type EntryFactory = (options: ResolvedOptions) => TokenCache;

/**
 * The tokens of one attachment, one {@link TokenCache} per (scope, resource) pair:
 * - the default entry (the attachment's `scope` and `resource`), reached directly, without a lookup;
 * - one entry per distinct pair of the `apiOrigins` defaults, made at attach time, never dropped;
 * - entries for pairs selected per request or through the handle, made on first use and kept up to
 *   `maxCachedTokens`, least recently used dropped first. A dropped entry is only forgotten: a fetch
 *   of its in flight settles for its waiters (it has no timer of its own), and `detach()` (the shared
 *   lifecycle) ends it like every other.
 * The entries share the attachment's lifecycle and lockout cool-down (see `TokenCache`).
 */
export class TokenEntries {
  /** The attachment's own token: what a request without per-request or origin selection uses. */
  readonly defaultEntry: TokenCache;
  private readonly attachment: NormalisedSelector;
  private readonly defaultKey: string;
  /** Entries of the `apiOrigins` defaults, by selector key, with their selector. */
  private readonly pinned = new Map<string, TokenCache>();
  private readonly selectorOf = new Map<TokenCache, NormalisedSelector>();
  /** The entry of each origin with defaults. */
  private readonly byOrigin = new Map<string, TokenCache>();
  /** Entries made for per-request selections, least recently used first (Map order). */
  private readonly recent = new Map<string, TokenCache>();
  /**
   * Token exchange (`grant: tokenExchange(…)`): the entries of the subjects, one per (selection,
   * subject); the entries above then only stand for their selection and serve no token. Undefined
   * with any other grant (requests never look here).
   */
  readonly subjects?: SubjectEntries<TokenCache>;
  /** Token exchange: the selector key of each selection entry, made once. */
  private readonly subjectSelectorKeys = new WeakMap<TokenCache, string>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly make: EntryFactory,
  ) {
    this.defaultEntry = make(options);
    if (options.subjectGrant) {
      this.subjects = options.subjectGrant.attach<TokenCache>({ clock: options.clock, retire: (e) => e.retire() });
    }
    this.attachment = {
      scope: options.scope === undefined ? undefined : normaliseScope(options.scope),
      resource: options.resource,
    };
    this.defaultKey = selectorKey(this.attachment);
    this.selectorOf.set(this.defaultEntry, this.attachment);
    for (const [origin, defaults] of options.originDefaults) {
      const selector = mergeSelectors(undefined, defaults, this.attachment);
      const key = selectorKey(selector);
      let entry = key === this.defaultKey ? this.defaultEntry : this.pinned.get(key);
      if (!entry) {
        entry = this.build(selector);
        this.pinned.set(key, entry);
        this.selectorOf.set(entry, selector);
      }
      this.byOrigin.set(origin, entry);
    }
  }

  /** The entry of requests to `origin` without per-request selection. */
  forOrigin(origin: string): TokenCache {
    return this.byOrigin.get(origin) ?? this.defaultEntry;
  }

  /**
   * The entry of a request with per-request options `perRequest`, bound for an origin whose entry is
   * `target`. Throws `OAuth2RequestOptionsError` for an unknown key or a bad value.
   */
  forRequest(perRequest: object, target: TokenCache): TokenCache {
    const selector = requestSelector(perRequest);
    if (this.subjects === undefined && (perRequest as OAuth2RequestOptions).subjectToken !== undefined) {
      throw notExchanging('oauth2.subjectToken');
    }
    if (selector === undefined) return target;
    return this.resolve(mergeSelectors(selector, this.selectorOf.get(target), this.attachment));
  }

  /** The entry of a handle call's selector (no origin: the attachment's defaults fill what it leaves out). */
  forSelector(selector: NormalisedSelector | undefined): TokenCache {
    if (selector === undefined) return this.defaultEntry;
    return this.resolve(mergeSelectors(selector, undefined, this.attachment));
  }

  /** Tells the entry a response came from that the API accepted its token (see `TokenCache.accepted`). */
  accepted(config: Parameters<TokenCache['accepted']>[0]): void {
    const single = this.pinned.size === 0 && this.recent.size === 0 && this.subjects === undefined;
    const entry = single ? undefined : this.entryOf(config);
    (entry ?? this.defaultEntry).accepted(config);
  }

  /** The entry whose token the plugin injected into `config`, if it did. */
  entryOf(config: object | undefined): TokenCache | undefined {
    const source = config ? injectedSource(config, this) : undefined;
    return source instanceof TokenCache ? source : undefined;
  }

  /** The tokens the live entries hold now (the attachment's own, the origins', the recent selections'). */
  heldTokens(): StoredToken[] {
    const live = new Set([this.defaultEntry, ...this.pinned.values(), ...this.recent.values()]);
    for (const entry of this.subjects?.entries() ?? []) live.add(entry);
    return [...live].flatMap((entry) => entry.held() ?? []);
  }

  /**
   * Token exchange: the entry of the subject of request `config` (`oauth2.subjectToken`, else the
   * grant's `subjectToken` function) for the selection of `entry` (what its origin and
   * `oauth2.scope`/`resource` chose). Throws `OAuth2RequestOptionsError` when there is none, or when
   * it expired: no token call.
   */
  forSubjectOf(entry: TokenCache, config: { oauth2?: OAuth2RequestOptions }): TokenCache {
    return (this.subjects as SubjectEntries<TokenCache>).forRequest(this.selectionKey(entry), config, (binding, key) =>
      this.buildSubject(entry, binding, key),
    );
  }

  /**
   * A handle call's entry (`getToken`, `getAccessToken`, `invalidate`): with token exchange, the
   * subject's (`subjectToken`, required), else `entry`. `create` false: an entry not held is not made
   * (undefined). Throws `OAuth2RequestOptionsError` naming `method.subjectToken`.
   */
  forHandleSubject(
    method: string,
    entry: TokenCache,
    options: SubjectOptions | undefined,
    create = true,
  ): TokenCache | undefined {
    if (this.subjects === undefined) {
      if (options?.subjectToken !== undefined) throw notExchanging(`${method}.subjectToken`);
      return entry;
    }
    const make = (binding: BoundSubjectGrant, key: string) => this.buildSubject(entry, binding, key);
    return this.subjects.forHandle(method, this.selectionKey(entry), options, create ? make : undefined);
  }

  /** The key of the selection `entry` stands for, made once per entry (the hot path of a cached exchanged token). */
  private selectionKey(entry: TokenCache): string {
    let key = this.subjectSelectorKeys.get(entry);
    if (key === undefined) {
      key = selectorKey(this.selectorOf.get(entry) ?? this.attachment);
      this.subjectSelectorKeys.set(entry, key);
    }
    return key;
  }

  /** The token cache of one subject for the selection of `entry`: the grant bound to it, named by `subjectKey`. */
  private buildSubject(entry: TokenCache, binding: BoundSubjectGrant, subjectKey: string): TokenCache {
    const grant = this.options.subjectGrant as NonNullable<ResolvedOptions['subjectGrant']>;
    return this.build(this.selectorOf.get(entry) ?? this.attachment, {
      grant: { type: 'custom', grantType: grant.grantType, parameters: binding.parameters },
      // The grant's public parameters, sent as the attachment's own (never scrubbed), over them.
      tokenRequestParams: { ...this.options.tokenRequestParams, ...grant.identity },
      subjectBinding: binding,
      subjectKey,
    });
  }

  private resolve(selector: NormalisedSelector): TokenCache {
    const key = selectorKey(selector);
    if (key === this.defaultKey) return this.defaultEntry;
    const pinned = this.pinned.get(key);
    if (pinned) return pinned;
    let entry = this.recent.get(key);
    if (entry) {
      // Most recently used last.
      this.recent.delete(key);
    } else {
      entry = this.build(selector);
      this.selectorOf.set(entry, selector);
    }
    this.recent.set(key, entry);
    while (this.recent.size > this.options.maxCachedTokens) this.evictOldest();
    return entry;
  }

  private evictOldest(): void {
    const [key, entry] = this.recent.entries().next().value as [string, TokenCache];
    this.recent.delete(key);
    this.selectorOf.delete(entry);
    entry.retire();
  }

  private build(selector: NormalisedSelector, subject?: Partial<ResolvedOptions>): TokenCache {
    const { scope, resource } = selector;
    const selection = { ...(scope === undefined ? {} : { scope }), ...(resource === undefined ? {} : { resource }) };
    // Derived by prototype, not copied: the options may themselves be derived (a tenant's).
    const overrides: Record<string, unknown> = { scope, resource, selection, ...subject };
    const descriptors: PropertyDescriptorMap = {};
    for (const [key, value] of Object.entries(overrides)) descriptors[key] = { value, enumerable: true };
    return this.make(Object.freeze(Object.create(this.options, descriptors) as ResolvedOptions));
  }
}

/** `oauth2.subjectToken` (or a handle call's) on an attachment that exchanges no token. */
/** The error of a subject token given to an attachment that exchanges none (`where` names the option). */
export function notExchanging(where: string): OAuth2RequestOptionsError {
  return new OAuth2RequestOptionsError(
    where,
    `axios-oauth2-bearer: "${where}" is for attachments with grant: tokenExchange() (axios-oauth2-bearer/token-exchange); this one exchanges no token`,
  );
}
