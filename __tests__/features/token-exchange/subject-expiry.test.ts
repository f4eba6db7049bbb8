/**
 * A token exchanged for a subject is never used past the subject token's own expiry: a JWT
 * subject's `exp` (decoded, not verified) or an explicit `subjectTokenExpiresAt`; its cache expiry
 * is min(issued expiry, subject expiry). Fake timers, exact times.
 */
import { OAuth2RequestOptionsError } from '../../../src';
import { tokenExchange, TOKEN_TYPES } from '../../../src/features/token-exchange';
import { createResponseHarness, type Reply } from '../../helpers/harness';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** An unsigned JWT whose payload has these claims (the plugin decodes, never verifies). */
function jwt(claims: Record<string, unknown>): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.c2ln`;
}

function harness(expiresIn = 3600) {
  let n = 0;
  const reply = (): Reply => {
    n += 1;
    return [
      200,
      {
        access_token: `tok-${n}`,
        token_type: 'Bearer',
        expires_in: expiresIn,
        issued_token_type: TOKEN_TYPES.accessToken,
      },
    ];
  };
  const h = createResponseHarness({
    options: { grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.jwt }), refreshSkewSeconds: 30 },
  });
  for (let i = 0; i < 10; i++) h.tokenReplies.push(reply);
  return h;
}

test('JWT subject: expiresAt = its exp (not the issued 3600 s); renewed in the hard window; refused from its exp on, no token call', async () => {
  const h = harness(3600);
  const subjectToken = jwt({ sub: 'alice', exp: (T0 + 100_000) / 1000 });
  const first = await h.auth.getToken({ subjectToken });
  expect(first.expiresAt).toBe(T0 + 100_000);
  // Lifetime 100 s, skew 30 s: used until T0 + 70 s.
  jest.setSystemTime(T0 + 69_999);
  await h.api.get('/a', { oauth2: { subjectToken } });
  expect(h.tokenCalls).toHaveLength(1);
  jest.setSystemTime(T0 + 70_000);
  await h.api.get('/a', { oauth2: { subjectToken } });
  expect(h.tokenCalls).toHaveLength(2);
  expect(h.apiHits.map((hit) => hit.token)).toEqual(['tok-1', 'tok-2']);
  expect((await h.auth.getToken({ subjectToken })).expiresAt).toBe(T0 + 100_000);
  jest.setSystemTime(T0 + 99_999);
  await h.api.get('/a', { oauth2: { subjectToken } });
  const calls = h.tokenCalls.length;
  jest.setSystemTime(T0 + 100_000);
  const error = await h.api.get('/a', { oauth2: { subjectToken } }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
  expect((error as Error).message).toContain(new Date(T0 + 100_000).toISOString());
  await expect(h.auth.getToken({ subjectToken })).rejects.toBeInstanceOf(OAuth2RequestOptionsError);
  expect(h.tokenCalls).toHaveLength(calls);
  // Every API request was sent before T0 + 100 s.
  expect(h.apiHits).toHaveLength(3);
  h.auth.detach();
});

test('opaque subject with subjectTokenExpiresAt: the same cap; an issued expiry shorter than the subject’s wins', async () => {
  const h = harness(60);
  const opaque = 'opaque-subject-token-0001';
  const capped = await h.auth.getToken({ subjectToken: opaque, subjectTokenExpiresAt: T0 + 45_000 });
  expect(capped.expiresAt).toBe(T0 + 45_000);
  const other = await h.auth.getToken({
    subjectToken: 'opaque-subject-token-0002',
    subjectTokenExpiresAt: T0 + 600_000,
  });
  expect(other.expiresAt).toBe(T0 + 60_000);
  // A per-request expiry, on the request side.
  await h.api.get('/a', { oauth2: { subjectToken: 'opaque-subject-token-0003', subjectTokenExpiresAt: T0 + 20_000 } });
  jest.setSystemTime(T0 + 20_000);
  await expect(
    h.api.get('/a', { oauth2: { subjectToken: 'opaque-subject-token-0003', subjectTokenExpiresAt: T0 + 20_000 } }),
  ).rejects.toMatchObject({ option: 'oauth2.subjectToken' });
  expect(h.tokenCalls).toHaveLength(3);
  h.auth.detach();
});

test('a JWT exp and an explicit expiry: the earlier one; no exp and no explicit expiry: the issued one', async () => {
  const h = harness(3600);
  const both = await h.auth.getToken({
    subjectToken: jwt({ sub: 'bob', exp: (T0 + 300_000) / 1000 }),
    subjectTokenExpiresAt: T0 + 200_000,
  });
  expect(both.expiresAt).toBe(T0 + 200_000);
  const noExp = await h.auth.getToken({ subjectToken: jwt({ sub: 'carol' }) });
  expect(noExp.expiresAt).toBe(T0 + 3_600_000);
  h.auth.detach();
});

test('an already expired subject: refused at once, no token call', async () => {
  const h = harness();
  const expired = jwt({ sub: 'dave', exp: (T0 - 1000) / 1000 });
  await expect(h.api.get('/a', { oauth2: { subjectToken: expired } })).rejects.toMatchObject({
    name: 'OAuth2RequestOptionsError',
    option: 'oauth2.subjectToken',
  });
  await expect(h.auth.getAccessToken({ subjectToken: expired })).rejects.toMatchObject({
    option: 'getAccessToken.subjectToken',
  });
  expect(h.tokenCalls).toHaveLength(0);
  expect(h.apiHits).toHaveLength(0);
  h.auth.detach();
});

test('bad subject values are typed errors naming the option', async () => {
  const h = harness();
  await expect(h.api.get('/a', { oauth2: { subjectToken: 42 as unknown as string } })).rejects.toMatchObject({
    option: 'oauth2.subjectToken',
  });
  await expect(
    h.api.get('/a', { oauth2: { subjectToken: 'abcd', subjectTokenExpiresAt: 'soon' as unknown as number } }),
  ).rejects.toMatchObject({ option: 'oauth2.subjectTokenExpiresAt' });
  await expect(h.auth.getToken({ subjectToken: '' })).rejects.toMatchObject({ option: 'getToken.subjectToken' });
  expect(h.tokenCalls).toHaveLength(0);
  h.auth.detach();
});
