/** The embedded-server scenario of docs/testing-server.md (examples/recipes/testing-your-sdk.ts), with exact assertions (against the source entry points). */
import axios from 'axios';
import { attachOAuth2 } from '../../src';
import { startAuthServer } from '../../src/testing';

test('README: 50 concurrent calls → 1 token; revoked tokens and two token faults → every call replayed', async () => {
  const server = await startAuthServer({ tokenLifetimeSeconds: 60, lockoutAfter: 3 });
  try {
    const api = axios.create({ baseURL: server.apiBaseUrl });
    attachOAuth2(api, { tokenUrl: server.tokenUrl, clientId: server.clientId, clientSecret: server.clientSecret });

    await Promise.all(Array.from({ length: 50 }, () => api.get('/users/1')));
    expect(server.counters.tokenCalls).toBe(1);

    server.revokeAllTokens();
    server.injectTokenFaults([{ type: 'status', status: 503 }, { type: 'reset' }]);
    const replayed = await Promise.all(Array.from({ length: 5 }, () => api.get('/users/1')));

    expect(replayed.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(server.counters.tokenCalls).toBe(4); // 1 + the 503 + the reset + the success
  } finally {
    await server.close();
  }
});
