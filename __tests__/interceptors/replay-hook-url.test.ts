import type { ReplayEvent } from '../../src';
import { MANGOPAY_INVALID_CREDENTIALS, createResponseHarness } from '../helpers/harness';

/**
 * `onRequestReplayed` reports the replayed request's path only: no origin, query string or fragment
 * (a query may carry identifiers or signed parameters that do not belong in logs).
 */
describe('onRequestReplayed: the path of the replayed request, nothing else', () => {
  it.each([
    ['a relative URL with a query and a fragment', '/users/7?token=abc&page=2#top', '/users/7'],
    [
      'an absolute URL with a query',
      'https://api.example.com/v2.01/client-1/users/7?signature=xyz',
      '/v2.01/client-1/users/7',
    ],
    ['an absolute URL that is just the origin', 'https://api.example.com?x=1', '/'],
    ['a relative URL without a query', 'users/7', 'users/7'],
  ])('%s (%s) is reported as %s', async (_what, url, reported) => {
    const events: ReplayEvent[] = [];
    const h = createResponseHarness({ options: { hooks: { onRequestReplayed: (e) => events.push(e) } } });
    let rejected = false;
    h.apiReply = (hit) => {
      if (rejected || hit.token !== 'tok-1') return undefined;
      rejected = true;
      return [401, MANGOPAY_INVALID_CREDENTIALS];
    };

    const response = await h.api.get(url);

    expect(response.status).toBe(200);
    expect(h.tokenCalls).toHaveLength(2);
    expect(events).toEqual([{ method: 'GET', url: reported, fetched: true }]);
  });
});
