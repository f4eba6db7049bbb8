import axios from 'axios';
import { attachOAuth2, OAuth2OptionsError, type OAuth2Handle } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';

/** Two embedded auth servers on distinct loopback origins, like Mangopay's sandbox and production. */
let sandbox: AuthServer;
let production: AuthServer;
const handles: OAuth2Handle[] = [];

beforeEach(async () => {
  sandbox = await startAuthServer({ clientId: 'sandbox-client', clientSecret: 'sandbox-key' });
  production = await startAuthServer({ clientId: 'prod-client', clientSecret: 'prod-key' });
});

afterEach(async () => {
  for (const handle of handles.splice(0)) handle.detach();
  await Promise.all([sandbox.close(), production.close()]);
});

function attachTo(server: AuthServer, instance: Parameters<typeof attachOAuth2>[0] = axios): OAuth2Handle {
  const handle = attachOAuth2(instance, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    apiOrigins: [server.url],
  });
  handles.push(handle);
  return handle;
}

const bearerSeen = (server: AuthServer) => server.apiRequests().map((r) => r.authorization);

describe('several attachments on one axios object, split by origin', () => {
  test('sandbox and production on the default export: each origin gets its own token, one token call each', async () => {
    attachTo(sandbox);
    attachTo(production);
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => axios.get(`${sandbox.apiBaseUrl}/users/${i}`)),
      ...Array.from({ length: 5 }, (_, i) => axios.get(`${production.apiBaseUrl}/users/${i}`)),
    ]);
    expect(sandbox.counters.tokenCalls).toBe(1);
    expect(production.counters.tokenCalls).toBe(1);
    const sandboxToken = `Bearer ${sandbox.issuedTokens()[0].token}`;
    const productionToken = `Bearer ${production.issuedTokens()[0].token}`;
    expect(bearerSeen(sandbox)).toEqual(Array(5).fill(sandboxToken));
    expect(bearerSeen(production)).toEqual(Array(5).fill(productionToken));
  });

  test('a 401 is handled by the attachment that sent the token; the other one leaves it alone', async () => {
    const instance = axios.create();
    // Production first: its response interceptor sees the sandbox's 401 before the sandbox's does.
    attachTo(production, instance);
    attachTo(sandbox, instance);
    await instance.get(`${sandbox.apiBaseUrl}/users/1`);
    await instance.get(`${production.apiBaseUrl}/users/1`);
    sandbox.revokeAllTokens();
    const response = await instance.get(`${sandbox.apiBaseUrl}/users/2`);
    expect(response.status).toBe(200);
    expect(sandbox.counters.tokenCalls).toBe(2);
    expect(sandbox.counters.invalidTokens).toBe(1);
    expect(production.counters.tokenCalls).toBe(1);
    await instance.get(`${production.apiBaseUrl}/users/2`);
    expect(production.counters.tokenCalls).toBe(1);
    expect(production.counters.invalidTokens).toBe(0);
  });

  test('detaching one attachment leaves the other working', async () => {
    const instance = axios.create();
    const sandboxHandle = attachTo(sandbox, instance);
    attachTo(production, instance);
    sandboxHandle.detach();
    await instance.get(`${production.apiBaseUrl}/users/1`);
    await expect(instance.get(`${sandbox.apiBaseUrl}/users/1`)).rejects.toMatchObject({ response: { status: 401 } });
    expect(bearerSeen(production)).toEqual([`Bearer ${production.issuedTokens()[0].token}`]);
    expect(bearerSeen(sandbox)).toEqual([undefined]);
    expect(sandbox.counters.tokenCalls).toBe(0);
    // Its origin is free again.
    attachTo(sandbox, instance);
    await instance.get(`${sandbox.apiBaseUrl}/users/2`);
    expect(sandbox.counters.tokenCalls).toBe(1);
  });

  test('overlapping origins → OAuth2OptionsError naming apiOrigins and the origin', () => {
    const instance = axios.create();
    attachTo(sandbox, instance);
    let error: unknown;
    try {
      attachOAuth2(instance, {
        tokenUrl: production.tokenUrl,
        clientId: production.clientId,
        clientSecret: production.clientSecret,
        apiOrigins: [production.url, `${sandbox.url}/`],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    expect((error as OAuth2OptionsError).option).toBe('apiOrigins');
    expect((error as Error).message).toContain(sandbox.url);
    expect((error as Error).message).not.toContain(production.clientSecret);
  });

  test('the same origin twice (default apiOrigins from baseURL) still throws', () => {
    const instance = axios.create({ baseURL: sandbox.apiBaseUrl });
    handles.push(attachOAuth2(instance, { tokenUrl: sandbox.tokenUrl, clientId: 'a', clientSecret: 'b' }));
    expect(() => attachOAuth2(instance, { tokenUrl: sandbox.tokenUrl, clientId: 'c', clientSecret: 'd' })).toThrow(
      OAuth2OptionsError,
    );
  });
});
