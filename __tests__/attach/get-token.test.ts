import { inspect } from 'node:util';
import { createCore, deferred, T0, tokenBody, type Reply } from '../helpers/harness';

describe('getToken()', () => {
  test('resolves the access token with its type, expiry (epoch ms, a number) and scope, never the refresh token', async () => {
    const core = createCore({ tokenExtra: () => ({ scope: 'read write', refresh_token: 'rt-secret' }) });
    const info = await core.auth.getToken();
    expect(info).toEqual({
      accessToken: 'tok-1',
      tokenType: 'Bearer',
      expiresAt: T0 + 3600_000,
      scope: 'read write',
    });
    expect(JSON.stringify(info)).not.toContain('rt-secret');
    expect(inspect(info, { depth: Infinity })).not.toContain('rt-secret');
    expect(core.tokenCalls).toHaveLength(1);
    expect(await core.auth.getAccessToken()).toBe('tok-1');
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('a token without expires_in expires after the default lifetime; a non-standard token_type is still reported as Bearer', async () => {
    const core = createCore({
      lifetimeSeconds: null,
      tokenExtra: () => ({ token_type: 'access_token' }),
      options: { acceptTokenTypes: ['Bearer', 'access_token'] },
    });
    expect(await core.auth.getToken()).toEqual({
      accessToken: 'tok-1',
      tokenType: 'Bearer',
      expiresAt: T0 + 600_000,
    });
  });

  test('shares the cached token and the one fetch with requests', async () => {
    const core = createCore();
    const [info, response] = await Promise.all([core.auth.getToken(), core.api.get('/me')]);
    expect(info.accessToken).toBe('tok-1');
    expect(response.data.authorization).toBe('Bearer tok-1');
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('forceRefresh with a valid cached token: 5 concurrent forced calls → 1 token call, all get the new token', async () => {
    const core = createCore();
    await core.auth.getToken();
    const forced = await Promise.all(Array.from({ length: 5 }, () => core.auth.getToken({ forceRefresh: true })));
    expect(forced.map((t) => t.accessToken)).toEqual(Array(5).fill('tok-2'));
    expect(core.tokenCalls).toHaveLength(2);
    expect((await core.api.get('/me')).data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('forceRefresh with nothing cached: 5 concurrent forced calls → 1 token call', async () => {
    const core = createCore();
    const forced = await Promise.all(Array.from({ length: 5 }, () => core.auth.getToken({ forceRefresh: true })));
    expect(forced.map((t) => t.accessToken)).toEqual(Array(5).fill('tok-1'));
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('requests waiting during a forced renewal share it', async () => {
    const core = createCore();
    await core.auth.getToken();
    const answer = deferred<Reply>();
    core.tokenQueue.push(() => answer.promise);
    const forced = core.auth.getToken({ forceRefresh: true });
    const requests = Promise.all([core.api.get('/a'), core.api.get('/b')]);
    await new Promise((resolve) => setImmediate(resolve));
    answer.resolve([200, tokenBody('tok-forced')]);
    expect((await forced).accessToken).toBe('tok-forced');
    expect((await requests).map((r) => r.data.authorization)).toEqual(['Bearer tok-forced', 'Bearer tok-forced']);
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('forced refreshes in a row are not token rejections: 3 forced calls a second apart → 3 token calls, no rejection cool-down', async () => {
    const core = createCore();
    await core.auth.getToken();
    for (let i = 2; i <= 4; i++) {
      core.clock.now += 1000;
      expect((await core.auth.getToken({ forceRefresh: true })).accessToken).toBe(`tok-${i}`);
    }
    expect((await core.api.get('/me')).data.authorization).toBe('Bearer tok-4');
    expect(core.tokenCalls).toHaveLength(4);
  });

  test('forceRefresh: false (or no options) serves the cached token', async () => {
    const core = createCore();
    await core.auth.getToken();
    expect((await core.auth.getToken({ forceRefresh: false })).accessToken).toBe('tok-1');
    expect(core.tokenCalls).toHaveLength(1);
  });
});
