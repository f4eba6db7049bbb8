import { createHarness } from './helpers/harness';

test('smoke', async () => {
  const h = createHarness();
  const results = await Promise.all(Array.from({ length: 100 }, () => h.api.get('/users')));
  expect(h.tokenRequests).toHaveLength(1);
  expect(results[0].data.authorization).toBe('Bearer tok-1');
  h.validTokens = new Set(['tok-2']);
  const again = await h.api.post('/x', { a: 1 });
  expect(again.data.authorization).toBe('Bearer tok-2');
  expect(again.data.data).toBe('{"a":1}');
  expect(h.tokenRequests).toHaveLength(2);
});
