/**
 * Many tenants: memory per idle tenant holding a token, token calls of cold tenants, the time per
 * 1,000 cold tenants against the embedded server, and the hot path of a tenant's cached token.
 */
import axios, { type AxiosAdapter, type AxiosInstance } from 'axios';
import { attachOAuth2, type OAuth2Handle } from '../src';
import { startAuthServer } from '../src/testing';
import { instantAdapter } from './hot-path';
import { compare, type Comparison } from './measure';
import { tenants as tenantsFeature } from '../src/features/tenants';

const TOKEN_URL = 'https://auth.bench.local/oauth/token';
const BASE = 'https://api.bench.local';

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** A token endpoint answering at once with a new 32-character token each call; counts its calls. */
function tokenEndpoint(): { adapter: AxiosAdapter; calls: () => number } {
  let calls = 0;
  const adapter: AxiosAdapter = async (config) => {
    calls += 1;
    const token = `tok-${String(calls).padStart(28, '0')}`;
    return {
      data: JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 3600 }),
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'application/json' },
      config,
      request: {},
    };
  };
  return { adapter, calls: () => calls };
}

/** A flat string, as a secrets store or JSON gives (a template literal makes a concatenation, larger). */
const flat = (text: string) => Buffer.from(text, 'latin1').toString('latin1');
const credentials = (tenant: string) => ({
  clientId: flat(`client-${tenant}`),
  clientSecret: flat(`secret-${tenant}-0123456789`),
});

/** V8 heap size of a sequential one-byte string of `length` characters (header 16 bytes, 8-byte aligned). */
const stringBytes = (length: number) => 16 + Math.ceil(length / 8) * 8;

export interface TenantMemory {
  /** Heap per tenant (bytes), everything included. */
  perTenant: number;
  /** The same minus the token and credential strings (access token, client id, client secret). */
  beyondStrings: number;
  /** Heap per tenant with one axios instance and attachment each (the way without tenants). */
  perAttachment: number;
}

/** Heap (after GC) per idle tenant holding a token: `count` tenants on one attachment, against one attachment each. */
export async function tenantMemory(count: number): Promise<TenantMemory> {
  const names = Array.from({ length: count }, (_, i) => flat(`tenant-${String(i).padStart(6, '0')}`));
  const server = tokenEndpoint();
  const api = axios.create({ baseURL: BASE, adapter: instantAdapter });
  const auth = attachOAuth2(api, {
    tokenUrl: TOKEN_URL,
    tokenHttpClient: axios.create({ adapter: server.adapter }),
    tenants: tenantsFeature({ maxTenants: count * 2, load: credentials }),
  });
  const load = async (batch: string[]) => {
    for (let i = 0; i < batch.length; i += 100)
      await Promise.all(batch.slice(i, i + 100).map((tenant) => auth.getAccessToken({ tenant })));
  };
  // Warm-up (code compiled on first use, the tables' first growth): 1,000 other tenants, not counted.
  await load(names.map((name) => flat(`warm-${name}`)).slice(0, 1_000));
  const before = heapAfterGc();
  await load(names);
  const after = heapAfterGc();
  const perTenant = (after - before) / count;
  const sample = credentials(names[0]);
  const strings = stringBytes(32) + stringBytes(sample.clientId.length) + stringBytes(sample.clientSecret.length);
  auth.detach();

  // One axios instance and one attachment per tenant (1,000 of them: the per-tenant cost is flat).
  const each = Math.min(count, 1_000);
  // One token client for all (the bench's token endpoint), so each tenant pays its API instance and attachment.
  const tokenHttpClient = axios.create({ adapter: server.adapter });
  const handles: Array<{ api: AxiosInstance; auth: OAuth2Handle }> = [];
  const attachEach = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const one = axios.create({ baseURL: BASE, adapter: instantAdapter });
      const h = {
        api: one,
        auth: attachOAuth2(one, { tokenUrl: TOKEN_URL, ...credentials(names[i]), tokenHttpClient }),
      };
      handles.push(h);
      await h.auth.getAccessToken();
    }
  };
  await attachEach(0, 100); // warm-up
  const base = heapAfterGc();
  await attachEach(100, 100 + each);
  const perAttachment = (heapAfterGc() - base) / each;
  for (const h of handles) h.auth.detach();
  return { perTenant, beyondStrings: perTenant - strings, perAttachment };
}

