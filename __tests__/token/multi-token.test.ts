import type { AxiosRequestConfig } from 'axios';
import { TokenEntries } from '../../src/token/token-entries';
import * as selector from '../../src/token/token-selector';
import * as injectedMarkerModule from '../../src/http/injected-marker';
import {
  AccountLockedError,
  DetachedError,
  MemoryTokenStore,
  OAuth2Error,
  OAuth2OptionsError,
  OAuth2RequestOptionsError,
  type OAuth2Options,
} from '../../src';
import {
  API_ORIGIN,
  CLIENT_ID,
  CLIENT_SECRET,
  createCore,
  deferred,
  formPairs,
  oauthError,
  rejections,
  tokenBody,
  type Reply,
} from '../helpers/harness';

const OTHER_ORIGIN = 'https://other.example.com';

/** The `scope` and `resource` a token request asked for (undefined when absent). */
function asked(call: AxiosRequestConfig): { scope?: string; resource?: string } {
  const pairs = new Map(formPairs(call));
  const out: { scope?: string; resource?: string } = {};
  if (pairs.has('scope')) out.scope = pairs.get('scope');
  if (pairs.has('resource')) out.resource = pairs.get('resource');
  return out;
}

function core(options: Partial<OAuth2Options> & Record<string, unknown> = {}) {
  return createCore({ options: { random: () => 0, ...options } });
}

/** The bearer the API saw on a response of the harness's echo API. */
const bearerOf = (response: { data: { authorization: string | null } }) => response.data.authorization;

describe('per-request oauth2: { scope, resource }', () => {
  test('each (scope, resource) pair has its own token and single flight: 3 × 10 concurrent requests → 3 token calls', async () => {
    const c = core({ scope: 'base' });
    const requests = [
      ...Array.from({ length: 10 }, () => c.api.get('/default')),
      ...Array.from({ length: 10 }, (_, i) =>
        c.api.get('/scoped', { oauth2: { scope: i % 2 ? 'read  write' : ' write read ' } }),
      ),
      ...Array.from({ length: 10 }, () => c.api.get('/res', { oauth2: { resource: 'https://api-a.test' } })),
    ];
    const responses = await Promise.all(requests);
    expect(c.tokenCalls).toHaveLength(3);
    const byToken = new Map(c.tokenCalls.map((call, i) => [`Bearer tok-${i + 1}`, asked(call)]));
    const seen = responses.map((r) => byToken.get(bearerOf(r) as string));
    expect(seen.slice(0, 10)).toEqual(Array(10).fill({ scope: 'base' }));
    // Normalised: sorted, one space; the order and whitespace of the request do not matter.
    expect(seen.slice(10, 20)).toEqual(Array(10).fill({ scope: 'read write' }));
    // A resource alone keeps the attachment's scope.
    expect(seen.slice(20)).toEqual(Array(10).fill({ scope: 'base', resource: 'https://api-a.test' }));
    // Cached: another round costs no token call.
    await Promise.all([c.api.get('/d'), c.api.get('/s', { oauth2: { scope: 'write read' } })]);
    expect(c.tokenCalls).toHaveLength(3);
  });

  test("a per-request scope equal to the attachment's (in any order) uses the attachment's own token", async () => {
    const c = core({ scope: 'b a' });
    await c.api.get('/x');
    const response = await c.api.get('/y', { oauth2: { scope: 'a   b' } });
    expect(bearerOf(response)).toBe('Bearer tok-1');
    expect(c.tokenCalls).toHaveLength(1);
    // The attachment's own scope is sent as configured (its cache key does not change).
    expect(asked(c.tokenCalls[0])).toEqual({ scope: 'b a' });
  });

  test('the attachment-level resource option is sent with every token request; a request overrides it', async () => {
    const c = core({ resource: 'https://api.example.com/', scope: 'read' });
    await c.api.get('/x');
    await c.api.get('/y', { oauth2: { resource: 'https://billing.example.com/' } });
    expect(c.tokenCalls.map(asked)).toEqual([
      { scope: 'read', resource: 'https://api.example.com/' },
      { scope: 'read', resource: 'https://billing.example.com/' },
    ]);
  });

  test('skip still sends the request without a bearer; the plugin markers are accepted on retries of injected requests', async () => {
    const c = core();
    const skipped = await c.api.get('/x', { oauth2: { skip: true } });
    expect(bearerOf(skipped)).toBeNull();
    const first = await c.api.get('/y', { oauth2: { resource: 'https://api-a.test' } });
    // What axios-retry does: send the same (injected) config again through the instance.
    const again = await c.api.request(first.config);
    expect(bearerOf(again)).toBe('Bearer tok-1');
    expect(c.tokenCalls).toHaveLength(1);
  });

  test("every marker the plugin itself sets (a DPoP nonce replay's too) is accepted when its config is sent again", async () => {
    const c = core();
    const marked = { injected: true, replayed: true, dpopNonceRetried: true } as const;
    const response = await c.api.get('/z', { oauth2: marked });
    expect(response.status).toBe(200);
  });
});

