/**
 * No secret in any Redis command: everything a fleet sends to a real Redis through a whole scenario
 * (acquire, share, 401 → compare-and-delete and refresh-token rotation, invalidate, lockout, close)
 * is recorded with MONITOR, which shows what SLOWLOG, command tracing and a MONITOR session show.
 * With `encryptionKeys`, no access token, refresh token or client secret is in any argument.
 * Without, the token's own SET value holds the token pair (that is what is stored), and nothing
 * else does: the compare-and-delete sends a fingerprint, never the token.
 */
import axios from 'axios';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { AccountLockedError, attachOAuth2, musement, type OAuth2Handle } from '../../src';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../../src/redis';
import { DEFAULT_PREFIX } from '../../src/redis/keys';
import { LOCKOUT_DESCRIPTION, startAuthServer, type AuthServer } from '../../src/testing';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const APPLICATION = 'monitor-app';
const CLIENT_SECRET = 'monitor-s3cret-value';
let server: RedisServer;
let auth: AuthServer;
const connections: Redis[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  auth = await startAuthServer({
    clientId: 'monitor-client',
    clientSecret: CLIENT_SECRET,
    musement: { application: APPLICATION },
  });
});
afterEach(async () => {
  for (const c of connections.splice(0)) c.disconnect();
  await auth.close();
});

function connect(): Redis {
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  connections.push(redis);
  return redis;
}

/** Records every command the server runs (scripts' inner calls included) until `stop()`. */
async function monitor(): Promise<{ stop(): Promise<string[][]> }> {
  const commands: string[][] = [];
  const session = await connect().monitor();
  connections.push(session);
  session.on('monitor', (_time: string, args: string[]) => void commands.push(args.map(String)));
  const marker = `end-${randomBytes(8).toString('hex')}`;
  return {
    async stop() {
      // MONITOR reports asynchronously: wait until it shows a last command sent after the scenario.
      await connect().echo(marker);
      while (!commands.some((args) => args.includes(marker))) await new Promise((r) => setTimeout(r, 5));
      session.disconnect();
      return commands;
    },
  };
}

function processOn(options: RedisTokenStoreOptions) {
  const preset = musement({
    environment: 'sandbox',
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    application: APPLICATION,
    baseURL: auth.musementBaseUrl,
  });
  const api = axios.create({ baseURL: preset.baseURL, headers: preset.headers });
  const handle: OAuth2Handle = attachOAuth2(api, {
    ...preset,
    store: new RedisTokenStore(connect(), options),
    lockout: { initialCooldownMs: 1_000 },
  });
  return { api, handle };
}

async function scenario(options: RedisTokenStoreOptions): Promise<string[][]> {
  const recording = await monitor();
  const a = processOn(options);
  const b = processOn(options);
  await a.api.get('/me'); // acquire: token and refresh token stored
  await b.api.get('/me'); // shared
  auth.revokeAllTokens();
  await a.api.get('/cart'); // 401: compare-and-delete, refresh_token grant (rotation), stored
  await b.api.get('/cart'); // a stale 401: compare-and-delete that must not delete A's token
  await a.handle.invalidate(); // compare-and-delete of the current token
  auth.revokeAllTokens();
  const lockout = {
    type: 'status',
    status: 400,
    retryAfter: '30',
    body: { error: 'unauthorized_client', error_description: LOCKOUT_DESCRIPTION },
  } as const;
  // B's refresh grant fails, then its main grant: the lockout.
  auth.injectTokenFaults([lockout, lockout]);
  await expect(b.api.get('/orders')).rejects.toBeInstanceOf(AccountLockedError); // lockout shared
  await expect(a.api.get('/orders')).rejects.toBeInstanceOf(AccountLockedError);
  await a.handle.close();
  await b.handle.close();
  const commands = await recording.stop();
  // The scenario ran as described: a token, a rotated one, then a refresh grant and a main grant, both locked out.
  expect(auth.issuedTokens().map((t) => t.grantType)).toEqual(['client_credentials', 'refresh_token']);
  expect(auth.counters).toMatchObject({ tokenCalls: 4, tokenFaults: 2, refreshGrants: 1 });
  const sent = (command: string, key: string) =>
    commands.some((args) => args[0].toUpperCase() === command && args.some((arg) => arg.includes(key)));
  // Compare-and-delete ran (with the token's SHA-256) and the lockout was shared.
  expect(commands.some((args) => args[0].toUpperCase() === 'EVAL' && /^[0-9a-f]{64}$/.test(args[4]))).toBe(true);
  expect(sent('SET', `${DEFAULT_PREFIX}lockout:`)).toBe(true);
  return commands;
}

/** Every secret of the scenario: access and refresh tokens issued, the client secret. */
function secrets(): string[] {
  return [CLIENT_SECRET, ...auth.issuedTokens().flatMap((t) => [t.token, t.refreshToken ?? ''])].filter(Boolean);
}

const leaks = (commands: string[][], allowed: (args: string[]) => boolean = () => false) =>
  commands
    .filter((args) => !allowed(args))
    .flatMap((args) =>
      secrets()
        .filter((secret) => args.some((arg) => arg.includes(secret)))
        .map(() => args),
    );

test('with encryptionKeys: no token and no secret in any command argument', async () => {
  const commands = await scenario({ encryptionKeys: [{ id: 'k1', key: randomBytes(32) }] });
  expect(leaks(commands)).toEqual([]);
});

test('without encryption: only the stored value (SET of the token key) holds the tokens; compare-and-delete sends none', async () => {
  const commands = await scenario({});
  const tokenKey = (args: string[]) => args[0].toUpperCase() === 'SET' && args[1].startsWith(`${DEFAULT_PREFIX}token:`);
  expect(leaks(commands, tokenKey)).toEqual([]);
  // The stored value is what holds them, as documented.
  expect(commands.filter(tokenKey).length).toBeGreaterThan(0);
});
