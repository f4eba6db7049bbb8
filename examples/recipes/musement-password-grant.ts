// Musement with the password grant: the login issues a refresh token, which renews the access token.
import axios from 'axios';
import { attachOAuth2, musement } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer({
  clientId: 'my-id',
  clientSecret: 'my-secret',
  musement: { application: 'my-app', username: 'ada', password: 'lovelace' },
});

const preset = musement({
  baseURL: server.musementBaseUrl, // in production: environment: 'production'
  clientId: 'my-id',
  clientSecret: 'my-secret',
  application: 'my-app', // sent as X-Musement-Application on every call, the login included
  grant: { type: 'password', username: 'ada', password: 'lovelace' },
});
const api = axios.create({ baseURL: preset.baseURL, headers: preset.headers });
const auth = attachOAuth2(api, preset);

await api.get('/activities'); // POST /login with a JSON body: grant_type=password
server.revokeAllTokens(); // the API now answers 401 to the access token
const reply = await api.get('/activities'); // 401: renewed with the refresh token, then replayed once
console.log('status:', reply.status);
console.log(
  'logins:',
  server
    .issuedTokens()
    .map((token) => token.grantType)
    .join(', '),
);

await auth.close();
await server.close();
// Prints:
// status: 200
// logins: password, refresh_token
