import { generateKeyPairSync, createSecretKey } from 'node:crypto';
import { inspect } from 'node:util';
import axios from 'axios';
import { attachOAuth2, OAuth2OptionsError, type OAuth2Options } from '../src';

const SECRET = 'zz-Secret-Value-9931';
const base: OAuth2Options = { tokenUrl: 'https://auth.example.com/oauth/token', clientId: 'client-1' };
const ecPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const EC_PEM = ecPair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const EC_JWK = ecPair.privateKey.export({ format: 'jwk' });
const D = String(EC_JWK.d);
const PEM_BODY = EC_PEM.split('\n')[1];

function attachError(options: Record<string, unknown>): OAuth2OptionsError {
  try {
    attachOAuth2(axios.create(), { ...base, ...options });
  } catch (error) {
    return error as OAuth2OptionsError;
  }
  throw new Error('attachOAuth2 did not throw');
}

function expectOptionError(options: Record<string, unknown>, option: string, says: RegExp) {
  const error = attachError(options);
  expect(error).toBeInstanceOf(OAuth2OptionsError);
  expect(error.option).toBe(option);
  expect(error.message).toMatch(says);
  const shown = [error.message, JSON.stringify(error), inspect(error, { depth: Infinity })].join('\n');
  for (const secret of [SECRET, D, PEM_BODY]) expect(shown).not.toContain(secret);
}

