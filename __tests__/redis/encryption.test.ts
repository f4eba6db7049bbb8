/**
 * Tokens encrypted at rest (AES-256-GCM) in a real Redis: nothing readable in the value, keys that
 * rotate, and a token that does not decrypt reads as "no token" (reported), never a crash.
 */
import axios from 'axios';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { attachOAuth2, OAuth2OptionsError, type StoredToken } from '../../src';
import { RedisStoreError, RedisTokenStore, type RedisTokenStoreOptions } from '../../src/redis';
import { redisKeys } from '../../src/redis/keys';
import { startAuthServer } from '../../src/testing';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

let server: RedisServer;
let redis: Redis;
let n = 0;
let key: string;
const PREFIX = 'enc:';
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});
beforeEach(() => {
  key = `cache-key-${++n}`;
});

const token = (): StoredToken => ({
  accessToken: `at-${randomBytes(8).toString('hex')}`,
  tokenType: 'bearer',
  obtainedAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  refreshToken: 'rt-secret-value',
  scope: 'read',
});
const store = (options: RedisTokenStoreOptions = {}) => new RedisTokenStore(redis, { prefix: PREFIX, ...options });
const raw = () => redis.get(redisKeys(PREFIX, key).token) as Promise<string>;

test('off by default: the value is plain JSON', async () => {
  const t = token();
  await store().set(key, t);
  expect(JSON.parse(await raw())).toMatchObject({ accessToken: t.accessToken });
});

