import axios from 'axios';
import { attachOAuth2 } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { form, sdkTokenBody } from '../helpers/sdk-token';

let server: AuthServer;

beforeEach(async () => {
  server = await startAuthServer();
});

afterEach(() => server.close());

function attached() {
  const api = axios.create({ baseURL: server.apiBaseUrl });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
  });
  return { api, auth };
}

describe('a request to the token endpoint through the attached instance never gets a bearer', () => {
  test('cold, absolute URL with a query: no token fetched for it, no Authorization sent', async () => {
    const { api } = attached();
    const response = await api.post(`${server.tokenUrl}?sdk=1`, sdkTokenBody(server), form);
    expect(response.status).toBe(200);
    expect(server.counters.tokenCalls).toBe(1);
    expect(server.tokenRequests().map((r) => r.authorization)).toEqual([undefined]);
  });

  test('with a token cached, relative URL under another baseURL: still no bearer on it', async () => {
    const { api } = attached();
    await api.get('/users/1');
    const response = await api.post('/v2.01/oauth/token', sdkTokenBody(server), { ...form, baseURL: server.url });
    expect(response.status).toBe(200);
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.tokenRequests().map((r) => r.authorization)).toEqual([expect.stringMatching(/^Basic /), undefined]);
  });

  test('API paths that merely contain the endpoint name still get the bearer', async () => {
    const { api, auth } = attached();
    await api.get('/oauth/token');
    await api.get('/users/1?next=/v2.01/oauth/token');
    const bearer = `Bearer ${await auth.getAccessToken()}`;
    expect(server.apiRequests().map((r) => r.authorization)).toEqual([bearer, bearer]);
    expect(server.counters.tokenCalls).toBe(1);
  });
});

test('a token request sent to baseURL alone (the token endpoint as baseURL, an empty url) gets no bearer either', async () => {
  const { api } = attached();
  await api.get('/users/1');
  const response = await api.post('', sdkTokenBody(server), { ...form, baseURL: server.tokenUrl });
  expect(response.status).toBe(200);
  expect(server.counters.tokenCalls).toBe(2);
  expect(server.tokenRequests().map((r) => r.authorization)).toEqual([expect.stringMatching(/^Basic /), undefined]);
});
