import { OAuth2RequestOptionsError, type StoredToken } from '../../src';
import { TokenCache } from '../../src/token/token-cache';
import { TokenEntries } from '../../src/token/token-entries';
import { injectedMarker, markInjected } from '../../src/http/injected-marker';
import type { ResolvedOptions } from '../../src/options/validate-options';
import type { NormalisedSelector } from '../../src/token/token-selector';
import type { BoundSubjectGrant, SubjectEntries, SubjectEntryFactory, SubjectGrant } from '../../src/contracts/grant';

/**
 * `TokenEntries` alone: the entries are stand-ins (instances of `TokenCache` by prototype, so that the
 * injected-marker lookup recognises them) recording the options they were made with and what they were told.
 */
interface FakeEntry extends TokenCache {
  readonly made: ResolvedOptions;
  readonly retired: number;
  readonly acceptedConfigs: unknown[];
}

function fakeEntry(made: ResolvedOptions, held?: StoredToken): FakeEntry {
  const entry = Object.create(TokenCache.prototype) as Record<string, unknown>;
  let retired = 0;
  const acceptedConfigs: unknown[] = [];
  Object.assign(entry, {
    made,
    acceptedConfigs,
    retire: () => void retired++,
    held: () => held,
    accepted: (config: unknown) => void acceptedConfigs.push(config),
  });
  Object.defineProperty(entry, 'retired', { get: () => retired });
  return entry as unknown as FakeEntry;
}

function options(over: Partial<ResolvedOptions> = {}): ResolvedOptions {
  return {
    scope: undefined,
    resource: undefined,
    originDefaults: new Map(),
    maxCachedTokens: 32,
    clock: () => 0,
    tokenRequestParams: { attachment: 'param' },
    ...over,
  } as unknown as ResolvedOptions;
}

function entries(over: Partial<ResolvedOptions> = {}, held?: (made: ResolvedOptions) => StoredToken | undefined) {
  const made: FakeEntry[] = [];
  const tokens = new TokenEntries(options(over), (o) => {
    const entry = fakeEntry(o, held?.(o));
    made.push(entry);
    return entry;
  });
  return { tokens, made, last: () => made[made.length - 1] };
}

const ORIGIN_A = 'https://a.example';
const ORIGIN_B = 'https://b.example';
const ORIGIN_C = 'https://c.example';
const token = (accessToken: string): StoredToken => ({ accessToken, tokenType: 'Bearer' }) as StoredToken;
const marked = (tokens: TokenEntries, source: object, owner: object = tokens) => {
  const config = { oauth2: { injected: true } };
  markInjected(config, injectedMarker('Bearer x', owner, source));
  return config;
};

