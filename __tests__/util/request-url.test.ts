/**
 * `requestUrl` (src/util/url.ts) joins `baseURL` and `url` as axios does: checked against axios's own
 * `getUri`, and, for an empty `url` (axios then sends to `baseURL` as it is, no slash added), through
 * what depends on it: the DPoP proof's `htu`, verified by a loopback server.
 */
import axios from 'axios';
import { attachOAuth2 } from '../../src';
import { dpop } from '../../src/features/dpop';
import { requestUrl } from '../../src/util/url';
import { startDPoPServer } from '../helpers/dpop-server';

test.each([
  [{ baseURL: 'https://api.example/v1/me', url: '' }],
  [{ baseURL: 'https://api.example/v1/me' }],
  [{ baseURL: 'https://api.example/v1/', url: '/users' }],
  [{ baseURL: 'https://api.example/v1', url: 'users?x=1' }],
  [{ baseURL: 'https://api.example/v1', url: 'https://other.example/a' }],
  [{ url: 'https://other.example/a' }],
])('%j: the URL axios sends to', (config) => {
  expect(requestUrl(config)).toBe(axios.create().getUri(config));
});

test('DPoP: a request with an empty url carries a proof whose htu is baseURL as sent, accepted by the server', async () => {
  const server = await startDPoPServer();
  const api = axios.create({ baseURL: `${server.apiUrl}/items/7` });
  const auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: 'dpop-client',
    clientSecret: 'dpop-client-secret',
    senderConstraint: dpop(),
  });
  try {
    expect((await api.get('')).status).toBe(200);
    expect(server.apiCalls.map((c) => [c.status, c.proof.claims?.htu])).toEqual([
      [200, `${server.origin}/api/items/7`],
    ]);
    expect(server.tokenCalls).toHaveLength(1);
  } finally {
    auth.detach();
    await server.close();
  }
});
