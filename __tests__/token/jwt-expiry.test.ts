import { parseTokenResponse } from '../../src/token/token-response';
import { jwtExpiresAt } from '../../src/token/jwt-expiry';
import { createCore, T0 } from '../helpers/harness';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** An unsigned-looking JWT (the signature is never checked). */
const jwt = (claims: unknown, header: unknown = { alg: 'ES256', typ: 'at+jwt' }) =>
  `${b64(header)}.${b64(claims)}.c2lnbmF0dXJl`;
const sec = (ms: number) => Math.floor(ms / 1000);
const BEARER = new Set(['bearer']);
const parse = (body: Record<string, unknown>, defaultMs = 600_000) =>
  parseTokenResponse(200, JSON.stringify({ token_type: 'Bearer', ...body }), {}, T0, BEARER, defaultMs);
const expiresAt = (result: ReturnType<typeof parse>) => ('token' in result ? result.token.expiresAt : 'failure');

describe('expiry without expires_in', () => {
  test('a JWT access token with exp and iat: its lifetime (exp - iat) counted from when the request was sent', () => {
    // The server's clock is 7 s ahead of ours: exp - iat is what counts, not the clocks.
    const token = jwt({ iat: sec(T0) + 7, exp: sec(T0) + 7 + 300, sub: 'svc' });
    expect(expiresAt(parse({ access_token: token }))).toBe(T0 + 300_000);
  });

  test('a JWT handed out again (iat long before the request): its own exp, not a fresh lifetime', () => {
    const token = jwt({ iat: sec(T0) - 200, exp: sec(T0) + 100 });
    expect(expiresAt(parse({ access_token: token }))).toBe(T0 + 100_000);
  });

  test('a JWT with exp only: exp itself', () => {
    expect(expiresAt(parse({ access_token: jwt({ exp: sec(T0) + 42 }) }))).toBe(T0 + 42_000);
  });

  test('expires_in, when given, wins over the JWT exp', () => {
    const token = jwt({ iat: sec(T0), exp: sec(T0) + 300 });
    expect(expiresAt(parse({ access_token: token, expires_in: 60 }))).toBe(T0 + 60_000);
  });

  test.each([
    ['an opaque token', 'opaque-token-value'],
    ['two parts', `${b64({ alg: 'none' })}.${b64({ exp: sec(T0) + 42 })}`],
    ['a header that is not JSON', `${b64('not json')}.${b64({ exp: sec(T0) + 42 })}.sig`],
    ['a payload that is not base64url', `${b64({ alg: 'ES256' })}.%%%.sig`],
    ['a string exp', jwt({ exp: String(sec(T0) + 42) })],
    ['no exp', jwt({ iat: sec(T0) })],
    ['a payload that is an array', `${b64({ alg: 'ES256' })}.${b64([1])}.sig`],
  ])('%s → the default lifetime', (_what, token) => {
    expect(expiresAt(parse({ access_token: token }, 90_000))).toBe(T0 + 90_000);
  });

  test('jwtExpiresAt does not decode a huge token', () => {
    const huge = jwt({ exp: sec(T0) + 42, pad: 'x'.repeat(70_000) });
    expect(jwtExpiresAt(huge, T0)).toBeUndefined();
  });

  test('end to end: a JWT without expires_in is renewed at its exp minus the skew, before any 401', async () => {
    const core = createCore({
      lifetimeSeconds: null,
      tokenExtra: (n) => ({ access_token: jwt({ n, iat: sec(T0), exp: sec(T0) + 120 }) }),
      options: { refreshSkewSeconds: 10, backgroundRefresh: false },
    });
    const first = (await core.api.get('/a')).data.authorization;
    core.clock.now = T0 + 109_999;
    expect((await core.api.get('/b')).data.authorization).toBe(first);
    expect(core.tokenCalls).toHaveLength(1);
    core.clock.now = T0 + 110_000;
    expect((await core.api.get('/c')).data.authorization).not.toBe(first);
    expect(core.tokenCalls).toHaveLength(2);
  });
});
