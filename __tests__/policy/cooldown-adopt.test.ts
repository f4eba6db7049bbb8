/**
 * The lockout cool-down adopting one that another process shared (src/policy/cooldown.ts), as a pure
 * unit: how long it lasts here, that it never shortens or extends this process's own, and what it
 * shows of the answer that opened it.
 */
import { Cooldown, type CooldownSettings } from '../../src/policy/cooldown';

const NOW = 1_000_000;
const settings: CooldownSettings = { initialCooldownMs: 1_000, maxCooldownMs: 60_000, maxRetryAfterMs: 5_000 };

test('what remains of a shared cool-down is capped by the longer of this process own limits', () => {
  const cooldown = new Cooldown(settings);
  cooldown.adopt({ until: NOW + 999_999, remainingMs: 600_000, consecutive: 1 }, NOW);
  expect(cooldown.until).toBe(NOW + 60_000); // max(maxCooldownMs, maxRetryAfterMs), not the min (5 s)
  const retryAfterLonger = new Cooldown({ ...settings, maxCooldownMs: 2_000, maxRetryAfterMs: 30_000 });
  retryAfterLonger.adopt({ until: 0, remainingMs: 600_000, consecutive: 1 }, NOW);
  expect(retryAfterLonger.until).toBe(NOW + 30_000);
});

test('a shared cool-down ending earlier than this process own is not adopted', () => {
  const cooldown = new Cooldown(settings);
  cooldown.open({ error: 'unauthorized_client', status: 400 }, NOW, 0);
  const own = { until: cooldown.until, error: cooldown.error, status: cooldown.status };
  expect(own.until).toBe(NOW + 1_000);
  cooldown.adopt({ until: 0, remainingMs: 500, consecutive: 7, error: 'other', status: 429 }, NOW);
  expect({ until: cooldown.until, error: cooldown.error, status: cooldown.status }).toEqual(own);
  expect(cooldown.consecutive).toBe(1);
});

test('one ending at the same time is not adopted either (nothing to gain); one ending later is', () => {
  const cooldown = new Cooldown(settings);
  cooldown.open({ error: 'unauthorized_client', status: 400 }, NOW, 0);
  cooldown.adopt({ until: 0, remainingMs: 1_000, consecutive: 3, error: 'same-end', status: 401 }, NOW);
  expect(cooldown.error).toBe('unauthorized_client');
  cooldown.adopt({ until: 0, remainingMs: 1_001, consecutive: 3, error: 'later', status: 401 }, NOW);
  expect(cooldown).toMatchObject({ until: NOW + 1_001, error: 'later', status: 401 });
});

test('the doubling goes on from the larger count of lockouts in a row, never back', () => {
  const cooldown = new Cooldown(settings);
  cooldown.adopt({ until: 0, remainingMs: 10_000, consecutive: 4 }, NOW);
  expect(cooldown.consecutive).toBe(4);
  const ahead = new Cooldown(settings);
  for (let i = 0; i < 3; i++) ahead.open({}, NOW, 0); // 3 in a row here, the last one 4 s
  ahead.adopt({ until: 0, remainingMs: 50_000, consecutive: 1 }, NOW);
  expect(ahead.consecutive).toBe(3);
  expect(ahead.until).toBe(NOW + 50_000);
});

test('the answer shown: the shared status and error; no status, no answer', () => {
  const withAnswer = new Cooldown(settings);
  withAnswer.adopt({ until: 0, remainingMs: 2_000, consecutive: 1, error: 'unauthorized_client', status: 400 }, NOW);
  expect(withAnswer.answer).toEqual({
    status: 400,
    statusText: '',
    headers: {},
    data: { error: 'unauthorized_client' },
  });
  const noError = new Cooldown(settings);
  noError.adopt({ until: 0, remainingMs: 2_000, consecutive: 1, status: 429 }, NOW);
  expect(noError.answer).toEqual({ status: 429, statusText: '', headers: {}, data: undefined });
  const noStatus = new Cooldown(settings);
  noStatus.open({ status: 400 }, NOW, 0, { status: 400, statusText: 'Bad Request', headers: {}, data: 'own' });
  noStatus.adopt({ until: 0, remainingMs: 9_000, consecutive: 2, error: 'unauthorized_client' }, NOW);
  expect(noStatus.answer).toBeUndefined(); // replaced by the adopted one's, which has none
  expect(noStatus.status).toBeUndefined();
});
