import { CanceledError, isCancel } from 'axios';
import { createResponseHarness, deferred, flush, outcome, tokenBody, waitFor } from '../helpers/harness';

/** A harness whose next token call is held until `release()`. */
function slowTokenEndpoint(accessToken = 'tok-1') {
  const h = createResponseHarness();
  const gate = deferred();
  h.tokenReplies.push(async () => {
    await gate.promise;
    return [200, tokenBody(accessToken)];
  });
  return { h, release: () => gate.resolve() };
}

describe('AbortSignal while waiting for a token', () => {
  test('only the aborted request rejects (CanceledError); the shared fetch goes on; the others succeed with 1 token call', async () => {
    const { h, release } = slowTokenEndpoint();
    const controller = new AbortController();

    const others = [0, 1, 2, 3].map((i) => outcome(h.api.get(`/others/${i}`)));
    const aborted = outcome(h.api.get('/aborted', { signal: controller.signal }));
    await waitFor(() => h.tokenCalls.length === 1);

    controller.abort();
    const result = await aborted;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(isCancel(result.error)).toBe(true);
      expect(result.error).toBeInstanceOf(CanceledError);
      // Axios's cancellation as axios made it: not dressed as a plugin error (no response of status 0 added).
      expect((result.error as { response?: unknown }).response).toBeUndefined();
    }
    // The others are still waiting for the same fetch.
    await flush();
    expect(h.apiHits).toHaveLength(0);

    release();
    const settled = await Promise.all(others);
    expect(settled.map((r) => r.ok && r.value.data.token)).toEqual(['tok-1', 'tok-1', 'tok-1', 'tok-1']);
    expect(h.tokenCalls).toHaveLength(1);
    expect(h.apiHits.map((x) => x.url)).not.toContain('/aborted');
    expect(h.apiHits).toHaveLength(4);
  });

  test('the only waiter aborts: the fetch still completes and its token is cached for the next request', async () => {
    const { h, release } = slowTokenEndpoint();
    const controller = new AbortController();
    const aborted = outcome(h.api.get('/a', { signal: controller.signal }));
    await waitFor(() => h.tokenCalls.length === 1);
    controller.abort();
    const result = await aborted;
    expect(!result.ok && isCancel(result.error)).toBe(true);

    release();
    await flush();
    expect((await h.api.get('/b')).data.token).toBe('tok-1');
    expect(h.tokenCalls).toHaveLength(1);
    expect(h.apiHits.map((x) => x.url)).toEqual(['/b']);
  });

  test('a signal already aborted when the request must wait for a token rejects at once (the plugin’s cancel, not axios’s) and sends nothing', async () => {
    const { h, release } = slowTokenEndpoint();
    let settled = false;
    const pending = outcome(h.api.get('/x', { signal: AbortSignal.abort() })).finally(() => {
      settled = true;
    });
    // Settles while the token fetch is still held: the plugin stopped waiting, axios never got to dispatch.
    await waitFor(() => settled);
    expect(h.tokenCalls).toHaveLength(1);
    const result = await pending;
    expect(!result.ok && isCancel(result.error)).toBe(true);
    expect(!result.ok && (result.error as Error).message).toBe('canceled while waiting for an OAuth 2.0 token');

    release();
    expect((await h.api.get('/b')).data.token).toBe('tok-1');
    expect(h.tokenCalls).toHaveLength(1);
    expect(h.apiHits.map((x) => x.url)).toEqual(['/b']);
  });
});

describe('AbortSignal while waiting for the refresh before a replay', () => {
  test('only the aborted request rejects and is not replayed; the others are replayed after the 1 refresh', async () => {
    const h = createResponseHarness();
    await h.api.get('/warm-up');
    h.validTokens = new Set(['tok-2']);
    const gate = deferred();
    h.tokenReplies.push(async () => {
      await gate.promise;
      return [200, tokenBody('tok-2')];
    });
    const controller = new AbortController();

    const aborted = outcome(h.api.post('/aborted', { n: 1 }, { signal: controller.signal }));
    const others = [0, 1, 2].map((i) => outcome(h.api.get(`/others/${i}`)));
    // All four have been answered 401 and the refresh is under way.
    await waitFor(() => h.tokenCalls.length === 2 && h.apiHits.length === 5);

    controller.abort();
    const result = await aborted;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(isCancel(result.error)).toBe(true);

    gate.resolve();
    const settled = await Promise.all(others);
    expect(settled.map((r) => r.ok && r.value.data.token)).toEqual(['tok-2', 'tok-2', 'tok-2']);
    expect(h.tokenCalls).toHaveLength(2); // warm-up + 1 refresh
    expect(h.apiHits.filter((x) => x.url === '/aborted').map((x) => x.token)).toEqual(['tok-1']); // never replayed
    for (let i = 0; i < 3; i++) {
      expect(h.apiHits.filter((x) => x.url === `/others/${i}`).map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
    }
  });
});
