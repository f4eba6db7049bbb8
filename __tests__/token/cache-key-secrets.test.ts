import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import axios from 'axios';
import { attachOAuth2, type OAuth2Options } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { clientSecretJwt } from '../../src/features/client-auth';
import { diagnosticsChannels } from '../../src/features/diagnostics';

/**
 * The cache key (in `handle.cacheKey`, every channel message and hook-free Redis key name) names whose
 * token it is from public identity only: a weak secret or password cannot be recovered from it
 * offline, by the dictionary attack of the issue, run with `attachOAuth2` itself.
 */

/** 1,000 words, the real weak secret and password among them. */
const WORDS = Array.from({ length: 998 }, (_, i) => `word${i}`);
const WEAK_SECRET = 'sunshine';
const WEAK_PASSWORD = 'letmein1';
const DICTIONARY = [...WORDS.slice(0, 500), WEAK_SECRET, ...WORDS.slice(500), WEAK_PASSWORD];

let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer({ clientId: 'fleet-client', clientSecret: WEAK_SECRET });
});
afterAll(() => server.close());

/** The `cacheKey` of the first `token-acquired` message published while `act` runs. */
async function observedKey(act: () => Promise<unknown>): Promise<string> {
  const seen: string[] = [];
  const listener = (message: unknown) => seen.push((message as { cacheKey: string }).cacheKey);
  subscribe('axios-oauth2-bearer:token-acquired', listener);
  try {
    await act();
  } finally {
    unsubscribe('axios-oauth2-bearer:token-acquired', listener);
  }
  expect(seen.length).toBeGreaterThan(0);
  return seen[0];
}

const keyOf = (options: Partial<OAuth2Options>): string => {
  const handle = attachOAuth2(axios.create(), {
    tokenUrl: server.tokenUrl,
    clientId: 'fleet-client',
    clientSecret: 'x',
    ...options,
  });
  handle.detach();
  return handle.cacheKey;
};

/** The dictionary words whose key matches `observed`: all of them when the key tells nothing of the guess. */
function candidates(observed: string, guess: (word: string) => Partial<OAuth2Options>): string[] {
  return DICTIONARY.filter((word) => keyOf(guess(word)) === observed);
}

