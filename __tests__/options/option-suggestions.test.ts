/**
 * An unknown option names the nearest known one ("did you mean"), at the top level, in nested
 * options and in per-request options; a name far from every known one gets no guess.
 */
import axios from 'axios';
import { attachOAuth2, type OAuth2Options } from '../../src';
import { suggestion } from '../../src/util/suggest';
import { createCore, rejections } from '../helpers/harness';

const valid: OAuth2Options = {
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'client-1',
  clientSecret: 'zz-Secret-Value-9931',
};

function attachMessage(options: Record<string, unknown>): string {
  try {
    attachOAuth2(axios.create(), { ...valid, ...options });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('attachOAuth2 did not throw');
}

describe('suggestion(name, known)', () => {
  test.each<[string, string | undefined]>([
    ['clientSecert', 'clientSecret'], // a transposition: distance 1
    ['clientID', 'clientId'], // case only
    ['token_url', 'tokenUrl'],
    ['scpoe', 'scope'],
    ['retires', 'retries'],
    ['secret', undefined], // a fragment of clientSecret: too far
    ['nope', undefined],
    ['x', undefined],
  ])('%s → %s', (name, expected) => {
    expect(suggestion(name, ['clientSecret', 'clientId', 'tokenUrl', 'scope', 'retries', 'resource'])).toBe(expected);
  });

  test('the nearest wins; among equals, the first listed', () => {
    expect(suggestion('scopee', ['scopes2', 'scope'])).toBe('scope');
    expect(suggestion('abcd', ['abce', 'abcf'])).toBe('abce');
  });
});

describe('attachOAuth2 options', () => {
  test('a top-level typo', () => {
    expect(attachMessage({ clientSecert: 'x' })).toBe(
      'axios-oauth2-bearer: unknown option "clientSecert"; did you mean "clientSecret"?',
    );
  });

  test.each<[Record<string, unknown>, string]>([
    [{ retry: { retires: 3 } }, 'unknown option "retry.retires"; did you mean "retry.retries"?'],
    [{ lockout: { whileLoked: 'wait' } }, 'unknown option "lockout.whileLoked"; did you mean "lockout.whileLocked"?'],
    [
      { hooks: { onTokenRenew: () => undefined } },
      'unknown option "hooks.onTokenRenew"; did you mean "hooks.onTokenRenewed"?',
    ],
    [
      { grant: { type: 'password', usename: 'u', password: 'p' } },
      'unknown option "grant.usename"; did you mean "grant.username"?',
    ],
    [
      { apiOrigins: [{ origin: 'https://api.example.com', scpoe: 'a' }] },
      'unknown option "apiOrigins[0].scpoe"; did you mean "apiOrigins[0].scope"?',
    ],
  ])('a nested typo: %j', (options, message) => {
    expect(attachMessage(options)).toBe(`axios-oauth2-bearer: ${message}`);
  });

  test('no guess when nothing is near', () => {
    expect(attachMessage({ refreshSkew: 1 })).toBe('axios-oauth2-bearer: unknown option "refreshSkew"');
  });
});

describe('per-request options', () => {
  test('config.oauth2 and the handle methods suggest among the public keys', async () => {
    const c = createCore();
    const errors = await rejections([
      c.api.get('/x', { oauth2: { resorce: 'https://a.test' } as never }),
      c.api.get('/x', { oauth2: { skp: true } as never }),
      c.api.get('/x', { oauth2: { zzzzzz: true } as never }),
      c.auth.getToken({ scpoe: 'a' } as never),
      c.auth.invalidate({ scope: 'a', resorce: 'x' } as never),
    ]);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'axios-oauth2-bearer: unknown per-request option "oauth2.resorce"; did you mean "oauth2.resource"? (known: skip, scope, resource)',
      'axios-oauth2-bearer: unknown per-request option "oauth2.skp"; did you mean "oauth2.skip"? (known: skip, scope, resource)',
      'axios-oauth2-bearer: unknown per-request option "oauth2.zzzzzz" (known: skip, scope, resource)',
      'axios-oauth2-bearer: unknown option "scpoe" of getToken(); did you mean "scope"?',
      'axios-oauth2-bearer: unknown option "resorce" of invalidate(); did you mean "resource"?',
    ]);
    expect(c.tokenCalls).toHaveLength(0);
  });
});
