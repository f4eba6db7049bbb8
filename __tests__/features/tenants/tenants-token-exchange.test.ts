/**
 * Many tenants with token exchange (`tenants` + `grant: tokenExchange()`): each tenant's client
 * exchanges the request's subject token for a token of its own, held in the tenant's own subject
 * entries. Against the embedded server's many clients and its token exchange grant: every token it
 * issues names its client (tenant) and its subject; the tenant's API route refuses another client's
 * token and echoes the subject of the token it received.
 */
import { Agent } from 'node:http';
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, OAuth2RequestOptionsError, type OAuth2Handle, type OAuth2Options } from '../../../src';
import { tokenExchange, TOKEN_TYPES } from '../../../src/features/token-exchange';
import { startAuthServer, type AuthServer, type EchoBody } from '../../../src/testing';
import { seededRandom as prng } from '../../helpers/seeded-random';
import { tenants } from '../../../src/features/tenants';

const TENANTS = 50;
const SUBJECTS = 200;
const SEED = 0x7e4a;

let server: AuthServer;
let api: AxiosInstance;
let auth: OAuth2Handle | undefined;
let loads: string[];
const agent = new Agent({ keepAlive: true, maxSockets: 32 });

beforeEach(async () => {
  server = await startAuthServer({
    tokenExchange: {},
    tokenLifetimeSeconds: 600,
    clients: Array.from({ length: TENANTS }, (_, i) => ({ clientId: `client-t${i}`, clientSecret: `secret-t${i}` })),
  });
  api = axios.create({ baseURL: server.url, httpAgent: agent });
  loads = [];
});
afterEach(async () => {
  auth?.detach();
  auth = undefined;
  await server.close();
});
afterAll(() => agent.destroy());

function attach(extra: Partial<OAuth2Options> = {}, maxSubjects = 1000): OAuth2Handle {
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    retry: { retries: 0 },
    grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken, maxSubjects }),
    tenants: tenants({
      load: (tenant) => {
        loads.push(tenant);
        return { clientId: `client-${tenant}`, clientSecret: `secret-${tenant}` };
      },
    }),
    ...extra,
  });
  return auth;
}

/** A call to the tenant's own API route (which refuses another client's token) for a subject. */
const call = (tenant: string, subjectToken: string, path = 'users') =>
  api.get<EchoBody>(`/v2.01/client-${tenant}/${path}`, { oauth2: { tenant, subjectToken } });

/** The client and subject of the bearer a request carried, as the server issued it. */
function bearerOf(answer: { config: { headers: Record<string, unknown> } }): { clientId?: string; subject?: string } {
  const token = /^Bearer (\S+)$/.exec(String(answer.config.headers.Authorization))?.[1] ?? '';
  const issued = server.issuedToken(token);
  return { clientId: issued?.clientId, subject: issued?.subject };
}

test('tenants with grant: tokenExchange() attach; one exchange per (tenant, subject), shared by concurrent requests', async () => {
  attach();
  const alice = server.issueSubjectToken('alice');
  const bob = server.issueSubjectToken('bob');
  const plan: Array<[string, string, string]> = [
    ['t0', alice, 'alice'],
    ['t1', alice, 'alice'],
    ['t0', bob, 'bob'],
    ['t1', bob, 'bob'],
  ];
  const answers = await Promise.all([...plan, ...plan, ...plan].map(([t, s]) => call(t, s)));
  answers.forEach((answer, i) => {
    const [tenant, , name] = plan[i % plan.length];
    expect(answer.data.subject).toBe(name);
    expect(bearerOf(answer)).toEqual({ clientId: `client-${tenant}`, subject: name });
  });
  // The same subject token for two tenants: two exchanges, each by its tenant's client.
  expect(server.counters.tokenCalls).toBe(4);
  expect(server.counters.wrongClientTokens).toBe(0);
  expect(loads).toEqual(['t0', 't1']);
  // Cached: no more token calls.
  await Promise.all(plan.map(([t, s]) => call(t, s)));
  expect(server.counters.tokenCalls).toBe(4);
});

