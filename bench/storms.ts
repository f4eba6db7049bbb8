/** Token calls in two storms: a cold cache under 10,000 concurrent requests, and 1,000 simultaneous 401s. */
import axios, { AxiosError, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { attachOAuth2 } from '../src';

function reply(config: InternalAxiosRequestConfig, status: number, data: unknown) {
  return {
    data,
    status,
    statusText: String(status),
    headers: { 'content-type': 'application/json' },
    config,
    request: {},
  };
}

/** A token endpoint and an API in one adapter; the API accepts only `valid` tokens. */
function fakeServer() {
  const state = { tokenCalls: 0, issued: 0, valid: new Set<string>() };
  const adapter: AxiosAdapter = async (config) => {
    await new Promise((resolve) => setImmediate(resolve));
    if (config.url?.includes('/oauth/token')) {
      state.tokenCalls += 1;
      const token = `t${++state.issued}`;
      state.valid.add(token);
      return reply(config, 200, JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 3600 }));
    }
    const token = String(config.headers.Authorization ?? '').slice('Bearer '.length);
    if (state.valid.has(token)) return reply(config, 200, {});
    const response = reply(config, 401, { Type: 'invalid_credentials' });
    throw new AxiosError('Request failed with status code 401', 'ERR_BAD_REQUEST', config, {}, response);
  };
  return { state, adapter };
}

function client(adapter: AxiosAdapter) {
  const api = axios.create({ baseURL: 'https://api.bench.local/v2.01/bench', adapter });
  const auth = attachOAuth2(api, {
    tokenUrl: 'https://api.bench.local/v2.01/oauth/token',
    clientId: 'bench',
    clientSecret: 'bench-secret',
  });
  return { api, auth };
}

export async function coldCacheStorm(requests: number): Promise<{ tokenCalls: number; failed: number }> {
  const { state, adapter } = fakeServer();
  const { api } = client(adapter);
  const results = await Promise.allSettled(Array.from({ length: requests }, () => api.get('/users')));
  return { tokenCalls: state.tokenCalls, failed: results.filter((r) => r.status === 'rejected').length };
}

export async function rejectionStorm(requests: number): Promise<{ tokenCalls: number; failed: number }> {
  const { state, adapter } = fakeServer();
  const { api, auth } = client(adapter);
  await auth.getAccessToken();
  state.valid.clear(); // revoke everything server-side
  const before = state.tokenCalls;
  const results = await Promise.allSettled(Array.from({ length: requests }, () => api.get('/users')));
  return { tokenCalls: state.tokenCalls - before, failed: results.filter((r) => r.status === 'rejected').length };
}
