// DPoP (RFC 9449): every token is bound to a key that never leaves the process.
import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { dpop } from 'axios-oauth2-bearer/dpop';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

const server = await startAuthServer({ dpop: { requireNonceAtTokenEndpoint: true } }); // DPoP only, with nonces

const api = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(api, {
  tokenUrl: server.tokenUrl,
  clientId: server.clientId,
  clientSecret: server.clientSecret,
  senderConstraint: dpop(), // a fresh ES256 key; or dpop({ privateKey }) to share tokens across processes
});

const reply = await api.get('/users/1'); // Authorization: DPoP <token>, and a fresh DPoP proof
const token = await auth.getToken();
console.log('status:', reply.status, 'scheme:', token.tokenType);
console.log('token calls:', server.counters.tokenCalls); // the first one is answered use_dpop_nonce

await auth.close();
await server.close();
// Prints:
// status: 200 scheme: DPoP
// token calls: 2