describe('the hot path', () => {
  afterEach(() => jest.restoreAllMocks());

  test('requests without per-request options never reach the selection (no key check, no lookup), origin defaults or not', async () => {
    const forRequest = jest.spyOn(TokenEntries.prototype, 'forRequest');
    const check = jest.spyOn(selector, 'requestSelector');
    const c = core({ apiOrigins: [API_ORIGIN, { origin: OTHER_ORIGIN, resource: 'https://other.test' }] });
    await c.api.get('/warm');
    await c.api.get(`${OTHER_ORIGIN}/warm`);
    for (let i = 0; i < 10; i++) await Promise.all([c.api.get(`/x/${i}`), c.api.get(`${OTHER_ORIGIN}/y/${i}`)]);
    expect(c.tokenCalls).toHaveLength(2);
    expect(forRequest).not.toHaveBeenCalled();
    expect(check).not.toHaveBeenCalled();
    await c.api.get('/z', { oauth2: { scope: 's' } });
    // Routed, then checked again by the interceptor that waits for the token.
    expect(forRequest).toHaveBeenCalledTimes(2);
    expect(check).toHaveBeenCalledTimes(2);
  });

  test("requests alternating between two origins' tokens make each token's header and marker once", async () => {
    const marker = jest.spyOn(injectedMarkerModule, 'injectedMarker');
    const c = core({ apiOrigins: [API_ORIGIN, { origin: OTHER_ORIGIN, resource: 'https://other.test' }] });
    for (let i = 0; i < 10; i++) {
      await c.api.get(`/x/${i}`);
      await c.api.get(`${OTHER_ORIGIN}/y/${i}`);
    }
    expect(c.tokenCalls).toHaveLength(2);
    expect(marker).toHaveBeenCalledTimes(2);
  });
});

describe('a typo in per-request options is reported', () => {
  test('oauth2: { resorce } rejects that request with OAuth2RequestOptionsError naming the key, before any token work', async () => {
    const c = core();
    const [error] = await rejections([c.api.get('/x', { oauth2: { resorce: 'https://a.test' } as never })]);
    expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error).toMatchObject({ code: 'OAUTH2_INVALID_REQUEST_OPTIONS', option: 'oauth2.resorce' });
    expect((error as Error).message).toContain('"oauth2.resorce"');
    expect(c.tokenCalls).toHaveLength(0);
    expect(c.apiCalls).toHaveLength(0);
  });

  test('also with a token cached (the synchronous path), and for a request to another origin', async () => {
    const c = core();
    await c.api.get('/warm');
    const errors = await rejections([
      c.api.get('/x', { oauth2: { scopes: 'a' } as never }),
      c.api.get(`${OTHER_ORIGIN}/x`, { oauth2: { Resource: 'https://a.test' } as never }),
    ]);
    expect(errors.map((e) => (e as OAuth2RequestOptionsError).option)).toEqual(['oauth2.scopes', 'oauth2.Resource']);
    expect(c.apiCalls).toHaveLength(1);
    expect(c.tokenCalls).toHaveLength(1);
  });

  test('bad values: an empty or non-string scope, a relative or fragment resource', async () => {
    const c = core();
    const errors = await rejections([
      c.api.get('/a', { oauth2: { scope: '   ' } }),
      c.api.get('/b', { oauth2: { scope: 42 as never } }),
      c.api.get('/c', { oauth2: { resource: '/relative' } }),
      c.api.get('/d', { oauth2: { resource: 'https://a.test/#frag' } }),
    ]);
    expect(errors.map((e) => (e as OAuth2RequestOptionsError).option)).toEqual([
      'oauth2.scope',
      'oauth2.scope',
      'oauth2.resource',
      'oauth2.resource',
    ]);
    expect(errors.every((e) => e instanceof OAuth2RequestOptionsError)).toBe(true);
    expect(c.tokenCalls).toHaveLength(0);
  });

  test('the handle checks its selector alike', async () => {
    const c = core();
    await expect(c.auth.getToken({ resorce: 'x' } as never)).rejects.toMatchObject({
      code: 'OAUTH2_INVALID_REQUEST_OPTIONS',
      option: 'getToken.resorce',
    });
    await expect(c.auth.getAccessToken({ scope: '' })).rejects.toBeInstanceOf(OAuth2RequestOptionsError);
    await expect(c.auth.invalidate({ forceRefresh: true } as never)).rejects.toMatchObject({
      option: 'invalidate.forceRefresh',
    });
    expect(c.tokenCalls).toHaveLength(0);
  });
});

