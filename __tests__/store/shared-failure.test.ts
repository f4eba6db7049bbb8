/**
 * A permanent token-endpoint failure shared through a store's optional getFailure/setFailure:
 * the MemoryTokenStore shared by two attachments, and the stored form (public fields only).
 */
import axios from 'axios';
import { inspect } from 'node:util';
import { attachOAuth2, MemoryTokenStore, TokenEndpointError } from '../../src';
import { fromStoredFailure, toStoredFailure } from '../../src/store/shared-failure';
import { startAuthServer, type AuthServer } from '../../src/testing';

let auth: AuthServer;
beforeEach(async () => {
  auth = await startAuthServer();
});
afterEach(async () => {
  await auth.close();
});

const invalidScope = { type: 'status', status: 400, body: { error: 'invalid_scope' } } as const;

test('two attachments on one MemoryTokenStore: a refused request makes 1 token call, both get the same error', async () => {
  const store = new MemoryTokenStore();
  const options = { tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret: auth.clientSecret, store };
  const first = attachOAuth2(axios.create(), options);
  const second = attachOAuth2(axios.create(), options);
  auth.injectTokenFaults([invalidScope]);
  const a = await first.getAccessToken().catch((e: unknown) => e);
  const b = await second.getAccessToken().catch((e: unknown) => e);
  expect(auth.counters.tokenCalls).toBe(1);
  expect(b).toBeInstanceOf(TokenEndpointError);
  const fields = (e: unknown) => {
    const { message, error, errorDescription, status, transient, attempts, code } = e as TokenEndpointError;
    return { message, error, errorDescription, status, transient, attempts, code };
  };
  expect(fields(b)).toEqual(fields(a));
  const stored = await store.getFailure(first.cacheKey);
  expect(stored).toMatchObject({ error: 'invalid_scope', until: expect.any(Number) });
  expect(inspect(stored, { depth: Infinity })).not.toContain(auth.clientSecret);
});

test('a stale secret does not fail an attachment with the right one: credential failures stay in their process', async () => {
  const store = new MemoryTokenStore();
  const options = { tokenUrl: auth.tokenUrl, clientId: auth.clientId, store };
  const stale = attachOAuth2(axios.create(), { ...options, clientSecret: 'stale-s3cret' });
  const current = attachOAuth2(axios.create(), { ...options, clientSecret: auth.clientSecret });
  expect(current.cacheKey).toBe(stale.cacheKey); // no secret in the key: one client, one key
  await expect(stale.getAccessToken()).rejects.toMatchObject({ error: 'invalid_client' });
  expect(await store.getFailure(stale.cacheKey)).toBeUndefined();
  await expect(current.getAccessToken()).resolves.toEqual(expect.any(String));
  expect(auth.counters.tokenCalls).toBe(2);
  // The stale one never retries its wrong credentials within failureCacheMs (its own negative cache).
  await expect(stale.getAccessToken()).rejects.toMatchObject({ error: 'invalid_client' });
  expect(auth.counters.tokenCalls).toBe(2);
});

test('the shared failure is served until failureCacheMs has passed, then the endpoint is tried again', async () => {
  let now = 1_000_000;
  const store = new MemoryTokenStore();
  const options = {
    tokenUrl: auth.tokenUrl,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    store,
    clock: () => now,
    failureCacheMs: 5_000,
  };
  auth.injectTokenFaults([invalidScope, invalidScope]);
  await expect(attachOAuth2(axios.create(), options).getAccessToken()).rejects.toBeInstanceOf(TokenEndpointError);
  const later = attachOAuth2(axios.create(), options);
  now += 4_999;
  await expect(later.getAccessToken()).rejects.toMatchObject({ error: 'invalid_scope' }); // from the store
  expect(auth.counters.tokenCalls).toBe(1);
  now += 1;
  await expect(later.getAccessToken()).rejects.toMatchObject({ error: 'invalid_scope' });
  expect(auth.counters.tokenCalls).toBe(2); // expired: asked again
});

test('only permanent TokenEndpointErrors are shared, with their public fields only', () => {
  const permanent = new TokenEndpointError(
    'client_credentials grant failed: invalid_scope',
    { error: 'invalid_scope', status: 400, transient: false, attempts: 1 },
    { cause: new Error('secret inside'), body: { secret: 'x' } },
  );
  expect(toStoredFailure(permanent, 5)).toEqual({
    until: 5,
    message: 'client_credentials grant failed: invalid_scope',
    error: 'invalid_scope',
    status: 400,
    attempts: 1,
  });
  const transient = new TokenEndpointError('503', { status: 503, transient: true, attempts: 4 });
  expect(toStoredFailure(transient, 5)).toBeUndefined();
  expect(toStoredFailure(new Error('other'), 5)).toBeUndefined();
  for (const credentials of [
    { error: 'invalid_client', status: 401 },
    { error: 'invalid_grant', status: 400 },
    { status: 401 }, // a bare 401: the credentials, as far as one can tell
  ]) {
    const refused = new TokenEndpointError('refused', { ...credentials, transient: false, attempts: 1 });
    expect(toStoredFailure(refused, 5)).toBeUndefined();
  }
  const back = fromStoredFailure(toStoredFailure(permanent, 5)!);
  expect(back).toBeInstanceOf(TokenEndpointError);
  expect(back).toMatchObject({ error: 'invalid_scope', status: 400, transient: false, attempts: 1 });
  expect((back as { cause?: unknown }).cause).toBeUndefined();
});
