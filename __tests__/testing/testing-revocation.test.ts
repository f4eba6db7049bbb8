/** The embedded server's RFC 7009 revocation endpoint (`server.revocationUrl`), driven with plain HTTP. */
import axios from 'axios';
import { startAuthServer, type AuthServer } from '../../src/testing';

let server: AuthServer;
beforeEach(async () => {
  server = await startAuthServer({ clientId: 'rv', clientSecret: 'rv-secret' });
});
afterEach(() => server.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function revoke(body: Record<string, string>, authorization = basic('rv', 'rv-secret')) {
  const response = await axios.post(server.revocationUrl, new URLSearchParams(body).toString(), {
    headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
    validateStatus: () => true,
  });
  return { status: response.status, data: response.data as unknown };
}

async function issue(): Promise<string> {
  const response = await axios.post<{ access_token: string }>(server.tokenUrl, 'grant_type=client_credentials', {
    headers: { Authorization: basic('rv', 'rv-secret'), 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return response.data.access_token;
}

test('a live token is revoked (200, counted) and then rejected by the API; again: 200, not counted', async () => {
  const token = await issue();
  expect(await revoke({ token, token_type_hint: 'access_token' })).toEqual({ status: 200, data: '' });
  expect(server.counters).toMatchObject({ revocationCalls: 1, revokedTokens: 1 });
  expect(server.issuedTokens()[0].revoked).toBe(true);
  const api = await axios.get(`${server.apiBaseUrl}/users`, {
    headers: { Authorization: `Bearer ${token}` },
    validateStatus: () => true,
  });
  expect(api.status).toBe(401);
  expect((await revoke({ token })).status).toBe(200);
  expect(server.counters).toMatchObject({ revocationCalls: 2, revokedTokens: 1 });
});

test('body credentials are accepted; an unknown token gets 200 (RFC 7009 §2.2)', async () => {
  const result = await revoke({ token: 'unknown', client_id: 'rv', client_secret: 'rv-secret' }, '');
  expect(result.status).toBe(200);
  expect(server.counters.revokedTokens).toBe(0);
});

test('refusals: bad credentials 401 invalid_client, no token 400, unknown hint 400 unsupported_token_type', async () => {
  const token = await issue();
  expect(await revoke({ token }, basic('rv', 'wrong'))).toEqual({ status: 401, data: { error: 'invalid_client' } });
  expect((await revoke({})).data).toMatchObject({ error: 'invalid_request' });
  expect(await revoke({ token, token_type_hint: 'id_token' })).toEqual({
    status: 400,
    data: { error: 'unsupported_token_type' },
  });
  expect(server.issuedTokens()[0].revoked).toBe(false);
});

test('only a form POST: GET is 405 (Allow: POST), a JSON body is 400 invalid_request', async () => {
  const get = await axios.get(server.revocationUrl, { validateStatus: () => true });
  expect(get.status).toBe(405);
  expect(get.headers.allow).toBe('POST');
  const json = await axios.post(
    server.revocationUrl,
    { token: 'x' },
    {
      headers: { Authorization: basic('rv', 'rv-secret') },
      validateStatus: () => true,
    },
  );
  expect(json.status).toBe(400);
  expect(json.data).toMatchObject({ error: 'invalid_request' });
  expect(server.counters.revocationCalls).toBe(2);
});