describe('precedence: request > origin > attachment, field by field', () => {
  const options = {
    scope: 'att',
    resource: 'https://att.test',
    apiOrigins: [
      API_ORIGIN,
      { origin: OTHER_ORIGIN, resource: 'https://other.test' },
      { origin: 'https://third.example.com', scope: 'third', resource: 'https://third.test' },
    ],
  };

  test.each([
    ['/x', undefined, { scope: 'att', resource: 'https://att.test' }],
    [`${OTHER_ORIGIN}/x`, undefined, { scope: 'att', resource: 'https://other.test' }],
    ['https://third.example.com/x', undefined, { scope: 'third', resource: 'https://third.test' }],
    [`${OTHER_ORIGIN}/x`, { scope: 'req' }, { scope: 'req', resource: 'https://other.test' }],
    ['https://third.example.com/x', { resource: 'https://req.test' }, { scope: 'third', resource: 'https://req.test' }],
    ['/x', { scope: 'req', resource: 'https://req.test' }, { scope: 'req', resource: 'https://req.test' }],
  ])('%s with %j → token for %j', async (url, perRequest, expected) => {
    const c = core(options);
    const response = await c.api.get(url, perRequest ? { oauth2: perRequest } : {});
    expect(c.tokenCalls).toHaveLength(1);
    expect(asked(c.tokenCalls[0])).toEqual(expected);
    expect(bearerOf(response)).toBe('Bearer tok-1');
  });

  test('two origins with defaults, 10 concurrent requests to each → 2 token calls, each origin gets its token', async () => {
    const c = core(options);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => c.api.get(i % 2 ? `${OTHER_ORIGIN}/x` : 'https://third.example.com/x')),
    );
    expect(c.tokenCalls).toHaveLength(2);
    const resourceOf = new Map(c.tokenCalls.map((call, i) => [`Bearer tok-${i + 1}`, asked(call).resource]));
    responses.forEach((r, i) =>
      expect(resourceOf.get(bearerOf(r) as string)).toBe(i % 2 ? 'https://other.test' : 'https://third.test'),
    );
  });

  test('origins whose defaults make the same pair share one token; an origin given as a string uses the default', async () => {
    const c = core({
      apiOrigins: [
        { origin: API_ORIGIN },
        { origin: OTHER_ORIGIN, resource: 'https://same.test' },
        { origin: 'https://third.example.com', resource: 'https://same.test' },
      ],
    });
    await c.api.get(`${OTHER_ORIGIN}/x`);
    await c.api.get('https://third.example.com/x');
    await c.api.get('/x');
    expect(c.tokenCalls.map(asked)).toEqual([{ resource: 'https://same.test' }, {}]);
  });
});

