import { generateKeyPairSync, createSecretKey } from 'node:crypto';
import { inspect } from 'node:util';
import axios from 'axios';
import { attachOAuth2, OAuth2OptionsError, type OAuth2Options } from '../../src';
import { clientSecretJwt, privateKeyJwt, tlsClientAuth } from '../../src/features/client-auth';

const SECRET = 'zz-Secret-Value-9931';
const base: OAuth2Options = { tokenUrl: 'https://auth.example.com/oauth/token', clientId: 'client-1' };
const ecPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const EC_PEM = ecPair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const EC_JWK = ecPair.privateKey.export({ format: 'jwk' });
const D = String(EC_JWK.d);
const PEM_BODY = EC_PEM.split('\n')[1];

function thrown(fn: () => unknown): OAuth2OptionsError {
  try {
    fn();
  } catch (error) {
    return error as OAuth2OptionsError;
  }
  throw new Error('it did not throw');
}

function attachError(options: Record<string, unknown>): OAuth2OptionsError {
  return thrown(() => attachOAuth2(axios.create(), { ...base, ...options }));
}

function expectOptionError(options: Record<string, unknown> | (() => unknown), option: string, says: RegExp) {
  const error = typeof options === 'function' ? thrown(options) : attachError(options);
  expect(error).toBeInstanceOf(OAuth2OptionsError);
  expect(error.option).toBe(option);
  expect(error.message).toMatch(says);
  const shown = [error.message, JSON.stringify(error), inspect(error, { depth: Infinity })].join('\n');
  for (const secret of [SECRET, D, PEM_BODY]) expect(shown).not.toContain(secret);
}

