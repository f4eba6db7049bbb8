import type { SubjectOptions } from '../contracts/grant';
import type { SourceChoice, TokenSource } from '../contracts/token-source';
import { injectedSource } from '../http/injected-marker';
import type { StoredToken } from '../store/token-store';
import { TokenCache } from './token-cache';
import type { TokenEntries } from './token-entries';
import { handleSelector } from './token-selector';

/**
 * An attachment's tokens as the interceptors and the handle use them: the owner injected requests
 * are marked with, and the source of requests that choose none. Its {@link TokenEntries}, or, with a
 * source chosen per request, {@link ChosenSources}.
 */
export type AttachmentTokens = Pick<
  TokenEntries,
  'defaultEntry' | 'forOrigin' | 'forRequest' | 'accepted' | 'entryOf' | 'heldTokens' | 'subjects' | 'forSubjectOf'
>;

/**
 * The tokens of an attachment whose token source is chosen per request (`choice`): it marks the
 * requests, so the response side finds the cache a token came from, whichever source it is of.
 * The request side asks the choice itself; what it asks here is the attachment's own source's.
 */
export class ChosenSources implements AttachmentTokens {
  constructor(
    /** The attachment's own tokens (what `close()` may revoke); undefined when it has no credentials of its own. */
    private readonly own: TokenEntries | undefined,
    private readonly choice: SourceChoice<TokenSource<TokenCache>>,
  ) {}

  /** The attachment's own source; throws `OAuth2RequestOptionsError` when it has none (the choice's). */
  private ownEntries(): TokenEntries {
    return this.own ?? (this.choice.own() as TokenEntries);
  }

  get defaultEntry(): TokenCache {
    return this.ownEntries().defaultEntry;
  }

  forOrigin(origin: string): TokenCache {
    return this.ownEntries().forOrigin(origin);
  }

  forRequest(perRequest: object, target: TokenCache): TokenCache {
    return this.ownEntries().forRequest(perRequest, target);
  }

  /** The request side takes the chosen route, which asks the chosen source for the request's subject. */
  readonly subjects = undefined;

  forSubjectOf(entry: TokenCache, config: Parameters<TokenEntries['forSubjectOf']>[1]): TokenCache {
    return this.ownEntries().forSubjectOf(entry, config);
  }

  /**
   * The cache a handle call acts on: in the source its options name (loaded if need be), else the
   * attachment's own; the rest of them (`scope`, `resource`, and the `extra` keys) select its token,
   * and with token exchange `subjectToken` its subject's. `create` false: a subject not held is not
   * made (undefined). Rejects with `OAuth2RequestOptionsError` for bad options.
   */
  async forCall(
    method: string,
    options: unknown,
    extra: readonly string[],
    create: boolean,
  ): Promise<TokenCache | undefined> {
    const { choice } = this;
    const key = choice.keyOfCall(method, options);
    const subject = options as SubjectOptions | undefined;
    if (key === undefined) {
      const own = this.ownEntries();
      const entry = own.forSelector(handleSelector(method, options, [...choice.callKeys, ...extra]));
      return own.forHandleSubject(method, entry, subject, create);
    }
    const rest = { ...(options as Record<string, unknown>) };
    for (const name of choice.callKeys) delete rest[name];
    const selector = handleSelector(method, rest, extra);
    const source = await choice.load(key);
    return source.forHandleSubject(method, source.forSelector(selector), subject, create);
  }

  accepted(config: Parameters<TokenCache['accepted']>[0]): void {
    this.entryOf(config)?.accepted(config);
  }

  entryOf(config: object | undefined): TokenCache | undefined {
    const source = config ? injectedSource(config, this) : undefined;
    return source instanceof TokenCache ? source : undefined;
  }

  /** The attachment's own tokens only: a chosen source's would be revoked as another client. */
  heldTokens(): StoredToken[] {
    return this.own?.heldTokens() ?? [];
  }
}
