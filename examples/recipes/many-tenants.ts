// Many tenants on one attachment: each customer (tenant) with its own client credentials, loaded on demand.
import axios from 'axios';
import { attachOAuth2, UnknownTenantError, type TenantCredentials } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';
import { tenants } from 'axios-oauth2-bearer/tenants';

// One authorization server, one client per tenant (a Mangopay client per legal entity, say).
const server = await startAuthServer({
  clients: [
    { clientId: 'acme-client', clientSecret: 'acme-key' },
    { clientId: 'globex-client', clientSecret: 'globex-key' },
  ],
});

// A loader from a map (credentials in configuration)…
const fromMap = new Map<string, TenantCredentials>([['acme', { clientId: 'acme-client', clientSecret: 'acme-key' }]]);
// …and one from a secrets store (simulated: an async lookup that honours the abort signal).
const secretsStore = async (name: string, signal: AbortSignal): Promise<string | undefined> => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  signal.throwIfAborted();
  return name === 'tenants/globex'
    ? JSON.stringify({ clientId: 'globex-client', clientSecret: 'globex-key' })
    : undefined;
};
let loads = 0;

const api = axios.create({ baseURL: server.url });
const auth = attachOAuth2(api, {
  tokenUrl: server.tokenUrl, // the tenants' token endpoint (a tenant may name its own)
  tenants: tenants({
    load: async (tenant, { signal }) => {
      loads += 1;
      const known = fromMap.get(tenant);
      if (known) return known;
      const stored = await secretsStore(`tenants/${tenant}`, signal);
      return stored === undefined ? undefined : (JSON.parse(stored) as TenantCredentials); // undefined: unknown tenant
    },
    maxTenants: 1_000, // credentials and tokens held at most (least recently used dropped first)
    idleMs: 60 * 60_000, // and a tenant unused for an hour is dropped
  }),
});

// Each request names its tenant; each tenant's token is its own (the API refuses another client's token).
const users = (tenant: string, clientId: string) =>
  api.get(`/v2.01/${clientId}/users`, { oauth2: { tenant } }).then((r) => r.status);
const statuses = await Promise.all([
  users('acme', 'acme-client'),
  users('globex', 'globex-client'),
  users('acme', 'acme-client'),
  users('globex', 'globex-client'),
]);
console.log('statuses:', statuses.join(' '));
console.log('token calls:', server.counters.tokenCalls, 'loads:', loads); // one of each per tenant

// An unknown tenant: a typed error, no token call.
try {
  await api.get('/v2.01/x/users', { oauth2: { tenant: 'initech' } });
} catch (error) {
  if (!(error instanceof UnknownTenantError)) throw error;
  console.log(`${error.code} (tenant ${error.tenant})`);
}

// A customer disconnects: its credentials and token are dropped (here and in the store).
await auth.forgetTenant('globex');
console.log('acme token held:', (await auth.getToken({ tenant: 'acme' })).tokenType);

await auth.close();
await server.close();
// Prints:
// statuses: 200 200 200 200
// token calls: 2 loads: 2
// OAUTH2_UNKNOWN_TENANT (tenant initech)
// acme token held: Bearer
