/**
 * Many tenants with token exchange: heap per idle tenant holding one subject's exchanged token (its
 * own subject entries, HMAC key and selection table), beside the heap per idle tenant without it.
 */
import axios, { type AxiosAdapter } from 'axios';
import { attachOAuth2 } from '../src';
import { tokenExchange, TOKEN_TYPES } from '../src/features/token-exchange';
import { instantAdapter } from './hot-path';
import { tenants } from '../src/features/tenants';

const TOKEN_URL = 'https://auth.bench.local/oauth/token';
const BASE = 'https://api.bench.local';

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** A token endpoint answering every exchange at once with a new 32-character token. */
function exchangeEndpoint(): AxiosAdapter {
  let calls = 0;
  return async (config) => {
    calls += 1;
    const token = `tok-${String(calls).padStart(28, '0')}`;
    const body = { access_token: token, token_type: 'bearer', expires_in: 3600 };
    return {
      data: JSON.stringify({ ...body, issued_token_type: TOKEN_TYPES.accessToken }),
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'application/json' },
      config,
      request: {},
    };
  };
}

const flat = (text: string) => Buffer.from(text, 'latin1').toString('latin1');
const credentials = (tenant: string) => ({
  clientId: flat(`client-${tenant}`),
  clientSecret: flat(`secret-${tenant}-0123456789`),
});

/** Heap (after GC) per idle tenant holding one subject's exchanged token, `count` tenants on one attachment. */
export async function tenantExchangeMemory(count: number): Promise<{ perTenant: number }> {
  const names = Array.from({ length: count }, (_, i) => flat(`tenant-${String(i).padStart(6, '0')}`));
  const api = axios.create({ baseURL: BASE, adapter: instantAdapter });
  const auth = attachOAuth2(api, {
    tokenUrl: TOKEN_URL,
    tokenHttpClient: axios.create({ adapter: exchangeEndpoint() }),
    grant: tokenExchange({ subjectTokenType: TOKEN_TYPES.accessToken }),
    tenants: tenants({ maxTenants: count * 2, load: credentials }),
  });
  // One user (the same subject token for every tenant: its string is not counted per tenant).
  const subjectToken = flat('subject-token-of-one-user-0123456789');
  const load = async (batch: string[]) => {
    for (let i = 0; i < batch.length; i += 100)
      await Promise.all(batch.slice(i, i + 100).map((tenant) => auth.getAccessToken({ tenant, subjectToken })));
  };
  await load(names.map((name) => flat(`warm-${name}`)).slice(0, 1_000));
  const before = heapAfterGc();
  await load(names);
  const perTenant = (heapAfterGc() - before) / count;
  auth.detach();
  return { perTenant };
}