/** `tenants` × `concurrency` concurrent cold requests (in-process): the token calls made, and failures. */
export async function coldTenants(
  tenants: number,
  concurrency: number,
): Promise<{ tokenCalls: number; failed: number }> {
  const server = tokenEndpoint();
  const api = axios.create({ baseURL: BASE, adapter: instantAdapter });
  const auth = attachOAuth2(api, {
    tokenUrl: TOKEN_URL,
    tokenHttpClient: axios.create({ adapter: server.adapter }),
    tenants: tenantsFeature({ maxTenants: tenants, load: credentials }),
  });
  let failed = 0;
  const batch = 1_000;
  for (let t = 0; t < tenants; t += batch) {
    const requests: Array<Promise<unknown>> = [];
    for (let i = t; i < Math.min(t + batch, tenants); i++)
      for (let k = 0; k < concurrency; k++)
        requests.push(api.get('/users', { oauth2: { tenant: `t${i}` } }).catch(() => (failed += 1)));
    await Promise.all(requests);
  }
  auth.detach();
  return { tokenCalls: server.calls(), failed };
}

/** Milliseconds for 1,000 cold tenants (one request each, 50 at a time) against the embedded server over loopback. */
export async function coldTenantsOverLoopback(tenants = 1_000): Promise<{ ms: number; tokenCalls: number }> {
  const clients = Array.from({ length: tenants }, (_, i) => credentials(`t${i}`)).map((c) => ({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
  }));
  const server = await startAuthServer({ clients });
  const api = axios.create({ baseURL: server.url });
  const auth = attachOAuth2(api, { tokenUrl: server.tokenUrl, tenants: tenantsFeature({ load: credentials }) });
  try {
    const start = process.hrtime.bigint();
    for (let i = 0; i < tenants; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, tenants - i) }, (_, k) =>
          api.get(`/v2.01/client-t${i + k}/users`, { oauth2: { tenant: `t${i + k}` } }),
        ),
      );
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { ms, tokenCalls: server.counters.tokenCalls };
  } finally {
    auth.detach();
    await server.close();
  }
}

/** The hot path with a cached token: one client (the floor) against a tenant's (`oauth2.tenant`), 100 tenants in turn. */
export async function tenantHotPath(count: number, rounds: number): Promise<Comparison> {
  const server = tokenEndpoint();
  const single = axios.create({ baseURL: BASE, adapter: instantAdapter });
  const one = attachOAuth2(single, {
    tokenUrl: TOKEN_URL,
    ...credentials('single'),
    tokenHttpClient: axios.create({ adapter: server.adapter }),
  });
  await one.getAccessToken();
  const many = axios.create({ baseURL: BASE, adapter: instantAdapter });
  const auth = attachOAuth2(many, {
    tokenUrl: TOKEN_URL,
    tokenHttpClient: axios.create({ adapter: server.adapter }),
    tenants: tenantsFeature({ load: credentials }),
  });
  const tenants = Array.from({ length: 100 }, (_, i) => `t${i}`);
  for (const tenant of tenants) await auth.getAccessToken({ tenant });
  // The tenant from the request itself, as for an SDK: no per-request options (here from its URL).
  const derived = axios.create({ baseURL: BASE, adapter: instantAdapter });
  const byHeader = attachOAuth2(derived, {
    tokenUrl: TOKEN_URL,
    tokenHttpClient: axios.create({ adapter: server.adapter }),
    tenants: tenantsFeature({
      load: credentials,
      fromRequest: (config) => (config.url === '/users' ? 't0' : undefined),
    }),
  });
  await byHeader.getAccessToken({ tenant: 't0' });
  const plainOptions = { oauth2: { skip: false } };
  const sameOptions = { oauth2: { tenant: 't0' } };
  const perTenant = tenants.map((tenant) => ({ oauth2: { tenant } }));
  let next = 0;
  try {
    return await compare(
      {
        'one client': () => single.get('/users'),
        'one client, per-request options': () => single.get('/users', plainOptions),
        'one tenant': () => many.get('/users', sameOptions),
        'one tenant, fromRequest': () => derived.get('/users'),
        '100 tenants in turn': () => many.get('/users', perTenant[(next = (next + 1) % 100)]),
      },
      { count, rounds },
    );
  } finally {
    one.detach();
    auth.detach();
    byHeader.detach();
  }
}
