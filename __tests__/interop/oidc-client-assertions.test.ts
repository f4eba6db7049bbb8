import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import axios from 'axios';
import { attachOAuth2, TokenEndpointError, type OAuth2Options } from '../../src';
import { clientSecretJwt, privateKeyJwt, type ClientAssertionAlgorithm } from '../../src/features/client-auth';
import { startProvider, type ClientMetadata, type RunningProvider } from '../helpers/oidc/start-provider';
import { startIntrospectingResourceServer, type ResourceServer } from '../helpers/oidc/resource-server';

/**
 * The plugin's client assertions (RFC 7523 §2.2) against a certified authorization server
 * (oidc-provider): private_key_jwt with each key type, client_secret_jwt; one token request for a
 * cold burst, the token accepted by introspection; a wrong key or secret → invalid_client for every
 * request of a burst, from one token request.
 */
const INTROSPECTOR = { id: 'introspector', secret: 'introspector-secret-0123456789abcdef' };
const HMAC_SECRET = 'jwt-client-secret-0123456789abcdef-0123456789abcdef-0123456789ab';

type KeyCase = {
  name: string;
  alg: Exclude<ClientAssertionAlgorithm, `HS${string}`>;
  pair: { privateKey: KeyObject; publicKey: KeyObject };
};
const KEY_CASES: KeyCase[] = [
  { name: 'rs256', alg: 'RS256', pair: generateKeyPairSync('rsa', { modulusLength: 2048 }) },
  { name: 'ps256', alg: 'PS256', pair: generateKeyPairSync('rsa', { modulusLength: 2048 }) },
  { name: 'es256', alg: 'ES256', pair: generateKeyPairSync('ec', { namedCurve: 'P-256' }) },
  { name: 'es384', alg: 'ES384', pair: generateKeyPairSync('ec', { namedCurve: 'P-384' }) },
  { name: 'es512', alg: 'ES512', pair: generateKeyPairSync('ec', { namedCurve: 'P-521' }) },
  { name: 'eddsa', alg: 'EdDSA', pair: generateKeyPairSync('ed25519') },
];

/** Another key of the same type and size. */
function otherKey(key: KeyObject): KeyObject {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  if (type === 'ec')
    return generateKeyPairSync('ec', { namedCurve: String(key.asymmetricKeyDetails?.namedCurve) }).privateKey;
  return generateKeyPairSync('ed25519').privateKey;
}

function client(id: string, extra: Record<string, unknown>): ClientMetadata {
  return {
    client_id: id,
    scope: 'read',
    ...extra,
  };
}

describe('oidc-provider: private_key_jwt and client_secret_jwt', () => {
  let provider: RunningProvider;
  let api: ResourceServer;
  beforeAll(async () => {
    provider = await startProvider({
      clients: [
        client(INTROSPECTOR.id, {
          client_secret: INTROSPECTOR.secret,
          token_endpoint_auth_method: 'client_secret_basic',
        }),
        ...KEY_CASES.map(({ name, alg, pair }) =>
          client(`pkjwt-${name}`, {
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: alg,
            jwks: { keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid: `${name}-key` }] },
          }),
        ),
        client('secret-jwt', {
          client_secret: HMAC_SECRET,
          token_endpoint_auth_method: 'client_secret_jwt',
          token_endpoint_auth_signing_alg: 'HS256',
        }),
      ],
      providerOptions: {
        enabledJWA: {
          clientAuthSigningAlgValues: ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'],
        },
      },
    });
    api = await startIntrospectingResourceServer({
      url: `${provider.issuer}/token/introspection`,
      clientId: INTROSPECTOR.id,
      clientSecret: INTROSPECTOR.secret,
    });
  }, 30_000);
  afterAll(async () => {
    await api?.close();
    await provider?.stop();
  });
  beforeEach(async () => {
    await provider.reset();
    api.seen.length = 0;
  });

  const cases: Array<[string, Partial<OAuth2Options>, Partial<OAuth2Options>]> = [
    ...KEY_CASES.map(({ name, alg, pair }): [string, Partial<OAuth2Options>, Partial<OAuth2Options>] => [
      `private_key_jwt ${alg}`,
      {
        clientId: `pkjwt-${name}`,
        clientAuthentication: privateKeyJwt(pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), {
          kid: `${name}-key`,
          ...(alg === 'PS256' ? { alg } : {}),
        }),
      },
      // The same key type, another key: the signature does not verify.
      { clientAuthentication: privateKeyJwt(otherKey(pair.privateKey), { kid: `${name}-key` }) },
    ]),
    [
      'client_secret_jwt HS256',
      { clientId: 'secret-jwt', clientAuthentication: clientSecretJwt(HMAC_SECRET) },
      { clientAuthentication: clientSecretJwt(`${HMAC_SECRET.slice(0, -4)}XXXX`) },
    ],
  ];

  it.each(cases)('%s: a cold burst of 50 costs 1 token request, and the token is active', async (_name, options) => {
    const client = axios.create({ baseURL: api.url });
    const auth = attachOAuth2(client, { tokenUrl: provider.tokenUrl, scope: 'read', ...options });
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.get('/resource')));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(await provider.tokenRequests()).toEqual([{ status: 200, dpop: false, basic: false }]);
    const token = await auth.getAccessToken();
    expect(api.seen).toHaveLength(50);
    expect(api.seen.every((s) => s.accepted && s.token === token)).toBe(true);
    auth.detach();
  });

  it.each(cases)(
    '%s with a wrong key or secret: invalid_client for every request of a burst, 1 token request',
    async (_name, options, wrong) => {
      const client = axios.create({ baseURL: api.url });
      const auth = attachOAuth2(client, {
        tokenUrl: provider.tokenUrl,
        scope: 'read',
        ...options,
        ...wrong,
      });
      const settled = await Promise.allSettled(Array.from({ length: 50 }, () => client.get('/resource')));
      for (const result of settled) {
        expect(result.status).toBe('rejected');
        const error = (result as PromiseRejectedResult).reason as TokenEndpointError;
        expect(error).toBeInstanceOf(TokenEndpointError);
        expect(error.error).toBe('invalid_client');
      }
      expect(await provider.tokenRequests()).toEqual([{ status: 401, dpop: false, basic: false }]);
      expect(api.seen).toHaveLength(0);
      auth.detach();
    },
  );

  test('the audience oidc-provider accepts: its issuer identifier as well as the token URL (the default when no issuer is known)', async () => {
    const { alg, pair, name } = KEY_CASES[2];
    const method = privateKeyJwt(pair.privateKey, { kid: `${name}-key` });
    const statuses: number[] = [];
    for (const audience of [provider.issuer, provider.tokenUrl, 'https://elsewhere.example.com']) {
      const credentials = await method.credentials({
        clientId: `pkjwt-${name}`,
        audience,
        now: Date.now(),
        signal: new AbortController().signal,
      });
      const assertion = credentials.params!.client_assertion;
      expect(JSON.parse(Buffer.from(assertion.split('.')[0], 'base64url').toString()).alg).toBe(alg);
      const answer = await axios.post(
        provider.tokenUrl,
        new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'read',
          client_id: `pkjwt-${name}`,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }).toString(),
        { validateStatus: () => true },
      );
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([200, 200, 401]);
  });
});
