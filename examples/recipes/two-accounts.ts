// Two accounts on one axios object: one attachment per account, each with its own origins.
import axios from 'axios';
import { attachOAuth2, OAuth2OptionsError } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

// Two hosts (say sandbox and production), each with its own client.
const sandbox = await startAuthServer({ clientId: 'sandbox-client', clientSecret: 'sandbox-key' });
const production = await startAuthServer({ clientId: 'live-client', clientSecret: 'live-key' });

const api = axios.create(); // or the default export an SDK uses
const sandboxAuth = attachOAuth2(api, {
  tokenUrl: sandbox.tokenUrl,
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-key',
  apiOrigins: [sandbox.url], // the bearer goes to these origins only
});
const productionAuth = attachOAuth2(api, {
  tokenUrl: production.tokenUrl,
  clientId: 'live-client',
  clientSecret: 'live-key',
  apiOrigins: [production.url], // must not overlap another attachment's origins
});

await api.get(`${sandbox.apiBaseUrl}/users/1`);
await api.get(`${production.apiBaseUrl}/users/1`);
console.log('token calls:', sandbox.counters.tokenCalls, production.counters.tokenCalls);

// Two accounts on one host cannot share one axios object: the origins would overlap.
try {
  attachOAuth2(api, { tokenUrl: sandbox.tokenUrl, clientId: 'other', clientSecret: 'x', apiOrigins: [sandbox.url] });
} catch (error) {
  if (!(error instanceof OAuth2OptionsError)) throw error;
  console.log(`${error.code} (option ${error.option})`); // use a second axios.create() for that account
}

await sandboxAuth.close();
await productionAuth.close();
await sandbox.close();
await production.close();
// Prints:
// token calls: 1 1
// OAUTH2_INVALID_OPTIONS (option apiOrigins)
