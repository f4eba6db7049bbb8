import axios from 'axios';
import { attachOAuth2 } from '../../src';
import { startProvider, type RunningProvider } from '../helpers/oidc/start-provider';
import { startJwtResourceServer, type JwtResourceServer } from '../helpers/oidc/jwt-resource-server';

/**
 * Several tokens on one attachment against a certified authorization server (oidc-provider) with
 * resource indicators (RFC 8707): each resource gets its own JWT access token (`aud` = the resource),
 * fetched once for any number of concurrent calls, and each resource server, verifying the JWT
 * against the provider's JWKS, refuses the other's token.
 */
const RESOURCE_A = 'https://api-a.test';
const RESOURCE_B = 'https://api-b.test';
const CLIENT = {
  client_id: 'multi-client',
  client_secret: 'multi-client-secret-0123456789abcdef',
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'read',
};

describe('oidc-provider: resource indicators, two resources on one attachment', () => {
  let provider: RunningProvider;
  let serverA: JwtResourceServer;
  let serverB: JwtResourceServer;
  beforeAll(async () => {
    provider = await startProvider({
      clients: [CLIENT],
      resourceServers: {
        [RESOURCE_A]: { scope: 'read', accessTokenFormat: 'jwt' },
        [RESOURCE_B]: { scope: 'read', accessTokenFormat: 'jwt' },
      },
    });
    const jwksUrl = `${provider.issuer}/jwks`;
    serverA = await startJwtResourceServer({ issuer: provider.issuer, jwksUrl, audience: RESOURCE_A });
    serverB = await startJwtResourceServer({ issuer: provider.issuer, jwksUrl, audience: RESOURCE_B });
  });
  afterAll(async () => {
    await serverA?.close();
    await serverB?.close();
    await provider?.stop();
  });
  beforeEach(async () => {
    await provider.reset();
    serverA.seen.length = 0;
    serverB.seen.length = 0;
  });

  const credentials = () => ({
    tokenUrl: provider.tokenUrl,
    clientId: CLIENT.client_id,
    clientSecret: CLIENT.client_secret,
    scope: 'read',
  });

  /** Sends `token` to `server` directly (not through the plugin): the status it answers. */
  async function statusWith(server: JwtResourceServer, token: string): Promise<number> {
    const answer = await axios.get(`${server.url}/resource`, {
      headers: { Authorization: `Bearer ${token}` },
      validateStatus: () => true,
    });
    return answer.status;
  }

  async function expectEachRefusesTheOther(tokenA: string, tokenB: string): Promise<void> {
    expect(tokenA).not.toBe(tokenB);
    expect(await statusWith(serverA, tokenA)).toBe(200);
    expect(await statusWith(serverB, tokenB)).toBe(200);
    expect(await statusWith(serverA, tokenB)).toBe(401);
    expect(await statusWith(serverB, tokenA)).toBe(401);
    expect(serverA.seen.at(-1)).toMatchObject({ accepted: false, reason: 'audience', audience: RESOURCE_B });
    expect(serverB.seen.at(-1)).toMatchObject({ accepted: false, reason: 'audience', audience: RESOURCE_A });
  }

  it('per-request oauth2.resource: 20 concurrent calls to each resource → exactly 2 token requests', async () => {
    const client = axios.create();
    const auth = attachOAuth2(client, { ...credentials(), apiOrigins: [serverA.url, serverB.url] });
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? client.get(`${serverB.url}/resource`, { oauth2: { resource: RESOURCE_B } })
        : client.get(`${serverA.url}/resource`, { oauth2: { resource: RESOURCE_A } }),
    );
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    expect(await provider.tokenRequests()).toEqual([
      { status: 200, dpop: false, basic: true },
      { status: 200, dpop: false, basic: true },
    ]);
    expect(serverA.seen).toHaveLength(20);
    expect(serverB.seen).toHaveLength(20);
    expect(serverA.seen.every((s) => s.accepted && s.audience === RESOURCE_A)).toBe(true);
    expect(serverB.seen.every((s) => s.accepted && s.audience === RESOURCE_B)).toBe(true);
    const tokenA = serverA.seen[0].token;
    const tokenB = serverB.seen[0].token;
    expect(new Set(serverA.seen.map((s) => s.token))).toEqual(new Set([tokenA]));
    expect(new Set(serverB.seen.map((s) => s.token))).toEqual(new Set([tokenB]));
    // The handle selects the same cached tokens, without another token request.
    expect(await auth.getAccessToken({ resource: RESOURCE_A })).toBe(tokenA);
    const infoB = await auth.getToken({ resource: RESOURCE_B });
    expect(infoB).toMatchObject({ accessToken: tokenB, tokenType: 'Bearer', scope: 'read' });
    expect(typeof infoB.expiresAt).toBe('number');
    expect(await provider.tokenRequests()).toHaveLength(2);
    await expectEachRefusesTheOther(tokenA, tokenB);
    auth.detach();
  });

  it('per-origin defaults (apiOrigins objects): each origin gets its own resource’s token without per-request options', async () => {
    const client = axios.create();
    const auth = attachOAuth2(client, {
      ...credentials(),
      apiOrigins: [
        { origin: serverA.url, resource: RESOURCE_A },
        { origin: serverB.url, resource: RESOURCE_B },
      ],
    });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client.get(`${i % 2 ? serverB.url : serverA.url}/resource`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    expect(await provider.tokenRequests()).toHaveLength(2);
    expect(serverA.seen.every((s) => s.accepted)).toBe(true);
    expect(serverB.seen.every((s) => s.accepted)).toBe(true);
    await expectEachRefusesTheOther(serverA.seen[0].token, serverB.seen[0].token);
    auth.detach();
  });
});
