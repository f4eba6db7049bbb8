import axios, { type AxiosResponse } from 'axios';
import { startAuthServer, type AuthServer } from '../../src/testing';

const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });
const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

const tokenCall = (server: AuthServer, id: string, secret: string): Promise<AxiosResponse> =>
  http.post(server.tokenUrl, 'grant_type=client_credentials', {
    headers: { 'Content-Type': FORM, Authorization: basic(id, secret) },
  });
const api = (server: AuthServer, clientId: string, token: string): Promise<AxiosResponse> =>
  http.get(`${server.url}/v2.01/${clientId}/users`, { headers: { Authorization: `Bearer ${token}` } });

describe('embedded server: many clients', () => {
  let server: AuthServer;
  beforeEach(async () => {
    server = await startAuthServer({ lockoutAfter: 2, clients: [{ clientId: 'acme', clientSecret: 'acme-secret' }] });
  });
  afterEach(() => server.close());

  it('authenticates each client with its own secret, names it in its tokens, and serves its own routes', async () => {
    server.addClient({ clientId: 'globex', clientSecret: 'globex-secret' });
    const acme = await tokenCall(server, 'acme', 'acme-secret');
    const globex = await tokenCall(server, 'globex', 'globex-secret');
    const main = await tokenCall(server, server.clientId, server.clientSecret);
    expect([acme.status, globex.status, main.status]).toEqual([200, 200, 200]);
    expect((await tokenCall(server, 'acme', 'globex-secret')).data).toMatchObject({ error: 'invalid_client' });
    const tokenOf = (res: AxiosResponse) => (res.data as { access_token: string }).access_token;
    expect(server.issuedToken(tokenOf(acme))?.clientId).toBe('acme');
    expect(server.issuedToken(tokenOf(main))?.clientId).toBe(server.clientId);
    expect((await api(server, 'acme', tokenOf(acme))).status).toBe(200);
    expect((await api(server, 'globex', tokenOf(globex))).status).toBe(200);
    // Another client's token on a client's routes: refused and counted.
    expect((await api(server, 'acme', tokenOf(globex))).status).toBe(401);
    expect((await api(server, server.clientId, tokenOf(acme))).status).toBe(401);
    expect(
      (await http.get(`${server.apiBaseUrl}/users`, { headers: { Authorization: `Bearer ${tokenOf(main)}` } })).status,
    ).toBe(200);
    expect(server.counters.wrongClientTokens).toBe(2);
    expect(server.revokeToken(tokenOf(acme))).toBe(true);
    expect((await api(server, 'acme', tokenOf(acme))).status).toBe(401);
    expect(server.counters.wrongClientTokens).toBe(2);
    expect(server.removeClient('globex')).toBe(true);
    expect((await tokenCall(server, 'globex', 'globex-secret')).status).toBe(400);
  });

  it('locks each client alone: a locked client does not lock another, nor the main one', async () => {
    server.addClient({ clientId: 'globex', clientSecret: 'globex-secret' });
    await tokenCall(server, 'acme', 'wrong');
    await tokenCall(server, 'acme', 'wrong');
    expect(server.isClientLocked('acme')).toBe(true);
    expect((await tokenCall(server, 'acme', 'acme-secret')).data).toMatchObject({ error: 'unauthorized_client' });
    expect(server.isClientLocked('globex')).toBe(false);
    expect(server.isLocked()).toBe(false);
    expect((await tokenCall(server, 'globex', 'globex-secret')).status).toBe(200);
    expect((await tokenCall(server, server.clientId, server.clientSecret)).status).toBe(200);
    expect(server.counters.lockouts).toBe(1);
  });

  it('refuses an empty client id or secret, and the main id', () => {
    expect(() => server.addClient({ clientId: '', clientSecret: 'x' })).toThrow(RangeError);
    expect(() => server.addClient({ clientId: 'x', clientSecret: '' })).toThrow(RangeError);
    expect(() => server.addClient({ clientId: server.clientId, clientSecret: 'x' })).toThrow(RangeError);
  });
});