describe('maxCachedTokens: least recently used entries go', () => {
  const sel = (name: string) => ({ oauth2: { resource: `https://${name}.test` } });

  test('with 2: A, B, A, C evicts B (not A); B again fetches anew, A and the default entry do not', async () => {
    const c = core({ maxCachedTokens: 2 });
    await c.api.get('/d');
    await c.api.get('/a', sel('a'));
    await c.api.get('/b', sel('b'));
    await c.api.get('/a', sel('a'));
    await c.api.get('/c', sel('c'));
    expect(c.tokenCalls).toHaveLength(4);
    await c.api.get('/a', sel('a'));
    expect(c.tokenCalls).toHaveLength(4);
    await c.api.get('/b', sel('b'));
    expect(c.tokenCalls).toHaveLength(5);
    expect(asked(c.tokenCalls[4])).toEqual({ resource: 'https://b.test' });
    // The default entry is never counted nor evicted.
    expect(bearerOf(await c.api.get('/d'))).toBe('Bearer tok-1');
    // B is back, so C (least recently used) went; A stays.
    await c.api.get('/a', sel('a'));
    expect(c.tokenCalls).toHaveLength(5);
    await c.api.get('/c', sel('c'));
    expect(c.tokenCalls).toHaveLength(6);
  });

  test('a request that gets no bearer (another origin) has its options checked but makes no entry', async () => {
    const c = core({ maxCachedTokens: 1 });
    await c.api.get('/a', sel('a'));
    await c.api.get(`${OTHER_ORIGIN}/x`, sel('b'));
    await c.api.get('/a', sel('a'));
    expect(c.tokenCalls).toHaveLength(1);
    expect(c.apiCalls.map((call) => call.authorization)).toEqual(['Bearer tok-1', undefined, 'Bearer tok-1']);
  });

  test("an evicted entry's in-flight fetch still settles for its waiters", async () => {
    const c = core({ maxCachedTokens: 1 });
    const held = deferred<Reply>();
    c.tokenQueue.push(() => held.promise);
    const waiting = Promise.all([c.api.get('/a', sel('a')), c.api.get('/a2', sel('a'))]);
    await new Promise((resolve) => setImmediate(resolve));
    // B's entry evicts A's while A's fetch is in flight.
    const b = await c.api.get('/b', sel('b'));
    expect(bearerOf(b)).toBe('Bearer tok-1');
    held.resolve([200, tokenBody('tok-a')]);
    expect((await waiting).map(bearerOf)).toEqual(['Bearer tok-a', 'Bearer tok-a']);
    expect(c.tokenCalls).toHaveLength(2);
  });

  test('detach ends every entry: waiters of any scope or resource reject with DetachedError', async () => {
    const c = core();
    const held = deferred<Reply>();
    c.tokenQueue.push(
      () => held.promise,
      () => held.promise,
    );
    const pending = [c.api.get('/a', sel('a')), c.auth.getToken({ resource: 'https://b.test' })];
    await new Promise((resolve) => setImmediate(resolve));
    c.auth.detach();
    const errors = await rejections(pending);
    expect(errors.every((e) => e instanceof DetachedError)).toBe(true);
  });
});

describe('the response side renews and replays with the entry the request used', () => {
  test('a 401 on resource A renews only A: B keeps its token, the replay carries the new A token', async () => {
    const c = core();
    await c.api.get('/a', sel('a'));
    await c.api.get('/b', sel('b'));
    expect(c.tokenCalls).toHaveLength(2);
    c.validTokens = new Set(['tok-2', 'tok-3']); // A's tok-1 revoked
    const replayed = await c.api.get('/a', sel('a'));
    expect(bearerOf(replayed)).toBe('Bearer tok-3');
    expect(c.tokenCalls).toHaveLength(3);
    expect(asked(c.tokenCalls[2])).toEqual({ resource: 'https://a.test' });
    expect(bearerOf(await c.api.get('/b', sel('b')))).toBe('Bearer tok-2');
    expect(bearerOf(await c.api.get('/a', sel('a')))).toBe('Bearer tok-3');
    expect(c.tokenCalls).toHaveLength(3);
  });

  test("a 401 on the default entry's token does not drop an origin entry's token", async () => {
    const c = core({ apiOrigins: [API_ORIGIN, { origin: OTHER_ORIGIN, resource: 'https://other.test' }] });
    await c.api.get('/x');
    await c.api.get(`${OTHER_ORIGIN}/y`);
    c.validTokens = new Set(['tok-2', 'tok-3']);
    expect(bearerOf(await c.api.get('/x'))).toBe('Bearer tok-3');
    expect(bearerOf(await c.api.get(`${OTHER_ORIGIN}/y`))).toBe('Bearer tok-2');
    expect(c.tokenCalls.map(asked)).toEqual([{}, { resource: 'https://other.test' }, {}]);
  });

  function sel(name: string) {
    return { oauth2: { resource: `https://${name}.test` } };
  }
});