test('on: the stored value holds no token, only the key id, and reads back', async () => {
  const t = token();
  const s = store({ encryptionKeys: [k1] });
  await s.set(key, t);
  const value = await raw();
  expect(value).not.toContain(t.accessToken);
  expect(value).not.toContain('rt-secret-value');
  expect(JSON.parse(value)).toEqual({
    v: 1,
    kid: 'k1',
    iv: expect.any(String),
    tag: expect.any(String),
    data: expect.any(String),
    digest: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(await s.get(key)).toEqual(t);
});

test('rotation: encrypts with the first key, decrypts with any listed key', async () => {
  const t = token();
  await store({ encryptionKeys: [k1] }).set(key, t);
  const rotated = store({ encryptionKeys: [k2, k1] });
  expect(await rotated.get(key)).toEqual(t); // an old value, old key still listed
  await rotated.set(key, t);
  expect(JSON.parse(await raw())).toMatchObject({ kid: 'k2' });
  expect(await store({ encryptionKeys: [k2] }).get(key)).toEqual(t);
});

test.each([
  ['an unknown key id', { encryptionKeys: [k2] }, /key id "k1", not listed/],
  ['a wrong key under the same id', { encryptionKeys: [{ id: 'k1', key: randomBytes(32) }] }, /does not decrypt/],
  ['no encryption configured', {}, /not a token this store wrote/],
])('%s: reported as a RedisStoreError, no crash', async (_, options, message) => {
  await store({ encryptionKeys: [k1] }).set(key, token());
  const error = await store(options)
    .get(key)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RedisStoreError);
  expect((error as Error).message).toMatch(message);
});

test('an unencrypted or altered value does not decrypt; a value moved to another key does not either', async () => {
  const s = store({ encryptionKeys: [k1], pauseAfterErrorMs: 0 });
  await store().set(key, token()); // plain JSON while encryption is on
  await expect(s.get(key)).rejects.toMatchObject({ code: 'REDIS_DECRYPT_FAILED' });
  await s.set(key, token());
  const envelope = JSON.parse(await raw()) as { data: string };
  const data = Buffer.from(envelope.data, 'base64');
  data[0] ^= 1;
  await redis.set(redisKeys(PREFIX, key).token, JSON.stringify({ ...envelope, data: data.toString('base64') }));
  await expect(s.get(key)).rejects.toMatchObject({ code: 'REDIS_DECRYPT_FAILED' });
  await s.set(key, token());
  await redis.set(redisKeys(PREFIX, 'other').token, await raw());
  await expect(s.get('other')).rejects.toMatchObject({ code: 'REDIS_DECRYPT_FAILED' });
});

test('compare-and-delete works on encrypted tokens', async () => {
  const s = store({ encryptionKeys: [k1] });
  const t = token();
  await s.set(key, t);
  await s.delete(key, 'some-other-token');
  expect(await s.get(key)).toEqual(t);
  await s.delete(key, t.accessToken);
  expect(await redis.exists(redisKeys(PREFIX, key).token)).toBe(0);
});

test('the plugin with a wrong key: "no token", reported through onStoreError, a new token fetched and stored', async () => {
  const auth = await startAuthServer();
  try {
    const options = { tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret: auth.clientSecret };
    const first = attachOAuth2(axios.create(), { ...options, store: store({ encryptionKeys: [k1] }) });
    await first.getAccessToken();
    const errors: unknown[] = [];
    const second = attachOAuth2(axios.create(), {
      ...options,
      store: store({ encryptionKeys: [k2] }),
      hooks: { onStoreError: ({ error }) => void errors.push(error) },
    });
    await expect(second.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(errors[0]).toMatchObject({ name: 'RedisStoreError', code: 'REDIS_DECRYPT_FAILED' });
    expect(auth.counters.tokenCalls).toBe(2);
    const stored = JSON.parse((await redis.get(redisKeys(PREFIX, second.cacheKey).token)) as string);
    expect(stored.kid).toBe('k2');
  } finally {
    await auth.close();
  }
});

test.each([
  ['encryptionKeys', { encryptionKeys: 'key' }],
  ['encryptionKeys[0].id', { encryptionKeys: [{ id: 'a:b', key: randomBytes(32) }] }],
  ['encryptionKeys[1].id', { encryptionKeys: [k1, { id: 'k1', key: randomBytes(32) }] }],
  ['encryptionKeys[0].key', { encryptionKeys: [{ id: 'k', key: randomBytes(16) }] }],
  ['encryptionKeys[0].key', { encryptionKeys: [{ id: 'k', key: 'x'.repeat(32) }] }],
])('a bad %s throws an OAuth2OptionsError naming it, without the key', (option, options) => {
  let error: unknown;
  try {
    new RedisTokenStore(redis, options as RedisTokenStoreOptions);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OAuth2OptionsError);
  expect(error).toMatchObject({ option });
  expect((error as Error).message).not.toContain('xxxx');
});

test('a value whose GCM tag is cut short is not used: "no token", reported, a new token fetched, no leak', async () => {
  const auth = await startAuthServer();
  try {
    const options = { tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret: auth.clientSecret };
    const first = attachOAuth2(axios.create(), { ...options, store: store({ encryptionKeys: [k1] }) });
    const stale = await first.getAccessToken();
    const name = redisKeys(PREFIX, first.cacheKey).token;
    const envelope = JSON.parse((await redis.get(name)) as string) as { tag: string };
    // A 4-byte tag: 2^32 forgeries to try instead of 2^128, were it accepted.
    const short = Buffer.from(envelope.tag, 'base64').subarray(0, 4).toString('base64');
    await redis.set(name, JSON.stringify({ ...envelope, tag: short }), 'PX', 60_000);
    const errors: unknown[] = [];
    const second = attachOAuth2(axios.create(), {
      ...options,
      store: store({ encryptionKeys: [k1] }),
      hooks: { onStoreError: ({ error }) => void errors.push(error) },
    });
    const fresh = await second.getAccessToken();
    expect(fresh).not.toBe(stale);
    expect(auth.counters.tokenCalls).toBe(2);
    // Read twice: before taking the renewal lock, and again under it.
    expect(errors).toEqual([
      expect.objectContaining({ name: 'RedisStoreError', code: 'REDIS_DECRYPT_FAILED' }),
      expect.objectContaining({ name: 'RedisStoreError', code: 'REDIS_DECRYPT_FAILED' }),
    ]);
    for (const error of errors as Error[]) {
      const views = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
      expect(views).not.toContain(stale);
      expect(views).not.toContain(short);
    }
  } finally {
    await auth.close();
  }
});
