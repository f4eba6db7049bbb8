// The token endpoint found in the server's metadata (RFC 8414, then OpenID Connect Discovery).
import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { discover } from 'axios-oauth2-bearer/discovery';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer({ discovery: { issuerPath: '/tenant-a' } });
const issuer = `${server.url}/tenant-a`; // in production: 'https://login.example.com/tenant-a'

const api = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(api, {
  tokenUrl: discover(issuer), // fetched on the first need of a token, once, then kept
  clientId: server.clientId,
  clientSecret: server.clientSecret,
});

await Promise.all([api.get('/users/1'), api.get('/users/2')]);
console.log('metadata requests:', server.metadataRequests().join(' '));
console.log('token calls:', server.counters.tokenCalls);

await auth.close();
await server.close();
// Prints:
// metadata requests: /.well-known/oauth-authorization-server/tenant-a
// token calls: 1
