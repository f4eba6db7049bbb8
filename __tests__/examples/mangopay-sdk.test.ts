import {
  createMangopayClient,
  type MangopayClient,
  type MangopaySdkConfig,
} from '../../examples/mangopay-sdk/mangopay-client';
import type { OAuth2Options } from '../../src';
import { LOCKOUT_DESCRIPTION, startAuthServer, type AuthServer, type AuthServerOptions } from '../../src/testing';
import { makePki, startMtlsServer, type Pki } from '../helpers/mtls-server';

let server: AuthServer;
let client: MangopayClient;
const clients: MangopayClient[] = [];
const sdkErrors: unknown[] = [];
function sdkClient(
  config: Partial<MangopaySdkConfig> = {},
  options: Partial<Omit<OAuth2Options, 'tokenUrl' | 'clientId' | 'clientSecret'>> = {},
): MangopayClient {
  const created = createMangopayClient(
    {
      clientId: server.clientId,
      clientApiKey: server.clientSecret,
      baseUrl: server.url,
      errorHandler: (_message: unknown, data: unknown) => sdkErrors.push(data),
      ...config,
    },
    options,
  );
  clients.push(created);
  return created;
}

async function restartServer(options: AuthServerOptions): Promise<void> {
  client.auth.detach();
  await server.close();
  server = await startAuthServer(options);
}

/** Longest wait for an SDK call to settle before the test fails (only a failing test waits this long). */
const NEVER_SETTLED_MS = 5000;

/**
 * How an SDK call settles: its value, or what it rejected with. The SDK's catch crashing on an error
 * without `response` is an unhandled rejection (Jest fails the test for it: the process listener
 * never sees it) and leaves the SDK's promise pending forever: this fails fast instead of hanging.
 */
async function settle(call: Promise<unknown>): Promise<{ ok: boolean; value: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const never = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the SDK call never settled (its catch crashed?)')), NEVER_SETTLED_MS);
    timer.unref();
  });
  try {
    return await Promise.race([
      call.then(
        (value) => ({ ok: true, value }),
        (value: unknown) => ({ ok: false, value }),
      ),
      never,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

beforeEach(async () => {
  server = await startAuthServer();
  sdkErrors.length = 0;
  client = sdkClient();
});

afterEach(async () => {
  for (const created of clients.splice(0)) created.auth.detach();
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

  test('every token revoked while 20 calls are in flight: 0 failed calls, 1 renewal', async () => {
    await client.sdk.Users.get('warm');
    const calls = Array.from({ length: 20 }, (_, i) => settle(client.sdk.Users.get(`during-${i}`)));
    server.revokeAllTokens();
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(server.counters.invalidTokens).toBe(20);
    expect(server.counters.tokenCalls).toBe(2);
    expect(sdkErrors).toEqual([]);
  });

  test('a wrong API key: 1 token call for a burst of 20 SDK calls, each rejecting the SDK’s way with the token endpoint’s answer', async () => {
    client.auth.detach();
    client = sdkClient({ clientApiKey: 'wrong-key' });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => settle(client.sdk.Users.get(`u-${i}`))));
    expect(server.counters.tokenCalls).toBe(1);
    expect(server.counters.apiCalls).toBe(0);
    for (const outcome of outcomes) {
      expect(outcome).toEqual({ ok: false, value: expect.objectContaining({ error: 'invalid_client' }) as unknown });
    }
    expect(sdkErrors).toHaveLength(20);
  });

  test('a lockout: the SDK rejects its own way (error.response.data), 0 token calls during the cool-down, no crash', async () => {
    await restartServer({ lockoutAfter: 1, lockoutSeconds: 600 });
    client = sdkClient(
      { clientApiKey: 'wrong-key', clientId: server.clientId, baseUrl: server.url },
      { failureCacheMs: 0 },
    );
    // 1st token call: invalid_client (that attempt locks the account); 2nd: the lockout.
    expect(await settle(client.sdk.Users.get('a'))).toEqual({
      ok: false,
      value: expect.objectContaining({ error: 'invalid_client' }) as unknown,
    });
    const locked = await settle(client.sdk.Users.get('b'));
    expect(locked).toEqual({
      ok: false,
      value: { error: 'unauthorized_client', error_description: LOCKOUT_DESCRIPTION },
    });
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.counters.lockedResponses).toBe(1);
    // The cool-down: 30 more calls, not one token call, each rejecting with the answer that opened it.
    const during = await Promise.all(Array.from({ length: 30 }, (_, i) => settle(client.sdk.Users.get(`c-${i}`))));
    expect(during.every((o) => !o.ok && (o.value as { error?: string }).error === 'unauthorized_client')).toBe(true);
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.counters.apiCalls).toBe(0);
    expect(sdkErrors).toHaveLength(32);
  });
});

describe('examples/mangopay-sdk: the SDK’s mTLS set-up (client certificate, agent passed per request)', () => {
  let pki: Pki;
  beforeAll(() => {
    pki = makePki();
  });

  test('the token request carries the client certificate; 10 concurrent calls → 1 token call', async () => {
    const mtls = await startMtlsServer(pki);
    const b64 = (pem: string) => Buffer.from(pem).toString('base64');
    const sdkConfig = { clientId: mtls.clientId, clientApiKey: mtls.apiKey, baseUrl: mtls.url };
    try {
      const mtlsClient = sdkClient({
        ...sdkConfig,
        cert: b64(pki.clientCert),
        key: b64(pki.clientKey),
        ca: b64(pki.ca),
      });
      const users = await Promise.all(Array.from({ length: 10 }, (_, i) => mtlsClient.sdk.Users.get(`m-${i}`)));
      expect(users.map((u) => u.Id)).toEqual(Array.from({ length: 10 }, (_, i) => `m-${i}`));
      expect(mtls.tokenRequests).toEqual([
        expect.objectContaining({ method: 'POST', path: '/v2.01/oauth/token', clientCn: 'sdk-client', status: 200 }),
      ]);
      expect(mtls.apiRequests.map((r) => r.clientCn)).toEqual(Array(10).fill('sdk-client'));
      mtlsClient.auth.detach();

      // Without the certificate (only the CA), the handshake is refused: the SDK rejects its way, no crash.
      const bare = sdkClient({ ...sdkConfig, ca: b64(pki.ca) }, { retry: { retries: 0 } });
      const outcome = await settle(bare.sdk.Users.get('x'));
      expect(outcome.ok).toBe(false);
      expect(mtls.tokenRequests).toHaveLength(1);
    } finally {
      await mtls.close();
    }
  });
});