describe('client authentication values: each factory checks its input when called', () => {
  test('a value holds its own credentials: clientSecret is refused with one, required without', () => {
    expect(() => attachOAuth2(axios.create(), { ...base, clientAuthentication: privateKeyJwt(EC_PEM) })).not.toThrow();
    expectOptionError(
      { clientAuthentication: privateKeyJwt(EC_PEM), clientSecret: SECRET },
      'clientSecret',
      /left out with clientAuthentication 'private_key_jwt'/,
    );
    expectOptionError(
      { clientAuthentication: clientSecretJwt(SECRET.repeat(2)), clientSecret: SECRET },
      'clientSecret',
      /left out/,
    );
    expectOptionError({}, 'clientSecret', /non-empty string/);
    expectOptionError({ clientAuthentication: 'client_secret_post' }, 'clientSecret', /non-empty string/);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      "'private_key_jwt' (removed)",
      { clientAuthentication: 'private_key_jwt' },
      'clientAuthentication',
      /privateKeyJwt\(privateKey\) from 'axios-oauth2-bearer\/client-auth'/,
    ],
    [
      "'client_secret_jwt' (removed)",
      { clientSecret: SECRET, clientAuthentication: 'client_secret_jwt' },
      'clientAuthentication',
      /clientSecretJwt\(secret\)/,
    ],
    [
      "'tls_client_auth' (removed)",
      { clientAuthentication: 'tls_client_auth' },
      'clientAuthentication',
      /tlsClientAuth\(\)/,
    ],
    [
      "'self_signed_tls_client_auth' (removed)",
      { clientAuthentication: 'self_signed_tls_client_auth' },
      'clientAuthentication',
      /selfSignedTlsClientAuth\(\)/,
    ],
    [
      "'query' (now a format)",
      { clientSecret: SECRET, clientAuthentication: 'query' },
      'clientAuthentication',
      /tokenRequestFormat: 'query'/,
    ],
    ['privateKey (removed)', { clientSecret: SECRET, privateKey: EC_PEM }, 'privateKey', /unknown option/],
    [
      'clientAssertionAlgorithm (removed)',
      { clientSecret: SECRET, clientAssertionAlgorithm: 'RS256' },
      'clientAssertionAlgorithm',
      /unknown option/,
    ],
    ['privateKeyId (removed)', { clientSecret: SECRET, privateKeyId: 'k' }, 'privateKeyId', /unknown option/],
    [
      'a look-alike object',
      { clientAuthentication: { method: 'x' } },
      'clientAuthentication',
      /'client_secret_basic', 'client_secret_post' or a value/,
    ],
    [
      'an assertion with a JSON body',
      { clientAuthentication: privateKeyJwt(EC_PEM), tokenRequestFormat: 'json' },
      'tokenRequestFormat',
      /must be 'form' with 'private_key_jwt'/,
    ],
    [
      'client_secret_jwt with a JSON body',
      { clientAuthentication: clientSecretJwt(SECRET.repeat(2)), tokenRequestFormat: 'json' },
      'tokenRequestFormat',
      /RFC 7523/,
    ],
    [
      'an assertion with the query format',
      { clientAuthentication: privateKeyJwt(EC_PEM), tokenRequestFormat: 'query' },
      'tokenRequestFormat',
      /must be 'form'/,
    ],
    [
      'mutual TLS with a JSON body',
      { clientAuthentication: tlsClientAuth(), tokenRequestFormat: 'json' },
      'tokenRequestFormat',
      /RFC 8705/,
    ],
    [
      'an unknown method',
      { clientSecret: SECRET, clientAuthentication: 'tls_client_auth_typo' },
      'clientAuthentication',
      /'client_secret_basic', 'client_secret_post' or a value from 'axios-oauth2-bearer\/client-auth'/,
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

  const key = (value: unknown) => () => privateKeyJwt(value as string);
  test.each<[string, () => unknown, string, RegExp]>([
    [
      'privateKeyJwt without a key',
      key(undefined),
      'privateKeyJwt.privateKey',
      /^axios-oauth2-bearer: privateKeyJwt: privateKey is required/,
    ],
    [
      'a public PEM',
      key(ecPair.publicKey.export({ format: 'pem', type: 'spki' }).toString()),
      'privateKeyJwt.privateKey',
      /public key/,
    ],
    ['a public KeyObject', key(ecPair.publicKey), 'privateKeyJwt.privateKey', /public KeyObject/],
    ['a secret KeyObject', key(createSecretKey(Buffer.from(SECRET))), 'privateKeyJwt.privateKey', /secret KeyObject/],
    [
      'a public JWK',
      key(ecPair.publicKey.export({ format: 'jwk' })),
      'privateKeyJwt.privateKey',
      /must be a private key, got a public key/,
    ],
    ['a broken JWK', key({ ...EC_JWK, crv: 'P-384' }), 'privateKeyJwt.privateKey', /could not be read/],
    [
      'garbage PEM',
      key(`-----BEGIN PRIVATE KEY-----\n${PEM_BODY.slice(0, 20)}\n-----END PRIVATE KEY-----`),
      'privateKeyJwt.privateKey',
      /could not be read/,
    ],
    ['a number', key(42), 'privateKeyJwt.privateKey', /PEM string/],
    ['an Ed448 key', key(generateKeyPairSync('ed448').privateKey), 'privateKeyJwt.privateKey', /got ed448/],
    [
      'a secp256k1 key',
      key(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey),
      'privateKeyJwt.privateKey',
      /got ec secp256k1/,
    ],
    [
      'a 1024-bit RSA key',
      key(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey),
      'privateKeyJwt.privateKey',
      /2048 bits or more/,
    ],
    [
      'RS256 for an EC key',
      () => privateKeyJwt(EC_PEM, { alg: 'RS256' }),
      'privateKeyJwt.alg',
      /must be one of ES256, got "RS256"/,
    ],
    ['ES384 for a P-256 key', () => privateKeyJwt(EC_PEM, { alg: 'ES384' }), 'privateKeyJwt.alg', /ES256/],
    ['a JWK whose alg does not fit', key({ ...EC_JWK, alg: 'RS256' }), 'privateKeyJwt.privateKey', /got "RS256"/],
    [
      'ES256 with clientSecretJwt',
      () => clientSecretJwt(SECRET.repeat(4), { alg: 'ES256' as 'HS256' }),
      'clientSecretJwt.alg',
      /HS256, HS384, HS512/,
    ],
    ['an empty kid', () => privateKeyJwt(EC_PEM, { kid: '' }), 'privateKeyJwt.kid', /non-empty/],
    [
      'clientSecretJwt without a secret',
      () => clientSecretJwt(undefined as unknown as string),
      'clientSecretJwt.secret',
      /non-empty string/,
    ],
  ])('%s', (_what, make, option, says) => expectOptionError(make, option, says));

  describe('clientSecretJwt: the secret is at least as long as the hash output (RFC 7518 §3.2)', () => {
    test.each<[string, number, number]>([
      ['HS256', 32, 31],
      ['HS384', 48, 47],
      ['HS512', 64, 63],
    ])('%s: %i bytes accepted, %i refused naming clientSecretJwt.secret', (alg, enough, short) => {
      const secret = (n: number) => 'k'.repeat(n);
      const make = (n: number) => clientSecretJwt(secret(n), { alg: alg as 'HS256' });
      expect(() => make(enough)).not.toThrow();
      const error = thrown(() => make(short));
      expect(error).toBeInstanceOf(OAuth2OptionsError);
      expect(error.option).toBe('clientSecretJwt.secret');
      expect(error.message).toMatch(new RegExp(`at least ${enough} bytes.*${alg}`));
      const shown = [error.message, JSON.stringify(error), inspect(error, { depth: Infinity })].join('\n');
      expect(shown).not.toContain(secret(short));
    });

    test('a 12-byte secret is refused for the default HS256; bytes are counted in UTF-8', () => {
      expectOptionError(() => clientSecretJwt('weak-secret!'), 'clientSecretJwt.secret', /at least 32 bytes/);
      // 16 two-byte characters: 32 bytes, enough for HS256.
      expect(() => clientSecretJwt('é'.repeat(16))).not.toThrow();
    });
  });

  test('neither the handle nor the value shows key material', () => {
    const auth = privateKeyJwt(EC_JWK);
    const handle = attachOAuth2(axios.create(), { ...base, clientAuthentication: auth });
    for (const shown of [inspect(handle, { depth: Infinity, showHidden: true }), inspect(auth), JSON.stringify(auth)])
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
