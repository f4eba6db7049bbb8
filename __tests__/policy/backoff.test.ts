import { lockoutDelayMs, parseRetryAfter, retryDelayMs } from '../../src/policy/backoff';

describe('retryDelayMs (transient retries: exponential, equal jitter)', () => {
  test.each([
    // attempt, base, max, random, expected
    [1, 250, 10_000, 0, 125],
    [1, 250, 10_000, 0.5, 188], // 125 + 62.5 = 187.5, rounded
    [1, 250, 10_000, 0.999, 250], // 125 + 124.875 = 249.875, rounded
    [2, 250, 10_000, 0, 250],
    [2, 250, 10_000, 0.5, 375],
    [3, 250, 10_000, 0, 500],
    [3, 250, 10_000, 0.5, 750],
    [4, 250, 10_000, 0.25, 1250], // ceiling 2000: 1000 + 250
    [6, 250, 10_000, 0, 4000], // ceiling 8000
    [7, 250, 10_000, 0, 5000], // ceiling capped at 10000
    [7, 250, 10_000, 0.5, 7500],
    [30, 250, 10_000, 0.5, 7500], // still capped, no overflow
    [0, 250, 10_000, 0, 125], // attempt below 1 is treated as 1
    [1, 0, 10_000, 0.7, 0],
    [3, 1000, 1500, 0, 750], // max below the doubled value
  ])('attempt %i, base %i, max %i, random %f → %i ms', (attempt, base, max, random, expected) => {
    expect(retryDelayMs(attempt, base, max, random)).toBe(expected);
  });

  test('never exceeds max and never drops below half of the ceiling', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      for (const random of [0, 0.1, 0.5, 0.9, 0.999999]) {
        const ceiling = Math.min(10_000, 250 * 2 ** (attempt - 1));
        const delay = retryDelayMs(attempt, 250, 10_000, random);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(10_000);
      }
    }
  });
});

describe('lockoutDelayMs (cool-down without Retry-After: doubling, capped, +0–10% jitter)', () => {
  test('the jitter adds at most 10% of the delay (random just below 1), nothing at random 0', () => {
    expect(lockoutDelayMs(1, 60_000, 900_000, 0.999_999)).toBe(66_000);
    expect(lockoutDelayMs(5, 60_000, 900_000, 0.999_999)).toBe(990_000);
    expect(lockoutDelayMs(1, 60_000, 900_000, 0)).toBe(60_000);
  });

  test.each([
    // consecutive, random, expected
    [1, 0, 60_000],
    [2, 0, 120_000],
    [3, 0, 240_000],
    [4, 0, 480_000],
    [5, 0, 900_000], // 960 000 capped at 15 min
    [6, 0, 900_000],
    [50, 0, 900_000],
    [1, 0.5, 63_000],
    [2, 0.5, 126_000],
    [3, 0.5, 252_000],
    [4, 0.5, 504_000],
    [5, 0.5, 945_000], // jitter is added on top of the capped base
    [1, 0.25, 61_500],
    [0, 0, 60_000], // below 1 is treated as the first lockout
  ])('lockout #%i, random %f → %i ms', (consecutive, random, expected) => {
    expect(lockoutDelayMs(consecutive, 60_000, 900_000, random)).toBe(expected);
  });

  test('custom initial and max', () => {
    expect(lockoutDelayMs(1, 1000, 5000, 0)).toBe(1000);
    expect(lockoutDelayMs(3, 1000, 5000, 0)).toBe(4000);
    expect(lockoutDelayMs(4, 1000, 5000, 0)).toBe(5000);
    expect(lockoutDelayMs(4, 1000, 5000, 0.5)).toBe(5250);
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  // Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example date.
  const AT = Date.UTC(1994, 10, 6, 8, 49, 37);
  const now = AT - 37_000;

  test.each([
    ['120', 120_000],
    ['0001', 1000],
    [' 3 ', 3000],
    ['1', 1000],
    ['86400', 86_400_000],
  ])('delay-seconds %j → %i ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  test('a number (as some header parsers give) counts as delay-seconds', () => {
    expect(parseRetryAfter(30, now)).toBe(30_000);
  });

  test.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime', 'Sun Nov  6 08:49:37 1994'],
    ['IMF-fixdate, other case', 'sun, 06 nov 1994 08:49:37 GMT'],
  ])('HTTP-date, %s form → milliseconds until then', (_form, value) => {
    expect(parseRetryAfter(value, now)).toBe(37_000);
  });

  test('asctime is read as GMT, whatever the local zone', () => {
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', AT - 1)).toBe(1);
  });

  test.each([
    ['a date in the past', 'Sun, 06 Nov 1994 08:49:36 GMT'],
    ['a date equal to now', 'Sun, 06 Nov 1994 08:49:37 GMT'],
  ])('%s → undefined', (_what, value) => {
    expect(parseRetryAfter(value, AT)).toBeUndefined();
  });

  test.each([
    ['zero seconds', '0'],
    ['negative', '-5'],
    ['fractional', '1.5'],
    ['garbage', 'soon'],
    ['empty', ''],
    ['blank', '   '],
    ['a day name then garbage', 'Sunday funday'],
    ['an impossible date', 'Mon, 32 Foo 2020 00:00:00 GMT'],
    ['ISO 8601 (not an HTTP-date)', '1994-11-06T08:49:37Z'],
    ['seconds with a unit', '10s'],
  ])('invalid: %s → undefined', (_what, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  test.each([
    ['undefined', undefined],
    ['null', null],
    ['an object', { seconds: 3 }],
    ['NaN', Number.NaN],
    ['a negative number', -3],
    ['a boolean', true],
  ])('not a header value: %s → undefined', (_what, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  test('arrays (repeated headers): the first value is used', () => {
    expect(parseRetryAfter(['30', '60'], now)).toBe(30_000);
    expect(parseRetryAfter(['Sun, 06 Nov 1994 08:49:37 GMT', '5'], now)).toBe(37_000);
    expect(parseRetryAfter(['garbage', '5'], now)).toBeUndefined();
    expect(parseRetryAfter([], now)).toBeUndefined();
  });
});
