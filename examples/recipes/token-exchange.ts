// Token exchange (RFC 8693): a service calls an API on behalf of its users, each request with a token exchanged for its own user.
import { AsyncLocalStorage } from 'node:async_hooks';
import axios from 'axios';
import { attachOAuth2, OAuth2RequestOptionsError } from 'axios-oauth2-bearer';
import { tokenExchange, TOKEN_TYPES } from 'axios-oauth2-bearer/token-exchange';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

// The embedded server serves the token exchange grant; it plays the users' identity provider too.
const server = await startAuthServer({ tokenExchange: { audiences: ['billing'] } });
const alice = server.issueSubjectToken('alice', { format: 'jwt' }); // a JWT: its exp caps the exchanged token
const bob = server.issueSubjectToken('bob'); // opaque

// The incoming request's user token, as a web framework would hold it for the handler.
const incoming = new AsyncLocalStorage<{ userToken: string }>();

const billing = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(billing, {
  tokenUrl: server.tokenUrl,
  clientId: server.clientId,
  clientSecret: server.clientSecret,
  grant: tokenExchange({
    subjectTokenType: TOKEN_TYPES.accessToken,
    audience: 'billing',
    subjectToken: () => incoming.getStore()?.userToken, // when a request names none itself
  }),
});

// Two users' requests, interleaved: each is sent with a token issued for its own user.
const handle = (userToken: string) =>
  incoming.run({ userToken }, async () => (await billing.get<{ subject: string }>('/invoices')).data.subject);
console.log('subjects:', (await Promise.all([handle(alice), handle(bob), handle(alice)])).join(' '));
// Or name the subject on the request itself.
const explicit = await billing.get<{ subject: string }>('/invoices', { oauth2: { subjectToken: bob } });
console.log('explicit:', explicit.data.subject);
console.log('token calls:', server.counters.tokenCalls); // one exchange per user, then cached

// A request with no user: refused before any token call.
try {
  await billing.get('/invoices');
} catch (error) {
  if (!(error instanceof OAuth2RequestOptionsError)) throw error;
  console.log(`${error.code} (option ${error.option})`);
}

await auth.close();
await server.close();
// Prints:
// subjects: alice bob alice
// explicit: bob
// token calls: 2
// OAUTH2_INVALID_REQUEST_OPTIONS (option oauth2.subjectToken)
