import { request } from 'node:http';
import axios from 'axios';
import { startAuthServer, type AuthServer } from '../../src/testing';

const http = axios.create({ validateStatus: () => true });
const AUTH = `Basic ${Buffer.from('test-client:test-secret').toString('base64')}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One token call over a fresh (non keep-alive) connection. */
function rawTokenCall(server: AuthServer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(server.tokenUrl, {
      method: 'POST',
      agent: false,
      headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end('grant_type=client_credentials');
  });
}

async function waitFor(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i += 1) await sleep(5);
  expect(predicate()).toBe(true);
}

describe('embedded auth server: injected token faults', () => {
  let server: AuthServer;
  beforeEach(async () => {
    server = await startAuthServer();
  });
  afterEach(() => server.close());

  it('answers a status fault with Retry-After, then serves normally', async () => {
    server.injectTokenFaults([
      { type: 'status', status: 503, retryAfter: '2' },
      { type: 'status', status: 500, body: { x: 1 } },
    ]);
    expect(server.pendingTokenFaults()).toBe(2);
    const first = await rawTokenCall(server);
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(JSON.parse(first.body)).toMatchObject({ Type: 'injected_fault' });
    const second = await rawTokenCall(server);
    expect(second.status).toBe(500);
    expect(second.headers['retry-after']).toBeUndefined();
    expect(JSON.parse(second.body)).toEqual({ x: 1 });
    expect((await rawTokenCall(server)).status).toBe(200);
    expect(server.counters).toMatchObject({ tokenCalls: 3, tokenFaults: 2, tokenSuccesses: 1, tokenFailures: 0 });
  });

  it('resets the connection without an answer', async () => {
    server.injectTokenFaults([{ type: 'reset' }]);
    await expect(rawTokenCall(server)).rejects.toMatchObject({ code: 'ECONNRESET' });
    server.injectTokenFaults([{ type: 'reset' }]);
    const viaAxios = http.post(server.tokenUrl, 'grant_type=client_credentials', {
      headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await expect(viaAxios).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.counters).toMatchObject({ tokenCalls: 2, tokenFaults: 2, tokenSuccesses: 0 });
  });

  it('delays the answer', async () => {
    server.injectTokenFaults([{ type: 'delay', ms: 150 }]);
    const started = Date.now();
    const res = await rawTokenCall(server);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.counters).toMatchObject({ tokenCalls: 1, tokenDelays: 1, tokenSuccesses: 1, tokenFaults: 0 });
  });

  it('hangs until close(), which resolves promptly', async () => {
    server.injectTokenFaults([{ type: 'hang' }, { type: 'delay', ms: 10_000 }]);
    const hanging = rawTokenCall(server).then(
      () => 'answered',
      () => 'failed',
    );
    const delayed = rawTokenCall(server).then(
      () => 'answered',
      () => 'failed',
    );
    const token = (
      await http.post(server.tokenUrl, 'grant_type=client_credentials', {
        headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
      })
    ).data as { access_token: string };
    const slow = http
      .get(`${server.apiBaseUrl}/slow?ms=10000`, { headers: { Authorization: `Bearer ${token.access_token}` } })
      .then(
        () => 'answered',
        () => 'failed',
      );
    await waitFor(() => server.counters.tokenCalls === 3 && server.counters.apiCalls === 1);
    await sleep(30);
    expect(server.counters).toMatchObject({ tokenFaults: 1, tokenDelays: 1, tokenSuccesses: 1 });
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hanging).toBe('failed');
    expect(await delayed).toBe('failed');
    expect(await slow).toBe('failed');
  });

  it('clears queued faults and validates them', () => {
    server.injectTokenFaults([{ type: 'reset' }, { type: 'hang' }]);
    server.clearTokenFaults();
    expect(server.pendingTokenFaults()).toBe(0);
    expect(() => server.injectTokenFaults([{ type: 'status', status: 42 }])).toThrow(RangeError);
    expect(() => server.injectTokenFaults([{ type: 'delay', ms: -1 }])).toThrow(RangeError);
    expect(() => server.injectTokenFaults([{ type: 'status', status: 503, body: { n: BigInt(1) } }])).toThrow(
      TypeError,
    );
    expect(server.pendingTokenFaults()).toBe(0);
  });

  it('injects random faults from the given random source, queued faults first', async () => {
    const values = [0.9, 0.1, 0.2, 0.1, 0.99, 0.1, 0.3];
    const random = (): number => values.shift() ?? 0.9;
    server.setRandomTokenFaults({ probability: 0.5, kinds: ['503', 'reset'], random });
    server.injectTokenFaults([{ type: 'status', status: 502 }]);
    expect((await rawTokenCall(server)).status).toBe(502); // queued, no random draw
    expect((await rawTokenCall(server)).status).toBe(200); // 0.9 >= 0.5
    expect((await rawTokenCall(server)).status).toBe(503); // 0.1 < 0.5, kinds[floor(0.2*2)]
    await expect(rawTokenCall(server)).rejects.toMatchObject({ code: 'ECONNRESET' }); // kinds[floor(0.99*2)]
    server.setRandomTokenFaults({ probability: 1, kinds: ['429', 'delay'], random, delayMs: 20 });
    expect((await rawTokenCall(server)).status).toBe(429); // 0.1, then kinds[floor(0.3*2)]
    expect((await rawTokenCall(server)).status).toBe(200); // 0.9 -> delay of 20 ms
    server.setRandomTokenFaults(null);
    expect((await rawTokenCall(server)).status).toBe(200);
    expect(server.counters).toMatchObject({ tokenCalls: 7, tokenFaults: 4, tokenDelays: 1, tokenSuccesses: 3 });
    expect(() => server.setRandomTokenFaults({ probability: 2, kinds: ['503'] })).toThrow(RangeError);
    expect(() => server.setRandomTokenFaults({ probability: 0.5, kinds: [] })).toThrow(RangeError);
  });

  it('drops a connection whose body exceeds 1 MiB', async () => {
    const token = (await rawTokenCall(server)).body;
    const { access_token: accessToken } = JSON.parse(token) as { access_token: string };
    const big = 'x'.repeat(1024 * 1024 + 10);
    await expect(
      http.post(`${server.apiBaseUrl}/upload`, big, {
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'text/plain' },
      }),
    ).rejects.toThrow();
    expect(server.counters.apiSuccesses).toBe(0);
  });
});