describe('TokenEntries (unit)', () => {
  test('the default entry is made with the options themselves; an origin without defaults uses it', () => {
    const o = options({ scope: 'b a' });
    const made: ResolvedOptions[] = [];
    const tokens = new TokenEntries(o, (given) => (made.push(given), fakeEntry(given)));
    expect(made).toEqual([o]);
    expect(made[0]).toBe(o);
    expect(tokens.forOrigin(ORIGIN_A)).toBe(tokens.defaultEntry);
    expect(tokens.forSelector(undefined)).toBe(tokens.defaultEntry);
    // The attachment's scope is compared normalised: the same set in another order is its own token.
    expect(tokens.forSelector({ scope: 'a b' })).toBe(tokens.defaultEntry);
  });

  test("origin defaults: equal to the attachment's → the default entry; equal pairs share one pinned entry", () => {
    const { tokens, made } = entries({
      scope: 'base',
      originDefaults: new Map<string, NormalisedSelector>([
        [ORIGIN_A, { scope: 'base' }],
        [ORIGIN_B, { resource: 'urn:r' }],
        [ORIGIN_C, { scope: 'base', resource: 'urn:r' }],
      ]),
    });
    expect(made).toHaveLength(2);
    expect(tokens.forOrigin(ORIGIN_A)).toBe(tokens.defaultEntry);
    expect(tokens.forOrigin(ORIGIN_B)).toBe(made[1]);
    expect(tokens.forOrigin(ORIGIN_C)).toBe(made[1]);
    expect(made[1].made.scope).toBe('base');
    expect(made[1].made.resource).toBe('urn:r');
    // A request selecting that pair, from anywhere, gets the pinned entry: nothing made.
    expect(tokens.forRequest({ resource: 'urn:r' }, tokens.defaultEntry)).toBe(made[1]);
    expect(tokens.forSelector({ resource: 'urn:r' })).toBe(made[1]);
    expect(made).toHaveLength(2);
  });

  test("an entry's options derive from the attachment's by prototype, frozen, with scope, resource and selection", () => {
    const { tokens, last } = entries({ scope: 'base', resource: 'urn:att' });
    const o = last().made;
    const entry = tokens.forSelector({ scope: 'x' }) as FakeEntry;
    expect(entry).toBe(last());
    expect(Object.getPrototypeOf(entry.made)).toBe(o);
    expect(Object.isFrozen(entry.made)).toBe(true);
    expect(entry.made.scope).toBe('x');
    expect(entry.made.resource).toBe('urn:att');
    expect(entry.made.selection).toEqual({ scope: 'x', resource: 'urn:att' });
    expect(Object.keys(entry.made).sort()).toEqual(['resource', 'scope', 'selection']);
    expect(entry.made.maxCachedTokens).toBe(32);

    const { tokens: plain } = entries();
    const scoped = plain.forSelector({ scope: 's' }) as FakeEntry;
    // A field the selection does not set is absent from it (not present as undefined).
    expect(scoped.made.selection).toEqual({ scope: 's' });
    expect(Object.keys(scoped.made.selection as object)).toEqual(['scope']);
    const resourced = plain.forSelector({ resource: 'urn:r' }) as FakeEntry;
    expect(Object.keys(resourced.made.selection as object)).toEqual(['resource']);
  });

  test("forRequest: no selection → the origin's entry; else merged over the origin's selection", () => {
    const { tokens, made } = entries({ originDefaults: new Map([[ORIGIN_B, { resource: 'urn:b' }]]) });
    const originEntry = tokens.forOrigin(ORIGIN_B);
    expect(tokens.forRequest({ skip: false }, originEntry)).toBe(originEntry);
    const selected = tokens.forRequest({ scope: 's' }, originEntry) as FakeEntry;
    expect(selected).toBe(made[2]);
    expect(selected.made.selection).toEqual({ scope: 's', resource: 'urn:b' });
    // The same selection again is the same entry.
    expect(tokens.forRequest({ scope: 's' }, originEntry)).toBe(selected);
    expect(made).toHaveLength(3);
  });

  test('a subject token on an attachment that exchanges none is refused, by request or handle call', () => {
    const { tokens } = entries();
    expect(() => tokens.forRequest({ subjectToken: 'sub' }, tokens.defaultEntry)).toThrow(
      expect.objectContaining({ option: 'oauth2.subjectToken' }),
    );
    let error: unknown;
    try {
      tokens.forHandleSubject('getToken', tokens.defaultEntry, { subjectToken: 'sub' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
    expect((error as OAuth2RequestOptionsError).option).toBe('getToken.subjectToken');
    expect((error as Error).message).toBe(
      'axios-oauth2-bearer: "getToken.subjectToken" is for attachments with grant: tokenExchange() (axios-oauth2-bearer/token-exchange); this one exchanges no token',
    );
    // Without one, the entry given is the one.
    expect(tokens.forHandleSubject('getToken', tokens.defaultEntry, undefined)).toBe(tokens.defaultEntry);
    expect(tokens.forHandleSubject('getToken', tokens.defaultEntry, {})).toBe(tokens.defaultEntry);
  });

  test('maxCachedTokens 2: A, B, A, C retires B only; B again is made anew', () => {
    const { tokens, made } = entries({ maxCachedTokens: 2 });
    const a = tokens.forSelector({ scope: 'a' }) as FakeEntry;
    const b = tokens.forSelector({ scope: 'b' }) as FakeEntry;
    expect(tokens.forSelector({ scope: 'a' })).toBe(a);
    const c = tokens.forSelector({ scope: 'c' }) as FakeEntry;
    expect([a.retired, b.retired, c.retired]).toEqual([0, 1, 0]);
    expect(made).toHaveLength(4);
    const b2 = tokens.forSelector({ scope: 'b' }) as FakeEntry;
    expect(b2).not.toBe(b);
    expect(made).toHaveLength(5);
    // A was least recently used (C, then B touched since): A goes.
    expect([a.retired, c.retired]).toEqual([1, 0]);
    expect(tokens.forSelector({ scope: 'c' })).toBe(c);
  });

  test('maxCachedTokens 1 keeps exactly one selection besides the default and pinned entries', () => {
    const { tokens, made } = entries({ maxCachedTokens: 1 });
    const a = tokens.forSelector({ scope: 'a' }) as FakeEntry;
    expect(tokens.forSelector({ scope: 'a' })).toBe(a);
    expect(a.retired).toBe(0);
    expect(made).toHaveLength(2);
  });

  test('accepted: with one entry, the default; else the entry the request was marked with', () => {
    const single = entries();
    single.tokens.accepted(undefined);
    expect((single.tokens.defaultEntry as FakeEntry).acceptedConfigs).toEqual([undefined]);

    // A pinned entry only (no per-request selection yet).
    const pinned = entries({ originDefaults: new Map([[ORIGIN_B, { resource: 'urn:b' }]]) });
    const b = pinned.tokens.forOrigin(ORIGIN_B) as FakeEntry;
    const config = marked(pinned.tokens, b);
    pinned.tokens.accepted(config);
    expect(b.acceptedConfigs).toEqual([config]);
    expect((pinned.tokens.defaultEntry as FakeEntry).acceptedConfigs).toEqual([]);
    // Not marked, or marked by another attachment: the default entry.
    pinned.tokens.accepted({});
    pinned.tokens.accepted(marked(pinned.tokens, b, {}));
    expect((pinned.tokens.defaultEntry as FakeEntry).acceptedConfigs).toHaveLength(2);
    expect(b.acceptedConfigs).toHaveLength(1);

    // A per-request entry only.
    const recent = entries();
    const s = recent.tokens.forSelector({ scope: 's' }) as FakeEntry;
    const sConfig = marked(recent.tokens, s);
    recent.tokens.accepted(sConfig);
    expect(s.acceptedConfigs).toEqual([sConfig]);
    expect((recent.tokens.defaultEntry as FakeEntry).acceptedConfigs).toEqual([]);
  });

  test('entryOf: the marked TokenCache of this attachment only', () => {
    const { tokens } = entries();
    const s = tokens.forSelector({ scope: 's' });
    expect(tokens.entryOf(undefined)).toBeUndefined();
    expect(tokens.entryOf({})).toBeUndefined();
    expect(tokens.entryOf(marked(tokens, s))).toBe(s);
    expect(tokens.entryOf(marked(tokens, s, {}))).toBeUndefined();
    expect(tokens.entryOf(marked(tokens, {}))).toBeUndefined();
  });

  test("heldTokens: each live entry's token once (default, pinned, recent), none of an evicted entry", () => {
    const { tokens } = entries(
      { maxCachedTokens: 1, originDefaults: new Map([[ORIGIN_B, { resource: 'urn:b' }]]) },
      (made) => (made.selection === undefined ? token('default') : token(made.selection.scope ?? made.resource!)),
    );
    expect(tokens.heldTokens().map((t) => t.accessToken)).toEqual(['default', 'urn:b']);
    tokens.forSelector({ scope: 'one' });
    tokens.forSelector({ scope: 'two' });
    expect(tokens.heldTokens().map((t) => t.accessToken)).toEqual(['default', 'urn:b', 'two']);
    // An entry holding nothing adds nothing.
    const empty = entries({}, () => undefined);
    empty.tokens.forSelector({ scope: 'x' });
    expect(empty.tokens.heldTokens()).toEqual([]);
  });

  describe('token exchange (a subject grant)', () => {
    function exchanging(over: Partial<ResolvedOptions> = {}) {
      const calls: Array<{ kind: string; selection: string; make?: SubjectEntryFactory<TokenCache> }> = [];
      const held: TokenCache[] = [];
      let context: { clock: () => number; retire: (entry: TokenCache) => void } | undefined;
      const subjects: SubjectEntries<TokenCache> = {
        forRequest: (selection, _config, make) => {
          calls.push({ kind: 'request', selection, make });
          const entry = make({ parameters: () => ({}) } as unknown as BoundSubjectGrant, 'subject-key');
          held.push(entry);
          return entry;
        },
        forHandle: (_method, selection, _options, make) => {
          calls.push({ kind: 'handle', selection, make });
          return make ? make({} as BoundSubjectGrant, 'handle-key') : undefined;
        },
        entries: () => held,
      };
      const subjectGrant = {
        kind: 'subject-grant',
        grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
        identity: { subject_token_type: 'urn:t', attachment: 'grant' },
        attach: (c: typeof context) => ((context = c), subjects),
      } as unknown as SubjectGrant;
      const built = entries({ subjectGrant, ...over }, (made) =>
        made.subjectKey === undefined ? undefined : token(`subject:${made.scope ?? '-'}`),
      );
      return { ...built, calls, context: () => context! };
    }

    test("the grant's entries get the attachment's clock and retire entries through it", () => {
      const clock = () => 42;
      const { context, made } = exchanging({ clock });
      expect(context().clock).toBe(clock);
      context().retire(made[0]);
      expect(made[0].retired).toBe(1);
    });

    test('a subject entry: the custom grant of the binding, the public parameters over the attachment’s, its key', () => {
      const { tokens, calls } = exchanging({ scope: 'base' });
      const entry = tokens.forSubjectOf(tokens.defaultEntry, {}) as FakeEntry;
      expect(calls).toHaveLength(1);
      expect(calls[0].selection).toBe('["base",null]');
      expect(entry.made.grant).toEqual({
        type: 'custom',
        grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
        parameters: expect.any(Function),
      });
      expect(entry.made.tokenRequestParams).toEqual({ attachment: 'grant', subject_token_type: 'urn:t' });
      expect(entry.made.subjectKey).toBe('subject-key');
      expect(entry.made.scope).toBe('base');
      expect(entry.made.selection).toEqual({ scope: 'base' });
      // The subject token option is allowed on such an attachment.
      expect(tokens.forRequest({ subjectToken: 'sub' }, tokens.defaultEntry)).toBe(tokens.defaultEntry);
    });

    test("a subject entry takes its selection's scope; the selection key is the selection's", () => {
      const { tokens, calls } = exchanging();
      const selection = tokens.forSelector({ scope: 'narrow' });
      const entry = tokens.forSubjectOf(selection, {}) as FakeEntry;
      expect(calls[0].selection).toBe('["narrow",null]');
      expect(entry.made.scope).toBe('narrow');
      // Asked again, the same key (made once per entry).
      tokens.forSubjectOf(selection, {});
      expect(calls[1].selection).toBe('["narrow",null]');
    });

    test('handle calls: the subject entry, made only when create is true', () => {
      const { tokens, calls } = exchanging();
      const made = tokens.forHandleSubject('getToken', tokens.defaultEntry, { subjectToken: 's' }) as FakeEntry;
      expect(made.made.subjectKey).toBe('handle-key');
      expect(tokens.forHandleSubject('invalidate', tokens.defaultEntry, { subjectToken: 's' }, false)).toBeUndefined();
      expect(calls.map((c) => [c.kind, c.selection, c.make === undefined])).toEqual([
        ['handle', '[null,null]', false],
        ['handle', '[null,null]', true],
      ]);
    });

    test("heldTokens includes the subjects' tokens", () => {
      const { tokens } = exchanging({ scope: 'base' });
      tokens.forSubjectOf(tokens.defaultEntry, {});
      expect(tokens.heldTokens().map((t) => t.accessToken)).toEqual(['subject:base']);
    });

    test('accepted goes to the marked subject entry even with no other entry', () => {
      const { tokens } = exchanging();
      const entry = tokens.forSubjectOf(tokens.defaultEntry, {}) as FakeEntry;
      const config = marked(tokens, entry);
      tokens.accepted(config);
      expect(entry.acceptedConfigs).toEqual([config]);
      expect((tokens.defaultEntry as FakeEntry).acceptedConfigs).toEqual([]);
    });
  });
});
