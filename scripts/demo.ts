/**
 * `npm run demo`: the plugin doing its main job against the embedded Mangopay-like server.
 * Each step prints what happened and checks it; the exit code is non-zero if any check fails.
 */
import axios from 'axios';
import { AccountLockedError, attachOAuth2, TokenEndpointError, type OAuth2Options } from '../src';
import { startAuthServer, type AuthServer } from '../src/testing';

const tty = process.stdout.isTTY === true;
const paint = (code: number) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = paint(32);
const red = paint(31);
const bold = paint(1);
const dim = paint(2);

let failures = 0;
function check(ok: boolean, what: string): void {
  if (!ok) failures += 1;
  process.stdout.write(`  ${ok ? green('✔') : red('✘')} ${what}\n`);
}
const step = (title: string) => process.stdout.write(`\n${bold(title)}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function client(server: AuthServer, overrides: Partial<OAuth2Options> = {}) {
  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    ...overrides,
  });
  return { api, auth };
}

async function concurrentCalls(server: AuthServer): Promise<void> {
  step('1. 50 concurrent calls on a cold cache');
  const { api } = client(server);
  const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => api.get(`/users/${i}`)));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  process.stdout.write(dim(`  ${ok}/50 calls succeeded with ${server.counters.tokenCalls} token call(s)\n`));
  check(ok === 50, 'every call succeeded');
  check(server.counters.tokenCalls === 1, 'exactly 1 token call');
}

async function renewalAhead(server: AuthServer): Promise<void> {
  step('2. A token nearing expiry is renewed ahead of time');
  server.setTokenLifetime(3);
  const { api } = client(server, { refreshSkewSeconds: 1 });
  server.resetCounters();
  let failed = 0;
  const until = Date.now() + 4_000;
  while (Date.now() < until) {
    await api.get('/wallets').catch(() => (failed += 1));
    await sleep(100);
  }
  const { tokenCalls, invalidTokens, apiCalls } = server.counters;
  process.stdout.write(
    dim(`  tokens living 3 s, ${apiCalls} calls over 4 s: ${tokenCalls} token calls, ${invalidTokens} rejected\n`),
  );
  check(failed === 0 && invalidTokens === 0, 'no call failed and the server never saw an expired token');
  check(tokenCalls >= 2 && tokenCalls <= 3, 'renewed about once per lifetime (2–3 token calls)');
  server.setTokenLifetime(1200);
}

async function revocation(server: AuthServer): Promise<void> {
  step('3. All tokens revoked server-side');
  const { api } = client(server);
  await api.get('/users/me');
  server.revokeAllTokens();
  server.resetCounters();
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) =>
      api.post('/payins', { n: i }, { headers: { 'Idempotency-Key': `demo-key-${String(i).padStart(4, '0')}` } }),
    ),
  );
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const { api401, tokenCalls } = server.counters;
  process.stdout.write(
    dim(`  ${api401} calls answered 401 → ${tokenCalls} token call → ${ok}/20 replayed successfully\n`),
  );
  check(api401 === 20, '20 calls were answered 401 invalid_credentials');
  check(tokenCalls === 1, 'one refresh for all of them');
  check(ok === 20, 'every call was replayed and succeeded');
}

async function wrongKey(server: AuthServer): Promise<void> {
  step('4. A wrong API key');
  const { api } = client(server, { clientSecret: 'not-the-key' });
  server.resetCounters();
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => api.get('/users')));
  const first = results[0].status === 'rejected' ? results[0].reason : undefined;
  // Each caller gets its own copy (carrying its request's config), of the one failure.
  const allSame = results.every(
    (r) => r.status === 'rejected' && r.reason instanceof TokenEndpointError && r.reason.message === first?.message,
  );
  process.stdout.write(dim(`  10 calls → ${server.counters.tokenCalls} token call; error: ${first?.message}\n`));
  check(
    first instanceof TokenEndpointError && first.error === 'invalid_client',
    'rejected with TokenEndpointError invalid_client',
  );
  check(server.counters.tokenCalls === 1 && allSame, 'not retried: 1 token call, every caller got the same error');
}

async function lockout(server: AuthServer): Promise<void> {
  step('5. Repeated bad logins lock the account');
  const { api } = client(server, { clientSecret: 'still-wrong', failureCacheMs: 0 });
  server.resetCounters();
  for (let i = 0; i < 3; i++) await api.get('/users').catch(() => undefined);
  const locked = await api.get('/users').then(
    () => undefined,
    (error: unknown) => error,
  );
  const callsAtLock = server.counters.tokenCalls;
  const more = await Promise.allSettled(Array.from({ length: 100 }, () => api.get('/users')));
  const fastFails = more.filter((r) => r.status === 'rejected' && r.reason instanceof AccountLockedError).length;
  if (locked instanceof AccountLockedError) {
    process.stdout.write(
      dim(
        `  ${locked.message}\n  retry at ${new Date(locked.retryAt).toISOString()} (in ${Math.round(locked.retryAfterMs / 1000)} s)\n`,
      ),
    );
  }
  check(locked instanceof AccountLockedError, 'the lockout surfaced as AccountLockedError with the time to wait');
  check(
    fastFails === 100 && server.counters.tokenCalls === callsAtLock,
    '100 more calls failed fast with 0 token calls during the cool-down',
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const server = await startAuthServer({
    clientId: 'demo-client',
    clientSecret: 'demo-api-key',
    lockoutAfter: 3,
    lockoutSeconds: 60,
  });
  process.stdout.write(`${bold('axios-oauth2-bearer demo')} ${dim(`against the embedded server at ${server.url}`)}\n`);
  try {
    await concurrentCalls(server);
    await renewalAhead(server);
    await revocation(server);
    await wrongKey(server);
    await lockout(server);
  } finally {
    await server.close();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `\n${failures === 0 ? green(`All steps behaved as shown (${seconds} s).`) : red(`${failures} check(s) failed.`)}\n`,
  );
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`demo crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
