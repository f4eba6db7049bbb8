import { generateKeyPair, type KeyObject } from 'node:crypto';
import axios from 'axios';
import { attachOAuth2, type OAuth2Options } from '../../src';
import { dpop } from '../../src/features/dpop';
import { discover } from '../../src/features/discovery';
import { tokenExchange, TOKEN_TYPES } from '../../src/features/token-exchange';

/**
 * What `cacheKey` (src/token/cache-key.ts) counts, name by name, without a server: the key of an
 * attachment that never sends a request (`handle.cacheKey`).
 */
const TOKEN_URL = 'https://as.example/token';

function keyOf(options: Partial<OAuth2Options>): string {
  const handle = attachOAuth2(axios.create(), { tokenUrl: TOKEN_URL, clientId: 'c', clientSecret: 's', ...options });
  handle.detach();
  return handle.cacheKey;
}

/** Keys of two header (or parameter) values under one name: equal when the name's value is not counted. */
const headerKeys = (name: string) =>
  [keyOf({ tokenRequestHeaders: { [name]: 'one' } }), keyOf({ tokenRequestHeaders: { [name]: 'two' } })] as const;
const paramKeys = (name: string) =>
  [keyOf({ tokenRequestParams: { [name]: 'one' } }), keyOf({ tokenRequestParams: { [name]: 'two' } })] as const;

describe('cache key: which names count', () => {
  test.each([
    'X-Authorization',
    'X-Proxy-Authorization',
    'Auth',
    'X-Auth',
    'auth_token',
    'X-Auth-Id',
    'Authorization',
    'Proxy-Authorization',
    'Cookie',
    'X-Session',
  ])('header "%s" may hold a secret: its value is not counted', (name) => {
    const [one, two] = headerKeys(name);
    expect(one).toBe(two);
  });

  test.each([
    'X-OAuth-Client',
    'X-Author',
    'Authority',
    'Authorization-Context',
    'X-Authorization-Id',
    'X-Tenant',
    'X-Api-Version',
  ])('header "%s" is public: its value is counted', (name) => {
    const [one, two] = headerKeys(name);
    expect(one).not.toBe(two);
  });

  test.each(['api_key', 'api-key', 'apikey', 'apiKey', 'pwd', 'passwd', 'private_key', 'x_signature', 'my_credential'])(
    'parameter "%s" may hold a secret: its value is not counted',
    (name) => {
      const [one, two] = paramKeys(name);
      expect(one).toBe(two);
    },
  );

  test.each([
    // Names of public URIs (`…_type`, `…_type_hint`) although they contain "token" or "assertion".
    'client_assertion_type',
    'subject_token_type',
    'token_type_hint',
    'audience',
    'author',
  ])('parameter "%s" is public: its value is counted', (name) => {
    const [one, two] = paramKeys(name);
    expect(one).not.toBe(two);
  });

  test('"_type" counts only at the end of a name: "token_type_x" and "token_type_hint_x" are secret-looking', () => {
    for (const name of ['token_type_x', 'token_type_hint_x']) {
      const [one, two] = paramKeys(name);
      expect(one).toBe(two);
    }
  });

  test.each(['refresh_token', 'subject_token', 'actor_token', 'assertion', 'code', 'device_code'])(
    'grant input "%s" (a parameter) tells users apart',
    (name) => {
      const [one, two] = paramKeys(name);
      expect(one).not.toBe(two);
    },
  );

  test('a header named like a grant input is a header: "refresh_token" as a header is secret-looking, not hashed in', () => {
    const [one, two] = headerKeys('refresh_token');
    expect(one).toBe(two);
  });
});

describe('cache key: order, case and the URL', () => {
  test('header names are compared without case, and their order does not matter', () => {
    expect(keyOf({ tokenRequestHeaders: { 'X-Tenant': 'a', 'X-Region': 'eu' } })).toBe(
      keyOf({ tokenRequestHeaders: { 'x-region': 'eu', 'x-tenant': 'a' } }),
    );
    expect(keyOf({ tokenRequestHeaders: { 'X-Tenant': 'a' } })).not.toBe(
      keyOf({ tokenRequestHeaders: { 'X-Region': 'a' } }),
    );
  });

  test('a name given twice (header case, query repeat) counts both values, in any order', () => {
    const twice = (first: string, second: string) =>
      keyOf({ tokenRequestHeaders: { 'X-Tenant': first, 'x-tenant': second } });
    expect(twice('a', 'b')).toBe(twice('b', 'a'));
    expect(twice('a', 'b')).not.toBe(twice('a', 'c'));
    const query = (search: string) => keyOf({ tokenUrl: `${TOKEN_URL}?${search}` });
    expect(query('t=1&t=2')).toBe(query('t=2&t=1'));
    expect(query('t=1&t=2')).not.toBe(query('t=1&t=3'));
    expect(query('a=1&b=2&c=3')).toBe(query('c=3&a=1&b=2'));
    expect(query('a=1&b=2')).not.toBe(query('a=2&b=1'));
  });

  test('parameter order does not matter; their names do', () => {
    expect(keyOf({ tokenRequestParams: { audience: 'x', region: 'eu', z: '1' } })).toBe(
      keyOf({ tokenRequestParams: { z: '1', region: 'eu', audience: 'x' } }),
    );
    expect(keyOf({ tokenRequestParams: { audience: 'x' } })).not.toBe(keyOf({ tokenRequestParams: { region: 'x' } }));
  });

  test('the URL password and secret-looking query values are not counted; the user, path and public query are', () => {
    const at = (url: string) => keyOf({ tokenUrl: url });
    expect(at('https://user:pw1@as.example/token')).toBe(at('https://user:pw2@as.example/token'));
    expect(at('https://user:pw1@as.example/token')).not.toBe(at('https://other:pw1@as.example/token'));
    expect(at(`${TOKEN_URL}?client_secret=a`)).toBe(at(`${TOKEN_URL}?client_secret=b`));
    expect(at(`${TOKEN_URL}?tenant=a`)).not.toBe(at(TOKEN_URL));
    expect(at(`${TOKEN_URL}?tenant=a`)).not.toBe(at(`${TOKEN_URL}?tenant=b`));
    expect(at(`${TOKEN_URL}/v2`)).not.toBe(at(TOKEN_URL));
  });

  test('query parameter names keep their case (unlike header names)', () => {
    expect(keyOf({ tokenUrl: `${TOKEN_URL}?Tenant=a` })).not.toBe(keyOf({ tokenUrl: `${TOKEN_URL}?tenant=a` }));
  });

  test('a URL query parameter named like a grant input is hashed in: two values, two keys', () => {
    const at = (value: string) => keyOf({ tokenUrl: `${TOKEN_URL}?code=${value}` });
    expect(at('a')).not.toBe(at('b'));
  });
});

