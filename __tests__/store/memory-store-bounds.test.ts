/**
 * A `MemoryTokenStore` shared between attachments is bounded: at most `maxTokens` tokens (least
 * recently used dropped first), and an expired token is dropped, on access or at the next store.
 * No timer: the store reads the plugin's clock (`useClock`).
 */
import { MemoryTokenStore } from '../../src';
import { createCore, T0 } from '../helpers/harness';

const resource = (i: number) => ({ oauth2: { resource: `https://r${i}.test` } });

test('a flood of 200 resources through a shared store leaves at most maxTokens held', async () => {
  const store = new MemoryTokenStore({ maxTokens: 50 });
  const c = createCore({ options: { store, maxCachedTokens: 32 } });
  for (let i = 0; i < 200; i++) await c.api.get(`/r${i}`, resource(i));
  expect(c.tokenCalls).toHaveLength(200);
  expect(store.size).toBe(50);
  // The most recent ones are kept: another attachment on the store reuses the last resource's token.
  const other = createCore({ options: { store } });
  other.clock.now = c.clock.now;
  await other.api.get('/r199', resource(199));
  expect(other.tokenCalls).toHaveLength(0);
  await other.api.get('/r0', resource(0));
  expect(other.tokenCalls).toHaveLength(1);
});

test('the default bound is 1000 tokens', () => {
  expect(new MemoryTokenStore().maxTokens).toBe(1000);
});

test("an expired token is gone: on access at its expiry (the plugin's clock), or at the next store", async () => {
  const store = new MemoryTokenStore();
  const c = createCore({ options: { store }, lifetimeSeconds: 3600 });
  await c.auth.getToken();
  const key = c.auth.cacheKey;
  expect(store.size).toBe(1);
  c.clock.now = T0 + 3_600_000 - 1;
  expect(await store.get(key)).toMatchObject({ accessToken: 'tok-1' });
  c.clock.now = T0 + 3_600_000;
  expect(await store.get(key)).toBeUndefined();
  expect(store.size).toBe(0);

  // Never read again: dropped by the next token stored under any key.
  await c.auth.getToken({ resource: 'https://a.test' });
  expect(store.size).toBe(1);
  c.clock.now += 3_600_000;
  await c.auth.getToken({ resource: 'https://b.test' });
  expect(store.size).toBe(1);
  expect(c.tokenCalls).toHaveLength(3);
});
