// Drop-in for an SDK that fetches its own token: the official Mangopay Node SDK, its token handling
// taken over by the plugin (one token for every concurrent call, renewal, replay, lockout back-off).
import { createRequire } from 'node:module';
import MangoPay from 'mangopay4-nodejs-sdk';
import { attachOAuth2, mangopay, type AxiosLike } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer(); // in production: baseUrl 'https://api.mangopay.com'
const sdk = new MangoPay({ clientId: server.clientId, clientApiKey: server.clientSecret, baseUrl: server.url });

// The SDK sends its calls with the default export of its own axios copy: attach to that one.
const require = createRequire(import.meta.url);
const sdkAxios = require(require.resolve('axios', { paths: [require.resolve('mangopay4-nodejs-sdk')] })) as AxiosLike;
const auth = attachOAuth2(
  sdkAxios,
  mangopay({
    baseURL: sdk.config.baseUrl,
    clientId: server.clientId,
    apiKey: server.clientSecret,
    authorizationHeader: 'replace', // overwrite the header the SDK sets itself
  }),
);
sdk.requestOptions.headers.Authorization = 'Bearer (managed by axios-oauth2-bearer)'; // never sent: replaced
sdk.isExpired = () => false; // the SDK never fetches a token itself

const users = await Promise.all(Array.from({ length: 20 }, (_, i) => sdk.Users.get(`user-${i}`)));
console.log('SDK calls:', users.length, 'token calls:', server.counters.tokenCalls);

auth.detach(); // only when the SDK is done: it would send the stand-in header
await server.close();
// Prints:
// SDK calls: 20 token calls: 1
