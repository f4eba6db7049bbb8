/**
 * Issue 15: `handle.close()` and `[Symbol.asyncDispose]`: detach (cancel in-flight work, settle every
 * waiter with DetachedError), then revoke (RFC 7009) the token this process alone holds, against the
 * embedded server's revocation endpoint; never one from a store passed in; never throws.
 */
import axios, { type AxiosInstance } from 'axios';
import { generateKeyPairSync } from 'node:crypto';
import { clientAgent, makeMtlsPki } from '../../helpers/mtls-pki';
import { json, startRawServer } from '../../helpers/raw-server';
import {
  attachOAuth2,
  DetachedError,
  MemoryTokenStore,
  OAuth2OptionsError,
  type OAuth2Handle,
  type OAuth2Options,
  type RevocationFailedEvent,
} from '../../../src';
import { startAuthServer, type AuthServer } from '../../../src/testing';
import { revokeOnClose } from '../../../src/features/revocation';
import { discover } from '../../../src/features/discovery';
import { privateKeyJwt, tlsClientAuth } from '../../../src/features/client-auth';

let server: AuthServer;
let api: AxiosInstance;
let failures: RevocationFailedEvent[];

beforeEach(async () => {
  server = await startAuthServer({ tokenLifetimeSeconds: 600 });
  api = axios.create({ baseURL: server.apiBaseUrl });
  failures = [];
});
afterEach(() => server.close());

/** Attached with `revokeOnClose({ url })` (`revocationUrl: undefined`: no extension). */
function attach({
  revocationUrl = server.revocationUrl,
  ...extra
}: Partial<OAuth2Options> & { revocationUrl?: string } = {}): OAuth2Handle {
  return attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    hooks: { onRevocationFailed: (event) => void failures.push(event) },
    extensions: revocationUrl === undefined ? [] : [revokeOnClose({ url: revocationUrl })],
    ...extra,
  });
}

/** What the API answers `token` now (a plain request, no plugin). */
async function apiStatus(token: string): Promise<number> {
  const response = await axios.get(`${server.apiBaseUrl}/users`, {
    headers: { Authorization: `Bearer ${token}` },
    validateStatus: () => true,
  });
  return response.status;
}

test('close() revokes the token this process holds; the API then rejects it; the interceptors are gone', async () => {
  const auth = attach();
  await api.get('/users');
  const token = await auth.getAccessToken();
  expect(await apiStatus(token)).toBe(200);

  await auth.close();
  expect(server.counters.revocationCalls).toBe(1);
  expect(server.counters.revokedTokens).toBe(1);
  expect(failures).toEqual([]);
  expect(await apiStatus(token)).toBe(401);
  // Detached: the instance sends no bearer any more.
  const after = await api.get('/users', { validateStatus: () => true });
  expect(after.status).toBe(401);
  expect(server.counters.tokenCalls).toBe(1);
});

test.each([
  ['client_secret_basic', {}],
  ['client_secret_post', { clientAuthentication: 'client_secret_post' as const }],
])('the revocation request authenticates the client as the token request does (%s)', async (_, extra) => {
  const auth = attach(extra);
  const token = await auth.getAccessToken();
  await auth.close();
  expect(server.counters.revokedTokens).toBe(1);
  expect(await apiStatus(token)).toBe(401);
});

test('close() revokes every token the attachment holds: one per scope and resource in use', async () => {
  const auth = attach();
  const own = await auth.getAccessToken();
  const other = (await auth.getToken({ resource: 'https://other-api.test' })).accessToken;
  expect(other).not.toBe(own);
  expect(server.counters.tokenCalls).toBe(2);

  await auth.close();
  expect(server.counters.revokedTokens).toBe(2);
  expect(await apiStatus(own)).toBe(401);
  expect(await apiStatus(other)).toBe(401);
});

