/**
 * `parseWwwAuthenticate` (src/policy/www-authenticate.ts) on the edges of RFC 9110 §11.6.1 that a
 * lenient parser must still get right: escapes, half-quoted values, parameters that look like a
 * scheme, and text before the first challenge. The common shapes are in `token-rejection.test.ts`.
 */
import { parseWwwAuthenticate } from '../../src/policy/www-authenticate';

const bearer = (params: Record<string, string>) => [{ scheme: 'bearer', params }];

describe('quoted strings and escapes', () => {
  test('an escaped quote does not close the string: the comma after it stays inside the value', () => {
    expect(parseWwwAuthenticate('Bearer error_description="a \\", b", error="invalid_token"')).toEqual(
      bearer({ error_description: 'a ", b', error: 'invalid_token' }),
    );
  });

  test('a backslash ending the header inside a quoted string is kept as it is', () => {
    expect(parseWwwAuthenticate('Bearer realm="abc\\')).toEqual(bearer({ realm: '"abc\\' }));
  });

  test('a value only opened, or only closed, by a quote is kept with its quote', () => {
    expect(parseWwwAuthenticate('Bearer error="unterminated')).toEqual(bearer({ error: '"unterminated' }));
    expect(parseWwwAuthenticate('Bearer realm=abc"')).toEqual(bearer({ realm: 'abc"' }));
  });

  test('a lone quote is a value of one quote; two quotes are the empty string', () => {
    expect(parseWwwAuthenticate('Bearer realm="')).toEqual(bearer({ realm: '"' }));
    expect(parseWwwAuthenticate('Bearer realm=""')).toEqual(bearer({ realm: '' }));
  });
});

describe('parameters', () => {
  test('spaces around "=" are not part of the name or the value', () => {
    expect(parseWwwAuthenticate('Bearer error = "invalid_token"')).toEqual(bearer({ error: 'invalid_token' }));
  });

  test('a parameter whose name is followed by spaces and "=" belongs to the challenge before it, not a new scheme', () => {
    expect(parseWwwAuthenticate('Bearer realm="a", error = "invalid_token"')).toEqual(
      bearer({ realm: 'a', error: 'invalid_token' }),
    );
    expect(parseWwwAuthenticate('Bearer realm="a", error  = "invalid_token"')).toEqual(
      bearer({ realm: 'a', error: 'invalid_token' }),
    );
  });

  test('a token68 (no "=") and a parameter without a name are ignored', () => {
    expect(parseWwwAuthenticate('Negotiate abc123')).toEqual([{ scheme: 'negotiate', params: {} }]);
    expect(parseWwwAuthenticate('Bearer, =x')).toEqual(bearer({}));
  });

  test('a parameter before any challenge is dropped, without throwing', () => {
    expect(parseWwwAuthenticate('realm=x, Bearer')).toEqual(bearer({}));
  });
});

test('a scheme must be a whole token: "Bearer;x" is no challenge', () => {
  expect(parseWwwAuthenticate('Bearer;x')).toEqual([]);
});
