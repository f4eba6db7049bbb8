/** Heap growth per request, and what `detach()` leaves behind. */
import axios from 'axios';
import { attachOAuth2 } from '../src';
import { instantAdapter, withPlugin } from './hot-path';

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function run(api: { get: (url: string) => Promise<unknown> }, count: number): Promise<void> {
  const batch = 100;
  for (let i = 0; i < count; i += batch) await Promise.all(Array.from({ length: batch }, () => api.get('/users')));
}

/** Heap (MB) after 10,000 and after `total` requests through one attached instance. */
export async function heapGrowth(total: number): Promise<{ after10k: number; afterTotal: number }> {
  const api = await withPlugin('https://api.bench.local/v2.01/bench', instantAdapter);
  await run(api, 10_000);
  const after10k = heapAfterGc();
  await run(api, total - 10_000);
  const afterTotal = heapAfterGc();
  return { after10k: after10k / 2 ** 20, afterTotal: afterTotal / 2 ** 20 };
}

/** Interceptors, timers and other active handles left after `detach()`, against a fresh instance. */
export async function leftAfterDetach(): Promise<{ interceptors: number; resources: number }> {
  const resourcesBefore = process.getActiveResourcesInfo().length;
  const api = axios.create({ baseURL: 'https://api.bench.local/v2.01/bench', adapter: instantAdapter });
  const auth = attachOAuth2(api, {
    tokenUrl: 'https://api.bench.local/oauth/token',
    clientId: 'bench',
    clientSecret: 'bench-secret',
    tokenHttpClient: axios.create({
      adapter: async (config) => ({
        data: '{"access_token":"a","token_type":"bearer","expires_in":60}',
        status: 200,
        statusText: 'OK',
        headers: {},
        config,
        request: {},
      }),
    }),
  });
  await run(api, 1_000);
  auth.detach();
  type Visitable = { forEach(visit: (handler: unknown) => void): void }; // present at runtime, absent from axios's types
  let interceptors = 0;
  (api.interceptors.request as unknown as Visitable).forEach(() => (interceptors += 1));
  (api.interceptors.response as unknown as Visitable).forEach(() => (interceptors += 1));
  await new Promise((resolve) => setImmediate(resolve));
  return { interceptors, resources: process.getActiveResourcesInfo().length - resourcesBefore };
}
