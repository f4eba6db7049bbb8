/**
 * Issue 9 (item 4): a request is recognised as carrying the plugin's bearer however many renewals
 * happened while it was in flight (no bounded history of tokens). Real loopback server.
 */
import http from 'node:http';
import { inspect } from 'node:util';
import axios, { AxiosHeaders, type AxiosError } from 'axios';
import { attachOAuth2 } from '../../src';
import { sendJson, startLoopback, type Loopback } from '../helpers/loopback';

const RENEWALS = 20;

let lb: Loopback;
let agent: http.Agent;
beforeEach(async () => {
  lb = await startLoopback();
  agent = new http.Agent({ keepAlive: true });
});
afterEach(async () => {
  agent.destroy();
  await lb.close();
});

/** Starts `/slow`, held by the server, then renews the token RENEWALS times with a request on each. */
async function slowRequestAcrossRenewals(answer: (res: http.ServerResponse) => void) {
  const api = axios.create({ baseURL: `${lb.origin}/v1`, httpAgent: agent });
  const auth = attachOAuth2(api, { tokenUrl: lb.tokenUrl, clientId: 'id', clientSecret: 'secret-value' });
  let release!: () => void;
  let slowAnswered = false;
  const arrived = new Promise<void>((resolve) => {
    lb.onApi = (call, res) => {
      if (call.path !== '/v1/slow' || slowAnswered) return sendJson(res, 200, { token: call.token });
      slowAnswered = true;
      release = () => answer(res);
      resolve();
    };
  });
  const slow = api.get('/slow').then(
    (response) => ({ response }),
    (error: unknown) => ({ error }),
  );
  await arrived;
  for (let i = 0; i < RENEWALS; i++) {
    await auth.invalidate();
    await api.get('/other');
  }
  release();
  return { slow: await slow, api };
}

test('a request that outlives many renewals and fails: its bearer is masked', async () => {
  const { slow } = await slowRequestAcrossRenewals((res) => sendJson(res, 500, { message: 'boom' }));
  const error = (slow as { error: AxiosError }).error;
  expect(error.response?.status).toBe(500);
  expect(lb.apiCalls[0].token).toBe('tok-1');
  expect(AxiosHeaders.from(error.config!.headers).get('Authorization')).toBe('Bearer [redacted]');
  expect(JSON.stringify(error)).not.toContain('tok-');
  expect(inspect(error, { depth: Infinity })).not.toContain('tok-');
});

test('a request that outlives many renewals and is answered "token rejected": replayed once with the current token', async () => {
  const { slow } = await slowRequestAcrossRenewals((res) => sendJson(res, 401, { Type: 'invalid_credentials' }));
  expect((slow as { response: { data: unknown } }).response.data).toEqual({ token: `tok-${RENEWALS + 1}` });
  // The current token was still good: no token call for the replay.
  expect(lb.tokenCalls).toHaveLength(RENEWALS + 1);
  expect(lb.apiCalls.filter((c) => c.path === '/v1/slow').map((c) => c.token)).toEqual([
    'tok-1',
    `tok-${RENEWALS + 1}`,
  ]);
});