describe('cache key: the rest of the identity', () => {
  test("token exchange: the grant's public parameters count", () => {
    const exchange = (audience: string) =>
      keyOf({ grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken, audience }) });
    expect(exchange('https://a.example')).not.toBe(exchange('https://b.example'));
    expect(exchange('https://a.example')).toBe(exchange('https://a.example'));
  });

  test('request format, client id, grant and username count', () => {
    const base = keyOf({});
    expect(keyOf({ tokenRequestFormat: 'json' })).not.toBe(base);
    expect(keyOf({ tokenRequestFormat: 'query' })).not.toBe(base);
    expect(keyOf({ tokenRequestFormat: 'json' })).not.toBe(keyOf({ tokenRequestFormat: 'query' }));
    expect(keyOf({ clientId: 'd' })).not.toBe(base);
    const password = (username: string) => keyOf({ grant: { type: 'password', username, password: 'pw' } });
    expect(password('ann')).not.toBe(password('bob'));
    expect(password('ann')).not.toBe(base);
  });

  test('a discovered endpoint is named by its issuer, apart from the same URL given as tokenUrl', () => {
    const issuer = (url: string) => keyOf({ tokenUrl: discover(url) });
    expect(issuer('https://as.example')).toBe(issuer('https://as.example'));
    expect(issuer('https://as.example')).not.toBe(issuer('https://other.example'));
    expect(issuer('https://as.example')).not.toBe(keyOf({ tokenUrl: 'https://as.example' }));
  });

  test('a DPoP key counts: bound tokens of two keys, or of a key and none, never share', async () => {
    const key = () =>
      new Promise<KeyObject>((resolve, reject) =>
        generateKeyPair('ec', { namedCurve: 'P-256' }, (error, _public, privateKey) =>
          error ? reject(error) : resolve(privateKey),
        ),
      );
    const [a, b] = await Promise.all([key(), key()]);
    const withKey = (privateKey: KeyObject) => keyOf({ senderConstraint: dpop({ privateKey }) });
    expect(withKey(a)).toBe(withKey(a));
    expect(withKey(a)).not.toBe(withKey(b));
    expect(withKey(a)).not.toBe(keyOf({}));
  });

  test('the format is stable: these keys are shared across processes and versions (a change must bump "v4")', () => {
    expect(keyOf({})).toBe('oauth2:3dfd781fe527059c908411c8e6e7a3c8943c2fd3');
    expect(
      keyOf({
        tokenUrl: 'https://user:pw@as.example/token?tenant=a&client_secret=x',
        scope: 'b a',
        tokenRequestHeaders: { 'X-Tenant': 't', 'X-Api-Key': 'k' },
        tokenRequestParams: { audience: 'aud', code: 'c0de', api_key: 'k' },
      }),
    ).toBe('oauth2:74ed2edda6cfa0347ba836505bdb9af2b2147556');
    expect(keyOf({ tokenUrl: discover('https://as.example') })).toBe('oauth2:a730f9d9294ab0bba926562466d7727aee54d20e');
    expect(keyOf({ tokenRequestParams: { device_code: 'd', code: 'c' }, tokenUrl: `${TOKEN_URL}?code=q` })).toBe(
      'oauth2:6d4672df59d7f2184360e814dea84aa16b4097f3',
    );
    expect(
      keyOf({ grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken, audience: 'https://api.example' }) }),
    ).toBe('oauth2:a26fb7a55ad4a6d582526d60c6096b317d36f7b3');
    // A name given twice: its values in a fixed order.
    expect(keyOf({ tokenUrl: `${TOKEN_URL}?t=2&t=1` })).toBe('oauth2:9f2e030ab2188e41220008a3ee80ad13aa1b19d9');
    expect(keyOf({ grant: { type: 'password', username: 'ann', password: 'pw' } })).toBe(
      'oauth2:21cb5c21146b3fec83e481bf7939ad620b3bc08e',
    );
  });
});
