import { attachOAuth2 } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';

/* eslint-disable @typescript-eslint/no-require-imports -- other copies of axios, loaded by path as an SDK does */
type AxiosCopy = {
  create(config?: object): Parameters<typeof attachOAuth2>[0] & {
    get(url: string, config?: object): Promise<{ status: number; data: unknown }>;
  };
  VERSION: string;
};
const copies: Array<[string, AxiosCopy]> = [
  ['axios 1.7 (alias)', require('axios-1.7') as AxiosCopy],
  ['axios 1.19 (alias)', require('axios-1.19') as AxiosCopy],
  [
    "the Mangopay SDK's nested copy",
    require(require.resolve('axios', { paths: [require.resolve('mangopay4-nodejs-sdk')] })) as AxiosCopy,
  ],
];
/* eslint-enable @typescript-eslint/no-require-imports */

let server: AuthServer;

beforeEach(async () => {
  server = await startAuthServer();
});

afterEach(() => server.close());

describe.each(copies)('another copy of axios: %s', (_name, copy) => {
  function attached() {
    const api = copy.create({ baseURL: server.apiBaseUrl, headers: { 'Idempotency-Key': 'from-defaults' } });
    const auth = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
    });
    return { api, auth };
  }

  test("the bearer and the copy's own headers both arrive (its AxiosHeaders are kept, not converted)", async () => {
    const { api, auth } = attached();
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => api.get(`/users/${i}`)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const bearer = `Bearer ${await auth.getAccessToken()}`;
    expect(server.apiRequests().map((r) => [r.authorization, r.idempotencyKey])).toEqual(
      Array(5).fill([bearer, 'from-defaults']),
    );
    expect(server.counters.tokenCalls).toBe(1);
  });

  test('a revoked token is refreshed and the request replayed once', async () => {
    const { api } = attached();
    await api.get('/users/1');
    server.revokeAllTokens();
    expect((await api.get('/users/2')).status).toBe(200);
    expect(server.counters.tokenCalls).toBe(2);
    expect(server.apiRequests().map((r) => r.status)).toEqual([200, 401, 200]);
  });
});
