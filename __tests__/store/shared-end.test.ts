/**
 * When a lockout or failure shared by another process ends here (src/store/shared-end.ts): what the
 * store measured wins over the writer's clock, and never beyond this process's own limit.
 */
import { sharedEnd, sharedIdentity } from '../../src/store/shared-end';

const NOW = 1_000_000;

test("the store's remainingMs wins over the writer's until", () => {
  expect(sharedEnd({ until: NOW + 90_000, remainingMs: 5_000 }, NOW, 60_000)).toBe(NOW + 5_000);
});

test("without remainingMs, the writer's until read on this clock", () => {
  expect(sharedEnd({ until: NOW + 5_000 }, NOW, 60_000)).toBe(NOW + 5_000);
});

test('a writer whose clock runs ahead locks this process out no longer than its own limit', () => {
  expect(sharedEnd({ until: NOW + 3_600_000 }, NOW, 60_000)).toBe(NOW + 60_000);
  expect(sharedEnd({ until: 0, remainingMs: 3_600_000 }, NOW, 60_000)).toBe(NOW + 60_000);
});

test('an end already past is now, never earlier', () => {
  expect(sharedEnd({ until: NOW - 5_000 }, NOW, 60_000)).toBe(NOW);
  expect(sharedEnd({ until: NOW + 5_000, remainingMs: -1 }, NOW, 60_000)).toBe(NOW);
});

test("one shared value read twice has one identity, whatever remains of it; another writer's value another", () => {
  const first = sharedIdentity({ until: NOW, remainingMs: 5_000 }, 'invalid_scope', 1);
  expect(sharedIdentity({ until: NOW, remainingMs: 4_000 }, 'invalid_scope', 1)).toBe(first);
  expect(sharedIdentity({ until: NOW + 1 }, 'invalid_scope', 1)).not.toBe(first);
  expect(sharedIdentity({ until: NOW }, 'invalid_scope', 2)).not.toBe(first);
});
