import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as jose from 'jose';
import { CLIENT_ID, CLIENT_SECRET, createCore, formPairs, headerOf, T0, TOKEN_URL } from '../../helpers/harness';
import { clientSecretJwt, privateKeyJwt, type ClientAssertionAlgorithm } from '../../../src/features/client-auth';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

type Pair = { privateKey: KeyObject; publicKey: KeyObject };
const rsa = (): Pair => generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = (namedCurve: string): Pair => generateKeyPairSync('ec', { namedCurve });
const ed25519 = (): Pair => generateKeyPairSync('ed25519');

function bodyOf(call: { data?: unknown }): Record<string, string> {
  return Object.fromEntries(formPairs(call));
}

async function verify(assertion: string, key: KeyObject | Uint8Array, alg: string, audience = TOKEN_URL) {
  return jose.jwtVerify(assertion, key, {
    algorithms: [alg],
    issuer: CLIENT_ID,
    subject: CLIENT_ID,
    audience,
    currentDate: new Date(T0),
  });
}

/** A client_secret_jwt secret long enough for HS512 (64 bytes, RFC 7518 §3.2). */
const HMAC_SECRET = `${CLIENT_SECRET}${'-'.repeat(64 - CLIENT_SECRET.length)}`;

describe('private_key_jwt: every algorithm verified by jose, the claims exact', () => {
  const rsaPair = rsa();
  it.each([
    ['RS256', rsaPair, undefined],
    ['PS256', rsaPair, 'PS256'],
    ['ES256', ec('P-256'), undefined],
    ['ES384', ec('P-384'), undefined],
    ['ES512', ec('P-521'), undefined],
    ['EdDSA', ed25519(), undefined],
  ] as const)('%s', async (alg, pair, override) => {
    const core = createCore({
      options: {
        clientSecret: undefined,
        clientAuthentication: privateKeyJwt(pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), {
          kid: 'key-1',
          ...(override ? { alg: override as Exclude<ClientAssertionAlgorithm, `HS${string}`> } : {}),
        }),
      },
    });
    await core.api.get('/a');
    expect(core.tokenCalls).toHaveLength(1);
    const call = core.tokenCalls[0];
    const body = bodyOf(call);
    expect(Object.keys(body).sort()).toEqual(['client_assertion', 'client_assertion_type', 'client_id', 'grant_type']);
    expect(body).toMatchObject({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_assertion_type: ASSERTION_TYPE,
    });
    expect(headerOf(call, 'Authorization')).toBeUndefined();
    const { payload, protectedHeader } = await verify(body.client_assertion, pair.publicKey, alg);
    expect(protectedHeader).toEqual({ alg, typ: 'JWT', kid: 'key-1' });
    const iat = Math.floor(T0 / 1000);
    expect(payload).toEqual({
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: TOKEN_URL,
      jti: expect.any(String),
      iat,
      exp: iat + 60,
    });
    expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('private_key_jwt: key formats', () => {
  test('a KeyObject', async () => {
    const pair = ec('P-256');
    const core = createCore({
      options: { clientSecret: undefined, clientAuthentication: privateKeyJwt(pair.privateKey) },
    });
    await core.api.get('/a');
    const { protectedHeader } = await verify(bodyOf(core.tokenCalls[0]).client_assertion, pair.publicKey, 'ES256');
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'JWT' }); // no kid given, none sent
  });

  test('a private JWK: its own alg and kid; the kid option overrides the kid', async () => {
    const pair = rsa();
    const jwk = { ...pair.privateKey.export({ format: 'jwk' }), alg: 'PS384', kid: 'jwk-kid' };
    for (const [kidOption, kid] of [
      [undefined, 'jwk-kid'],
      ['explicit', 'explicit'],
    ] as const) {
      const core = createCore({
        options: { clientSecret: undefined, clientAuthentication: privateKeyJwt(jwk, { kid: kidOption }) },
      });
      await core.api.get('/a');
      const { protectedHeader } = await verify(bodyOf(core.tokenCalls[0]).client_assertion, pair.publicKey, 'PS384');
      expect(protectedHeader).toEqual({ alg: 'PS384', typ: 'JWT', kid });
    }
  });

  test('a PKCS#1 RSA PEM and a SEC1 EC PEM', async () => {
    for (const [pair, type, alg] of [
      [rsa(), 'pkcs1', 'RS256'],
      [ec('P-384'), 'sec1', 'ES384'],
    ] as const) {
      const core = createCore({
        options: {
          clientSecret: undefined,
          clientAuthentication: privateKeyJwt(pair.privateKey.export({ format: 'pem', type }).toString()),
        },
      });
      await core.api.get('/a');
      await expect(verify(bodyOf(core.tokenCalls[0]).client_assertion, pair.publicKey, alg)).resolves.toBeDefined();
    }
  });
});

describe('client_secret_jwt', () => {
  /** 64 bytes: long enough for HS512 (RFC 7518 §3.2), and the harness's secret inside it. */
  it.each(['HS256', 'HS384', 'HS512'] as const)('%s with the client secret, verified by jose', async (alg) => {
    const core = createCore({
      options: {
        clientSecret: undefined,
        clientAuthentication: clientSecretJwt(HMAC_SECRET, alg === 'HS256' ? {} : { alg }),
      },
    });
    await core.api.get('/a');
    const body = bodyOf(core.tokenCalls[0]);
    expect(body.client_secret).toBeUndefined();
    expect(JSON.stringify(core.tokenCalls[0].data)).not.toContain(CLIENT_SECRET);
    const { payload, protectedHeader } = await verify(
      body.client_assertion,
      new TextEncoder().encode(HMAC_SECRET),
      alg,
    );
    expect(protectedHeader).toEqual({ alg, typ: 'JWT' });
    expect(payload.aud).toBe(TOKEN_URL);
  });
});

describe('a fresh assertion per attempt', () => {
  test('a 503 retried: two token requests, two different jti, each assertion valid', async () => {
    const pair = ec('P-256');
    const core = createCore({
      options: {
        clientSecret: undefined,
        clientAuthentication: privateKeyJwt(pair.privateKey),
        retry: { retries: 1, baseDelayMs: 0 },
      },
    });
    core.tokenQueue.push([503, { error: 'temporarily_unavailable' }]);
    await core.api.get('/a');
    expect(core.tokenCalls).toHaveLength(2);
    const jtis = await Promise.all(
      core.tokenCalls.map(
        async (call) => (await verify(bodyOf(call).client_assertion, pair.publicKey, 'ES256')).payload.jti,
      ),
    );
    expect(new Set(jtis).size).toBe(2);
  });

  test('an audience option of the factory is the aud of every assertion (a static token URL, an issuer identifier)', async () => {
    const pair = ec('P-256');
    const audience = 'https://as.example.com/tenant';
    const core = createCore({
      options: { clientSecret: undefined, clientAuthentication: privateKeyJwt(pair.privateKey, { audience }) },
    });
    await core.api.get('/a');
    const { payload } = await verify(bodyOf(core.tokenCalls[0]).client_assertion, pair.publicKey, 'ES256', audience);
    expect(payload.aud).toBe(audience);
    const hmac = createCore({
      options: { clientSecret: undefined, clientAuthentication: clientSecretJwt(HMAC_SECRET, { audience }) },
    });
    await hmac.api.get('/a');
    const signed = await verify(
      bodyOf(hmac.tokenCalls[0]).client_assertion,
      new TextEncoder().encode(HMAC_SECRET),
      'HS256',
      audience,
    );
    expect(signed.payload.aud).toBe(audience);
  });

  test('an unknown option of a factory (a typo) is refused, naming it, not ignored', () => {
    const pair = ec('P-256');
    expect(() => privateKeyJwt(pair.privateKey, { audiance: 'x' } as never)).toThrow(
      expect.objectContaining({ name: 'OAuth2OptionsError', option: 'privateKeyJwt.audiance' }),
    );
    expect(() => clientSecretJwt(HMAC_SECRET, { kid: 'k' } as never)).toThrow(
      expect.objectContaining({ name: 'OAuth2OptionsError', option: 'clientSecretJwt.kid' }),
    );
    expect(() => privateKeyJwt(pair.privateKey, 'ES256' as never)).toThrow(
      expect.objectContaining({ option: 'privateKeyJwt.options' }),
    );
  });

  test('a bad audience option is refused by the factory, naming it', () => {
    const pair = ec('P-256');
    for (const audience of ['', 'has space', 42]) {
      expect(() => privateKeyJwt(pair.privateKey, { audience: audience as string })).toThrow(
        expect.objectContaining({ name: 'OAuth2OptionsError', option: 'privateKeyJwt.audience' }),
      );
      expect(() => clientSecretJwt(HMAC_SECRET, { audience: audience as string })).toThrow(
        expect.objectContaining({ name: 'OAuth2OptionsError', option: 'clientSecretJwt.audience' }),
      );
    }
  });

  test('the issuer, when set, is the audience (a single string)', async () => {
    const pair = ec('P-256');
    const { clientCredentials } = await import('../../../src/token/client-credentials');
    const { Secrets } = await import('../../../src/security/secrets');
    const { resolveOptions } = await import('../../../src/options/validate-options');
    const axios = (await import('axios')).default;
    const options = resolveOptions(axios.create(), {
      tokenUrl: TOKEN_URL,
      clientId: CLIENT_ID,
      clientAuthentication: privateKeyJwt(pair.privateKey),
      clock: () => T0,
    });
    const withIssuer = { ...options, issuer: 'https://as.example.com/tenant' };
    const secrets = new Secrets();
    const credentials = await clientCredentials(withIssuer, new AbortController().signal, secrets);
    const assertion = credentials.params!.client_assertion;
    const { payload } = await jose.jwtVerify(assertion, pair.publicKey, {
      audience: 'https://as.example.com/tenant',
      currentDate: new Date(T0),
    });
    expect(payload.aud).toBe('https://as.example.com/tenant');
    expect(secrets.list).toEqual([assertion]); // the assertion is a secret of the attempt
  });
});
