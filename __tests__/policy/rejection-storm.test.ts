import axios, { AxiosError } from 'axios';
import { attachOAuth2, TokenRejectedError, type OAuth2OptionsError, type RejectionStormEvent } from '../../src';
import { basicAuthorization } from '../../src/token/token-request';
import { expectNoSecret } from '../helpers/secrets';
import { CLIENT_ID, CLIENT_SECRET, TOKEN_URL, createCore, T0, type Core } from '../helpers/harness';

function stormCore(extra: Record<string, unknown> = {}) {
  const opened: RejectionStormEvent[] = [];
  const closed: Array<{ at: number }> = [];
  const core = createCore({
    options: {
      random: () => 0,
      hooks: { onRejectionStormOpened: (e) => opened.push(e), onRejectionStormClosed: (e) => closed.push(e) },
      ...extra,
    },
  });
  return { core, opened, closed };
}

/** Every rejection reason; each is the replay's 401 or, once the breaker is open, a TokenRejectedError. */
async function failures(core: Core, n: number, path: string): Promise<unknown[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => core.api.get(`${path}/${i}`)));
  return settled.map((s) => {
    if (s.status === 'fulfilled') throw new Error('a request succeeded against an API rejecting every token');
    return s.reason as unknown;
  });
}

function is401OrStorm(error: unknown): boolean {
  return error instanceof TokenRejectedError || (error instanceof AxiosError && error.response?.status === 401);
}

/** What a rejection storm's errors must never show: the secret, the Basic credentials, any token. */
const STORM_SECRETS = [CLIENT_SECRET, basicAuthorization(CLIENT_ID, CLIENT_SECRET, 'rfc6749'), 'tok-'];

