import { TokenEndpointError } from '../../src';
import { createCore, deferred, flush, rejections, type Reply } from '../helpers/harness';

describe('single flight on a cold cache', () => {
  test('100 concurrent API requests make exactly 1 token call and all carry the same bearer', async () => {
    const core = createCore();
    const gate = deferred<Reply>();
    core.tokenQueue.push(() => gate.promise);

    const requests = Array.from({ length: 100 }, (_, i) => core.api.get(`/users/${i}`));
    await flush();
    // Every request is waiting on the one token call; none has reached the API yet.
    expect(core.tokenCalls).toHaveLength(1);
    expect(core.apiCalls).toHaveLength(0);

    gate.resolve([200, { access_token: 'the-one-token', token_type: 'bearer', expires_in: 3600 }]);
    const responses = await Promise.all(requests);

    expect(core.tokenCalls).toHaveLength(1);
    expect(core.apiCalls).toHaveLength(100);
    expect(new Set(core.apiCalls.map((c) => c.authorization))).toEqual(new Set(['Bearer the-one-token']));
    expect(responses.every((r) => r.data.authorization === 'Bearer the-one-token')).toBe(true);
  });

  test('concurrent getAccessToken() callers share the one fetch', async () => {
    const core = createCore();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => core.auth.getAccessToken()));
    expect(core.tokenCalls).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
    // Warm cache: no further call.
    await expect(core.auth.getAccessToken()).resolves.toBe('tok-1');
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('getAccessToken() and API requests started together share the one fetch', async () => {
    const core = createCore();
    const [token, response] = await Promise.all([core.auth.getAccessToken(), core.api.get('/me')]);
    expect(core.tokenCalls).toHaveLength(1);
    expect(token).toBe('tok-1');
    expect(response.data.authorization).toBe('Bearer tok-1');
  });
});

describe('a failed fetch', () => {
  test('rejects every waiter with the SAME error object, then the next call makes a new token request', async () => {
    const core = createCore({ options: { retry: { retries: 0 } } });
    core.tokenQueue.push([503, 'upstream unavailable']);

    const waiters = [
      ...Array.from({ length: 20 }, () => core.auth.getAccessToken()),
      ...Array.from({ length: 20 }, (_, i) => core.api.get(`/x/${i}`)),
    ];
    const errors = await rejections(waiters);

    expect(core.tokenCalls).toHaveLength(1);
    expect(core.apiCalls).toHaveLength(0);
    const first = errors[0];
    expect(first).toBeInstanceOf(TokenEndpointError);
    expect((first as TokenEndpointError).status).toBe(503);
    expect((first as TokenEndpointError).transient).toBe(true);
    expect((first as TokenEndpointError).attempts).toBe(1);
    // getAccessToken() callers share the one error; each API request gets its own copy of it (with its config).
    for (const error of errors.slice(0, 20)) expect(error).toBe(first);
    for (const error of errors.slice(20)) expect(error).toStrictEqual(first);

    // Not cached as a rejected promise: the very next call asks the token endpoint again.
    await expect(core.auth.getAccessToken()).resolves.toBe('tok-1');
    expect(core.tokenCalls).toHaveLength(2);
    const response = await core.api.get('/after');
    expect(response.data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('a network error rejects every waiter with one error and is not cached', async () => {
    const core = createCore({ options: { retry: { retries: 0 } } });
    core.tokenQueue.push(() => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));

    const errors = await rejections(Array.from({ length: 10 }, () => core.api.get('/x')));
    expect(core.tokenCalls).toHaveLength(1);
    // One failure, one copy per request: the same transport error behind each.
    for (const error of errors) expect((error as Error).cause).toBe((errors[0] as Error).cause);
    expect((errors[0] as Error).cause).toBeInstanceOf(Error);
    expect(errors[0]).toBeInstanceOf(TokenEndpointError);
    expect((errors[0] as TokenEndpointError).status).toBeUndefined();

    await expect(core.api.get('/x')).resolves.toMatchObject({ data: { authorization: 'Bearer tok-1' } });
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('a permanent failure is served from the negative cache for exactly failureCacheMs (default 5000), then retried', async () => {
    const core = createCore();
    core.tokenQueue.push([400, { error: 'invalid_client' }]);

    const first = await rejections([core.auth.getAccessToken()]);
    expect(core.tokenCalls).toHaveLength(1);
    expect((first[0] as TokenEndpointError).error).toBe('invalid_client');

    core.clock.now += 4999;
    const cached = await rejections([core.auth.getAccessToken()]);
    expect(cached[0]).toBe(first[0]);
    expect(core.tokenCalls).toHaveLength(1);

    core.clock.now += 1;
    await expect(core.auth.getAccessToken()).resolves.toBe('tok-1');
    expect(core.tokenCalls).toHaveLength(2);
  });
});
