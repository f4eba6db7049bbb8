import { createMangopayClient, type MangopayClient } from '../../examples/mangopay-sdk/mangopay-client';
import { startAuthServer, type AuthServer } from '../../src/testing';

let server: AuthServer;
let client: MangopayClient;
const sdkErrors: unknown[] = [];

beforeEach(async () => {
  server = await startAuthServer();
  sdkErrors.length = 0;
  client = createMangopayClient({
    clientId: server.clientId,
    clientApiKey: server.clientSecret,
    baseUrl: server.url,
    errorHandler: (_message: unknown, data: unknown) => sdkErrors.push(data),
  });
});

afterEach(async () => {
  client.auth.detach();
  await server.close();
});

const bearers = () => new Set(server.apiRequests().map((r) => r.authorization));

describe('examples/mangopay-sdk: the official Mangopay SDK with the plugin doing its token handling', () => {
  test('50 concurrent cold SDK calls → 1 token call, every call carries the bearer', async () => {
    const users = await Promise.all(Array.from({ length: 50 }, (_, i) => client.sdk.Users.get(`user-${i}`)));
    expect(users).toHaveLength(50);
    expect(server.counters.tokenCalls).toBe(1);
    expect(server.counters.apiSuccesses).toBe(50);
    const token = server.issuedTokens()[0].token;
    expect(bearers()).toEqual(new Set([`Bearer ${token}`]));
    expect((await client.auth.getToken()).accessToken).toBe(token);
    // The token call is the plugin's, with Mangopay's raw Basic credentials.
    expect(server.tokenRequests()[0].authorization).toBe(
      `Basic ${Buffer.from(`${server.clientId}:${server.clientSecret}`).toString('base64')}`,
    );
  });

  test("the SDK's error handling keeps working: it rejects with the API's error body", async () => {
    // A manual SDK request (`method('get', callback, { url })`) to a route answering 403.
    const request = client.sdk.method('get' as never, () => undefined, {
      url: `/v2.01/${server.clientId}/forbidden`,
    } as never) as Promise<unknown>;
    const error = await request.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ Type: 'forbidden_ressource' });
    expect(sdkErrors).toEqual([expect.objectContaining({ Type: 'forbidden_ressource' })]);
    expect(server.counters.tokenCalls).toBe(1);
  });

  test('a token revoked mid-run: the SDK call is replayed once with a new token', async () => {
    await client.sdk.Users.get('before');
    server.revokeAllTokens();
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => client.sdk.Users.get(`after-${i}`)));
    expect(users).toHaveLength(10);
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.counters.invalidTokens).toBe(10);
    expect(sdkErrors).toEqual([]);
  });
});
