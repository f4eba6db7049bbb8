// Workload identity: no client secret; the platform's signed token (a Kubernetes projected token, a SPIFFE JWT-SVID) proves the client.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { attachOAuth2 } from 'axios-oauth2-bearer';
import { assertionFile, clientAssertion, clientAssertionFile, jwtBearer } from 'axios-oauth2-bearer/client-auth';
import { startAuthServer, startTokenFile } from 'axios-oauth2-bearer/testing';

// The platform: a token for the audience "orders-api", rewritten every 8 minutes (the kubelet's job).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workload-identity-'));
const kubelet = startTokenFile({
  path: path.join(dir, 'token'), // in a pod: /var/run/secrets/tokens/orders-api
  audience: 'orders-api',
  subject: 'system:serviceaccount:shop:orders',
  rotateEverySeconds: 480,
});
// The authorization server trusts the cluster's issuer (Keycloak 26.5: a Kubernetes identity provider).
const server = await startAuthServer({
  clientId: 'orders',
  clientSecret: 'orders-secret-for-the-jwt-bearer-grant',
  workloadIdentity: { issuer: kubelet.issuer, jwks: kubelet.jwks, audience: ['orders-api'] },
});

// 1. Kubernetes: the projected token file is the client's assertion, re-read when the kubelet rotates it.
const orders = axios.create({ baseURL: server.apiBaseUrl });
const auth = attachOAuth2(orders, {
  tokenUrl: server.tokenUrl,
  clientId: 'orders',
  clientAuthentication: clientAssertionFile(kubelet.path),
});
const first = kubelet.current;
await orders.get('/users/1');
kubelet.rotate(); // the kubelet wrote a new token …
await auth.invalidate();
await orders.get('/users/1'); // … which the next token request sends
const sent = server.tokenRequests().map((call) => new URLSearchParams(call.body).get('client_assertion'));
console.log(
  'token file: assertions sent',
  sent.length,
  '| rotated one used:',
  sent[0] === first && sent[1] === kubelet.current,
);

// 2. A callback: a SPIFFE Workload API client or a cloud SDK hands over its JWT for the audience asked.
// (A stand-in here: it hands over the cluster's token for the one audience it serves.)
const workloadApi = {
  fetchJwtSvid: ({ audience }: { audience: string; signal: AbortSignal }) =>
    audience === 'orders-api' ? Promise.resolve(kubelet.current) : Promise.reject(new Error(`no SVID for ${audience}`)),
};
const billing = axios.create({ baseURL: server.apiBaseUrl });
const viaCallback = attachOAuth2(billing, {
  tokenUrl: server.tokenUrl,
  clientId: 'orders',
  clientAuthentication: clientAssertion(({ audience, signal }) => workloadApi.fetchJwtSvid({ audience, signal }), {
    audience: 'orders-api',
  }),
});
console.log('callback:', (await billing.get('/users/1')).status);

// 3. The JWT bearer grant (RFC 7523 §2.1): the token is the grant; the client authenticates as usual.
const reports = axios.create({ baseURL: server.apiBaseUrl });
const viaGrant = attachOAuth2(reports, {
  tokenUrl: server.tokenUrl,
  clientId: 'orders',
  clientSecret: 'orders-secret-for-the-jwt-bearer-grant',
  grant: jwtBearer(assertionFile(kubelet.path)),
});
console.log('jwt-bearer grant:', (await reports.get('/users/1')).status);

for (const handle of [auth, viaCallback, viaGrant]) await handle.close();
kubelet.stop();
await server.close();
fs.rmSync(dir, { recursive: true, force: true });
// Prints:
// token file: assertions sent 2 | rotated one used: true
// callback: 200
// jwt-bearer grant: 200
