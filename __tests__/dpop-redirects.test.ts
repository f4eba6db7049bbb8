/**
 * The `DPoP` proof is a credential like `Authorization`: on a redirect to another origin neither is
 * forwarded. Real loopback servers on two origins: the API origin (it redirects) and another one
 * (it records what reached it); tokens from the DPoP test server.
 */
import axios from 'axios';
import { attachOAuth2 } from '../src';
import { startDPoPServer, type DPoPServer } from './helpers/dpop-server';
import { json, startRawServer, type RawServer } from './helpers/raw-server';

let as: DPoPServer;
let apiServer: RawServer;
let elsewhere: RawServer;

beforeAll(async () => {
  as = await startDPoPServer();
  elsewhere = await startRawServer((_req, res) => json(res, 200, { landed: true }));
  apiServer = await startRawServer((req, res) => {
    const target = req.url.startsWith('/away') ? elsewhere.url : apiServer.url.replace('127.0.0.1', 'localhost');
    res.writeHead(302, { Location: `${target}/landing` });
    res.end();
  });
});

afterAll(async () => {
  await Promise.all([as.close(), apiServer.close(), elsewhere.close()]);
});

beforeEach(() => {
  elsewhere.requests.length = 0;
  apiServer.requests.length = 0;
});

describe.each(['http'] as const)('%s adapter', (adapter) => {
  test('a redirect to another origin carries neither Authorization nor DPoP', async () => {
    const api = axios.create({ baseURL: apiServer.url, adapter });
    const auth = attachOAuth2(api, { tokenUrl: as.tokenUrl, clientId: 'c', clientSecret: 's', dpop: true });
    const answer = await api.get('/away');
    expect(answer.data).toEqual({ landed: true });
    // The API origin got both.
    expect(apiServer.requests[0].headers.authorization).toMatch(/^DPoP /);
    expect(apiServer.requests[0].headers.dpop).toEqual(expect.any(String));
    // The other origin got neither.
    expect(elsewhere.requests.map((r) => [r.url, r.headers.authorization, r.headers.dpop])).toEqual([
      ['/landing', undefined, undefined],
    ]);
    auth.detach();
  });
});
