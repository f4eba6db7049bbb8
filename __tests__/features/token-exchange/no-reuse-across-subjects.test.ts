/**
 * 0 reuse across subjects: a seeded randomized run of 10,000 subjects against the embedded server
 * (requests interleaved and concurrent, entries evicted (maxSubjects 64), tokens renewed as the
 * plugin's clock moves, and every token revoked now and then, so 401s renew and replay). The server
 * names the subject in every token it issues; the API echoes the subject of the token it received:
 * every request must carry a token issued for its own subject.
 */
import { Agent } from 'node:http';
import axios from 'axios';
import { attachOAuth2 } from '../../../src';
import { tokenExchange, TOKEN_TYPES } from '../../../src/features/token-exchange';
import { startAuthServer, type AuthServer, type EchoBody } from '../../../src/testing';
import { seededRandom as prng } from '../../helpers/seeded-random';

const SEED = 0x8693;
const SUBJECTS = 10_000;
const MAX_SUBJECTS = 64;
const BATCH = 64;

let server: AuthServer;
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
beforeAll(async () => {
  server = await startAuthServer({ tokenExchange: {}, tokenLifetimeSeconds: 600 });
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

test(`${SUBJECTS} subjects, seeded (${SEED}): every API request carries a token issued for its own subject`, async () => {
  const random = prng(SEED);
  const clock = { now: Date.now() };
  const api = axios.create({ baseURL: server.apiBaseUrl, httpAgent: agent });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken, maxSubjects: MAX_SUBJECTS }),
    clock: () => clock.now,
    // The random 401s come in storms on purpose: the breaker would (rightly) stop them.
    rejection: { windowMs: 0 },
  });
  const names = Array.from({ length: SUBJECTS }, (_, i) => `user-${i}`);
  const tokens = names.map((name) => server.issueSubjectToken(name));
  // Every subject is used (in a shuffled order), then a second pass favours a hot set: hits and misses interleave.
  const order = names.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const hot = order.slice(0, 48);
  const second = Array.from({ length: 6_000 }, () =>
    random() < 0.7 ? hot[Math.floor(random() * hot.length)] : Math.floor(random() * SUBJECTS),
  );
  const plan = [...order, ...second];
  let mismatches = 0;
  let revocations = 0;
  let served = 0;
  for (let start = 0; start < plan.length; start += BATCH) {
    // Time moves on (renewals in the soft and the hard windows); now and then every token is revoked (401, replay).
    clock.now += Math.floor(random() * 30_000);
    if (random() < 0.02) {
      server.revokeAllTokens();
      revocations += 1;
    }
    const batch = plan.slice(start, start + BATCH);
    const answers = await Promise.all(
      batch.map((i) => api.get<EchoBody>(`/users/${i}`, { oauth2: { subjectToken: tokens[i] } })),
    );
    answers.forEach((answer, k) => {
      served += 1;
      if (answer.data.subject !== names[batch[k]] || answer.data.path !== `/v2.01/${server.clientId}/users/${batch[k]}`)
        mismatches += 1;
    });
  }
  expect(served).toBe(plan.length);
  expect(mismatches).toBe(0);
  expect(revocations).toBeGreaterThan(0);
  // Every token the server issued was for a subject it named, and one exchange per subject at least.
  const issued = server.issuedTokens();
  expect(issued.every((t) => t.subject !== undefined && t.grantType.endsWith('token-exchange'))).toBe(true);
  expect(new Set(issued.map((t) => t.subject)).size).toBe(SUBJECTS);
  // Evictions and renewals happened: more exchanges than subjects.
  expect(server.counters.tokenCalls).toBeGreaterThan(SUBJECTS);
  expect(server.counters.invalidTokens).toBeGreaterThan(0);
  auth.detach();
}, 180_000);