describe('client assertion options at attach time', () => {
  test('private_key_jwt needs no clientSecret; client_secret_jwt and the others still do', () => {
    expect(() =>
      attachOAuth2(axios.create(), { ...base, clientAuthentication: 'private_key_jwt', privateKey: EC_PEM }),
    ).not.toThrow();
    expectOptionError({ clientAuthentication: 'client_secret_jwt' }, 'clientSecret', /non-empty string/);
    expectOptionError({}, 'clientSecret', /non-empty string/);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['private_key_jwt without privateKey', { clientAuthentication: 'private_key_jwt' }, 'privateKey', /required/],
    ['privateKey without private_key_jwt', { clientSecret: SECRET, privateKey: EC_PEM }, 'privateKey', /only with/],
    [
      'privateKey with client_secret_jwt',
      { clientSecret: SECRET, clientAuthentication: 'client_secret_jwt', privateKey: EC_PEM },
      'privateKey',
      /only with clientAuthentication 'private_key_jwt'/,
    ],
    [
      'clientAssertionAlgorithm without an assertion method',
      { clientSecret: SECRET, clientAssertionAlgorithm: 'RS256' },
      'clientAssertionAlgorithm',
      /only with/,
    ],
    [
      'privateKeyId without an assertion method',
      { clientSecret: SECRET, privateKeyId: 'k' },
      'privateKeyId',
      /only with/,
    ],
    [
      'an assertion with a JSON body',
      { clientAuthentication: 'private_key_jwt', privateKey: EC_PEM, tokenRequestFormat: 'json' },
      'tokenRequestFormat',
      /must be 'form'/,
    ],
    [
      'client_secret_jwt with a JSON body',
      { clientSecret: SECRET, clientAuthentication: 'client_secret_jwt', tokenRequestFormat: 'json' },
      'tokenRequestFormat',
      /RFC 7523/,
    ],
    [
      'a public PEM',
      {
        clientAuthentication: 'private_key_jwt',
        privateKey: ecPair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      },
      'privateKey',
      /public key/,
    ],
    [
      'a public KeyObject',
      { clientAuthentication: 'private_key_jwt', privateKey: ecPair.publicKey },
      'privateKey',
      /public KeyObject/,
    ],
    [
      'a secret KeyObject',
      { clientAuthentication: 'private_key_jwt', privateKey: createSecretKey(Buffer.from(SECRET)) },
      'privateKey',
      /secret KeyObject/,
    ],
    [
      'a public JWK',
      { clientAuthentication: 'private_key_jwt', privateKey: ecPair.publicKey.export({ format: 'jwk' }) },
      'privateKey',
      /must be a private key, got a public key/,
    ],
    [
      'a broken JWK',
      { clientAuthentication: 'private_key_jwt', privateKey: { ...EC_JWK, crv: 'P-384' } },
      'privateKey',
      /could not be read/,
    ],
    [
      'garbage PEM',
      {
        clientAuthentication: 'private_key_jwt',
        privateKey: `-----BEGIN PRIVATE KEY-----\n${PEM_BODY.slice(0, 20)}\n-----END PRIVATE KEY-----`,
      },
      'privateKey',
      /could not be read/,
    ],
    ['a number', { clientAuthentication: 'private_key_jwt', privateKey: 42 }, 'privateKey', /PEM string/],
    [
      'an Ed448 key',
      { clientAuthentication: 'private_key_jwt', privateKey: generateKeyPairSync('ed448').privateKey },
      'privateKey',
      /got ed448/,
    ],
    [
      'a secp256k1 key',
      {
        clientAuthentication: 'private_key_jwt',
        privateKey: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey,
      },
      'privateKey',
      /got ec secp256k1/,
    ],
    [
      'a 1024-bit RSA key',
      {
        clientAuthentication: 'private_key_jwt',
        privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
      },
      'privateKey',
      /2048 bits or more/,
    ],
    [
      'RS256 for an EC key',
      { clientAuthentication: 'private_key_jwt', privateKey: EC_PEM, clientAssertionAlgorithm: 'RS256' },
      'clientAssertionAlgorithm',
      /must be one of ES256 for this key, got "RS256"/,
    ],
    [
      'ES384 for a P-256 key',
      { clientAuthentication: 'private_key_jwt', privateKey: EC_PEM, clientAssertionAlgorithm: 'ES384' },
      'clientAssertionAlgorithm',
      /ES256/,
    ],
    [
      'a JWK whose alg does not fit',
      { clientAuthentication: 'private_key_jwt', privateKey: { ...EC_JWK, alg: 'RS256' } },
      'privateKey',
      /got "RS256"/,
    ],
    [
      'ES256 with client_secret_jwt',
      { clientSecret: SECRET, clientAuthentication: 'client_secret_jwt', clientAssertionAlgorithm: 'ES256' },
      'clientAssertionAlgorithm',
      /HS256, HS384, HS512/,
    ],
    [
      'an empty privateKeyId',
      { clientAuthentication: 'private_key_jwt', privateKey: EC_PEM, privateKeyId: '' },
      'privateKeyId',
      /non-empty/,
    ],
    [
      'an unknown method',
      { clientSecret: SECRET, clientAuthentication: 'tls_client_auth_typo' },
      'clientAuthentication',
      /'private_key_jwt', 'client_secret_jwt'/,
    ],
    [
      'defaultTokenLifetimeSeconds 0',
      { clientSecret: SECRET, defaultTokenLifetimeSeconds: 0 },
      'defaultTokenLifetimeSeconds',
      /positive/,
    ],
    [
      'defaultTokenLifetimeSeconds Infinity',
      { clientSecret: SECRET, defaultTokenLifetimeSeconds: Infinity },
      'defaultTokenLifetimeSeconds',
      /positive/,
    ],
  ])('%s', (_what, options, option, says) => expectOptionError(options, option, says));

  describe('client_secret_jwt: the secret is at least as long as the hash output (RFC 7518 §3.2)', () => {
    const jwt = { clientAuthentication: 'client_secret_jwt' };
    test.each<[string, number, number]>([
      ['HS256', 32, 31],
      ['HS384', 48, 47],
      ['HS512', 64, 63],
    ])('%s: %i bytes accepted, %i refused naming clientSecret', (alg, enough, short) => {
      const secret = (n: number) => 'k'.repeat(n);
      const options = (n: number) => ({ ...base, ...jwt, clientAssertionAlgorithm: alg, clientSecret: secret(n) });
      expect(() => attachOAuth2(axios.create(), options(enough) as OAuth2Options)).not.toThrow();
      const error = attachError(options(short));
      expect(error).toBeInstanceOf(OAuth2OptionsError);
      expect(error.option).toBe('clientSecret');
      expect(error.message).toMatch(new RegExp(`at least ${enough} bytes.*${alg}`));
      const shown = [error.message, JSON.stringify(error), inspect(error, { depth: Infinity })].join('\n');
      expect(shown).not.toContain(secret(short));
    });

    test('a 12-byte secret is refused for the default HS256; bytes are counted in UTF-8', () => {
      expectOptionError({ ...jwt, clientSecret: 'weak-secret!' }, 'clientSecret', /at least 32 bytes/);
      // 16 two-byte characters: 32 bytes, enough for HS256.
      expect(() =>
        attachOAuth2(axios.create(), { ...base, ...jwt, clientSecret: 'é'.repeat(16) } as OAuth2Options),
      ).not.toThrow();
    });
  });

  test('the handle shows no key material', () => {
    const handle = attachOAuth2(axios.create(), {
      ...base,
      clientAuthentication: 'private_key_jwt',
      privateKey: EC_JWK,
    });
    const shown = inspect(handle, { depth: Infinity, showHidden: true });
    expect(shown).not.toContain(D);
  });
});

describe('custom grant options', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['no grantType', { type: 'custom' }, 'grant.grantType'],
    ['a grantType with a space', { type: 'custom', grantType: 'a b' }, 'grant.grantType'],
    ['a built-in grant type', { type: 'custom', grantType: 'client_credentials' }, 'grant.grantType'],
    ['refresh_token', { type: 'custom', grantType: 'refresh_token' }, 'grant.grantType'],
    ['parameters not a function', { type: 'custom', grantType: 'urn:x', parameters: { a: 'b' } }, 'grant.parameters'],
    ['an unknown key', { type: 'custom', grantType: 'urn:x', params: () => ({}) }, 'grant.params'],
  ])('%s', (_what, grant, option) => {
    const error = attachError({ clientSecret: SECRET, grant });
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    expect(error.option).toBe(option);
  });
});
