/**
 * One host's clock does not lock the fleet out: a shared lockout or failure lasts, for a reader,
 * what remains of its Redis key (PTTL: Redis's own clock), capped by the reader's own limits
 * (`lockout.maxRetryAfterMs`/`maxCooldownMs`, `failureCacheMs`), whatever end time the writer's
 * clock put in the value. The reader's clock is injected; keys live 30 s and are ended by the test
 * (as their TTL would), so nothing races Redis's real-time expiry; assertions are on the reader's clock.
 */
import axios from 'axios';
import { AccountLockedError, attachOAuth2, TokenEndpointError, type OAuth2Options } from '../../src';
import { RedisTokenStore } from '../../src/redis';
import { DEFAULT_PREFIX, redisKeys } from '../../src/redis/keys';
import { LOCKOUT_DESCRIPTION } from '../../src/testing';
import { useFleet } from '../helpers/fleet';

const CLIENT_ID = 'skew-client';
const CLIENT_SECRET = 'skew-s3cret';
const DAY = 86_400_000;
const fleet = useFleet(CLIENT_ID, CLIENT_SECRET);

const lockoutFault = (retryAfter: string) =>
  ({
    type: 'status',
    status: 400,
    retryAfter,
    body: { error: 'unauthorized_client', error_description: LOCKOUT_DESCRIPTION },
  }) as const;

function processWith(clock: () => number, options: Partial<OAuth2Options> = {}) {
  return attachOAuth2(axios.create(), {
    tokenUrl: fleet.auth.tokenUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    store: new RedisTokenStore(fleet.connect()),
    clock,
    ...options,
  });
}

/** Ends `key` in Redis now, as its TTL would (the keys live 30 s, so no read races a real-time expiry). */
async function expired(key: string): Promise<void> {
  await fleet.connect().del(key);
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

test("a writer a day ahead records a 30 s lockout: the reader is locked until the key's end, then calls exactly then", async () => {
  fleet.auth.injectTokenFaults([lockoutFault('30')]);
  const writer = processWith(() => Date.now() + DAY);
  expect(await failure(writer.getAccessToken())).toBeInstanceOf(AccountLockedError);
  let now = 1_000_000_000;
  const reader = processWith(() => now);
  const locked = (await failure(reader.getAccessToken())) as AccountLockedError;
  expect(locked).toBeInstanceOf(AccountLockedError);
  const left = locked.retryAfterMs;
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThanOrEqual(30_000);
  expect(fleet.auth.counters.tokenCalls).toBe(1);

  await expired(redisKeys(DEFAULT_PREFIX, reader.cacheKey).lockout);
  now += left - 1;
  expect(await failure(reader.getAccessToken())).toMatchObject({ name: 'AccountLockedError', retryAfterMs: 1 });
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  now += 1;
  await expect(reader.getAccessToken()).resolves.toEqual(expect.any(String));
  expect(fleet.auth.counters.tokenCalls).toBe(2);
});

test("a reader is locked out at most its own cap, even while the writer's key lives, then makes its trial call", async () => {
  fleet.auth.injectTokenFaults([lockoutFault('60')]);
  const writer = processWith(() => Date.now() + DAY);
  expect(await failure(writer.getAccessToken())).toBeInstanceOf(AccountLockedError);
  let now = 1_000_000_000;
  const cap = { maxRetryAfterMs: 500, maxCooldownMs: 500, initialCooldownMs: 500 };
  const reader = processWith(() => now, { lockout: cap });
  expect(await failure(reader.getAccessToken())).toMatchObject({ name: 'AccountLockedError', retryAfterMs: 500 });
  now += 499;
  expect(await failure(reader.getAccessToken())).toMatchObject({ name: 'AccountLockedError', retryAfterMs: 1 });
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  now += 1;
  await expect(reader.getAccessToken()).resolves.toEqual(expect.any(String));
  expect(fleet.auth.counters.tokenCalls).toBe(2);
});

test("a writer a day ahead shares a permanent failure: the reader's negative cache ends with the key", async () => {
  fleet.auth.injectTokenFaults([{ type: 'status', status: 400, body: { error: 'invalid_scope' } }]);
  const writer = processWith(() => Date.now() + DAY, { failureCacheMs: 30_000 });
  expect(await failure(writer.getAccessToken())).toBeInstanceOf(TokenEndpointError);
  let now = 1_000_000_000;
  const reader = processWith(() => now, { failureCacheMs: 60_000 });
  const ttl = await fleet.connect().pttl(redisKeys(DEFAULT_PREFIX, reader.cacheKey).failure);
  expect(ttl).toBeGreaterThan(0);
  expect(await failure(reader.getAccessToken())).toMatchObject({ name: 'TokenEndpointError', error: 'invalid_scope' });
  expect(fleet.auth.counters.tokenCalls).toBe(1);

  await expired(redisKeys(DEFAULT_PREFIX, reader.cacheKey).failure);
  now += ttl; // at least what was left of the key when the reader read it
  await expect(reader.getAccessToken()).resolves.toEqual(expect.any(String));
  expect(fleet.auth.counters.tokenCalls).toBe(2);
});

test("a reader serves another's permanent failure at most its own failureCacheMs", async () => {
  fleet.auth.injectTokenFaults([{ type: 'status', status: 400, body: { error: 'invalid_scope' } }]);
  const writer = processWith(() => Date.now() + DAY, { failureCacheMs: 60_000 });
  expect(await failure(writer.getAccessToken())).toBeInstanceOf(TokenEndpointError);
  let now = 1_000_000_000;
  const reader = processWith(() => now, { failureCacheMs: 300 });
  expect(await failure(reader.getAccessToken())).toBeInstanceOf(TokenEndpointError);
  now += 299;
  expect(await failure(reader.getAccessToken())).toBeInstanceOf(TokenEndpointError);
  expect(fleet.auth.counters.tokenCalls).toBe(1);
  now += 1;
  await expect(reader.getAccessToken()).resolves.toEqual(expect.any(String));
  expect(fleet.auth.counters.tokenCalls).toBe(2);
});
