/**
 * `startTokenFile` (axios-oauth2-bearer/testing): writes a signed workload token atomically, rotates
 * it on its timer (fake timers drive it) and on demand; and the embedded server's workload checks
 * (`workloadIdentity`): issuer, audience, expiry, subject, signature, for client assertions and the
 * JWT bearer grant, answered without echoing the token.
 */
import fs from 'node:fs';
import axios from 'axios';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startTokenFile } from '../../../../src/testing';
import { AUDIENCE, ISSUER, workloadFixture, type WorkloadFixture } from './workload-fixture';

let fx: WorkloadFixture;
afterEach(async () => {
  jest.useRealTimers();
  await fx?.close();
});

test('the file holds a JWT verifiable with jwks; a new one every rotateEverySeconds on the fake clock, atomically', async () => {
  fx = await workloadFixture();
  jest.useFakeTimers({ now: Date.parse('2026-12-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
  const tokens = fx.tokens({
    rotateEverySeconds: 480,
    lifetimeSeconds: 600,
    subject: 'system:serviceaccount:shop:orders',
  });
  const first = fs.readFileSync(fx.file, 'utf8');
  const inode = fs.statSync(fx.file).ino;
  const { payload } = await jwtVerify(first, createLocalJWKSet(tokens.jwks as never), {
    issuer: ISSUER,
    audience: AUDIENCE,
    currentDate: new Date(),
  });
  expect(payload).toMatchObject({ sub: 'system:serviceaccount:shop:orders', iat: 1796083200, exp: 1796083800 });
  expect(fs.statSync(fx.file).mtimeMs).toBe(Date.parse('2026-12-01T00:00:00Z'));

  jest.advanceTimersByTime(479_999);
  expect(tokens.writes).toBe(1);
  jest.advanceTimersByTime(1);
  expect(tokens.writes).toBe(2);
  const second = fs.readFileSync(fx.file, 'utf8');
  expect(second).toBe(tokens.current);
  expect(second).not.toBe(first);
  expect(fs.statSync(fx.file).ino).not.toBe(inode); // renamed over, like the kubelet's swap
  expect(tokens.rotate()).toBe(fs.readFileSync(fx.file, 'utf8'));
  expect(tokens.writes).toBe(3);
  tokens.stop();
  jest.advanceTimersByTime(480_000);
  expect(tokens.writes).toBe(3);
});

test.each([
  ['path', { path: '' }, 'path must be a non-empty string'],
  ['lifetimeSeconds', { lifetimeSeconds: 0 }, 'lifetimeSeconds must be a number > 0'],
  ['rotateEverySeconds', { rotateEverySeconds: -1 }, 'rotateEverySeconds must be a number > 0'],
])('startTokenFile refuses a bad %s (RangeError)', (_, bad, message) => {
  expect(() => startTokenFile({ path: '/tmp/x', audience: 'a', ...bad })).toThrow(new RangeError(message));
});

describe('the server refuses, naming why (never the token)', () => {
  const post = (url: string, form: Record<string, string>) =>
    axios.post(url, new URLSearchParams(form).toString(), { validateStatus: () => true });
  const clientForm = (assertion: string) => ({
    grant_type: 'client_credentials',
    client_id: 'orders',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });

  test.each([
    ['another audience', { audience: 'elsewhere' }, 'aud is not accepted'],
    ['expired', { lifetimeSeconds: 60, clock: () => Date.now() - 61_000 }, 'exp missing or past'],
    ['another subject', { subject: 'system:serviceaccount:shop:intruder' }, 'sub is not accepted'],
    ['another kid', { kid: 'other-key' }, 'bad signature, unknown kid or unaccepted alg ES256'],
  ])('%s', async (_, options, why) => {
    const subject = 'system:serviceaccount:shop:orders';
    fx = await workloadFixture({ clientSecret: 'orders-secret-0123456789' }, { subject });
    const server = fx.server;
    const tokens = fx.tokens({ subject: 'system:serviceaccount:shop:orders', ...options });
    const asClient = await post(server.tokenUrl, clientForm(tokens.current));
    expect(asClient.status).toBe(400);
    expect(asClient.data).toEqual({
      error: 'invalid_client',
      error_description: `Client authentication failed: client assertion refused (${why}).`,
    });
    const asGrant = await post(server.tokenUrl, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: tokens.current,
      client_id: 'orders',
      client_secret: 'orders-secret-0123456789',
    });
    expect(asGrant.status).toBe(400);
    expect(asGrant.data).toEqual({ error: 'invalid_grant', error_description: `The assertion was refused (${why}).` });
    expect(server.counters.tokenSuccesses).toBe(0);
  });

  test('discovery publishes private_key_jwt and the jwt-bearer grant', async () => {
    fx = await workloadFixture({ discovery: {} });
    const metadata = (await axios.get(`${fx.server.url}/.well-known/oauth-authorization-server`)).data as Record<
      string,
      string[]
    >;
    expect(metadata.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(metadata.grant_types_supported).toEqual([
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]);
  });
});
