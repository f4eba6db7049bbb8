/**
 * `publicClient()` (token endpoint authentication method `none`) against the embedded server: the
 * token request names the client with `client_id` and carries no credentials (no `Authorization`
 * header, no secret, no assertion); the JWT bearer grant and token exchange work with it; the client
 * credentials grant is refused at attach; discovery checks `none` against the server's list.
 */
import axios from 'axios';
import { attachOAuth2, OAuth2OptionsError, TokenEndpointError } from '../../../src';
import { jwtBearer, publicClient } from '../../../src/features/client-auth';
import { discover, DiscoveryError } from '../../../src/features/discovery';
import { tokenExchange, TOKEN_TYPES, TOKEN_EXCHANGE_GRANT } from '../../../src/features/token-exchange';
import { signJwt } from '../../../src/testing/workload-jws';
import { AUDIENCE, ISSUER, workloadFixture, type WorkloadFixture } from './workload/workload-fixture';
import { startAuthServer, type AuthServer, type EchoBody } from '../../../src/testing';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** A workload token for {@link AUDIENCE}, valid for ten minutes. */
function workloadToken(fx: WorkloadFixture): string {
  const iat = Math.floor(Date.now() / 1000);
  return signJwt(
    fx.key,
    { iss: ISSUER, sub: 'system:serviceaccount:shop:orders', aud: AUDIENCE, iat, exp: iat + 600 },
    'workload-key',
  );
}

const formsOf = (server: AuthServer) =>
  server.tokenRequests().map((call) => Object.fromEntries(new URLSearchParams(call.body)));

describe('publicClient() with the JWT bearer grant (a security token service trusting the workload token)', () => {
  let fx: WorkloadFixture;
  afterEach(async () => {
    await fx.close();
  });

  test('the token request carries client_id and the assertion, no Authorization header and no secret', async () => {
    fx = await workloadFixture({ publicClients: ['orders'] });
    const assertion = workloadToken(fx);
    const api = axios.create({ baseURL: fx.server.apiBaseUrl });
    const auth = attachOAuth2(api, {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: publicClient(),
      grant: jwtBearer(() => assertion),
    });

    const answers = await Promise.all([api.get<EchoBody>('/users'), api.get<EchoBody>('/users')]);

    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(fx.server.counters.tokenCalls).toBe(1);
    expect(fx.server.tokenRequests().map((call) => call.authorization)).toEqual([undefined]);
    expect(formsOf(fx.server)).toEqual([{ grant_type: JWT_BEARER, assertion, client_id: 'orders' }]);
    expect(fx.server.issuedTokens().map((t) => t.grantType)).toEqual([JWT_BEARER]);
    auth.detach();
  });

  test('a server that does not know the client as public answers invalid_client: not retried', async () => {
    fx = await workloadFixture({ publicClients: ['someone-else'] });
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: publicClient(),
      grant: jwtBearer(() => workloadToken(fx)),
    });

    const error = await auth.getAccessToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).error).toBe('invalid_client');
    expect(fx.server.counters.tokenCalls).toBe(1);
    auth.detach();
  });
});

describe('publicClient() with token exchange (RFC 8693)', () => {
  let server: AuthServer;
  afterEach(async () => {
    await server.close();
  });

  test('exchanges the subject token without client credentials', async () => {
    server = await startAuthServer({ tokenExchange: {}, publicClients: ['test-client'] });
    const api = axios.create({ baseURL: server.apiBaseUrl });
    const auth = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: 'test-client',
      clientAuthentication: publicClient(),
      grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken, audience: 'billing' }),
    });
    const alice = server.issueSubjectToken('alice');

    const answer = await api.get<EchoBody>('/users', { oauth2: { subjectToken: alice } });

    expect(answer.data.subject).toBe('alice');
    expect(server.tokenRequests().map((call) => call.authorization)).toEqual([undefined]);
    expect(formsOf(server)).toEqual([
      {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: alice,
        subject_token_type: TOKEN_TYPES.accessToken,
        audience: 'billing',
        client_id: 'test-client',
      },
    ]);
    auth.detach();
  });
});

describe('checked before the first request', () => {
  test.each([
    ['no grant (client credentials by default)', undefined],
    ['the client credentials grant', { type: 'client_credentials' as const }],
  ])('%s: OAuth2OptionsError naming clientAuthentication (RFC 6749 §4.4)', (_, grant) => {
    let thrown: unknown;
    try {
      attachOAuth2(axios.create(), {
        tokenUrl: 'https://as.example/token',
        clientId: 'orders',
        clientAuthentication: publicClient(),
        grant,
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OAuth2OptionsError);
    expect((thrown as OAuth2OptionsError).option).toBe('clientAuthentication');
    expect((thrown as Error).message).toMatch(/publicClient\(\).*client credentials grant.*RFC 6749 §4\.4/);
  });

  test('a clientSecret beside it is refused (the method holds no secret)', () => {
    expect(() =>
      attachOAuth2(axios.create(), {
        tokenUrl: 'https://as.example/token',
        clientId: 'orders',
        clientSecret: 'orders-secret',
        clientAuthentication: publicClient(),
        grant: jwtBearer(() => 'x.y.z'),
      }),
    ).toThrow(expect.objectContaining({ option: 'clientSecret' }));
  });
});

describe('with discovery: none is checked against token_endpoint_auth_methods_supported', () => {
  let fx: WorkloadFixture;
  afterEach(async () => {
    await fx.close();
  });

  test('listed (the server has public clients): the token is issued', async () => {
    fx = await workloadFixture({ publicClients: ['orders'], discovery: {} });
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: discover(fx.server.issuer as string),
      clientId: 'orders',
      clientAuthentication: publicClient(),
      grant: jwtBearer(() => workloadToken(fx)),
    });

    await expect(auth.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(fx.server.counters.tokenCalls).toBe(1);
    auth.detach();
  });

  test('not listed: DiscoveryError auth_method_unsupported, and no token request', async () => {
    fx = await workloadFixture({ discovery: {} });
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: discover(fx.server.issuer as string),
      clientId: 'orders',
      clientAuthentication: publicClient(),
      grant: jwtBearer(() => workloadToken(fx)),
    });

    const error = await auth.getAccessToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).reason).toBe('auth_method_unsupported');
    expect(fx.server.counters.tokenCalls).toBe(0);
    auth.detach();
  });
});

test('the embedded server refuses a bad publicClients list (RangeError)', async () => {
  await expect(startAuthServer({ publicClients: [''] })).rejects.toThrow(
    new RangeError('publicClients must be an array of non-empty client ids'),
  );
});
