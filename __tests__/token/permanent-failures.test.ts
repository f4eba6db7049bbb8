import { OAuth2Error, TokenEndpointError, type OAuth2Options, type TokenFailureEvent } from '../../src';
import { CLIENT_SECRET, createResponseHarness, oauthError, outcome, type Reply } from '../helpers/harness';

const T0 = Date.UTC(2025, 0, 1);

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

function harness(options: Partial<OAuth2Options> = {}) {
  const failures: TokenFailureEvent[] = [];
  const h = createResponseHarness({
    options: { hooks: { onTokenEndpointFailure: (e) => failures.push(e) }, ...options },
  });
  return { h, failures };
}

async function errorOf(h: ReturnType<typeof harness>['h'], url = '/x'): Promise<TokenEndpointError> {
  const result = outcome(h.api.get(url));
  await jest.advanceTimersByTimeAsync(0);
  const r = await result;
  if (r.ok) throw new Error('expected a TokenEndpointError, got a response');
  expect(r.error).toBeInstanceOf(TokenEndpointError);
  return r.error as TokenEndpointError;
}

const INVALID_CLIENT: Reply = [
  401,
  oauthError('invalid_client', 'Client authentication failed'),
  { 'WWW-Authenticate': 'Basic realm="token"' },
];

describe('permanent token-endpoint failures: no retry, one call shared, short negative cache', () => {
  test('invalid_client under a burst of 100 concurrent requests → 1 token call; every request gets the same TokenEndpointError', async () => {
    const { h, failures } = harness();
    h.tokenReplies.push(INVALID_CLIENT);

    const results = Array.from({ length: 100 }, (_, i) => outcome(h.api.get(`/r/${i}`)));
    await jest.advanceTimersByTimeAsync(0);
    const settled = await Promise.all(results);

    expect(h.tokenCalls).toHaveLength(1);
    expect(h.apiHits).toHaveLength(0);
    const first = (settled[0] as { error: unknown }).error as TokenEndpointError;
    expect(first).toBeInstanceOf(TokenEndpointError);
    expect(first).toBeInstanceOf(OAuth2Error);
    expect(first.code).toBe('OAUTH2_TOKEN_ENDPOINT_ERROR');
    expect(first.error).toBe('invalid_client');
    expect(first.errorDescription).toBe('Client authentication failed');
    expect(first.status).toBe(401);
    expect(first.transient).toBe(false);
    expect(first.attempts).toBe(1);
    expect(first.message).not.toContain(CLIENT_SECRET);
    for (const r of settled) {
      expect(r.ok).toBe(false);
      expect((r as { error: unknown }).error).toStrictEqual(first);
    }
    expect(failures).toEqual([
      { kind: 'permanent', error: 'invalid_client', status: 401, attempt: 1, willRetry: false },
    ]);
  });

  test('sequential requests within failureCacheMs → still 1 call (the same error); after it → a new call', async () => {
    const { h } = harness({ failureCacheMs: 5000 });
    h.tokenReplies.push([400, oauthError('invalid_client')], [400, oauthError('invalid_client')]);

    const first = await errorOf(h);
    expect(h.tokenCalls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await errorOf(h)).toStrictEqual(first);
    await jest.advanceTimersByTimeAsync(3999); // T0 + 4999
    expect(await errorOf(h)).toStrictEqual(first);
    expect(h.tokenCalls).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(1); // T0 + 5000: the cached failure has expired
    const second = await errorOf(h);
    expect(second.error).toBe('invalid_client');
    expect(h.tokenCalls.map((c) => c.at)).toEqual([T0, T0 + 5000]);

    // Fixed credentials: after the next expiry the call succeeds and the failure is forgotten.
    await jest.advanceTimersByTimeAsync(5000);
    const ok = outcome(h.api.get('/ok'));
    await jest.advanceTimersByTimeAsync(0);
    const r = await ok;
    expect(r.ok && r.value.data.token).toBe('tok-1');
    expect(h.tokenCalls).toHaveLength(3);
  });

  test('the default failureCacheMs is 5 s', async () => {
    const { h } = harness();
    h.tokenReplies.push([400, oauthError('invalid_client')]);
    const first = await errorOf(h);
    await jest.advanceTimersByTimeAsync(4999);
    expect(await errorOf(h)).toStrictEqual(first);
    expect(h.tokenCalls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    const r = outcome(h.api.get('/x'));
    await jest.advanceTimersByTimeAsync(0);
    expect((await r).ok).toBe(true);
    expect(h.tokenCalls).toHaveLength(2);
  });

  test('failureCacheMs: 0 disables the negative cache (but a concurrent burst still shares one call)', async () => {
    const { h } = harness({ failureCacheMs: 0 });
    h.tokenReplies.push([400, oauthError('invalid_client')], [400, oauthError('invalid_client')]);
    const burst = Array.from({ length: 10 }, () => outcome(h.api.get('/b')));
    await jest.advanceTimersByTimeAsync(0);
    await Promise.all(burst);
    expect(h.tokenCalls).toHaveLength(1);
    await errorOf(h);
    expect(h.tokenCalls).toHaveLength(2);
  });

  test.each(['invalid_scope', 'unsupported_grant_type', 'invalid_request', 'invalid_grant'])(
    '%s → never retried: exactly 1 call, even after the retry delays',
    async (code) => {
      const { h, failures } = harness({ random: () => 0.5 });
      h.tokenReplies.push([400, oauthError(code)], [400, oauthError(code)], [400, oauthError(code)]);
      const error = await errorOf(h);
      expect(error.error).toBe(code);
      expect(error.status).toBe(400);
      expect(error.transient).toBe(false);
      expect(error.attempts).toBe(1);
      await jest.advanceTimersByTimeAsync(4999); // longer than every transient retry delay at these settings
      expect(h.tokenCalls).toHaveLength(1);
      expect(failures).toEqual([{ kind: 'permanent', error: code, status: 400, attempt: 1, willRetry: false }]);
    },
  );

  test('invalid_grant after the refresh-token fallback → 1 refresh-token call + 1 main-grant call, then the error, no retry', async () => {
    const { h } = harness({ grant: { type: 'password', username: 'ada', password: 'pa55-w0rd-secret' } });
    h.tokenReplies.push([
      200,
      { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600, refresh_token: 'rt-1' },
    ]);
    const warm = outcome(h.api.get('/warm-up'));
    await jest.advanceTimersByTimeAsync(0);
    expect((await warm).ok).toBe(true);

    h.validTokens = new Set(['tok-2']);
    h.tokenReplies.push([400, oauthError('invalid_grant')], [400, oauthError('invalid_grant', 'bad password')]);
    const error = await errorOf(h, '/rejected');
    expect(error.error).toBe('invalid_grant');
    expect(error.errorDescription).toBe('bad password');
    expect(error.transient).toBe(false);
    expect(error.attempts).toBe(1);
    expect(error.message).not.toContain('pa55-w0rd-secret');
    const grants = h.tokenCalls.map((c) => new URLSearchParams(String(c.config.data)).get('grant_type'));
    expect(grants).toEqual(['password', 'refresh_token', 'password']);
    await jest.advanceTimersByTimeAsync(4999);
    expect(h.tokenCalls).toHaveLength(3);
  });

  test.each([
    [400, undefined],
    [401, undefined],
    [404, 'Not Found'],
  ])('HTTP %i without an RFC 6749 error code is permanent too (1 call)', async (status, body) => {
    const { h } = harness();
    h.tokenReplies.push([status, body]);
    const error = await errorOf(h);
    expect(error.status).toBe(status);
    expect(error.error).toBeUndefined();
    expect(error.transient).toBe(false);
    await jest.advanceTimersByTimeAsync(4999);
    expect(h.tokenCalls).toHaveLength(1);
  });
});
