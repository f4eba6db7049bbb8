/**
 * `parseTokenResponse` and `classifyFailure` (src/token/token-response.ts) as pure functions: the
 * boundaries of the status ranges, what a body may be, the exact messages, what an error shows of
 * the body, and the token built from a valid answer. No server: the plugin's use of them is tested
 * through the harness in `__tests__/token/token-response-flow.test.ts`.
 */
import { InvalidTokenResponseError } from '../../src';
import { classifyFailure, parseTokenResponse } from '../../src/token/token-response';

const ok = { access_token: 'at-1', token_type: 'bearer', expires_in: 100 };
const SENT = 1_000_000;

/** The body an error keeps for diagnostics (not enumerable, not typed). */
const bodyOf = (error: InvalidTokenResponseError) => (error as unknown as { body?: unknown }).body;

/** The error `parseTokenResponse` throws for a 2xx, or fails the test. */
function invalid(
  data: unknown,
  headers: { contentType?: string } = {},
  accept?: ReadonlySet<string>,
): InvalidTokenResponseError {
  try {
    parseTokenResponse(200, data, headers, SENT, accept);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    return error as InvalidTokenResponseError;
  }
  throw new Error('expected InvalidTokenResponseError');
}

describe('classifyFailure', () => {
  test.each<[number | undefined, string | undefined, string]>([
    [400, 'unauthorized_client', 'lockout'],
    [503, 'unauthorized_client', 'lockout'],
    [423, undefined, 'lockout'],
    [429, undefined, 'lockout'],
    [429, 'invalid_request', 'lockout'],
    [undefined, undefined, 'transient'],
    [408, undefined, 'transient'],
    [500, undefined, 'transient'],
    [599, 'invalid_client', 'transient'],
    [499, undefined, 'permanent'],
    [422, undefined, 'permanent'],
    [400, 'temporarily_unavailable', 'transient'],
    [400, 'server_error', 'transient'],
    [400, 'invalid_grant', 'permanent'],
    [400, undefined, 'permanent'],
    [200, 'invalid_client', 'permanent'],
  ])('status %p, error %p → %s', (status, error, kind) => {
    expect(classifyFailure(status, error)).toBe(kind);
  });
});

describe('status ranges', () => {
  test.each([199, 300, 302, 400])('%i is a failure, whatever the body', (status) => {
    expect(parseTokenResponse(status, ok, {}, SENT)).toEqual({
      failure: expect.objectContaining({ status }) as unknown,
    });
  });

  test.each([200, 201, 299])('%i with a token body is a token', (status) => {
    expect(parseTokenResponse(status, ok, {}, SENT)).toEqual({
      token: expect.objectContaining({ accessToken: 'at-1' }) as unknown,
    });
  });
});

describe('failures (RFC 6749 §5.2)', () => {
  test('every field of the body, the Retry-After header raw, and a copy of the body', () => {
    const body = { error: 'slow_down', error_description: 'wait', error_uri: 'https://e.example/slow', extra: 1 };
    const result = parseTokenResponse(400, body, { retryAfter: '7' }, SENT);
    expect(result).toEqual({
      failure: {
        kind: 'permanent',
        status: 400,
        error: 'slow_down',
        errorDescription: 'wait',
        errorUri: 'https://e.example/slow',
        retryAfter: '7',
        body,
      },
    });
    expect((result as { failure: { body: unknown } }).failure.body).not.toBe(body);
  });

  test('fields that are not strings are left out', () => {
    const result = parseTokenResponse(400, { error: 1, error_description: {}, error_uri: ['x'] }, {}, SENT);
    expect(result).toEqual({
      failure: {
        kind: 'permanent',
        status: 400,
        error: undefined,
        errorDescription: undefined,
        errorUri: undefined,
        retryAfter: undefined,
        body: { error: 1, error_description: {}, error_uri: ['x'] },
      },
    });
  });

  test('a JSON error body sent as text is parsed (surrounding whitespace ignored)', () => {
    const result = parseTokenResponse(401, ' {"error":"invalid_client"}\n', {}, SENT);
    expect(result).toMatchObject({ failure: { error: 'invalid_client', body: { error: 'invalid_client' } } });
  });

  test.each([
    ['an HTML page', '<html>Forbidden</html>'],
    ['JSON null as text', 'null'],
    ['a JSON array as text', '[{"error":"invalid_client"}]'],
    ['an array parsed by an adapter', [{ error: 'invalid_client' }]],
    ['a number parsed by an adapter', 42],
    ['null', null],
    ['nothing', undefined],
  ])('%s: a failure without fields or body', (_name, data) => {
    expect(parseTokenResponse(403, data, {}, SENT)).toEqual({
      failure: {
        kind: 'permanent',
        status: 403,
        error: undefined,
        errorDescription: undefined,
        errorUri: undefined,
        retryAfter: undefined,
        body: undefined,
      },
    });
  });

  test('a 2xx carrying an error body and no access_token is a failure with its status', () => {
    expect(parseTokenResponse(200, { error: 'server_error' }, {}, SENT)).toMatchObject({
      failure: { kind: 'transient', status: 200, error: 'server_error' },
    });
  });

  test('a 2xx with an access_token and an error field is a token', () => {
    expect(parseTokenResponse(200, { ...ok, error: 'server_error' }, {}, SENT)).toMatchObject({
      token: { accessToken: 'at-1' },
    });
  });

  test('a 2xx with an error that is not a string is an invalid access_token', () => {
    expect(invalid({ error: 42 }).field).toBe('access_token');
  });
});

