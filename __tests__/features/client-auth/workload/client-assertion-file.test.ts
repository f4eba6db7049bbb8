/**
 * `clientAssertionFile(path)` against the embedded server, which verifies the workload token against
 * the federated issuer's JWKS: the file is stat'ed once per token request and read only when it
 * changed (or its assertion nears `exp`), never per API request; an expired assertion is never sent.
 */
import { promises as fsp } from 'node:fs';
import fs from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import axios from 'axios';
import { attachOAuth2, AssertionSourceError, TokenEndpointError } from '../../../../src';
import { clientAssertionFile } from '../../../../src/features/client-auth';
import { workloadFixture, type WorkloadFixture } from './workload-fixture';

let fx: WorkloadFixture;
beforeEach(async () => {
  fx = await workloadFixture();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await fx.close();
});

function attach(clock?: () => number) {
  const api = axios.create({ baseURL: fx.server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: fx.server.tokenUrl,
    clientId: 'orders',
    clientAuthentication: clientAssertionFile(fx.file),
    ...(clock ? { clock } : {}),
  });
  return { api, auth };
}

const sentAssertions = () =>
  fx.server.tokenRequests().map((call) => new URLSearchParams(call.body).get('client_assertion'));

test('a burst of 20 API calls: one token request, one stat, one read; the server verified the assertion', async () => {
  const tokens = fx.tokens();
  const stat = jest.spyOn(fsp, 'stat');
  const read = jest.spyOn(fsp, 'readFile');
  const { api, auth } = attach();

  const answers = await Promise.all(Array.from({ length: 20 }, () => api.get('/users/1')));
  await api.get('/users/2');

  expect(answers.every((a) => a.status === 200)).toBe(true);
  expect(fx.server.counters.tokenCalls).toBe(1);
  expect(fx.server.counters.tokenSuccesses).toBe(1);
  expect(sentAssertions()).toEqual([tokens.current]);
  const form = new URLSearchParams(fx.server.tokenRequests()[0].body);
  expect(form.get('client_id')).toBe('orders');
  expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  expect(stat).toHaveBeenCalledTimes(1);
  expect(read).toHaveBeenCalledTimes(1);
  auth.detach();
});

test('rotation: an unchanged file is not read again; a rotated one is read once and its assertion sent', async () => {
  const tokens = fx.tokens();
  const read = jest.spyOn(fsp, 'readFile');
  const stat = jest.spyOn(fsp, 'stat');
  const { auth } = attach();
  const first = tokens.current;

  await auth.getAccessToken();
  await auth.invalidate();
  await auth.getAccessToken(); // same file: stat only
  const second = tokens.rotate();
  await auth.invalidate();
  await auth.getAccessToken(); // rotated: read

  expect(sentAssertions()).toEqual([first, first, second]);
  expect(fx.server.counters.tokenSuccesses).toBe(3);
  expect(stat).toHaveBeenCalledTimes(3);
  expect(read).toHaveBeenCalledTimes(2);
  auth.detach();
});

test('an unchanged file whose assertion expires within 60 s is read again (once per token request)', async () => {
  const start = Date.now();
  fx.tokens({ lifetimeSeconds: 90, clock: () => start });
  const read = jest.spyOn(fsp, 'readFile');
  let now = start;
  const { auth } = attach(() => now);

  await auth.getAccessToken(); // 90 s left: read (first)
  now = start + 20_000; // 70 s left: held
  await auth.invalidate();
  await auth.getAccessToken();
  now = start + 31_000; // 59 s left: read again
  await auth.invalidate();
  await auth.getAccessToken();

  expect(read).toHaveBeenCalledTimes(2);
  expect(fx.server.counters.tokenSuccesses).toBe(3);
  auth.detach();
});

test('an expired assertion is never sent: AssertionSourceError names the file and when it expired, no token request', async () => {
  const start = Date.now();
  const tokens = fx.tokens({ lifetimeSeconds: 600, clock: () => start - 601_000 });
  const { api, auth } = attach();

  const error = (await api.get('/users/1').catch((e: unknown) => e)) as AssertionSourceError;

  expect(error).toBeInstanceOf(AssertionSourceError);
  expect(error).toMatchObject({
    code: 'OAUTH2_ASSERTION_SOURCE',
    reason: 'expired',
    source: `file ${fx.file}`,
    expiredAt: (Math.floor((start - 601_000) / 1000) + 600) * 1000,
  });
  expect(error.message).toMatch(
    new RegExp(
      `^The assertion from file ${fx.file} expired at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(\\d+ s ago by the plugin's clock\\); not sent$`,
    ),
  );
  expect(fx.server.counters.tokenCalls).toBe(0);
  const views = JSON.stringify(error) + String(error.stack) + inspect(error);
  expect(views).not.toContain(tokens.current.split('.')[2]);

  // Not cached: the rotated file is used by the next request.
  fx.tokens(); // the platform wrote a fresh token
  expect((await api.get('/users/1')).status).toBe(200);
  expect(fx.server.counters.tokenSuccesses).toBe(1);
  auth.detach();
});

test.each([
  ['not a JWS', 'not-a-jwt', 'is not a compact JWS (three base64url parts)'],
  ['a payload that is not JSON', 'eyJhbGciOiJFUzI1NiJ9.bm90LWpzb24.c2ln', 'has a payload that is not JSON'],
  [
    'no exp',
    `eyJhbGciOiJFUzI1NiJ9.${Buffer.from('{"iss":"x"}').toString('base64url')}.c2ln`,
    'has no numeric exp claim (RFC 7523 §3)',
  ],
])(
  'a file holding %s: AssertionSourceError (malformed), the content never shown, no token request',
  async (_, content, why) => {
    fs.writeFileSync(fx.file, `${content}\n`);
    const { auth } = attach();
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as AssertionSourceError;
    expect(error).toBeInstanceOf(AssertionSourceError);
    expect(error.reason).toBe('malformed');
    expect(error.message).toBe(`The assertion from file ${fx.file} ${why}; not sent`);
    expect(JSON.stringify(error) + String(error.stack)).not.toContain(content);
    expect(fx.server.counters.tokenCalls).toBe(0);
    auth.detach();
  },
);

test('a missing file: AssertionSourceError (unavailable) with the fs error as a plain cause; no token request', async () => {
  const { auth } = attach();
  const error = (await auth.getAccessToken().catch((e: unknown) => e)) as AssertionSourceError;
  expect(error).toBeInstanceOf(AssertionSourceError);
  expect(error.reason).toBe('unavailable');
  expect(error.message).toBe(`The assertion file ${fx.file} could not be accessed`);
  // A plain copy (name and message; jest's realm hides the code of Node's own errors from `instanceof Error`).
  expect((error.cause as Error).message).toContain('ENOENT');
  expect(fx.server.counters.tokenCalls).toBe(0);
  auth.detach();
});

test('a token of another key: the server refuses it (invalid_client), the plugin reports the endpoint error', async () => {
  fx.tokens({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
  const { auth } = attach();
  const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
  expect(error).toBeInstanceOf(TokenEndpointError);
  expect(error.error).toBe('invalid_client');
  expect(error.errorDescription).toBe(
    'Client authentication failed: client assertion refused (bad signature, unknown kid or unaccepted alg ES256).',
  );
  auth.detach();
});
