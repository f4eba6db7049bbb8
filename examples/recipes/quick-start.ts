import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer(); // a local token endpoint and API, on a free port
const api = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(api, {
  tokenUrl: server.tokenUrl,
  clientId: server.clientId,
  clientSecret: server.clientSecret,
});

const replies = await Promise.all([api.get('/users/1'), api.get('/users/2'), api.get('/users/3')]);
console.log('statuses:', replies.map((reply) => reply.status).join(' '));
console.log('token calls:', server.counters.tokenCalls);

await auth.close();
await server.close();
// Prints:
// statuses: 200 200 200
// token calls: 1
