/**
 * A simulated day under jest's fake timers (Date, performance and setTimeout/setInterval faked, so
 * the plugin's clock, the server's clock and the token file's rotation timer all follow it; process
 * ticks and immediates stay real so the real HTTP exchange with the embedded server runs): 600 s
 * access tokens, the projected token file rotated every 480 s with 600 s assertions (and every
 * 1200 s with 1800 s ones), an API call every 30 s. Every token request carries the file's current assertion, verified by the server and
 * independently (jose) at the time it was sent; not one `invalid_client`; the file is stat'ed once per
 * token request and read only when it changed.
 */
import { promises as fsp } from 'node:fs';
import axios from 'axios';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { attachOAuth2 } from '../../../../src';
import { clientAssertionFile } from '../../../../src/features/client-auth';
import { AUDIENCE, ISSUER, workloadFixture, type WorkloadFixture } from './workload-fixture';

const DAY_MS = 24 * 3600_000;
const START = Date.parse('2026-12-01T00:00:00Z');

let fx: WorkloadFixture;
beforeEach(async () => {
  jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  fx = await workloadFixture({ tokenLifetimeSeconds: 600 });
});
afterEach(async () => {
  jest.restoreAllMocks();
  await fx.close();
  jest.useRealTimers();
});

// [rotation period, assertion lifetime (s), reads]: rotated more often than renewed, every token request
// reads the file (170); rotated less often (kubelet-like, at 2/3 of a 30 min life), 72 reads for 170 requests.
test.each([
  [480, 600, 170],
  [1200, 1800, 72],
])(
  'a day, the file rotated every %i s (%i s assertions): 0 invalid_client, every assertion valid when sent, %i reads',
  async (rotateSeconds, lifetimeSeconds, reads) => {
    const ROTATE_MS = rotateSeconds * 1000;
    const tokens = fx.tokens({ lifetimeSeconds, rotateEverySeconds: rotateSeconds });
    const stat = jest.spyOn(fsp, 'stat');
    const read = jest.spyOn(fsp, 'readFile');
    const failures: unknown[] = [];
    const api = axios.create({ baseURL: fx.server.apiBaseUrl });
    const auth = attachOAuth2(api, {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: clientAssertionFile(fx.file),
      hooks: {
        onTokenAcquired: () => (settled += 1),
        onTokenRenewed: () => (settled += 1),
        onTokenEndpointFailure: (event) => (failures.push(event), (settled += 1)),
      },
    });
    let settled = 0;
    // A renewal in the background runs real HTTP: fake time must not move (and fire its deadline) until it
    // settled. Each renewal stats the file once when it starts, and ends with one of the hooks above.
    // (Bounded, so that a renewal that fails before any hook, as a broken build would, fails the test, not hangs it.)
    const renewalsSettled = async () => {
      for (let turns = 0; stat.mock.calls.length > settled; turns++) {
        if (turns === 200_000)
          throw new Error(`a renewal did not settle (${stat.mock.calls.length} started, ${settled} ended)`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    let apiCalls = 0;
    for (let t = 0; t < DAY_MS; t += 30_000) {
      expect((await api.get('/users/1')).status).toBe(200);
      apiCalls += 1;
      await renewalsSettled();
      await jest.advanceTimersByTimeAsync(30_000);
    }

    const calls = fx.server.tokenRequests();
    const rotations = tokens.writes - 1;
    expect(apiCalls).toBe(2880);
    expect(rotations).toBe(DAY_MS / ROTATE_MS); // 180
    expect(failures).toEqual([]);
    expect(fx.server.counters.badCredentials).toBe(0);
    expect(fx.server.counters.tokenFailures).toBe(0);
    expect(fx.server.counters.tokenSuccesses).toBe(calls.length);

    // Each token request: the file's generation at that time, its assertion, valid then (jose), with at
    // least (lifetime - rotation period) left.
    const jwks = createLocalJWKSet(fx.jwks);
    let generations = 0;
    let last = -1;
    for (const call of calls) {
      const assertion = String(new URLSearchParams(call.body).get('client_assertion'));
      const generation = Math.floor((call.at - START) / ROTATE_MS);
      const { payload } = await jwtVerify(assertion, jwks, {
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(call.at),
      });
      expect(payload.iat).toBe(Math.floor((START + generation * ROTATE_MS) / 1000));
      expect((payload.exp as number) * 1000 - call.at).toBeGreaterThanOrEqual(lifetimeSeconds * 1000 - ROTATE_MS);
      if (generation !== last) generations += 1;
      last = generation;
    }
    // Renewed in the background at the first API call of the early-renewal window: every 510 s (on the 30 s grid).
    expect(calls.slice(0, 3).map((call) => (call.at - START) / 1000)).toEqual([0, 510, 1020]);
    expect(calls.length).toBe(Math.ceil(DAY_MS / 510_000)); // 170
    // A read for each token request that finds the file rotated since the last read, and no other.
    expect(generations).toBe(reads);
    expect(stat).toHaveBeenCalledTimes(calls.length);
    expect(read).toHaveBeenCalledTimes(generations);
    expect(read.mock.calls.length).toBeLessThanOrEqual(calls.length + rotations);
    auth.detach();
  },
);