test('handle calls take { tenant, subjectToken }: each tenant its own token for the subject; invalidate and forgetTenant reach the subject entries', async () => {
  const handle = attach();
  const alice = server.issueSubjectToken('alice');
  const a0 = await handle.getAccessToken({ tenant: 't0', subjectToken: alice });
  const a1 = await handle.getAccessToken({ tenant: 't1', subjectToken: alice });
  expect(a0).not.toBe(a1);
  expect(server.issuedToken(a0)).toMatchObject({ clientId: 'client-t0', subject: 'alice' });
  expect(server.issuedToken(a1)).toMatchObject({ clientId: 'client-t1', subject: 'alice' });
  // The request uses the token the handle obtained (same tenant, same subject): no token call.
  const answer = await call('t0', alice);
  expect(bearerOf(answer)).toEqual({ clientId: 'client-t0', subject: 'alice' });
  expect(server.counters.tokenCalls).toBe(2);
  // invalidate: that tenant's subject only.
  await handle.invalidate({ tenant: 't0', subjectToken: alice });
  expect(await handle.getAccessToken({ tenant: 't1', subjectToken: alice })).toBe(a1);
  expect(server.counters.tokenCalls).toBe(2);
  const renewed = await handle.getAccessToken({ tenant: 't0', subjectToken: alice });
  expect(renewed).not.toBe(a0);
  expect(server.counters.tokenCalls).toBe(3);
  // invalidate of a subject the tenant does not hold: nothing made, no token call.
  await handle.invalidate({ tenant: 't0', subjectToken: server.issueSubjectToken('carol') });
  expect(server.counters.tokenCalls).toBe(3);
  // forgetTenant: its subjects' tokens go with it (loaded again, exchanged again).
  await handle.forgetTenant('t1');
  const again = await handle.getAccessToken({ tenant: 't1', subjectToken: alice });
  expect(again).not.toBe(a1);
  expect(server.counters.tokenCalls).toBe(4);
  expect(loads).toEqual(['t0', 't1', 't1']);
});

test('a tenant request without a subject fails with OAuth2RequestOptionsError and no token call', async () => {
  const handle = attach();
  await expect(api.get('/v2.01/client-t0/users', { oauth2: { tenant: 't0' } })).rejects.toMatchObject({
    name: 'OAuth2RequestOptionsError',
    option: 'oauth2.subjectToken',
  });
  await expect(handle.getToken({ tenant: 't0' })).rejects.toBeInstanceOf(OAuth2RequestOptionsError);
  expect(server.counters.tokenCalls).toBe(0);
});

test('a 401 renews and replays within the same tenant and subject', async () => {
  attach();
  const alice = server.issueSubjectToken('alice');
  const first = await call('t3', alice);
  await call('t4', alice);
  server.revokeAllTokens();
  const replayed = await call('t3', alice);
  expect(bearerOf(replayed)).toEqual({ clientId: 'client-t3', subject: 'alice' });
  expect(bearerOf(first)).toEqual({ clientId: 'client-t3', subject: 'alice' });
  expect(server.counters.tokenCalls).toBe(3);
  expect(server.counters.invalidTokens).toBe(1);
});

test(`${TENANTS} tenants × ${SUBJECTS} subjects, seeded (${SEED}): a subject's token of one tenant is never used for another`, async () => {
  const random = prng(SEED);
  const clock = { now: Date.now() };
  // Bounds below the working set: tenants (and their subjects) and subjects within a tenant are dropped and made again.
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    retry: { retries: 0 },
    grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken, maxSubjects: 32 }),
    clock: () => clock.now,
    rejection: { windowMs: 0 },
    tenants: tenants({
      maxTenants: 40,
      load: (tenant) => {
        loads.push(tenant);
        return { clientId: `client-${tenant}`, clientSecret: `secret-${tenant}` };
      },
    }),
  });
  const names = Array.from({ length: SUBJECTS }, (_, i) => `user-${i}`);
  // The same subject tokens for every tenant: only the tenant tells their exchanged tokens apart.
  const tokens = names.map((name) => server.issueSubjectToken(name));
  const pairs = TENANTS * SUBJECTS;
  const hot = Array.from({ length: 300 }, () => Math.floor(random() * pairs));
  const plan = Array.from({ length: 5_000 }, () =>
    random() < 0.6 ? hot[Math.floor(random() * hot.length)] : Math.floor(random() * pairs),
  );
  let mismatches = 0;
  let revocations = 0;
  const BATCH = 100;
  for (let start = 0; start < plan.length; start += BATCH) {
    clock.now += Math.floor(random() * 20_000);
    if (random() < 0.03) {
      server.revokeAllTokens();
      revocations += 1;
    }
    const batch = plan.slice(start, start + BATCH);
    const answers = await Promise.all(
      batch.map((pair) => call(`t${pair % TENANTS}`, tokens[Math.floor(pair / TENANTS)], `users/${pair}`)),
    );
    answers.forEach((answer, k) => {
      const pair = batch[k];
      const tenant = `t${pair % TENANTS}`;
      const name = names[Math.floor(pair / TENANTS)];
      const sent = bearerOf(answer);
      if (
        answer.data.subject !== name ||
        answer.data.path !== `/v2.01/client-${tenant}/users/${pair}` ||
        sent.clientId !== `client-${tenant}` ||
        sent.subject !== name
      )
        mismatches += 1;
    });
  }
  expect(mismatches).toBe(0);
  expect(server.counters.wrongClientTokens).toBe(0);
  expect(revocations).toBeGreaterThan(0);
  expect(server.counters.invalidTokens).toBeGreaterThan(0);
  // Every issued token names a tenant's client and a subject; tenants were dropped and loaded again.
  const issued = server.issuedTokens();
  expect(issued.every((t) => t.subject !== undefined && /^client-t\d+$/.test(t.clientId ?? ''))).toBe(true);
  expect(new Set(loads).size).toBe(TENANTS);
  expect(loads.length).toBeGreaterThan(TENANTS);
}, 180_000);

