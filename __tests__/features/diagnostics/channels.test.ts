/**
 * Issue 15: the plugin's `node:diagnostics_channel` publications, subscribed with Node's own API,
 * against the embedded auth server: the token trace (one per fetch from the endpoint, not per
 * waiting caller), cache hits and misses, and one channel per hook event.
 */
import dc from 'node:diagnostics_channel';
import { AsyncLocalStorage } from 'node:async_hooks';
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, type OAuth2Handle, type OAuth2Options } from '../../../src';
import { startAuthServer, type AuthServer } from '../../../src/testing';
import { CHANNEL_NAMES, diagnosticsChannels, TOKEN_TRACE_CHANNEL } from '../../../src/features/diagnostics';

type Recorded = Array<[string, Record<string, unknown>]>;

/** Subscribes to every channel of the plugin (the trace through `tracingChannel`), recording `[channel, message]`. */
function recordAll(events: Recorded): () => void {
  const undo: Array<() => void> = [];
  for (const name of CHANNEL_NAMES) {
    const listener = (message: unknown) => void events.push([name, { ...(message as object) }]);
    dc.subscribe(name, listener);
    undo.push(() => dc.unsubscribe(name, listener));
  }
  const handlers = Object.fromEntries(
    (['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const).map((event) => [
      event,
      (message: unknown) => void events.push([`token:${event}`, { ...(message as object) }]),
    ]),
  );
  const trace = dc.tracingChannel(TOKEN_TRACE_CHANNEL);
  trace.subscribe(handlers as never);
  undo.push(() => trace.unsubscribe(handlers as never));
  return () => undo.forEach((u) => u());
}

const names = (events: Recorded) => events.map(([name]) => name);
const count = (events: Recorded, name: string) => events.filter(([n]) => n === name).length;

let server: AuthServer;
let api: AxiosInstance;
let auth: OAuth2Handle | undefined;
let events: Recorded;
let unsubscribe: () => void;
let now: number;

function attach(extra: Partial<OAuth2Options> = {}): OAuth2Handle {
  api = axios.create({ baseURL: server.apiBaseUrl });
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    clock: () => now,
    extensions: [diagnosticsChannels()],
    ...extra,
  });
  return auth;
}

beforeEach(async () => {
  server = await startAuthServer({ tokenLifetimeSeconds: 1000, lockoutAfter: 1 });
  now = Date.now();
  events = [];
  unsubscribe = recordAll(events);
});
afterEach(async () => {
  unsubscribe();
  auth?.detach();
  auth = undefined;
  await server.close();
});

test('20 concurrent cold requests: one token trace (start, end, asyncStart, asyncEnd), 20 misses; then hits', async () => {
  const { cacheKey } = attach();
  await Promise.all(Array.from({ length: 20 }, () => api.get('/users')));
  expect(server.counters.tokenCalls).toBe(1);

  const trace = events.filter(([name]) => name.startsWith('token:'));
  expect(names(trace)).toEqual(['token:start', 'token:end', 'token:asyncStart', 'token:asyncEnd']);
  expect(trace[0][1]).toEqual({ cacheKey, grant: 'client_credentials', background: false });
  const [, expiresAt] = [0, (trace[3][1] as { expiresAt: number }).expiresAt];
  expect(trace[3][1]).toEqual({
    cacheKey,
    grant: 'client_credentials',
    background: false,
    outcome: 'token',
    expiresAt,
  });
  expect(expiresAt).toBe(now + 1_000_000);
  expect(count(events, 'axios-oauth2-bearer:cache-miss')).toBe(20);
  expect(count(events, 'axios-oauth2-bearer:cache-hit')).toBe(0);
  expect(events.find(([n]) => n === 'axios-oauth2-bearer:token-acquired')?.[1]).toEqual({
    cacheKey,
    grant: 'client_credentials',
    expiresAt,
    background: false,
  });

  await Promise.all(Array.from({ length: 5 }, () => api.get('/users')));
  expect(count(events, 'axios-oauth2-bearer:cache-hit')).toBe(5);
  expect(count(events, 'axios-oauth2-bearer:cache-miss')).toBe(20);
  expect(count(events, 'token:start')).toBe(1);
  expect(events.find(([n]) => n === 'axios-oauth2-bearer:cache-hit')?.[1]).toEqual({ cacheKey });
});

