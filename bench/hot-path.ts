/** Hot-path cost with a cached token: the plugin vs a static header vs axios-auth-refresh. */
import axios, { type AxiosAdapter, type AxiosInstance } from 'axios';
import createAuthRefreshInterceptor from 'axios-auth-refresh';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { attachOAuth2, type OAuth2Options } from '../src';
import { compare } from './measure';

const TOKEN_URL = 'https://auth.bench.local/oauth/token';

/** Paths as an SDK sends them: one base URL, resource ids in the path (1,000 distinct). */
let pathCounter = 0;
const nextPath = () => `/users/${(pathCounter = (pathCounter + 1) % 1000)}`;

/** An adapter that answers at once, so only the interceptors are measured. */
export const instantAdapter: AxiosAdapter = async (config) => ({
  data: null,
  status: 200,
  statusText: 'OK',
  headers: {},
  config,
  request: {},
});

/** A token endpoint answering at once with an hour-long token (the token client of the plugin rows). */
export const tokenAdapter: AxiosAdapter = async (config) => ({
  data: JSON.stringify({ access_token: 'bench-token', token_type: 'bearer', expires_in: 3600 }),
  status: 200,
  statusText: 'OK',
  headers: { 'content-type': 'application/json' },
  config,
  request: {},
});

export function staticHeader(baseURL: string, adapter?: AxiosAdapter, agent?: http.Agent): AxiosInstance {
  return axios.create({ baseURL, adapter, httpAgent: agent, headers: { Authorization: 'Bearer bench-token' } });
}

export async function withPlugin(
  baseURL: string,
  adapter?: AxiosAdapter,
  agent?: http.Agent,
  extra: Partial<OAuth2Options> = {},
): Promise<AxiosInstance> {
  const api = axios.create({ baseURL, adapter, httpAgent: agent });
  const auth = attachOAuth2(api, {
    tokenUrl: TOKEN_URL,
    clientId: 'bench',
    clientSecret: 'bench-secret',
    apiOrigins: [new URL(baseURL).origin],
    tokenHttpClient: axios.create({ adapter: tokenAdapter }),
    ...extra,
  });
  await auth.getAccessToken();
  return api;
}

/** What users pick today: axios-auth-refresh plus a hand-written bearer request interceptor. */
export function withAuthRefresh(baseURL: string, adapter?: AxiosAdapter, agent?: http.Agent): AxiosInstance {
  const api = axios.create({ baseURL, adapter, httpAgent: agent });
  let token = 'bench-token';
  api.interceptors.request.use((config) => {
    config.headers.Authorization = `Bearer ${token}`;
    return config;
  });
  createAuthRefreshInterceptor(api, async () => {
    token = 'bench-token-2';
  });
  return api;
}

export async function inProcess(count: number, rounds: number) {
  const base = 'https://api.bench.local/v2.01/bench';
  const floor = staticHeader(base, instantAdapter);
  const plugin = await withPlugin(base, instantAdapter);
  const peer = withAuthRefresh(base, instantAdapter);
  return compare(
    {
      static: () => floor.get(nextPath()),
      plugin: () => plugin.get(nextPath()),
      'axios-auth-refresh': () => peer.get(nextPath()),
    },
    { count, rounds },
  );
}

/** The loopback API server, in a child process so its work does not share the client's event loop. */
const SERVER_SOURCE = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
    res.end('{}');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

async function startServerProcess(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return { port, stop: () => child.kill() };
}

export async function overLoopback(count: number, rounds: number) {
  const server = await startServerProcess();
  const base = `http://127.0.0.1:${server.port}/v2.01/bench`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const floor = staticHeader(base, undefined, agent);
    const plugin = await withPlugin(base, undefined, agent);
    const peer = withAuthRefresh(base, undefined, agent);
    return await compare(
      {
        static: () => floor.get(nextPath()),
        plugin: () => plugin.get(nextPath()),
        'axios-auth-refresh': () => peer.get(nextPath()),
      },
      { count, rounds, concurrency: 8 },
    );
  } finally {
    agent.destroy();
    server.stop();
  }
}
