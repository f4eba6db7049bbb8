// Handling a lockout. Bad logins lock the account (Mangopay answers 400 unauthorized_client); from
// then on the plugin makes no token call until the cool-down ends, and requests that need a token
// fail at once with AccountLockedError, which says when to try again.
import axios, { type AxiosInstance } from 'axios';
import { AccountLockedError, attachOAuth2, TokenEndpointError } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

// This server locks the account after 1 bad login, for 30 s, and says so in Retry-After.
const server = await startAuthServer({ lockoutAfter: 1, lockoutRetryAfterSeconds: 30 });
const { tokenUrl, clientId, clientSecret } = server;

async function getUser(api: AxiosInstance): Promise<void> {
  try {
    await api.get(`${server.apiBaseUrl}/users/1`);
    console.log('ok');
  } catch (error) {
    if (error instanceof AccountLockedError) {
      // No token call before error.retryAt (epoch ms); error.response holds the answer that locked us out.
      console.log(`locked: ${error.code}, ${error.error}, retry in ${Math.ceil(error.retryAfterMs / 1000)} s`);
    } else if (error instanceof TokenEndpointError) {
      // Wrong credentials: never retried (retrying is what gets an account locked).
      console.log(`refused: ${error.code}, ${error.error}, status ${error.status}`);
    } else {
      throw error;
    }
  }
}

// A deployment with a wrong key: one token call, refused; it locks the account.
const wrong = axios.create();
const wrongAuth = attachOAuth2(wrong, { tokenUrl, clientId, clientSecret: 'a wrong key', apiOrigins: [server.url] });
await getUser(wrong);
wrongAuth.detach();

// The fixed deployment meets the lockout: one token call, then none until the cool-down ends.
const api = axios.create();
const auth = attachOAuth2(api, { tokenUrl, clientId, clientSecret, apiOrigins: [server.url] });
await getUser(api);
await getUser(api);
console.log('token calls:', server.counters.tokenCalls);

await auth.close();
await server.close();
// Prints:
// refused: OAUTH2_TOKEN_ENDPOINT_ERROR, invalid_client, status 400
// locked: OAUTH2_ACCOUNT_LOCKED, unauthorized_client, retry in 30 s
// locked: OAUTH2_ACCOUNT_LOCKED, unauthorized_client, retry in 30 s
// token calls: 2
