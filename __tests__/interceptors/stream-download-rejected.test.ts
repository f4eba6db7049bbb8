/**
 * Issue 9 (item 11): a `responseType: 'stream'` request answered "token rejected" is replayed, and
 * the rejected response (whose body nobody reads) gives its connection back first. Real keep-alive
 * server that never closes idle connections by itself, and an agent with two sockets, shared with
 * the token requests: were the rejected responses kept open, the token fetch would never be sent.
 */
import http from 'node:http';
import type { Readable } from 'node:stream';
import axios from 'axios';
import { attachOAuth2 } from '../../src';
import { sendJson, startLoopback, type Loopback } from '../helpers/loopback';

let lb: Loopback;
let agent: http.Agent;
beforeEach(async () => {
  lb = await startLoopback();
  agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
});
afterEach(async () => {
  agent.destroy();
  await lb.close();
});

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

test('two stream downloads answered 401 on a two-socket agent: both replayed, the rejected responses’ sockets closed', async () => {
  const api = axios.create({ baseURL: `${lb.origin}/v1`, httpAgent: agent });
  attachOAuth2(api, { tokenUrl: lb.tokenUrl, clientId: 'id', clientSecret: 'secret-value' });
  lb.onApi = (call, res) => {
    if (call.token === 'tok-1' && call.path !== '/v1/warm-up')
      return sendJson(res, 401, { Type: 'invalid_credentials' });
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(`file ${call.path} for ${call.token}`);
  };
  await api.get('/warm-up'); // tok-1 is cached, so both downloads start at once with it

  const downloads = await Promise.all(
    ['/a.bin', '/b.bin'].map((path) => api.get<Readable>(path, { responseType: 'stream' })),
  );

  expect(await Promise.all(downloads.map((r) => readAll(r.data)))).toEqual([
    'file /v1/a.bin for tok-2',
    'file /v1/b.bin for tok-2',
  ]);
  expect(lb.tokenCalls).toHaveLength(2);
  const rejected = lb.apiCalls.filter((c) => c.path !== '/v1/warm-up' && c.token === 'tok-1');
  expect(rejected).toHaveLength(2);
  // The server saw the connections of both rejected responses closed (released, not left to idle).
  await Promise.all(rejected.map((c) => lb.closed(c.connection)));
  expect(new Set(rejected.map((c) => c.connection)).size).toBe(2);
}, 10_000);
