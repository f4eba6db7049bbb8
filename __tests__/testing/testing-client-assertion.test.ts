import { generateKeyPairSync } from 'node:crypto';
import axios from 'axios';
import { attachOAuth2, TokenEndpointError, type OAuth2Options } from '../../src';
import { signClientAssertion } from '../../src/features/client-auth/client-assertion';
import { clientSecretJwt, privateKeyJwt } from '../../src/features/client-auth';
import { startAuthServer, type AuthServer, type ClientAssertionOptions } from '../../src/testing';

/** `axios-oauth2-bearer/testing` verifies client assertions, so SDK authors can test private_key_jwt and client_secret_jwt. */
describe('embedded test server: client assertions', () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let server: AuthServer;
  afterEach(() => server?.close());

  async function start(clientAssertion: ClientAssertionOptions) {
    server = await startAuthServer({
      clientId: 'sdk-client',
      clientSecret: 'sdk-secret-0123456789-0123456789ab',
      clientAssertion,
    });
  }
  function client(options: Partial<OAuth2Options>) {
    const api = axios.create({ baseURL: server.apiBaseUrl });
    const auth = attachOAuth2(api, { tokenUrl: server.tokenUrl, clientId: 'sdk-client', ...options });
    return { api, auth };
  }
  const post = (form: Record<string, string>) =>
    axios.post(server.tokenUrl, new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString(), {
      validateStatus: () => true,
    });
  const signer = (key = pair.privateKey) => ({ alg: 'ES256' as const, key });
  const assertion = (
    claims: Partial<{ clientId: string; audience: string; now: number }> = {},
    key = pair.privateKey,
  ) =>
    signClientAssertion(signer(key), { clientId: 'sdk-client', audience: server.tokenUrl, now: Date.now(), ...claims });
  const form = (value: string) => ({
    client_id: 'sdk-client',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: value,
  });

  test('private_key_jwt: a burst of 20 → 1 token call, accepted; the API accepts the token', async () => {
    await start({ publicKey: pair.publicKey.export({ format: 'jwk' }) });
    const { api, auth } = client({ clientAuthentication: privateKeyJwt(pair.privateKey) });
    const answers = await Promise.all(Array.from({ length: 20 }, () => api.get('/users/1')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(server.counters.tokenCalls).toBe(1);
    expect(server.counters.tokenSuccesses).toBe(1);
    auth.detach();
  });

  test('client_secret_jwt: accepted with the right secret, invalid_client with a wrong one', async () => {
    await start({});
    const good = client({
      clientAuthentication: clientSecretJwt('sdk-secret-0123456789-0123456789ab'),
    });
    expect((await good.api.get('/users/1')).status).toBe(200);
    const bad = client({
      clientAuthentication: clientSecretJwt('wrong-secret-0123456789-0123456789'),
    });
    const error = await bad.api.get('/users/1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).error).toBe('invalid_client');
    expect(server.counters.badCredentials).toBe(1);
    good.auth.detach();
    bad.auth.detach();
  });

  test.each<[string, () => Record<string, string>, RegExp]>([
    [
      'a wrong key',
      () => form(assertion({}, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)),
      /bad signature/,
    ],
    ['another client as iss', () => form(assertion({ clientId: 'other' })), /iss and sub/],
    ['another audience', () => form(assertion({ audience: 'https://elsewhere.example' })), /aud/],
    ['an expired assertion', () => form(assertion({ now: Date.now() - 120_000 })), /exp/],
    ['no assertion type', () => ({ client_assertion: assertion() }), /client_assertion_type/],
    [
      'a secret too',
      () => ({ ...form(assertion()), client_secret: 'sdk-secret-0123456789-0123456789ab' }),
      /client_secret/,
    ],
    [
      'an HMAC assertion when only the key is accepted',
      () =>
        form(
          signClientAssertion(
            { alg: 'HS256', key: Buffer.from('sdk-secret-0123456789-0123456789ab') as never },
            { clientId: 'sdk-client', audience: server.tokenUrl, now: Date.now() },
          ),
        ),
      /bad signature/,
    ],
  ])('refuses %s with invalid_client and the reason', async (_what, make, reason) => {
    await start({ publicKey: pair.publicKey });
    const answer = await post(make());
    expect(answer.status).toBe(400);
    expect(answer.data.error).toBe('invalid_client');
    expect(answer.data.error_description).toMatch(reason);
  });

  test('refuses a replayed jti; accepts the server origin as audience (an issuer)', async () => {
    await start({ publicKey: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString() });
    const once = assertion();
    expect((await post(form(once))).status).toBe(200);
    const replay = await post(form(once));
    expect(replay.data.error_description).toMatch(/jti replayed/);
    expect((await post(form(assertion({ audience: server.url })))).status).toBe(200);
  });

  test('without the clientAssertion option, assertions are refused', async () => {
    server = await startAuthServer({ clientId: 'sdk-client' });
    const answer = await post(form(assertion()));
    expect(answer.data).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringMatching(/not enabled/),
    });
  });
});