test('a revoked token: one replay message, one renewal trace, the renewal on token-renewed', async () => {
  const { cacheKey } = attach();
  await api.get('/users');
  events.length = 0;
  server.revokeAllTokens();

  await api.get('/users/7');
  expect(server.counters.tokenCalls).toBe(2);
  expect(events.filter(([n]) => n === 'axios-oauth2-bearer:request-replayed').map(([, m]) => m)).toEqual([
    { cacheKey, method: 'GET', url: '/users/7', fetched: true },
  ]);
  expect(count(events, 'token:start')).toBe(1);
  expect(count(events, 'axios-oauth2-bearer:token-renewed')).toBe(1);
  expect(count(events, 'axios-oauth2-bearer:token-acquired')).toBe(0);
});

test('the soft window: the background refresh is traced with background: true; callers hit the cache', async () => {
  attach();
  await api.get('/users');
  events.length = 0;
  now += 900_000; // past the soft-window start (870 s), before the hard window (970 s)

  await api.get('/users');
  await new Promise((resolve) => setTimeout(resolve, 50));
  while (count(events, 'token:asyncEnd') === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(server.counters.tokenCalls).toBe(2);
  expect(count(events, 'axios-oauth2-bearer:cache-hit')).toBe(1);
  expect(count(events, 'axios-oauth2-bearer:cache-miss')).toBe(0);
  const start = events.find(([n]) => n === 'token:start')?.[1];
  expect(start).toMatchObject({ background: true });
  expect(events.find(([n]) => n === 'token:asyncEnd')?.[1]).toMatchObject({ background: true, outcome: 'token' });
});

test('a refused fetch: error event with the typed error and its code, token-endpoint-failure', async () => {
  attach({ clientSecret: 'wrong', failureCacheMs: 0 });
  await expect(api.get('/users')).rejects.toMatchObject({ code: 'OAUTH2_TOKEN_ENDPOINT_ERROR' });

  const trace = events.filter(([name]) => name.startsWith('token:'));
  expect(names(trace)).toEqual(['token:start', 'token:end', 'token:error', 'token:asyncStart', 'token:asyncEnd']);
  expect(trace[2][1]).toMatchObject({ outcome: 'failed', errorCode: 'OAUTH2_TOKEN_ENDPOINT_ERROR' });
  expect((trace[2][1].error as { error: string }).error).toBe('invalid_client');
  expect(events.find(([n]) => n === 'axios-oauth2-bearer:token-endpoint-failure')?.[1]).toMatchObject({
    kind: 'permanent',
    error: 'invalid_client',
    status: 400,
  });
});

test('lockout opened, then closed by the trial call after the cool-down', async () => {
  // One bad attempt locks the embedded account.
  const bad = axios.create({ baseURL: server.apiBaseUrl });
  const badAuth = attachOAuth2(bad, { tokenUrl: server.tokenUrl, clientId: server.clientId, clientSecret: 'wrong' });
  await bad.get('/users').catch(() => undefined);
  badAuth.detach();
  expect(server.isLocked()).toBe(true);
  events.length = 0;

  const { cacheKey } = attach({ lockout: { initialCooldownMs: 60_000 } });
  await expect(api.get('/users')).rejects.toMatchObject({ code: 'OAUTH2_ACCOUNT_LOCKED' });
  expect(events.find(([n]) => n === 'token:error')?.[1]).toMatchObject({
    outcome: 'failed',
    errorCode: 'OAUTH2_ACCOUNT_LOCKED',
  });
  const opened = events.find(([n]) => n === 'axios-oauth2-bearer:lockout-opened')?.[1];
  expect(opened).toMatchObject({ cacheKey, consecutive: 1, error: 'unauthorized_client', status: 400 });

  server.unlock();
  now += (opened as { retryAfterMs: number }).retryAfterMs;
  await api.get('/users');
  expect(events.filter(([n]) => n === 'axios-oauth2-bearer:lockout-closed').map(([, m]) => m)).toEqual([
    { cacheKey, at: now },
  ]);
});

test('detach() during a fetch: the trace ends with outcome detached and OAUTH2_DETACHED', async () => {
  attach();
  server.injectTokenFaults([{ type: 'hang' }]);
  const pending = api.get('/users').catch((e: unknown) => e);
  while (server.counters.tokenCalls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  auth?.detach();
  await expect(pending).resolves.toMatchObject({ code: 'OAUTH2_DETACHED' });
  while (count(events, 'token:asyncEnd') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(events.find(([n]) => n === 'token:asyncEnd')?.[1]).toMatchObject({
    outcome: 'detached',
    errorCode: 'OAUTH2_DETACHED',
  });
});

test('the token trace runs in the stores bound to its start channel (AsyncLocalStorage), e.g. a span context', async () => {
  const als = new AsyncLocalStorage<string>();
  const trace = dc.tracingChannel(TOKEN_TRACE_CHANNEL);
  trace.start.bindStore(als, (message) => `fetch for ${(message as { cacheKey: string }).cacheKey}`);
  try {
    const seen: Array<string | undefined> = [];
    const tokenHttpClient = axios.create();
    tokenHttpClient.interceptors.request.use((config) => {
      seen.push(als.getStore());
      return config;
    });
    const { cacheKey } = attach({ tokenHttpClient });
    await api.get('/users');
    expect(seen).toEqual([`fetch for ${cacheKey}`]);
    expect(als.getStore()).toBeUndefined();
  } finally {
    trace.start.unbindStore(als);
  }
});

test('hooks and channels together: the user hook is called (with its own this), the channel gets the payload', async () => {
  class Hooks {
    readonly #seen: unknown[] = [];
    onTokenAcquired(event: unknown) {
      this.#seen.push(event); // throws unless `this` is the instance itself
    }
    get seen() {
      return this.#seen;
    }
  }
  const hooks = new Hooks();
  const calls = hooks.seen;
  const { cacheKey } = attach({ hooks });
  await api.get('/users');
  expect(calls).toHaveLength(1);
  const published = events.find(([n]) => n === 'axios-oauth2-bearer:token-acquired')?.[1];
  expect(published).toEqual({ cacheKey, ...(calls[0] as object) });
});

test('without the diagnosticsChannels() extension: nothing published, subscribers or not', async () => {
  auth = attachOAuth2((api = axios.create({ baseURL: server.apiBaseUrl })), {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
  });
  await Promise.all(Array.from({ length: 3 }, () => api.get('/users')));
  server.revokeAllTokens();
  await api.get('/users');
  expect(server.counters.tokenCalls).toBe(2);
  expect(events).toEqual([]);
});

test('the extension is given once: a second diagnosticsChannels() is an OAuth2OptionsError naming extensions[1]', () => {
  expect(() => attach({ extensions: [diagnosticsChannels(), diagnosticsChannels()] })).toThrow(
    expect.objectContaining({ name: 'OAuth2OptionsError', option: 'extensions[1]' }),
  );
});

// (That nothing is published without a subscriber is checked with a fake module in channels-fallback.test.ts.)
test('nobody subscribed: the user hooks still fire, once each', async () => {
  unsubscribe();
  const channels = [...CHANNEL_NAMES].map((name) => dc.channel(name));
  expect(channels.some((c) => c.hasSubscribers)).toBe(false);
  const acquired: unknown[] = [];
  attach({ hooks: { onTokenAcquired: (e) => void acquired.push(e) } });
  await Promise.all(Array.from({ length: 3 }, () => api.get('/users')));
  expect(acquired).toHaveLength(1);
  unsubscribe = () => undefined;
});