test('private_key_jwt: the revocation request carries a fresh client assertion, no secret', async () => {
  await server.close();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  server = await startAuthServer({ tokenLifetimeSeconds: 600, clientAssertion: { publicKey } });
  api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attach({ clientAuthentication: privateKeyJwt(privateKey), clientSecret: undefined });
  const token = await auth.getAccessToken();

  await auth.close();
  expect(failures).toEqual([]);
  expect(server.counters.revokedTokens).toBe(1);
  expect(await apiStatus(token)).toBe(401);
});

test("tls_client_auth: the revocation request presents the instance's client certificate, with client_id and no secret", async () => {
  await server.close();
  const pki = makeMtlsPki();
  try {
    const client = pki.issue('/CN=revoking-client');
    server = await startAuthServer({
      tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true },
      mtls: { subjectDn: client.subjectDn },
    });
    api = axios.create({ baseURL: server.apiBaseUrl, httpsAgent: clientAgent(pki.ca, client) });
    const auth = attach({ clientAuthentication: tlsClientAuth(), clientSecret: undefined });
    await api.get('/users');
    expect(server.counters.tokenCalls).toBe(1);

    await auth.close();
    expect(failures).toEqual([]);
    expect(server.counters.revokedTokens).toBe(1);
  } finally {
    pki.dispose();
  }
});

test('close() is idempotent: one promise, one revocation; detach() after it is a no-op', async () => {
  const auth = attach();
  await auth.getAccessToken();
  const first = auth.close();
  const second = auth.close({ revoke: true });
  expect(second).toBe(first);
  await first;
  auth.detach();
  await auth.close();
  expect(server.counters.revocationCalls).toBe(1);
});

test('Symbol.asyncDispose (await using) closes and revokes', async () => {
  const token = await (async () => {
    const auth = attach();
    expect(typeof auth[Symbol.asyncDispose]).toBe('function');
    const held = await auth.getAccessToken();
    await auth[Symbol.asyncDispose]?.();
    return held;
  })();
  expect(server.counters.revokedTokens).toBe(1);
  expect(await apiStatus(token)).toBe(401);
});

test('close({ revoke: false }): detached, nothing revoked', async () => {
  const auth = attach();
  const token = await auth.getAccessToken();
  await auth.close({ revoke: false });
  expect(server.counters.revocationCalls).toBe(0);
  expect(await apiStatus(token)).toBe(200);
});

test('a store passed in may be shared: its token is never revoked (not even a MemoryTokenStore)', async () => {
  const store = new MemoryTokenStore();
  const auth = attach({ store });
  const token = await auth.getAccessToken();
  await auth.close({ revoke: true });
  expect(server.counters.revocationCalls).toBe(0);
  expect(await apiStatus(token)).toBe(200);
  // Another attachment sharing the store keeps using it.
  const other = axios.create({ baseURL: server.apiBaseUrl });
  const second = attachOAuth2(other, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    store,
  });
  await other.get('/users');
  expect(server.counters.tokenCalls).toBe(1);
  second.detach();
});

test('without the revokeOnClose() extension close() only detaches', async () => {
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
  });
  const token = await auth.getAccessToken();
  await auth.close();
  expect(server.counters.revocationCalls).toBe(0);
  expect(await apiStatus(token)).toBe(200);
});

test('an expired token is not revoked', async () => {
  let now = Date.now();
  const auth = attach({ clock: () => now });
  await auth.getAccessToken();
  now += 601_000;
  await auth.close();
  expect(server.counters.revocationCalls).toBe(0);
});

