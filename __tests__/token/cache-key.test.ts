import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2, MemoryTokenStore, type OAuth2Options, type StoredToken, type TokenStore } from '../../src';
import { mockApi, mockTokenEndpoint, type ApiCall } from '../helpers/harness';

const SANDBOX = {
  token: 'https://api.sandbox.mangopay.com/v2.01/oauth/token',
  base: 'https://api.sandbox.mangopay.com/v2.01/acme',
};
const PRODUCTION = { token: 'https://api.mangopay.com/v2.01/oauth/token', base: 'https://api.mangopay.com/v2.01/acme' };

/** A store that records every key it is asked about. */
class RecordingStore extends MemoryTokenStore implements TokenStore {
  keys = new Set<string>();
  override async get(key: string) {
    this.keys.add(key);
    return super.get(key);
  }
  override async set(key: string, token: StoredToken) {
    this.keys.add(key);
    return super.set(key, token);
  }
}

/** One process-wide mock server: both token endpoints issue distinct tokens, each API echoes the bearer. */
function client(env: { token: string; base: string }, options: Partial<OAuth2Options>, prefix: string) {
  const api = axios.create({ baseURL: env.base });
  const mock = new MockAdapter(api);
  const endpoint = mockTokenEndpoint(mock, env.token, { prefix });
  const calls: ApiCall[] = [];
  mockApi(mock, calls, () => true);
  const auth = attachOAuth2(api, { tokenUrl: env.token, clientId: 'acme', clientSecret: 'key-1', ...options });
  return { api, auth, endpoint, calls };
}

