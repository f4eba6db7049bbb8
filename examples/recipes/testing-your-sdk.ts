// The embedded server in an SDK's own tests: exact counters, revoked tokens, injected faults.
import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer({ tokenLifetimeSeconds: 60, lockoutAfter: 3 });
const api = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(api, {
  tokenUrl: server.tokenUrl,
  clientId: server.clientId,
  clientSecret: server.clientSecret,
});

await Promise.all(Array.from({ length: 50 }, () => api.get('/users/1')));
console.log('token calls after 50 cold calls:', server.counters.tokenCalls);

server.revokeAllTokens(); // the next calls get 401 invalid_credentials: one renewal, every call replayed
server.injectTokenFaults([{ type: 'status', status: 503 }, { type: 'reset' }]); // then a normal answer
const replies = await Promise.all(Array.from({ length: 5 }, () => api.get('/users/1')));
console.log('statuses:', replies.map((reply) => reply.status).join(' '));
console.log('token calls:', server.counters.tokenCalls, '(the 503, the reset, the success)');

await auth.close();
await server.close();
// Prints:
// token calls after 50 cold calls: 1
// statuses: 200 200 200 200 200
// token calls: 4 (the 503, the reset, the success)