test('close() during a token fetch: the fetch is aborted, every waiter gets DetachedError, nothing to revoke', async () => {
  const auth = attach();
  server.injectTokenFaults([{ type: 'hang' }]);
  const waiting = [api.get('/users'), api.get('/users'), auth.getAccessToken()].map((p) =>
    p.then(
      () => 'resolved',
      (error: unknown) => error,
    ),
  );
  while (server.counters.tokenCalls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await auth.close();
  const settled = await Promise.all(waiting);
  for (const error of settled) expect(error).toBeInstanceOf(DetachedError);
  expect(server.counters.revocationCalls).toBe(0);
});

test('a refused revocation: close() resolves, onRevocationFailed says why (status), the token stays valid', async () => {
  const auth = attach({ revocationUrl: `${server.url}/v2.01/oauth/not-revoke` });
  const token = await auth.getAccessToken();
  await expect(auth.close()).resolves.toBeUndefined();
  expect(failures).toEqual([{ status: 404, message: 'the revocation endpoint answered HTTP 404' }]);
  expect(await apiStatus(token)).toBe(200);
});

test('an unreachable revocation endpoint: close() resolves, onRevocationFailed with the transport code', async () => {
  const dead = await startAuthServer();
  const deadUrl = dead.revocationUrl;
  await dead.close();
  const auth = attach({ revocationUrl: deadUrl });
  await auth.getAccessToken();
  await expect(auth.close()).resolves.toBeUndefined();
  expect(failures).toEqual([{ message: 'the revocation endpoint could not be reached (ECONNREFUSED)' }]);
});

test('revokeOnClose({ url }) is checked when called (not a URL) and at attach time (https), naming revokeOnClose.url', () => {
  expect(() => revokeOnClose({ url: 'not a url' })).toThrow(OAuth2OptionsError);
  expect(() => revokeOnClose({ url: 'not a url' })).toThrow(expect.objectContaining({ option: 'revokeOnClose.url' }));
  expect(() => revokeOnClose({ uri: 'https://a.example' } as never)).toThrow(
    expect.objectContaining({ option: 'revokeOnClose.uri' }),
  );
  expect(() => attach({ revocationUrl: 'http://auth.example.com/revoke' })).toThrow(
    expect.objectContaining({ option: 'revokeOnClose.url' }),
  );
  // With a tokenUrl string, nothing can find the revocation endpoint: the url is required.
  expect(() => attach({ extensions: [revokeOnClose()] })).toThrow(
    expect.objectContaining({ option: 'revokeOnClose.url', message: expect.stringContaining('discover(issuer)') }),
  );
});

test('with discover(issuer) and no url: the metadata names the revocation endpoint, close() revokes there', async () => {
  const discovered = await startAuthServer({ tokenLifetimeSeconds: 600, discovery: {} });
  try {
    const instance = axios.create({ baseURL: discovered.apiBaseUrl });
    const auth = attachOAuth2(instance, {
      tokenUrl: discover(discovered.issuer as string),
      clientId: discovered.clientId,
      clientSecret: discovered.clientSecret,
      hooks: { onRevocationFailed: (event) => void failures.push(event) },
      extensions: [revokeOnClose()],
    });
    await instance.get('/users');
    await auth.close();
    expect(discovered.counters.tokenCalls).toBe(1);
    expect(discovered.counters.revocationCalls).toBe(1);
    expect(discovered.counters.revokedTokens).toBe(1);
    expect(failures).toEqual([]);
  } finally {
    await discovered.close();
  }
});

test('with discover(issuer), no url, and metadata naming no revocation endpoint: onRevocationFailed says so', async () => {
  const metadata = await startRawServer((req, res, raw) => {
    if (req.url === '/.well-known/oauth-authorization-server') {
      return json(res, 200, { issuer: raw.url, token_endpoint: `${raw.url}/token` });
    }
    json(res, 200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 60 });
  });
  try {
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: discover(metadata.url),
      clientId: 'c',
      clientSecret: 's',
      hooks: { onRevocationFailed: (event) => void failures.push(event) },
      extensions: [revokeOnClose()],
    });
    await auth.getAccessToken();
    await auth.close();
    expect(failures).toEqual([{ message: "the authorization server's metadata names no usable revocation_endpoint" }]);
    expect(metadata.requests.map((r) => r.url)).toEqual(['/.well-known/oauth-authorization-server', '/token']);
  } finally {
    await metadata.close();
  }
});
