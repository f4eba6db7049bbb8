// private_key_jwt: no shared secret leaves the process; the server knows only the public key.
import { generateKeyPairSync } from 'node:crypto';
import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { privateKeyJwt } from 'axios-oauth2-bearer/client-auth';
import { startAuthServer } from 'axios-oauth2-bearer/testing';

// In production the key comes from your secret store (PEM, KeyObject or private JWK).
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const server = await startAuthServer({ clientAssertion: { publicKey } }); // verifies the assertions

const api = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(api, {
  tokenUrl: server.tokenUrl,
  clientId: server.clientId,
  clientAuthentication: privateKeyJwt(privateKey, { kid: 'key-2026-01' }), // no clientSecret
});

await api.get('/users/1');
const body = new URLSearchParams(server.tokenRequests()[0].body);
console.log(body.get('client_assertion_type'));
console.log('client secret sent:', body.has('client_secret') || server.tokenRequests()[0].authorization !== undefined);

await auth.close();
await server.close();
// Prints:
// urn:ietf:params:oauth:client-assertion-type:jwt-bearer
// client secret sent: false
