import axios, { type AxiosInstance } from 'axios';
import {
  attachOAuth2,
  AccountLockedError,
  OAuth2RequestOptionsError,
  TenantLoadError,
  TokenEndpointError,
  UnknownTenantError,
  type OAuth2Handle,
  type OAuth2Options,
  type TenantCredentials,
} from '../../../src';
import { startAuthServer, type AuthServer } from '../../../src/testing';
import { expectNoSecret } from '../../helpers/secrets';
import { revokeOnClose } from '../../../src/features/revocation';
import { tenants } from '../../../src/features/tenants';

/** 50 tenants `t0`…`t49`, each its own client of the embedded server (`client-tN` / `secret-tN`). */
const TENANTS = Array.from({ length: 50 }, (_, i) => `t${i}`);
const creds = (tenant: string): TenantCredentials => ({
  clientId: `client-${tenant}`,
  clientSecret: `secret-${tenant}`,
});

let server: AuthServer;
let api: AxiosInstance;
let handle: OAuth2Handle | undefined;
/** Every call to the loader, in order. */
let loads: string[];

beforeEach(async () => {
  server = await startAuthServer({
    lockoutAfter: 2,
    clients: TENANTS.map((t) => ({ clientId: `client-${t}`, clientSecret: `secret-${t}` })),
  });
  api = axios.create({ baseURL: server.url });
  loads = [];
});
afterEach(async () => {
  handle?.detach();
  handle = undefined;
  await server.close();
});

function attach(extra: Partial<OAuth2Options> = {}, load = (t: string) => creds(t)): OAuth2Handle {
  handle = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    retry: { retries: 0 },
    tenants: tenants({
      load: async (tenant) => {
        loads.push(tenant);
        await Promise.resolve();
        return load(tenant);
      },
    }),
    ...extra,
  });
  return handle;
}

/** A call to the tenant's own API route, which refuses another client's token. */
const call = (tenant: string) => api.get(`/v2.01/client-${tenant}/users`, { oauth2: { tenant } });