describe('the handle', () => {
  test('getToken({ scope, resource }) resolves that token: expiresAt in epoch ms, scope as granted; shared with requests', async () => {
    const c = createCore({ options: { scope: 'base' }, tokenExtra: (n) => ({ scope: `granted-${n}` }) });
    const [info, response] = await Promise.all([
      c.auth.getToken({ scope: 'x y', resource: 'https://a.test' }),
      c.api.get('/x', { oauth2: { scope: 'y x', resource: 'https://a.test' } }),
    ]);
    expect(info).toEqual({
      accessToken: 'tok-1',
      tokenType: 'Bearer',
      expiresAt: c.clock.now + 3_600_000,
      scope: 'granted-1',
    });
    expect(typeof info.expiresAt).toBe('number');
    expect(bearerOf(response)).toBe('Bearer tok-1');
    expect(asked(c.tokenCalls[0])).toEqual({ scope: 'x y', resource: 'https://a.test' });
    expect((await c.auth.getToken()).accessToken).toBe('tok-2');
    expect(await c.auth.getAccessToken({ resource: 'https://a.test', scope: 'x y' })).toBe('tok-1');
    expect(c.tokenCalls).toHaveLength(2);
  });

  test('forceRefresh and invalidate act on the selected entry only', async () => {
    const c = core();
    await c.auth.getToken();
    await c.auth.getToken({ resource: 'https://a.test' });
    expect((await c.auth.getToken({ resource: 'https://a.test', forceRefresh: true })).accessToken).toBe('tok-3');
    expect(await c.auth.getAccessToken()).toBe('tok-1');
    await c.auth.invalidate({ resource: 'https://a.test' });
    expect(await c.auth.getAccessToken()).toBe('tok-1');
    expect(await c.auth.getAccessToken({ resource: 'https://a.test' })).toBe('tok-4');
    await c.auth.invalidate();
    expect(await c.auth.getAccessToken({ resource: 'https://a.test' })).toBe('tok-4');
    expect(await c.auth.getAccessToken()).toBe('tok-5');
  });
});

describe('store keys and the shared lockout', () => {
  test('each pair is stored under its own key, free of secrets; the attachment key is the default entry', async () => {
    const store = new MemoryTokenStore();
    const keys: string[] = [];
    const set = store.set.bind(store);
    store.set = (key, token) => {
      keys.push(key);
      return set(key, token);
    };
    const c = core({ store, scope: 'a b' });
    await c.api.get('/x');
    await c.api.get('/x', { oauth2: { scope: 'b a' } });
    await c.api.get('/x', { oauth2: { resource: 'https://r1.test' } });
    await c.api.get('/x', { oauth2: { resource: 'https://r2.test' } });
    await c.api.get('/x', { oauth2: { scope: 'c', resource: 'https://r2.test' } });
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    expect(keys[0]).toBe(c.auth.cacheKey);
    for (const key of keys) {
      expect(key).toMatch(/^oauth2:[0-9a-f]{40}$/);
      for (const secret of [CLIENT_SECRET, CLIENT_ID, 'r1.test', 'r2.test']) expect(key).not.toContain(secret);
    }
  });

  test("a lockout is the client's: once one entry is locked out, another fails without a token call", async () => {
    const c = core({ lockout: { initialCooldownMs: 60_000 } });
    c.tokenQueue.push([423, oauthError('account_locked', 'locked')]);
    const [first] = await rejections([c.api.get('/a', { oauth2: { resource: 'https://a.test' } })]);
    expect(first).toBeInstanceOf(AccountLockedError);
    const [second] = await rejections([c.api.get('/b', { oauth2: { resource: 'https://b.test' } }), c.api.get('/d')]);
    expect(second).toBeInstanceOf(AccountLockedError);
    expect(c.tokenCalls).toHaveLength(1);
    c.clock.now += 60_001;
    expect(bearerOf(await c.api.get('/b', { oauth2: { resource: 'https://b.test' } }))).toBe('Bearer tok-1');
    expect(bearerOf(await c.api.get('/d'))).toBe('Bearer tok-2');
    expect(c.tokenCalls).toHaveLength(3);
  });
});