describe('item 16: an API that rejects every token opens a cool-down instead of one token call per request', () => {
  test('25 concurrent then sequential requests: 2 token calls, then TokenRejectedError; after the cool-down exactly one trial; doubling; closes once a token is accepted', async () => {
    const { core, opened, closed } = stormCore();
    core.validTokens = new Set();

    const first = await failures(core, 25, '/burst');
    expect(first.every(is401OrStorm)).toBe(true);
    expect(core.tokenCalls).toHaveLength(2);
    expect(opened).toEqual([{ retryAt: T0 + 5000, retryAfterMs: 5000, consecutive: 1, status: 401 }]);
    const apiCallsAfterBurst = core.apiCalls.length;

    for (let i = 0; i < 5; i++) {
      const error = await core.api.get(`/seq/${i}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRejectedError);
      const rejected = error as TokenRejectedError;
      expect(rejected.code).toBe('OAUTH2_TOKEN_REJECTED');
      expect(rejected.status).toBe(401);
      expect(rejected.retryAfterMs).toBe(5000);
      expect(rejected.retryAt).toBe(T0 + 5000);
      expect(rejected.consecutive).toBe(1);
      expect(rejected.message).toMatch(/sandbox key against production/);
      expect((rejected.cause as AxiosError).response?.status).toBe(401);
      expectNoSecret(rejected, STORM_SECRETS);
    }
    expect(core.tokenCalls).toHaveLength(2);
    expect(core.apiCalls).toHaveLength(apiCallsAfterBurst); // nothing sent while the cool-down is open

    core.clock.now = T0 + 4999;
    expect(await core.api.get('/still').catch((e: unknown) => e)).toBeInstanceOf(TokenRejectedError);
    expect(core.tokenCalls).toHaveLength(2);

    // The cool-down ends: one trial token for 10 concurrent requests; rejected at once → reopened, doubled.
    core.clock.now = T0 + 5000;
    const second = await failures(core, 10, '/trial');
    expect(second.every(is401OrStorm)).toBe(true);
    expect(core.tokenCalls).toHaveLength(3);
    expect(opened[1]).toEqual({ retryAt: T0 + 15_000, retryAfterMs: 10_000, consecutive: 2, status: 401 });
    expect(closed).toEqual([]);

    // The API is fixed: after the cool-down one trial token, accepted: the breaker closes.
    core.validTokens = undefined;
    core.clock.now = T0 + 15_000;
    expect((await core.api.get('/ok')).data.authorization).toBe('Bearer tok-4');
    expect((await core.api.get('/ok-again')).data.authorization).toBe('Bearer tok-4');
    expect(core.tokenCalls).toHaveLength(4);
    expect(closed).toEqual([{ at: T0 + 15_000 }]);
    expect(opened).toHaveLength(2);
  });

  test('the first rejection of a fresh token is still renewed and replayed (one renewal), and an accepted replay resets the count', async () => {
    const { core, opened } = stormCore();
    await core.api.get('/warm-up'); // tok-1
    for (const [n, valid] of [
      [2, 'tok-2'],
      [3, 'tok-3'],
      [4, 'tok-4'],
    ] as const) {
      core.validTokens = new Set([valid]); // the token just issued is revoked right away, once
      expect((await core.api.get(`/r/${n}`)).data.authorization).toBe(`Bearer ${valid}`);
    }
    expect(core.tokenCalls).toHaveLength(4);
    expect(opened).toEqual([]);
  });

  test('a token rejected after it lived longer than rejection.windowMs is an ordinary renewal', async () => {
    const { core, opened } = stormCore({ rejection: { windowMs: 1000 } });
    core.validTokens = new Set();
    await failures(core, 1, '/a'); // tok-1 early, tok-2 early on the replay: open
    expect(opened).toHaveLength(1);
    expect(core.tokenCalls).toHaveLength(2);

    const late = stormCore({ rejection: { windowMs: 1000 } });
    await late.core.api.get('/warm-up');
    late.core.clock.now = T0 + 1000; // tok-1 lived the whole window
    late.core.validTokens = new Set(['tok-2']);
    expect((await late.core.api.get('/b')).data.authorization).toBe('Bearer tok-2');
    late.core.validTokens = new Set(['tok-3']); // tok-2 rejected at once, but the count was reset
    expect((await late.core.api.get('/c')).data.authorization).toBe('Bearer tok-3');
    expect(late.opened).toEqual([]);
  });

  test('rejection options are validated and named', () => {
    const api = axios.create();
    const base = { tokenUrl: TOKEN_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
    const error = (options: Record<string, unknown>) => {
      try {
        attachOAuth2(axios.create(), { ...base, ...options });
      } catch (e) {
        return e as OAuth2OptionsError;
      }
      throw new Error('no error');
    };
    expect(error({ rejection: { windowMs: -1 } }).option).toBe('rejection.windowMs');
    expect(error({ rejection: { cooldownMs: 1 } }).option).toBe('rejection.cooldownMs');
    expect(error({ rejection: 5 }).option).toBe('rejection');
    expect(() =>
      attachOAuth2(api, { ...base, rejection: { windowMs: 0, initialCooldownMs: 1, maxCooldownMs: 2 } }),
    ).not.toThrow();
  });
});

describe('item 17: a validateStatus that accepts 4xx does not turn renewal off', () => {
  test('a resolved token-rejection 401 is renewed and replayed once; the caller gets the replay’s response', async () => {
    const core = createCore();
    core.api.defaults.validateStatus = (status) => status < 500;
    await core.api.get('/warm-up');
    core.validTokens = new Set(['tok-2']);
    const response = await core.api.get('/x');
    expect(response.status).toBe(200);
    expect(response.data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(2);
    expect((await core.api.get('/y')).data.authorization).toBe('Bearer tok-2');
    expect(core.tokenCalls).toHaveLength(2);
    expect(core.apiCalls.map((c) => `${c.url} ${c.authorization}`)).toEqual([
      '/warm-up Bearer tok-1',
      '/x Bearer tok-1',
      '/x Bearer tok-2',
      '/y Bearer tok-2',
    ]);
  });

  test('a resolved 401 that is not a token rejection is returned as is, without a token call', async () => {
    const core = createCore({ options: { isTokenRejected: () => false } });
    await core.api.get('/warm-up');
    core.validTokens = new Set();
    const response = await core.api.get('/x', { validateStatus: () => true });
    expect(response.status).toBe(401);
    expect(core.tokenCalls).toHaveLength(1);
    expect(core.apiCalls).toHaveLength(2);
  });

  test('the replay answered 401 again is returned resolved (no loop), and feeds the rejection breaker', async () => {
    const core = createCore({ options: { random: () => 0 } });
    core.api.defaults.validateStatus = (status) => status < 500;
    core.validTokens = new Set();
    const response = await core.api.get('/x');
    expect(response.status).toBe(401);
    expect(core.apiCalls.map((c) => c.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(core.tokenCalls).toHaveLength(2);
    expect(await core.api.get('/y').catch((e: unknown) => e)).toBeInstanceOf(TokenRejectedError);
    expect(core.tokenCalls).toHaveLength(2);
  });
});
