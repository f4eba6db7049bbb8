/**
 * One time type across the public API: epoch milliseconds and durations as whole numbers, even under
 * a clock with fractional milliseconds (the default follows `performance.now()`), and messages show
 * rounded durations.
 */
import { AccountLockedError, type LockoutEvent, type TokenEvent } from '../../src';
import { FailurePause } from '../../src/redis/pause';
import { createCore, oauthError, rejections, T0 } from '../helpers/harness';

const FRACTION = 0.1013;

test('getToken().expiresAt and the onTokenAcquired payload are whole epoch ms', async () => {
  const acquired: TokenEvent[] = [];
  const c = createCore({ options: { hooks: { onTokenAcquired: (e) => acquired.push(e) } } });
  c.clock.now = T0 + FRACTION;
  c.tokenQueue.push([200, { access_token: 'a1', token_type: 'bearer', expires_in: 1199.0005 }]);
  const token = await c.auth.getToken();
  expect(token.expiresAt).toBe(T0 + 1_199_000); // the clock read as whole ms, the lifetime rounded down
  expect(Number.isInteger(token.expiresAt)).toBe(true);
  expect(acquired.map((e) => e.expiresAt)).toEqual([token.expiresAt]);
});

test('a lockout: AccountLockedError.retryAt/retryAfterMs and the onLockoutOpened payload are whole ms', async () => {
  const opened: LockoutEvent[] = [];
  const c = createCore({ options: { random: () => 0.37, hooks: { onLockoutOpened: (e) => opened.push(e) } } });
  c.clock.now = T0 + FRACTION;
  c.tokenQueue.push([400, oauthError('unauthorized_client', 'This account has been temporarily locked.')]);
  const [error] = (await rejections([c.auth.getToken()])) as AccountLockedError[];
  expect(error).toBeInstanceOf(AccountLockedError);
  expect(typeof error.retryAt).toBe('number');
  expect([error.retryAt, error.retryAfterMs].every(Number.isInteger)).toBe(true);
  expect(opened).toHaveLength(1);
  expect(opened[0].retryAt).toBe(error.retryAt);
  expect([opened[0].retryAt, opened[0].retryAfterMs].every(Number.isInteger)).toBe(true);
  expect(error.message).toMatch(/\(retry in \d+ s\)$/);
});

test('the Redis pause message shows a rounded duration', () => {
  let now = 1_000.5;
  const pause = new FailurePause(2_000, () => now);
  pause.failed();
  now = 1_001.31842;
  expect(() => pause.check('GET')).toThrow(
    'RedisTokenStore: GET failed: skipped for 2000 ms more: a Redis command failed less than 2000 ms ago',
  );
});
