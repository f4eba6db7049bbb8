// close() revokes the tokens the attachment holds (RFC 7009), so they do not outlive the process.
import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { revokeOnClose } from 'axios-oauth2-bearer/revocation';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer();
const api = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(api, {
  tokenUrl: server.tokenUrl,
  clientId: server.clientId,
  clientSecret: server.clientSecret,
  extensions: [revokeOnClose({ url: server.revocationUrl })], // with discover(issuer) the url may be left out
  hooks: { onRevocationFailed: ({ message }) => console.warn('not revoked:', message) }, // close() never rejects
});

await api.get('/users/1');
await auth.close(); // or: await using auth = attachOAuth2(…)
console.log('revoked tokens:', server.counters.revokedTokens);

await server.close();
// Prints:
// revoked tokens: 1