test("forgetTenant deletes its subjects' tokens from the store; another tenant's stay", async () => {
  const held = new Map<string, unknown>();
  const store = {
    get: async (key: string) => held.get(key) as never,
    set: async (key: string, token: unknown) => void held.set(key, token),
    delete: async (key: string) => void held.delete(key),
  };
  const handle = attach({ store });
  const alice = server.issueSubjectToken('alice');
  const bob = server.issueSubjectToken('bob');
  await handle.getAccessToken({ tenant: 't0', subjectToken: alice });
  const t0Keys = [...held.keys()];
  await handle.getAccessToken({ tenant: 't1', subjectToken: alice });
  await handle.getAccessToken({ tenant: 't1', subjectToken: bob });
  const t1Keys = [...held.keys()].filter((key) => !t0Keys.includes(key));
  expect(t0Keys).toHaveLength(1);
  expect(t1Keys).toHaveLength(2);
  await handle.forgetTenant('t1');
  expect([...held.keys()]).toEqual(t0Keys);
});

test('a rotated tenant secret (invalid_client, the loader asked once more) still exchanges the same subject', async () => {
  const secrets: Record<string, string> = { t0: 'secret-t0' };
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    retry: { retries: 0 },
    grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken }),
    tenants: tenants({
      load: (tenant) => {
        loads.push(tenant);
        return { clientId: `client-${tenant}`, clientSecret: secrets[tenant] };
      },
    }),
  });
  const alice = server.issueSubjectToken('alice');
  await call('t0', alice);
  // The secret rotates at the server and in the secrets store; the cached token dies.
  server.addClient({ clientId: 'client-t0', clientSecret: 'rotated-t0' });
  secrets.t0 = 'rotated-t0';
  server.revokeAllTokens();
  const answer = await call('t0', alice);
  expect(answer.data.subject).toBe('alice');
  expect(bearerOf(answer)).toEqual({ clientId: 'client-t0', subject: 'alice' });
  // The first exchange, the refused renewal (old secret), the renewal with the reloaded secret.
  expect(server.counters.tokenCalls).toBe(3);
  expect(loads).toEqual(['t0', 't0']);
  const last = new URLSearchParams(server.tokenRequests()[2].body);
  expect(last.get('subject_token')).toBe(alice);
});

test("a request without a tenant exchanges with the attachment's own client; a tenant's with its own", async () => {
  const handle = attach({ clientId: server.clientId, clientSecret: server.clientSecret });
  const alice = server.issueSubjectToken('alice');
  const own = await api.get<EchoBody>(`/v2.01/${server.clientId}/users`, { oauth2: { subjectToken: alice } });
  const tenant = await call('t7', alice);
  expect(bearerOf(own)).toEqual({ clientId: server.clientId, subject: 'alice' });
  expect(bearerOf(tenant)).toEqual({ clientId: 'client-t7', subject: 'alice' });
  expect(await handle.getAccessToken({ subjectToken: alice })).toBe(
    /^Bearer (\S+)$/.exec(String(own.config.headers.Authorization))?.[1],
  );
  expect(server.counters.tokenCalls).toBe(2);
  expect(loads).toEqual(['t7']);
});
