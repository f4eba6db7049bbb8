// Several tokens per attachment: one per (scope, resource), each with its own cache and renewal.
import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer();
const api = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(api, {
  tokenUrl: server.tokenUrl,
  clientId: server.clientId,
  clientSecret: server.clientSecret,
  scope: 'read', // the attachment's own token
});

await Promise.all([api.get('/users/1'), api.get('/users/2')]); // scope=read: 1 token call
await Promise.all([
  api.post('/payouts', {}, { oauth2: { scope: 'payouts write' } }),
  api.post('/payouts', {}, { oauth2: { scope: 'write  payouts' } }), // the same set of scopes
]);
await auth.getToken({ scope: 'payouts write' }); // cached: no token call
console.log(
  'scopes requested:',
  server
    .issuedTokens()
    .map((token) => token.scope)
    .join(' | '),
);
console.log('token calls:', server.counters.tokenCalls);

await auth.close();
await server.close();
// Prints:
// scopes requested: read | payouts write
// token calls: 2
