/**
 * Issue 9 (items 3 and 6): an API error the plugin passes on must not reach a secret through the
 * objects axios hangs on it: a stream body (which holds the outgoing request and its headers) or
 * the instance's agents (in-flight requests, an mTLS private key). Real loopback server.
 */
import { generateKeyPairSync } from 'node:crypto';
import { rejectionOf } from '../helpers/harness';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import axios, { AxiosHeaders, type AxiosError, type AxiosInstance } from 'axios';
import { attachOAuth2, ReplayNotPossibleError } from '../../src';
import { sendJson, startLoopback, type Loopback } from '../helpers/loopback';

let lb: Loopback;
const agents: http.Agent[] = [];

beforeEach(async () => {
  lb = await startLoopback();
});
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await lb.close();
});

function keepAlive(): http.Agent {
  const agent = new http.Agent({ keepAlive: true });
  agents.push(agent);
  return agent;
}

function client(extra: Parameters<typeof axios.create>[0] = {}): AxiosInstance {
  const api = axios.create({ baseURL: `${lb.origin}/v1`, httpAgent: keepAlive(), ...extra });
  attachOAuth2(api, { tokenUrl: lb.tokenUrl, clientId: 'id', clientSecret: 'secret-value' });
  return api;
}

/** JSON.stringify, with a circular structure (itself no leak) reported as text. */
function json(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    return `<not serialisable: ${(error as Error).message.split('\n')[0]}>`;
  }
}

/** Every way a caller may log the error. */
function views(error: unknown): Record<string, string> {
  const e = error as AxiosError & { cause?: AxiosError };
  return {
    json: json(error),
    inspect: inspect(error, { depth: Infinity }),
    configJson: json(e.config ?? e.cause?.config),
    configInspect: inspect(e.config ?? e.cause?.config, { depth: Infinity }),
    responseJson: json(e.response ?? e.cause?.response),
    responseInspect: inspect(e.response ?? e.cause?.response, { depth: Infinity }),
  };
}

function expectAbsent(error: unknown, secrets: string[]): void {
  for (const [view, text] of Object.entries(views(error)))
    for (const secret of secrets)
      if (text.includes(secret)) throw new Error(`${JSON.stringify(secret)} found in ${view}`);
}

const bodies: Array<[string, () => Readable]> = [
  [
    'fs.createReadStream',
    () => {
      const file = join(mkdtempSync(join(tmpdir(), 'oauth2-')), 'body.json');
      writeFileSync(file, '{"amount":1}');
      return createReadStream(file);
    },
  ],
  ['Readable.from', () => Readable.from([Buffer.from('{"amount":1}')])],
];

describe('a stream body', () => {
  test.each(bodies)('answered 500 (%s): no view reaches the bearer', async (_, body) => {
    lb.onApi = (call, res) => sendJson(res, 500, { message: 'boom' });
    const api = client();
    const error = (await rejectionOf(
      api.post('/payins', body(), { headers: { 'content-type': 'application/json' } }),
    )) as AxiosError;
    expect(error.response?.status).toBe(500);
    expect(lb.apiCalls.map((c) => [c.token, c.body])).toEqual([['tok-1', '{"amount":1}']]);
    expectAbsent(error, ['tok-1']);
    // Still readable for code that asks for it.
    expect(typeof (error.config?.data as Readable).pipe).toBe('function');
    expect(views(error).json).toContain('"data":"[');
  });

  test.each(bodies)('answered 401 (%s): ReplayNotPossibleError and its cause reach no bearer', async (_, body) => {
    lb.onApi = (call, res) => sendJson(res, 401, { Type: 'invalid_credentials' });
    const api = client();
    const error = await rejectionOf(api.post('/payins', body()));
    expect(error).toBeInstanceOf(ReplayNotPossibleError);
    expect(lb.apiCalls).toHaveLength(1);
    expectAbsent(error, ['tok-1']);
    expectAbsent((error as { cause?: unknown }).cause, ['tok-1']);
    // The rejected token is renewed in the background: the next request joins that renewal.
    lb.onApi = undefined;
    expect((await api.get('/after')).data).toEqual({ token: 'tok-2' });
  });
});

test('an API that echoes the bearer in its error body: the views of the response scrub it', async () => {
  lb.onApi = (call, res) => sendJson(res, 500, { message: `rejected ${call.authorization}`, echo: [call.token] });
  const api = client();
  const error = (await rejectionOf(api.get('/echo'))) as AxiosError;
  expect(lb.apiCalls[0].token).toBe('tok-1');
  expectAbsent(error, ['tok-1']);
  expect(views(error).responseJson).toContain('"echo":["[redacted]"]');
  expect(error.response?.data).toEqual({ message: 'rejected Bearer tok-1', echo: ['tok-1'] }); // the live body is untouched
});

describe('the instance’s agents', () => {
  test('a keep-alive agent holding a request in flight: its bearer is not reachable from another request’s error', async () => {
    const held: Array<() => void> = [];
    lb.onApi = (call, res) => {
      if (call.path === '/v1/slow') held.push(() => sendJson(res, 200, {}));
      else sendJson(res, 500, { message: 'boom' });
    };
    const api = client();
    const slow = api.get('/slow');
    await new Promise<void>((resolve) => {
      const poll = () => (held.length > 0 ? resolve() : setImmediate(poll));
      poll();
    });
    const error = (await rejectionOf(api.get('/fails'))) as AxiosError;
    expect(error.response?.status).toBe(500);
    expectAbsent(error, ['tok-1']);
    expect(error.config?.httpAgent).toBeInstanceOf(http.Agent); // readable, not shown
    expect(views(error).json).toContain('"httpAgent":"[Agent]"');
    held[0]();
    await slow;
  });

  test('an mTLS agent: the client’s private key is not reachable', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyLine = pem.split('\n')[3];
    const httpsAgent = new https.Agent({ key: pem, keepAlive: true });
    agents.push(httpsAgent);
    lb.onApi = (call, res) => sendJson(res, 500, { message: 'boom' });
    const api = client({ httpsAgent });
    const error = (await rejectionOf(api.get('/fails'))) as AxiosError;
    expectAbsent(error, [keyLine, 'tok-1']);
    expect(error.config?.httpsAgent).toBe(httpsAgent);
  });

  test('a re-send of the error’s config (what axios-retry does) still carries the caller’s own headers and agent', async () => {
    let calls = 0;
    lb.onApi = (call, res) => {
      calls += 1;
      if (calls === 1) sendJson(res, 503, {});
      else sendJson(res, 200, { authorization: call.authorization });
    };
    const agent = keepAlive();
    const api = client();
    const error = (await rejectionOf(
      api.get('/own', { headers: { Authorization: 'Basic Y2FsbGVyOm93bg==' }, httpAgent: agent }),
    )) as AxiosError;
    expect(views(error).json).not.toContain('Y2FsbGVyOm93bg==');
    expect(views(error).inspect).toContain('Basic [redacted]');
    expect(AxiosHeaders.from(error.config!.headers).get('Authorization')).toBe('Basic Y2FsbGVyOm93bg==');
    const again = await api.request(error.config!);
    expect(again.data).toEqual({ authorization: 'Basic Y2FsbGVyOm93bg==' });
    expect(again.config.httpAgent).toBe(agent);
  });
});
