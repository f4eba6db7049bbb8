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

  constructor(
    private readonly options: ResolvedOptions,
    private readonly make: EntryFactory,
  ) {
    this.defaultEntry = make(options);
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
    const entry = this.pinned.size === 0 && this.recent.size === 0 ? undefined : this.entryOf(config);
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
    return [...live].flatMap((entry) => entry.held() ?? []);
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

  private build(selector: NormalisedSelector): TokenCache {
    const { scope, resource } = selector;
    const selection = { ...(scope === undefined ? {} : { scope }), ...(resource === undefined ? {} : { resource }) };
    // Derived by prototype, not copied: the options may themselves be derived (a tenant's).
    return this.make(
      Object.freeze(
        Object.create(this.options, {
          scope: { value: scope, enumerable: true },
          resource: { value: resource, enumerable: true },
          selection: { value: selection, enumerable: true },
        }) as ResolvedOptions,
      ),
    );
  }
}
