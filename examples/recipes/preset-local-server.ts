// The Mangopay preset pointed at the embedded server: the same options as in production, another host.
import axios from 'axios';
import { attachOAuth2, mangopay } from 'axios-oauth2-bearer';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer({ clientId: 'my-client', clientSecret: 'my-api-key' });

// In production: mangopay({ environment: 'production', clientId, apiKey }).
const preset = mangopay({ baseURL: server.url, clientId: 'my-client', apiKey: 'my-api-key' });
const api = axios.create({ baseURL: preset.baseURL }); // http://127.0.0.1:PORT/v2.01/my-client
const auth = attachOAuth2(api, preset);

const user = await api.get<{ path: string }>('/users/42');
const v3 = await api.get<{ path: string }>('/V3.0/my-client/payins', { baseURL: server.url }); // same origin, same token
console.log(user.data.path, v3.data.path);
console.log('token calls:', server.counters.tokenCalls);

await auth.close();
await server.close();
// Prints:
// /v2.01/my-client/users/42 /V3.0/my-client/payins
// token calls: 1