describe('bodies that are not a JSON object', () => {
  test.each<[string, unknown, { contentType?: string }, string]>([
    ['nothing', undefined, {}, 'an empty body'],
    ['null', null, {}, 'an empty body'],
    ['an empty string', '', {}, 'an empty body'],
    ['whitespace', ' \n\t', {}, 'an empty body'],
    ['JSON null as text', 'null', { contentType: 'application/json' }, 'content-type application/json'],
    ['a JSON number as text', '42', { contentType: 'application/json' }, 'content-type application/json'],
    ['HTML', '<html></html>', { contentType: 'text/html' }, 'content-type text/html'],
    ['HTML without a content-type', '<html></html>', {}, 'content-type unknown'],
    ['a number parsed by an adapter', 42, {}, 'content-type unknown'],
    ['false parsed by an adapter', false, {}, 'content-type unknown'],
    ['a function (no JSON form)', () => 1, {}, 'content-type unknown'],
  ])('%s → "expected a JSON object, got %s"', (_name, data, headers, what) => {
    const error = invalid(data, headers);
    expect(error.field).toBe('body');
    expect(error.status).toBe(200);
    expect(error.message).toBe(`Invalid token response: expected a JSON object, got ${what}`);
    expect(bodyOf(error)).toBeUndefined();
  });
});

describe('invalid fields: the exact message, the body with its tokens masked', () => {
  test('access_token', () => {
    const error = invalid({ token_type: 'bearer', access_token: 12345 });
    expect(error.field).toBe('access_token');
    expect(error.message).toBe('Invalid token response: "access_token" must be a non-empty string, got a number');
    expect(bodyOf(error)).toEqual({ token_type: 'bearer', access_token: '[redacted]' });
  });

  test('an empty access_token', () => {
    const error = invalid({ ...ok, access_token: '' });
    expect(error.message).toBe(
      'Invalid token response: "access_token" must be a non-empty string, got an empty string',
    );
  });

  test('token_type: shown up to 20 characters, the accepted types listed', () => {
    const error = invalid({ ...ok, token_type: 'x'.repeat(30) }, {}, new Set(['bearer', 'dpop']));
    expect(error.field).toBe('token_type');
    expect(error.message).toBe(
      `Invalid token response: "token_type" must be "bearer" or "dpop" (any case; see the acceptTokenTypes option), got "${'x'.repeat(20)}"`,
    );
  });

  test('a token_type that is not a string is described', () => {
    expect(invalid({ ...ok, token_type: 7 }).message).toBe(
      'Invalid token response: "token_type" must be "bearer" (any case; see the acceptTokenTypes option), got the number 7',
    );
  });

  test.each<[unknown, string]>([
    ['abc', 'string "abc"'],
    ['1e3', 'string "1e3"'],
    ['10s', 'string "10s"'],
    ['s10', 'string "s10"'],
    ['1.', 'string "1."'],
    ['.5', 'string ".5"'],
    ['-1', 'string "-1"'],
    ['a'.repeat(50), `string "${'a'.repeat(40)}"`],
    [-1, 'the number -1'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'the number Infinity'],
    [true, 'boolean'],
    [{}, 'an object'],
    [[10], 'an array'],
  ])('expires_in %p → got %s', (value, shown) => {
    const error = invalid({ ...ok, expires_in: value });
    expect(error.field).toBe('expires_in');
    expect(error.message).toBe(
      `Invalid token response: "expires_in" must be a non-negative number or numeric string, got ${shown}`,
    );
  });

  test('refresh_token', () => {
    const error = invalid({ ...ok, refresh_token: 42 });
    expect(error.field).toBe('refresh_token');
    expect(error.message).toBe('Invalid token response: "refresh_token" must be a string, got a number');
    expect(bodyOf(error)).toEqual({ ...ok, access_token: '[redacted]', refresh_token: '[redacted]' });
  });

  test('token values of 4 characters or more are scrubbed from the message and the body; shorter ones are not', () => {
    const error = invalid({ access_token: 'abcd', token_type: 'abcd', id_token: 'xyz', note: 'xyz abcd' });
    expect(error.message).toBe(
      'Invalid token response: "token_type" must be "bearer" (any case; see the acceptTokenTypes option), got "[redacted]"',
    );
    expect(bodyOf(error)).toEqual({
      access_token: '[redacted]',
      token_type: '[redacted]',
      id_token: '[redacted]',
      note: 'xyz [redacted]',
    });
  });

  test('a grant check: its field and message, the body masked', () => {
    const check = jest.fn(() => ({ field: 'issued_token_type', message: 'missing "issued_token_type"' }));
    let error: unknown;
    try {
      parseTokenResponse(200, { ...ok, refresh_token: 'rt-1' }, {}, SENT, undefined, undefined, check);
    } catch (e) {
      error = e;
    }
    expect(check).toHaveBeenCalledWith({ ...ok, refresh_token: 'rt-1' });
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(error).toMatchObject({
      field: 'issued_token_type',
      message: 'Invalid token response: missing "issued_token_type"',
      body: { ...ok, access_token: '[redacted]', refresh_token: '[redacted]' },
    });
  });

  test('a grant check that finds nothing lets the token through', () => {
    expect(parseTokenResponse(200, ok, {}, SENT, undefined, undefined, () => undefined)).toMatchObject({
      token: { accessToken: 'at-1' },
    });
  });
});