describe('the cache key gives no secret away', () => {
  test('a weak client secret: the token-acquired message and handle.cacheKey rule out no word of a dictionary', async () => {
    const api = axios.create({ baseURL: server.apiBaseUrl });
    const auth = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: 'fleet-client',
      clientSecret: WEAK_SECRET,
      extensions: [diagnosticsChannels()],
    });
    const observed = await observedKey(() => api.get('/users/1'));
    expect(auth.cacheKey).toBe(observed);
    expect(candidates(observed, (word) => ({ clientSecret: word }))).toHaveLength(DICTIONARY.length);
    auth.detach();
  });

  test.each([
    ['client_secret_post', { clientAuthentication: 'client_secret_post' }],
    ['query', { tokenRequestFormat: 'query' }],
    ['client_secret_basic, raw', { basicEncoding: 'raw' }],
  ] as Array<[string, Partial<OAuth2Options>]>)('%s: the secret does not change the key', (_name, method) => {
    const observed = keyOf({ ...method, clientSecret: WEAK_SECRET });
    expect(candidates(observed, (word) => ({ ...method, clientSecret: word }))).toHaveLength(DICTIONARY.length);
  });

  test('clientSecretJwt: the secret does not change the key', () => {
    const jwt = (word: string) => ({
      clientSecret: undefined,
      clientAuthentication: clientSecretJwt(word.padEnd(32, '!')),
    });
    const observed = keyOf(jwt(WEAK_SECRET));
    expect(candidates(observed, jwt)).toHaveLength(DICTIONARY.length);
  });

  test('a weak password (password grant): nothing recovered, the username still tells users apart', () => {
    const grant = (password: string, username = 'jane') => ({
      grant: { type: 'password' as const, username, password },
    });
    const observed = keyOf(grant(WEAK_PASSWORD));
    expect(candidates(observed, (word) => grant(word))).toHaveLength(DICTIONARY.length);
    expect(keyOf(grant(WEAK_PASSWORD, 'john'))).not.toBe(observed);
  });

  test('secret-looking tokenRequestHeaders and tokenRequestParams, and a secret in the tokenUrl query, change nothing', () => {
    const guesses: Array<(word: string) => Partial<OAuth2Options>> = [
      (word) => ({ tokenRequestHeaders: { 'X-Api-Key': word } }),
      (word) => ({ tokenRequestHeaders: { Authorization: `Token ${word}` } }),
      (word) => ({ tokenRequestHeaders: { 'X-Auth': word, 'Proxy-Authorization': word } }),
      (word) => ({ tokenRequestParams: { api_key: word } }),
      (word) => ({ tokenRequestParams: { client_secret: word } }),
      (word) => ({ tokenUrl: `${server.tokenUrl}?apikey=${word}` }),
    ];
    for (const guess of guesses) {
      const observed = keyOf(guess(WEAK_SECRET));
      expect(candidates(observed, guess)).toHaveLength(DICTIONARY.length);
    }
  });

  test('configurations that differ only by the secret share the key: a rotated secret keeps the fleet on one token', () => {
    expect(keyOf({ clientSecret: 'old-secret' })).toBe(keyOf({ clientSecret: 'new-secret' }));
    // Two attachments of one fleet (same options) still agree.
    expect(keyOf({ scope: 'read' })).toBe(keyOf({ scope: 'read' }));
  });

  test.each<[string, Partial<OAuth2Options>, Partial<OAuth2Options>]>([
    ['client id', {}, { clientId: 'other-client' }],
    ['client-authentication method', {}, { clientAuthentication: 'client_secret_post' }],
    ['scope', { scope: 'read' }, { scope: 'write' }],
    ['resource', { resource: 'https://a.example/' }, { resource: 'https://b.example/' }],
    ['audience', { tokenRequestParams: { audience: 'a' } }, { tokenRequestParams: { audience: 'b' } }],
    [
      'RFC 9396 authorization_details',
      { tokenRequestParams: { authorization_details: '[{"type":"payment_initiation","amount":"1"}]' } },
      { tokenRequestParams: { authorization_details: '[{"type":"payment_initiation","amount":"2"}]' } },
    ],
    ['a public header', { tokenRequestHeaders: { 'X-Tenant': 'a' } }, { tokenRequestHeaders: { 'X-Tenant': 'b' } }],
    ['tokenUrl', {}, { tokenUrl: 'https://other.example/token' }],
    [
      'a public tokenUrl query parameter',
      { tokenUrl: 'https://as.example/t?tenant=a' },
      { tokenUrl: 'https://as.example/t?tenant=b' },
    ],
    [
      'a refresh token given as grant input',
      { tokenRequestParams: { refresh_token: 'RT-user-a-3f9c1e0b7d2a' } },
      { tokenRequestParams: { refresh_token: 'RT-user-b-8e41d7c2a5f0' } },
    ],
    [
      'the subject token of a token exchange',
      { tokenRequestParams: { subject_token: 'eyJ.user-a.sig' } },
      { tokenRequestParams: { subject_token: 'eyJ.user-b.sig' } },
    ],
    ['a secret-looking header present or absent', {}, { tokenRequestHeaders: { 'X-Api-Key': 'k' } }],
  ])('a different %s still gives a different key', (_name, one, two) => {
    expect(keyOf(one)).not.toBe(keyOf(two));
  });

  test('a grant-input token is in the key only through a domain-separated SHA-256, never as is', () => {
    const key = keyOf({ tokenRequestParams: { refresh_token: 'RT-user-a-3f9c1e0b7d2a' } });
    expect(key).toMatch(/^oauth2:[0-9a-f]{40}$/);
    expect(key).not.toContain('RT-user-a');
  });
});
