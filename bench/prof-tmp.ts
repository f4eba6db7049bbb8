import axios, { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { attachOAuth2 } from '../src';
const BASE = 'https://api.bench.local/v2.01/bench';
async function main() {
  const api = axios.create({ baseURL: BASE });
  await attachOAuth2(api, { tokenUrl: 'https://auth.bench.local/oauth/token', clientId: 'b', clientSecret: 'bench-secret', apiOrigins: [new URL(BASE).origin],
    tokenHttpClient: axios.create({ adapter: async (config) => ({ data: JSON.stringify({ access_token: 'bench-token', token_type: 'bearer', expires_in: 3600 }), status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, config, request: {} }) }) }).getAccessToken();
  const [sync, as] = (api.interceptors.request as any).handlers;
  const [resp] = (api.interceptors.response as any).handlers;
  const t = process.hrtime.bigint();
  for (let i = 0; i < 2_000_000; i++) {
    const config = { url: `/users/${i % 1000}`, baseURL: BASE, method: 'get', headers: new AxiosHeaders({ Accept: 'application/json, text/plain, */*' }) } as InternalAxiosRequestConfig;
    sync.runWhen(config); as.runWhen(config);
    const sent = sync.fulfilled(config);
    resp.fulfilled({ status: 200, statusText: 'OK', headers: {}, data: null, config: sent, request: {} });
  }
  console.log(Number(process.hrtime.bigint() - t) / 2_000_000, 'ns/iter');
}
void main();
