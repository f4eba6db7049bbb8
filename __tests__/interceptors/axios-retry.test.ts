import axiosRetry from 'axios-retry';
import { isAxiosError, type AxiosError } from 'axios';
import { attachOAuth2, OAuth2Error, type ReplayEvent } from '../../src';
import { createResponseHarness, defaultOptions, rejectionOf, type ResponseHarness } from '../helpers/harness';

type Order = 'plugin first' | 'axios-retry first';

/** The plugin and axios-retry on one instance, attached in `order`. */
function setup(order: Order) {
  const h = createResponseHarness({ noAttach: true });
  const replays: ReplayEvent[] = [];
  const retries: number[] = [];
  const attachPlugin = () => {
    h.auth = attachOAuth2(h.api, defaultOptions({ hooks: { onRequestReplayed: (e) => replays.push(e) } }));
  };
  const attachRetry = () =>
    axiosRetry(h.api, { retries: 3, retryDelay: () => 0, onRetry: (n) => void retries.push(n) });
  if (order === 'plugin first') {
    attachPlugin();
    attachRetry();
  } else {
    attachRetry();
    attachPlugin();
  }
  return { h, replays, retries };
}

const hitsOf = (h: ResponseHarness, url: string) => h.apiHits.filter((x) => x.url === url);

describe('axios-retry attached first: its retry of a replay goes through the whole instance again', () => {
  test('replay answered 503, its retry answered 401: the caller gets the 401 after exactly 1 replay and 1 refresh', async () => {
    const { h, replays, retries } = setup('axios-retry first');
    await h.api.get('/warm-up');
    h.validTokens = new Set(['tok-2']);
    let tok2Hits = 0;
    h.apiReply = (hit) => {
      if (hit.url !== '/x' || hit.token !== 'tok-2') return undefined;
      tok2Hits += 1;
      return tok2Hits === 1 ? [503, ''] : [401, { Message: 'rejected', Type: 'invalid_credentials' }];
    };

    const error = (await rejectionOf(h.api.get('/x'))) as AxiosError;

    // The API's own 401, as axios gave it: no second renewal was attempted (its failure would surface instead).
    expect(isAxiosError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(OAuth2Error);
    expect(error.message).toBe('Request failed with status code 401');
    expect(error.response?.status).toBe(401);
    expect(error.response?.data).toEqual({ Message: 'rejected', Type: 'invalid_credentials' });
    expect(hitsOf(h, '/x').map((x) => x.token)).toEqual(['tok-1', 'tok-2', 'tok-2']);
    expect(retries).toEqual([1]);
    expect(replays).toHaveLength(1);
    expect(h.tokenCalls).toHaveLength(2); // warm-up + exactly 1 refresh
  });
});

describe.each<Order>(['plugin first', 'axios-retry first'])(
  'the plugin and axios-retry on one instance (%s)',
  (order) => {
    test('a 503 from the API retried by axios-retry keeps a valid bearer (never the redacted one)', async () => {
      const { h, replays, retries } = setup(order);
      let failures = 2;
      h.apiReply = (hit) => (hit.url === '/flaky' && failures-- > 0 ? [503, { Message: 'unavailable' }] : undefined);

      const response = await h.api.get('/flaky');

      expect(response.status).toBe(200);
      expect(hitsOf(h, '/flaky').map((x) => x.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
      expect(retries).toEqual([1, 2]);
      expect(h.tokenCalls).toHaveLength(1);
      expect(replays).toEqual([]);
    });

    test('a 401 → exactly 1 token refresh and exactly one replay; no duplicate token calls', async () => {
      const { h, replays, retries } = setup(order);
      await h.api.get('/warm-up');
      h.validTokens = new Set(['tok-2']);

      const response = await h.api.post('/payins', { Amount: 5 });

      expect(response.data.token).toBe('tok-2');
      expect(hitsOf(h, '/payins').map((x) => x.token)).toEqual(['tok-1', 'tok-2']); // exactly 2 API hits
      expect(hitsOf(h, '/payins').map((x) => x.data)).toEqual(['{"Amount":5}', '{"Amount":5}']);
      expect(h.tokenCalls).toHaveLength(2); // warm-up + exactly 1 refresh
      expect(replays).toHaveLength(1);
      expect(retries).toEqual([]); // axios-retry does not retry a 401
    });

    test('20 concurrent 401s → 1 refresh, 20 replays, 40 API hits', async () => {
      const { h, replays } = setup(order);
      await h.api.get('/warm-up');
      h.validTokens = new Set(['tok-2']);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => h.api.get(`/c/${i}`)));
      expect(results.every((r) => r.data.token === 'tok-2')).toBe(true);
      expect(h.tokenCalls).toHaveLength(2);
      expect(h.apiHits.filter((x) => x.url.startsWith('/c/'))).toHaveLength(40);
      expect(replays).toHaveLength(20);
    });

    test('a replay answered 503 is retried by axios-retry with the new token, and never replayed again', async () => {
      const { h, replays, retries } = setup(order);
      await h.api.get('/warm-up');
      h.validTokens = new Set(['tok-2']);
      let failures = 1;
      h.apiReply = (hit) => (hit.url === '/x' && hit.token === 'tok-2' && failures-- > 0 ? [503, ''] : undefined);

      const response = await h.api.get('/x');

      expect(response.data.token).toBe('tok-2');
      expect(hitsOf(h, '/x').map((x) => x.token)).toEqual(['tok-1', 'tok-2', 'tok-2']);
      expect(h.tokenCalls).toHaveLength(2);
      expect(replays).toHaveLength(1);
      expect(retries).toEqual([1]);
    });

    test('a replay answered 401 again reaches the caller; 1 refresh, 2 API hits, no retry loop', async () => {
      const { h, replays } = setup(order);
      h.validTokens = new Set();
      const error = (await rejectionOf(h.api.get('/never'))) as AxiosError;
      expect(error.response?.status).toBe(401);
      expect(hitsOf(h, '/never')).toHaveLength(2);
      expect(h.tokenCalls).toHaveLength(2);
      expect(replays).toHaveLength(1);
    });
  },
);