describe('the lockout is shared by every entry', () => {
  const lockedReply: Reply = [423, oauthError('account_locked', 'locked')];

  test('in process, with a store that shares nothing (get, set and delete only)', async () => {
    const memory = new MemoryTokenStore();
    const store = {
      get: (key: string) => memory.get(key),
      set: (key: string, token: Parameters<MemoryTokenStore['set']>[1]) => memory.set(key, token),
      delete: (key: string, ifAccessToken?: string) => memory.delete(key, ifAccessToken),
    };
    const c = core({ store });
    c.tokenQueue.push(lockedReply);
    await rejections([c.api.get('/a', { oauth2: { resource: 'https://a.test' } })]);
    const [error] = await rejections([c.api.get('/b', { oauth2: { scope: 'other' } })]);
    expect(error).toBeInstanceOf(AccountLockedError);
    expect(c.tokenCalls).toHaveLength(1);
  });

  test("across processes, under the attachment's key: a lockout of one entry stops another entry of another attachment", async () => {
    const store = new MemoryTokenStore();
    const first = core({ store });
    const second = core({ store });
    first.tokenQueue.push(lockedReply);
    await rejections([first.api.get('/a', { oauth2: { resource: 'https://a.test' } })]);
    const [error] = await rejections([second.api.get('/b', { oauth2: { resource: 'https://b.test' } })]);
    expect(error).toBeInstanceOf(AccountLockedError);
    expect(second.tokenCalls).toHaveLength(0);
  });
});

describe('options', () => {
  const base = { tokenUrl: 'https://auth.test/token', clientId: 'id', clientSecret: 'secret-value' };
  const attach = (extra: Record<string, unknown>) => () => createCore({ options: { ...base, ...extra } });

  test.each([
    [{ maxCachedTokens: 0 }, 'maxCachedTokens'],
    [{ maxCachedTokens: 1.5 }, 'maxCachedTokens'],
    [{ maxCachedTokens: '3' }, 'maxCachedTokens'],
    [{ resource: 'not a uri' }, 'resource'],
    [{ resource: 'https://a.test/#x' }, 'resource'],
    [{ apiOrigins: [{ origin: API_ORIGIN, resorce: 'https://a.test' }] }, 'apiOrigins[0].resorce'],
    [{ apiOrigins: [{ origin: 'nope' }] }, 'apiOrigins[0].origin'],
    [{ apiOrigins: [API_ORIGIN, { origin: OTHER_ORIGIN, scope: '' }] }, 'apiOrigins[1].scope'],
    [{ apiOrigins: [{ origin: OTHER_ORIGIN, resource: 'relative' }] }, 'apiOrigins[0].resource'],
    [{ apiOrigins: [{ origin: 'http://plain.example.com' }] }, 'apiOrigins[0]'],
    [
      {
        apiOrigins: [
          { origin: OTHER_ORIGIN, scope: 'a' },
          { origin: `${OTHER_ORIGIN}/v2`, scope: 'b' },
        ],
      },
      'apiOrigins[1]',
    ],
  ])('%j → OAuth2OptionsError naming %s', (extra, option) => {
    expect(attach(extra)).toThrow(OAuth2OptionsError);
    expect(attach(extra)).toThrow(expect.objectContaining({ option }));
  });
});

describe('token events name the selection', () => {
  test("onTokenAcquired says which scope and resource a selected token is for; the attachment's own token has neither", async () => {
    const events: Array<Record<string, unknown>> = [];
    const c = core({ scope: 'base', hooks: { onTokenAcquired: (e) => void events.push({ ...e }) } });
    await c.api.get('/default');
    await c.api.get('/res', { oauth2: { resource: 'https://api-a.test' } });
    await c.api.get('/scoped', { oauth2: { scope: 'write read' } });

    expect(c.tokenCalls).toHaveLength(3);
    expect(events).toEqual([
      { grant: 'client_credentials', expiresAt: expect.any(Number), background: false },
      {
        grant: 'client_credentials',
        expiresAt: expect.any(Number),
        background: false,
        scope: 'base',
        resource: 'https://api-a.test',
      },
      { grant: 'client_credentials', expiresAt: expect.any(Number), background: false, scope: 'read write' },
    ]);
  });
});
