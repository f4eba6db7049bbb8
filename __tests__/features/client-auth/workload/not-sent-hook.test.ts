/**
 * A token request that could not be sent is reported: `onTokenEndpointFailure` with `kind: 'not_sent'`
 * when the client's assertion cannot be had (`AssertionSourceError`) or a custom grant's parameters
 * fail (`GrantParametersError`). For a background renewal, the current token keeps serving and the
 * hook is the only sign that the workload token broke before the token expires.
 */
import axios from 'axios';
import { attachOAuth2, GrantParametersError, type TokenFailureEvent } from '../../../../src';
import { clientAssertion } from '../../../../src/features/client-auth';
import { signJwt } from '../../../../src/testing/workload-jws';
import { AUDIENCE, ISSUER, workloadFixture, type WorkloadFixture } from './workload-fixture';

let fx: WorkloadFixture;
afterEach(async () => {
  await fx.close();
});

/** A workload token for {@link AUDIENCE} expiring at `exp` (epoch seconds). */
const workloadToken = (exp: number) =>
  signJwt(
    fx.key,
    { iss: ISSUER, sub: 'system:serviceaccount:shop:orders', aud: AUDIENCE, iat: exp - 600, exp },
    'workload-key',
  );

test('a background renewal whose assertion expired: the old token serves, the hook says not_sent, no token request', async () => {
  fx = await workloadFixture({ tokenLifetimeSeconds: 1200 });
  const realExp = Math.floor(Date.now() / 1000) + 600;
  let now = Date.now();
  const assertions = [workloadToken(realExp)];
  const failures: TokenFailureEvent[] = [];
  let reported!: () => void;
  const failureReported = new Promise<void>((resolve) => (reported = resolve));
  const api = axios.create({ baseURL: fx.server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: fx.server.tokenUrl,
    clientId: 'orders',
    clientAuthentication: clientAssertion(() => assertions[assertions.length - 1]),
    clock: () => now,
    hooks: { onTokenEndpointFailure: (event) => (failures.push(event), reported()) },
  });

  const first = await auth.getAccessToken();
  expect(fx.server.counters.tokenCalls).toBe(1);

  // The next assertion expires 600 s after the start: past by the plugin's clock below, so never sent.
  assertions.push(workloadToken(realExp));
  now += 1_100_000; // in the soft window of the 1200 s token (its last 150 s before the 30 s skew)
  const answer = await api.get('/users/1');
  await failureReported;

  expect(answer.status).toBe(200);
  expect(await auth.getAccessToken()).toBe(first);
  expect(failures).toEqual([{ kind: 'not_sent', attempt: 1, willRetry: false }]);
  expect(fx.server.counters.tokenCalls).toBe(1);
  auth.detach();
});

test('a custom grant whose parameters throw: GrantParametersError, the hook says not_sent, no token request', async () => {
  fx = await workloadFixture({ clientSecret: 'orders-secret-0123456789' });
  const failures: TokenFailureEvent[] = [];
  const auth = attachOAuth2(axios.create(), {
    tokenUrl: fx.server.tokenUrl,
    clientId: 'orders',
    clientSecret: 'orders-secret-0123456789',
    grant: {
      type: 'custom',
      grantType: 'urn:example:grant',
      parameters: () => {
        throw new Error('vault unreachable');
      },
    },
    hooks: { onTokenEndpointFailure: (event) => failures.push(event) },
  });

  await expect(auth.getAccessToken()).rejects.toBeInstanceOf(GrantParametersError);

  expect(failures).toEqual([{ kind: 'not_sent', attempt: 1, willRetry: false }]);
  expect(fx.server.counters.tokenCalls).toBe(0);
  auth.detach();
});
