import { AxiosError, AxiosHeaders, isCancel } from 'axios';
import { MemoryTokenStore, type ReplayEvent, type StoredToken, type TokenStore } from '../../src';
import { REDACTED_BEARER } from '../../src/security/redact-axios-error';
import {
  MANGOPAY_INVALID_CREDENTIALS,
  createResponseHarness,
  deferred,
  flush,
  outcome,
  rejectionOf,
  tokenBody,
  waitFor,
} from '../helpers/harness';

function replayRecorder() {
  const events: ReplayEvent[] = [];
  return { events, hooks: { onRequestReplayed: (e: ReplayEvent) => events.push(e) } };
}

describe('refresh and replay on a rejected token', () => {
  test('50 requests answered 401 together → exactly 1 refresh and 50 successful replays', async () => {
    const replays = replayRecorder();
    const h = createResponseHarness({ options: { hooks: replays.hooks } });
    await h.api.get('/warm-up');
    expect(h.tokenCalls).toHaveLength(1);

    // The server revokes tok-1 and holds every answer until all 50 requests have reached it,
    // so the 50 401s come back together.
    h.validTokens = new Set(['tok-2']);
    const allArrived = deferred();
    let held = 0;
    h.apiReply = async (hit) => {
      if (hit.token !== 'tok-1') return undefined;
      if (++held === 50) allArrived.resolve();
      await allArrived.promise;
      return [401, MANGOPAY_INVALID_CREDENTIALS];
    };

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.api.get(`/users/${i}`)));

    expect(h.tokenCalls).toHaveLength(2); // the warm-up's token + exactly 1 refresh
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(results.map((r) => r.data.token)).toEqual(Array(50).fill('tok-2'));
    const byToken = (t: string) => h.apiHits.filter((x) => x.token === t && x.url.startsWith('/users/'));
    expect(byToken('tok-1')).toHaveLength(50);
    expect(byToken('tok-2')).toHaveLength(50);
    for (let i = 0; i < 50; i++)
      expect(h.apiHits.filter((x) => x.url === `/users/${i}`).map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
    expect(replays.events).toHaveLength(50);
    expect(replays.events.every((e) => e.method === 'GET' && e.url.startsWith('/users/'))).toBe(true);
  });

  test('a late 401 carrying the old token after the refresh → replayed with the new token, without a fetch', async () => {
    const replays = replayRecorder();
    const store = new MemoryTokenStore();
    const h = createResponseHarness({ options: { hooks: replays.hooks, store } });
    await h.api.get('/warm-up');
    h.validTokens = new Set(['tok-2']);

    // /late is sent with tok-1, but its 401 is held until after another request has refreshed.
    const release = deferred();
    h.apiReply = async (hit) => {
      if (hit.url === '/late' && hit.token === 'tok-1') await release.promise;
      return undefined;
    };
    const late = h.api.get('/late');
    await waitFor(() => h.apiHits.some((x) => x.url === '/late'));

    const early = await h.api.get('/early');
    expect(early.data.token).toBe('tok-2');
    expect(h.tokenCalls).toHaveLength(2);

    release.resolve();
    const response = await late;
    expect(response.data.token).toBe('tok-2');
    expect(h.tokenCalls).toHaveLength(2); // no second refresh
    expect(h.apiHits.filter((x) => x.url === '/late').map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
    expect(replays.events).toEqual([
      { method: 'GET', url: '/early', fetched: true },
      { method: 'GET', url: '/late', fetched: false },
    ]);
    // The stale 401 did not throw the newer token away.
    expect((await store.get(h.auth.cacheKey))?.accessToken).toBe('tok-2');
  });

  test('a replay answered 401 again → the caller gets that axios error; 1 refresh in total; no loop', async () => {
    const replays = replayRecorder();
    const h = createResponseHarness({ options: { hooks: replays.hooks } });
    h.validTokens = new Set(); // the server rejects every token

    const error = (await rejectionOf(h.api.post('/payins', { Amount: 100 }))) as AxiosError;

    expect(error).toBeInstanceOf(AxiosError);
    expect(error.response?.status).toBe(401);
    expect(error.response?.data).toEqual(MANGOPAY_INVALID_CREDENTIALS);
    expect(error.config?.oauth2?.replayed).toBe(true);
    expect(AxiosHeaders.from(error.config!.headers).get('Authorization')).toBe(REDACTED_BEARER);
    expect(h.tokenCalls).toHaveLength(2); // the first token + exactly 1 refresh
    expect(h.apiHits.map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
    expect(replays.events).toHaveLength(1);

    // Nothing else happens afterwards.
    for (let i = 0; i < 5; i++) await flush();
    expect(h.tokenCalls).toHaveLength(2);
    expect(h.apiHits).toHaveLength(2);
  });

  test('no loop even with a predicate that always says "rejected" and a server that always answers 401', async () => {
    const h = createResponseHarness({ options: { isTokenRejected: () => true } });
    h.apiReply = () => [401, { Message: 'nope' }];
    const error = (await rejectionOf(h.api.get('/loop'))) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(h.apiHits).toHaveLength(2);
    expect(h.tokenCalls).toHaveLength(2);
  });

  test('requests in flight when a refresh starts, coming back 401 during it, are replayed after it (never a cancel error)', async () => {
    const h = createResponseHarness();
    await h.api.get('/warm-up');
    h.validTokens = new Set(['tok-2']);

    const tokenGate = deferred();
    h.tokenReplies.push(async () => {
      await tokenGate.promise;
      return [200, tokenBody('tok-2')];
    });
    // /b and /c are in flight with tok-1; their 401s are held until the refresh has started.
    const inflightGate = deferred();
    h.apiReply = async (hit) => {
      if ((hit.url === '/b' || hit.url === '/c') && hit.token === 'tok-1') await inflightGate.promise;
      return undefined;
    };

    const a = outcome(h.api.get('/a'));
    const b = outcome(h.api.get('/b'));
    const c = outcome(h.api.get('/c'));
    await waitFor(() => h.tokenCalls.length === 2 && h.apiHits.filter((x) => x.token === 'tok-1').length === 4);

    // The refresh is under way (token call pending): release the in-flight 401s, and send a new request.
    inflightGate.resolve();
    const d = outcome(h.api.get('/d'));
    for (let i = 0; i < 10; i++) await flush();
    expect(h.tokenCalls).toHaveLength(2);
    expect(h.apiHits.filter((x) => x.token === 'tok-2')).toHaveLength(0); // everyone is waiting for the refresh

    tokenGate.resolve();
    const results = await Promise.all([a, b, c, d]);
    for (const r of results) {
      expect(r.ok).toBe(true);
      if (!r.ok) expect(isCancel(r.error)).toBe(false);
    }
    expect(results.map((r) => (r.ok ? r.value.data.token : undefined))).toEqual(['tok-2', 'tok-2', 'tok-2', 'tok-2']);
    expect(h.tokenCalls).toHaveLength(2);
    expect(h.apiHits.filter((x) => x.url === '/b').map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
    expect(h.apiHits.filter((x) => x.url === '/c').map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
    expect(h.apiHits.filter((x) => x.url === '/d').map((x) => x.token)).toEqual(['tok-2']);
  });
});

describe('compare-and-delete: a stale 401 never throws a newer token away', () => {
  /** A MemoryTokenStore that records delete calls. */
  function recordingStore(): TokenStore & { deletes: Array<[string, string | undefined]>; inner: MemoryTokenStore } {
    const inner = new MemoryTokenStore();
    const deletes: Array<[string, string | undefined]> = [];
    return {
      inner,
      deletes,
      get: (key) => inner.get(key),
      set: (key, token: StoredToken) => inner.set(key, token),
      delete: (key, ifAccessToken) => {
        deletes.push([key, ifAccessToken]);
        return inner.delete(key, ifAccessToken);
      },
    };
  }

  test('two attachments share a store: the stale one adopts the newer token instead of deleting it or fetching', async () => {
    const store = recordingStore();
    const one = createResponseHarness({ options: { store } });
    const two = createResponseHarness({ options: { store } });
    expect(one.auth.cacheKey).toBe(two.auth.cacheKey);
    one.tokenReplies.push([200, tokenBody('tok-old')]);
    two.tokenReplies.push([200, tokenBody('tok-new')]);

    await one.api.get('/warm-up'); // one fetches tok-old and stores it
    await two.api.get('/warm-up'); // two adopts tok-old from the store
    expect(two.tokenCalls).toHaveLength(0);

    // The server revokes tok-old; two notices first and refreshes to tok-new.
    one.validTokens = new Set(['tok-new']);
    two.validTokens = new Set(['tok-new']);
    expect((await two.api.get('/x')).data.token).toBe('tok-new');
    expect(two.tokenCalls).toHaveLength(1);
    expect((await store.get(two.auth.cacheKey))?.accessToken).toBe('tok-new');

    // one's request with tok-old comes back 401: it must not delete tok-new, and must not fetch.
    const response = await one.api.get('/y');
    expect(response.data.token).toBe('tok-new');
    expect(one.tokenCalls).toHaveLength(1); // only its first fetch
    expect((await store.get(one.auth.cacheKey))?.accessToken).toBe('tok-new');
    // Every delete was a compare-and-delete of the rejected token.
    expect(store.deletes).toEqual([
      [two.auth.cacheKey, 'tok-old'],
      [one.auth.cacheKey, 'tok-old'],
    ]);
  });

  test('MemoryTokenStore.delete with ifAccessToken deletes only that token', async () => {
    const store = new MemoryTokenStore();
    await store.set('k', { accessToken: 'new', tokenType: 'bearer', obtainedAt: 0 });
    await store.delete('k', 'old');
    expect((await store.get('k'))?.accessToken).toBe('new');
    await store.delete('k', 'new');
    expect(await store.get('k')).toBeUndefined();
  });
});