describe('the token', () => {
  test('every field, expires_in counted from sentAt', () => {
    const body = { ...ok, token_type: 'Bearer', refresh_token: 'rt-1', scope: 'read write' };
    expect(parseTokenResponse(200, body, {}, SENT)).toEqual({
      token: {
        accessToken: 'at-1',
        tokenType: 'Bearer',
        obtainedAt: SENT,
        expiresAt: SENT + 100_000,
        refreshToken: 'rt-1',
        scope: 'read write',
      },
    });
  });

  test.each<[string, unknown, number]>([
    ['a numeric string with spaces', ' 10 ', SENT + 10_000],
    ['a fractional string', '2.25', SENT + 2_250],
    ['0', 0, SENT],
    ['a fraction of a millisecond, rounded down', 0.0019, SENT + 1],
  ])('expires_in %s', (_name, expiresIn, expiresAt) => {
    expect(parseTokenResponse(200, { ...ok, expires_in: expiresIn }, {}, SENT)).toMatchObject({
      token: { expiresAt },
    });
  });

  test('without expires_in, an opaque token lives the default lifetime given (600 s when none is)', () => {
    const body = { access_token: 'at-1', token_type: 'bearer' };
    expect(parseTokenResponse(200, body, {}, SENT, undefined, 5_000)).toMatchObject({
      token: { expiresAt: SENT + 5_000 },
    });
    expect(parseTokenResponse(200, { ...body, expires_in: null }, {}, SENT)).toMatchObject({
      token: { expiresAt: SENT + 600_000 },
    });
  });

  test('without expires_in, a JWT expires at its exp', () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const jwt = `${part({ alg: 'none' })}.${part({ exp: 2_000 })}.sig`;
    expect(parseTokenResponse(200, { access_token: jwt, token_type: 'bearer' }, {}, SENT)).toMatchObject({
      token: { expiresAt: 2_000_000 },
    });
  });

  test.each([
    ['empty', ''],
    ['null', null],
  ])('a refresh_token %s is no refresh token', (_name, refreshToken) => {
    expect(parseTokenResponse(200, { ...ok, refresh_token: refreshToken }, {}, SENT)).toMatchObject({
      token: { refreshToken: undefined },
    });
  });

  test('a scope that is not a string is left out', () => {
    expect(parseTokenResponse(200, { ...ok, scope: ['read'] }, {}, SENT)).toMatchObject({
      token: { scope: undefined },
    });
  });

  test('token_type is matched case-insensitively against the accepted set', () => {
    expect(parseTokenResponse(200, { ...ok, token_type: 'DPoP' }, {}, SENT, new Set(['dpop']))).toMatchObject({
      token: { tokenType: 'DPoP' },
    });
  });
});