describe('cache key', () => {
  test('sandbox and production never share a token, even with one shared MemoryTokenStore', async () => {
    const store = new MemoryTokenStore();
    const sandbox = client(SANDBOX, { store }, 'sandbox-');
    const production = client(PRODUCTION, { store }, 'production-');

    expect((await sandbox.api.get('/users')).data.authorization).toBe('Bearer sandbox-1');
    expect((await production.api.get('/users')).data.authorization).toBe('Bearer production-1');
    expect((await sandbox.api.get('/users')).data.authorization).toBe('Bearer sandbox-1');
    expect(sandbox.endpoint.calls).toHaveLength(1);
    expect(production.endpoint.calls).toHaveLength(1);
    expect(sandbox.auth.cacheKey).not.toBe(production.auth.cacheKey);
  });

  test('two attachments differing only by the secret are one client: one key, one token on a shared store', async () => {
    // The secret is never part of the key (it could be guessed from it offline); a rotated secret keeps its token.
    const store = new MemoryTokenStore();
    const a = client(SANDBOX, { store, clientSecret: 'key-A' }, 'a-');
    const b = client(SANDBOX, { store, clientSecret: 'key-B' }, 'b-');
    expect(a.auth.cacheKey).toBe(b.auth.cacheKey);
    expect(await a.auth.getAccessToken()).toBe('a-1');
    expect(await b.auth.getAccessToken()).toBe('a-1');
    expect(a.endpoint.calls.length + b.endpoint.calls.length).toBe(1);
  });

  test('same credentials on one shared store do share: 1 token call for two instances', async () => {
    const store = new MemoryTokenStore();
    const a = client(SANDBOX, { store }, 'a-');
    const b = client(SANDBOX, { store }, 'b-');
    expect(a.auth.cacheKey).toBe(b.auth.cacheKey);
    expect((await a.api.get('/users')).data.authorization).toBe('Bearer a-1');
    expect((await b.api.get('/users')).data.authorization).toBe('Bearer a-1');
    expect(a.endpoint.calls.length + b.endpoint.calls.length).toBe(1);
  });

  test('without a shared store, two instances with the same credentials do not share (no module-level state)', async () => {
    const a = client(SANDBOX, {}, 'a-');
    const b = client(SANDBOX, {}, 'b-');
    expect(await a.auth.getAccessToken()).toBe('a-1');
    expect(await b.auth.getAccessToken()).toBe('b-1');
  });

  test.each<[string, Partial<OAuth2Options>]>([
    ['client id', { clientId: 'other' }],
    ['scope', { scope: 'read' }],
    ['grant type', { grant: { type: 'password', username: 'u', password: 'p' } }],
  ])('a different %s gives a different key', (_name, change) => {
    const a = client(SANDBOX, {}, 'a-');
    const b = client(SANDBOX, change, 'b-');
    expect(a.auth.cacheKey).not.toBe(b.auth.cacheKey);
  });

  test('two attachments with different tokenRequestParams on one shared store get their own tokens', async () => {
    const store = new MemoryTokenStore();
    const payments = client(SANDBOX, { store, tokenRequestParams: { audience: 'payments' } }, 'payments-');
    const reports = client(SANDBOX, { store, tokenRequestParams: { audience: 'reports' } }, 'reports-');
    expect((await payments.api.get('/users')).data.authorization).toBe('Bearer payments-1');
    expect((await reports.api.get('/users')).data.authorization).toBe('Bearer reports-1');
    expect((await payments.api.get('/users')).data.authorization).toBe('Bearer payments-1');
    expect(payments.endpoint.calls).toHaveLength(1);
    expect(reports.endpoint.calls).toHaveLength(1);
    expect(new URLSearchParams(String(reports.endpoint.calls[0].data)).get('audience')).toBe('reports');
    for (const key of [payments.auth.cacheKey, reports.auth.cacheKey]) {
      expect(key).toMatch(/^oauth2:[0-9a-f]{40}$/);
      expect(key).not.toMatch(/payments|reports/);
    }
  });

  test.each<[string, Partial<OAuth2Options>, Partial<OAuth2Options>]>([
    ['tokenRequestParams', { tokenRequestParams: { audience: 'a' } }, { tokenRequestParams: { audience: 'b' } }],
    ['tokenRequestParams (one more)', {}, { tokenRequestParams: { resource: 'https://r.example' } }],
    ['clientAuthentication', {}, { clientAuthentication: 'client_secret_post' }],
    ['tokenRequestFormat (query)', { clientAuthentication: 'client_secret_post' }, { tokenRequestFormat: 'query' }],
    ['basicEncoding', { clientSecret: 'a b/c+d' }, { clientSecret: 'a b/c+d', basicEncoding: 'raw' }],
    [
      'tokenRequestFormat',
      { clientAuthentication: 'client_secret_post' },
      { clientAuthentication: 'client_secret_post', tokenRequestFormat: 'json' },
    ],
    ['tokenRequestHeaders', { tokenRequestHeaders: { 'X-Tenant': 'a' } }, { tokenRequestHeaders: { 'X-Tenant': 'b' } }],
    ['scope', { scope: 'read' }, { scope: 'read write' }],
  ])('a different %s gives a different key and a separate token on one shared store', async (_name, one, two) => {
    const store = new MemoryTokenStore();
    const a = client(SANDBOX, { store, ...one }, 'a-');
    const b = client(SANDBOX, { store, ...two }, 'b-');
    expect(a.auth.cacheKey).not.toBe(b.auth.cacheKey);
    expect(await a.auth.getAccessToken()).toBe('a-1');
    expect(await b.auth.getAccessToken()).toBe('b-1');
    expect(a.endpoint.calls.length + b.endpoint.calls.length).toBe(2);
  });

  test('the order of tokenRequestParams and the case of tokenRequestHeaders names do not split the cache', () => {
    const a = client(
      SANDBOX,
      { tokenRequestParams: { audience: 'x', resource: 'y' }, tokenRequestHeaders: { 'X-Tenant': 't' } },
      'a-',
    );
    const b = client(
      SANDBOX,
      { tokenRequestParams: { resource: 'y', audience: 'x' }, tokenRequestHeaders: { 'x-tenant': 't' } },
      'b-',
    );
    expect(a.auth.cacheKey).toBe(b.auth.cacheKey);
  });

  test('basicEncoding does not split the cache when the credentials are not sent with Basic', () => {
    const post = { clientAuthentication: 'client_secret_post' as const, clientSecret: 'a b/c' };
    expect(client(SANDBOX, post, 'a-').auth.cacheKey).toBe(
      client(SANDBOX, { ...post, basicEncoding: 'raw' }, 'b-').auth.cacheKey,
    );
  });

  test('password grants: a different username gives a different key, a different password does not', () => {
    const base = { type: 'password' as const, username: 'u1', password: 'p1' };
    const k = (grant: typeof base) => client(SANDBOX, { grant }, 'x-').auth.cacheKey;
    expect(k(base)).toBe(k({ ...base }));
    expect(k(base)).not.toBe(k({ ...base, username: 'u2' }));
    expect(k(base)).toBe(k({ ...base, password: 'p2' }));
  });

  test('the key contains no secret and no client id, and is what the store sees', async () => {
    const store = new RecordingStore();
    const secret = 'very-secret-api-key-123';
    const c = client(
      SANDBOX,
      {
        store,
        clientId: 'acme-client-id',
        clientSecret: secret,
        grant: { type: 'password', username: 'jane', password: 'hunter2-pass' },
      },
      'a-',
    );
    await c.auth.getAccessToken();
    const key = c.auth.cacheKey;
    expect(key).toMatch(/^oauth2:[0-9a-f]{40}$/);
    for (const forbidden of [secret, 'acme-client-id', 'jane', 'hunter2-pass', 'mangopay'])
      expect(key).not.toContain(forbidden);
    expect([...store.keys]).toEqual([key]);
  });

  test('the key is stable for the same options', () => {
    expect(client(SANDBOX, {}, 'a-').auth.cacheKey).toBe(client(SANDBOX, {}, 'b-').auth.cacheKey);
  });
});