describe('many tenants on one attachment', () => {
  it('gives each tenant its own token: 10 concurrent cold requests per tenant make one load and one token call each', async () => {
    attach();
    const responses = await Promise.all(TENANTS.flatMap((t) => Array.from({ length: 10 }, () => call(t))));
    expect(responses.map((r) => r.status)).toEqual(Array(500).fill(200));
    expect(server.counters.tokenCalls).toBe(50);
    expect(loads.length).toBe(50);
    expect(new Set(loads).size).toBe(50);
    expect(server.counters.wrongClientTokens).toBe(0);
    // Hot: no more token calls, no more loads.
    await Promise.all(TENANTS.map(call));
    expect(server.counters.tokenCalls).toBe(50);
    expect(loads.length).toBe(50);
  });

  it('derives the tenant with tenants.fromRequest where no per-request option can be set', async () => {
    handle = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      tenants: tenants({
        load: (t) => creds(t),
        fromRequest: (config) => config.url?.split('/')[2]?.slice('client-'.length),
      }),
    });
    const res = await api.get('/v2.01/client-t7/users');
    expect(res.status).toBe(200);
    expect(server.issuedTokens()[0].clientId).toBe('client-t7');
  });

  it('handle calls take { tenant }; forgetTenant drops its credentials and token (the loader is asked again)', async () => {
    const auth = attach();
    const a = await auth.getToken({ tenant: 't1' });
    expect(server.issuedToken(a.accessToken)?.clientId).toBe('client-t1');
    expect(await auth.getAccessToken({ tenant: 't1' })).toBe(a.accessToken);
    const b = await auth.getAccessToken({ tenant: 't2' });
    expect(server.issuedToken(b)?.clientId).toBe('client-t2');
    await auth.invalidate({ tenant: 't1' });
    const renewed = await auth.getAccessToken({ tenant: 't1' });
    expect(renewed).not.toBe(a.accessToken);
    expect(await auth.getAccessToken({ tenant: 't2' })).toBe(b);
    expect(loads).toEqual(['t1', 't2']);
    await auth.forgetTenant('t1');
    await auth.getAccessToken({ tenant: 't1' });
    expect(loads).toEqual(['t1', 't2', 't1']);
    expect(server.counters.tokenCalls).toBe(4);
    await expect(auth.getToken({ tenant: 't1', forceRefresh: true, scope: 'a' })).resolves.toBeDefined();
    await expect(auth.getToken({ tenant: '' })).rejects.toMatchObject({ option: 'getToken.tenant' });
  });

  it('an unknown tenant fails with UnknownTenantError, no token call, and is not asked again within retryMs', async () => {
    const clock = { now: 1_000_000 };
    handle = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clock: () => clock.now,
      tenants: tenants({
        retryMs: 5_000,
        load: (t) => {
          loads.push(t);
          return undefined;
        },
      }),
    });
    const error = await call('nobody').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownTenantError);
    expect(error).toMatchObject({ code: 'OAUTH2_UNKNOWN_TENANT', tenant: 'nobody' });
    await expect(call('nobody')).rejects.toBeInstanceOf(UnknownTenantError);
    expect(loads).toEqual(['nobody']);
    clock.now += 5_000;
    await expect(call('nobody')).rejects.toBeInstanceOf(UnknownTenantError);
    expect(loads).toEqual(['nobody', 'nobody']);
    expect(server.counters.tokenCalls).toBe(0);
  });

  it('a loader that throws fails with TenantLoadError (a plain copy as cause), no token call, and backs off', async () => {
    attach({}, () => {
      throw Object.assign(new Error('vault is sealed'), { code: 'SEALED', token: 'hvs.secret' });
    });
    const error = (await call('t1').catch((e: unknown) => e)) as TenantLoadError;
    expect(error).toBeInstanceOf(TenantLoadError);
    expect(error).toMatchObject({ reason: 'threw', tenant: 't1', code: 'OAUTH2_TENANT_LOAD_FAILED' });
    expect((error.cause as Error & { code: string }).code).toBe('SEALED');
    expect(error.cause).not.toHaveProperty('token');
    await expect(call('t1')).rejects.toBeInstanceOf(TenantLoadError);
    expect(loads).toEqual(['t1']);
    expect(server.counters.tokenCalls).toBe(0);
  });

  it('a loader that hangs fails with TenantLoadError (timeout) at the token deadline, its signal aborted', async () => {
    let seen: AbortSignal | undefined;
    handle = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      tokenRequestTimeoutMs: 50,
      tenants: tenants({
        load: (_t, { signal }) => {
          seen = signal;
          return new Promise<undefined>(() => undefined);
        },
      }),
    });
    await expect(call('t1')).rejects.toMatchObject({ name: 'TenantLoadError', reason: 'timeout' });
    expect(seen?.aborted).toBe(true);
    expect(server.counters.tokenCalls).toBe(0);
  });

  it('refuses invalid credentials from the loader naming the field, never the secret, with no token call', async () => {
    attach({}, (t) => ({ clientId: `client-${t}`, clientSecret: 42 }) as unknown as TenantCredentials);
    const error = (await call('t1').catch((e: unknown) => e)) as TenantLoadError;
    expect(error).toMatchObject({ reason: 'invalid', field: 'clientSecret' });
    handle?.detach();
    attach({}, (t) => ({ clientId: `client-${t}`, clientSecret: 'secret-t1', clientSecrte: 'x' }) as TenantCredentials);
    const typo = (await call('t1').catch((e: unknown) => e)) as TenantLoadError;
    expect(typo).toMatchObject({ reason: 'invalid', field: 'clientSecrte' });
    handle?.detach();
    attach({}, () => ({ clientId: 'client-t1', clientSecret: 'secret-t1', tokenUrl: 'http://auth.example.com/token' }));
    const insecure = (await call('t1').catch((e: unknown) => e)) as TenantLoadError;
    expect(insecure).toMatchObject({ reason: 'invalid', field: 'tokenUrl' });
    expectNoSecret(insecure, ['secret-t1']);
    expect(server.counters.tokenCalls).toBe(0);
  });

  it('a request without a tenant fails (no credentials of its own), or uses the attachment own credentials', async () => {
    attach();
    await expect(api.get(`/v2.01/${server.clientId}/users`)).rejects.toMatchObject({
      name: 'OAuth2RequestOptionsError',
      option: 'oauth2.tenant',
    });
    handle?.detach();
    attach({ clientId: server.clientId, clientSecret: server.clientSecret });
    expect((await api.get(`/v2.01/${server.clientId}/users`)).status).toBe(200);
    expect((await call('t3')).status).toBe(200);
    expect(server.issuedTokens().map((t) => t.clientId)).toEqual([server.clientId, 'client-t3']);
  });

  it('refuses oauth2.tenant on an attachment without tenants', async () => {
    handle = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
    });
    const error = await api
      .get(`/v2.01/${server.clientId}/users`, { oauth2: { tenant: 't1' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
    expect(error).toMatchObject({ option: 'oauth2.tenant' });
    expect(server.counters.tokenCalls).toBe(0);
  });

  it('refuses oauth2.subjectToken on a tenants attachment without token exchange, as without tenants', async () => {
    attach();
    const error = await api
      .get('/v2.01/client-t1/users', { oauth2: { tenant: 't1', subjectToken: 'a-user-token' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
    expect(error).toMatchObject({ option: 'oauth2.subjectToken' });
    expect(server.counters.tokenCalls).toBe(0);
    expectNoSecret(error, ['a-user-token']);
  });

  it('after invalid_client asks the loader once more: a rotated secret gets the token in the same flight', async () => {
    // The server has the rotated secret; the loader answers the old one first, then the new one.
    server.addClient({ clientId: 'client-t1', clientSecret: 'new-secret' });
    let answers = ['old-secret', 'new-secret'];
    attach({}, (t) => ({ clientId: `client-${t}`, clientSecret: answers.shift() ?? 'new-secret' }));
    expect((await call('t1')).status).toBe(200);
    expect(loads).toEqual(['t1', 't1']);
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.counters.badCredentials).toBe(1);
    // Not rotated: asked once more, then the error is served from the failure cache (no loader, no token call).
    handle?.detach();
    loads = [];
    server.resetCounters();
    answers = [];
    attach({}, (t) => ({ clientId: `client-${t}`, clientSecret: 'wrong' }));
    const error = await call('t2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: 'invalid_client' });
    expect(loads).toEqual(['t2', 't2']);
    expect(server.counters.tokenCalls).toBe(1);
    await expect(call('t2')).rejects.toBeInstanceOf(TokenEndpointError);
    expect(loads).toEqual(['t2', 't2']);
    expect(server.counters.tokenCalls).toBe(1);
  });

  it('a lockout of tenant A costs tenant B no token call and no delay', async () => {
    server.addClient({ clientId: 'client-ta', clientSecret: 'right' });
    server.addClient({ clientId: 'client-tb', clientSecret: 'secret-tb' });
    // Two bad attempts lock client-ta at the server (lockoutAfter: 2), each its own renewal (no failure cache).
    attach({ failureCacheMs: 0 }, (t) => ({
      clientId: `client-${t}`,
      clientSecret: t === 'ta' ? 'wrong' : `secret-${t}`,
    }));
    await expect(call('ta')).rejects.toBeInstanceOf(TokenEndpointError);
    await expect(call('ta')).rejects.toBeInstanceOf(TokenEndpointError);
    expect(server.isClientLocked('client-ta')).toBe(true);
    await expect(call('ta')).rejects.toBeInstanceOf(AccountLockedError);
    const callsAtLockout = server.counters.tokenCalls;
    // A's cool-down is open: A fails at once with no token call...
    await expect(call('ta')).rejects.toBeInstanceOf(AccountLockedError);
    expect(server.counters.tokenCalls).toBe(callsAtLockout);
    // ...and B gets its token with exactly one token call, without waiting for A's cool-down.
    expect((await call('tb')).status).toBe(200);
    expect(server.counters.tokenCalls).toBe(callsAtLockout + 1);
    expect(server.isClientLocked('client-tb')).toBe(false);
  });

  it("close() with revokeOnClose() revokes the attachment's own token, never a tenant's with the wrong client", async () => {
    const auth = attach({
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      extensions: [revokeOnClose({ url: server.revocationUrl })],
    });
    await call('t1');
    await api.get(`/v2.01/${server.clientId}/users`);
    await auth.close();
    handle = undefined;
    expect(server.counters.revocationCalls).toBe(1);
    expect(
      server
        .issuedTokens()
        .filter((t) => t.revoked)
        .map((t) => t.clientId),
    ).toEqual([server.clientId]);
  });

  it("names the tenant in its token and lockout events (a tenant's name, never its secret)", async () => {
    const events: Array<[string, unknown]> = [];
    server.addClient({ clientId: 'client-tl', clientSecret: 'right' });
    attach(
      {
        hooks: {
          onTokenAcquired: (e) => events.push(['acquired', e]),
          onLockoutOpened: (e) => events.push(['locked', e]),
        },
      },
      (t) => ({ clientId: `client-${t}`, clientSecret: t === 'tl' ? 'wrong' : `secret-${t}` }),
    );
    await call('t1');
    server.injectTokenFaults([
      { type: 'status', status: 400, body: { error: 'unauthorized_client', error_description: 'locked' } },
    ]);
    await expect(call('tl')).rejects.toBeInstanceOf(AccountLockedError);
    expect(events).toEqual([
      ['acquired', expect.objectContaining({ tenant: 't1', grant: 'client_credentials' })],
      ['locked', expect.objectContaining({ tenant: 'tl', error: 'unauthorized_client' })],
    ]);
    expectNoSecret(events, ['secret-t1', 'wrong']);
  });
});
