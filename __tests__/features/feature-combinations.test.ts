/**
 * Features built separately, used together, against the embedded server (which verifies DPoP proofs,
 * client assertions and the discovery document itself): the discovered token endpoint is the one a
 * DPoP proof names (`htu`) and a client assertion's audience is the issuer; per-request tokens work
 * with DPoP.
 */
import axios from 'axios';
import { generateKeyPairSync } from 'node:crypto';
import { attachOAuth2, type OAuth2Handle } from '../../src';
import { dpop } from '../../src/features/dpop';
import { discover } from '../../src/features/discovery';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { privateKeyJwt } from '../../src/features/client-auth';

let server: AuthServer;
let auth: OAuth2Handle | undefined;
afterEach(async () => {
  auth?.detach();
  await server.close();
});

test('DPoP with a discovered token endpoint: proofs name that endpoint, nonces at both ends; 20 cold calls → 1 token', async () => {
  server = await startAuthServer({
    discovery: { issuerPath: '/tenant' },
    dpop: { requireNonceAtTokenEndpoint: true, requireNonceAtApi: true },
  });
  const api = axios.create({ baseURL: server.apiBaseUrl });
  auth = attachOAuth2(api, {
    tokenUrl: discover(server.issuer as string),
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    senderConstraint: dpop(),
  });

  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => api.get(`/users/${i}`)));

  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  expect(server.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server/tenant']);
  expect(server.counters.tokenCalls).toBe(2); // the nonce challenge, then the token
  expect((await auth.getToken()).tokenType).toBe('DPoP');
});

test('DPoP and several tokens: each resource gets its own DPoP-bound token, both accepted', async () => {
  server = await startAuthServer({ dpop: {} });
  const api = axios.create({ baseURL: server.apiBaseUrl });
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    senderConstraint: dpop(),
  });

  const [a, b] = await Promise.all([
    api.get('/users', { oauth2: { resource: 'https://one.example/' } }),
    api.get('/users', { oauth2: { resource: 'https://two.example/' } }),
  ]);

  expect([a.status, b.status]).toEqual([200, 200]);
  expect(server.counters.tokenCalls).toBe(2);
  const one = await auth.getToken({ resource: 'https://one.example/' });
  const two = await auth.getToken({ resource: 'https://two.example/' });
  expect(one.accessToken).not.toBe(two.accessToken);
  expect([one.tokenType, two.tokenType]).toEqual(['DPoP', 'DPoP']);
});

test('private_key_jwt with discovery: the assertion is for the issuer, accepted; no secret configured', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  server = await startAuthServer({ discovery: {}, clientAssertion: { publicKey } });
  const api = axios.create({ baseURL: server.apiBaseUrl });
  auth = attachOAuth2(api, {
    tokenUrl: discover(server.issuer as string),
    clientId: server.clientId,
    clientAuthentication: privateKeyJwt(privateKey),
  });

  const answers = await Promise.all(Array.from({ length: 10 }, () => api.get('/users')));

  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
  expect(server.counters.tokenCalls).toBe(1);
  const body = new URLSearchParams(server.tokenRequests()[0].body);
  const claims = JSON.parse(Buffer.from(body.get('client_assertion')!.split('.')[1], 'base64url').toString());
  expect(claims.aud).toBe(server.issuer);
  expect(body.has('client_secret')).toBe(false);
});

test('private_key_jwt with DPoP: the nonce retry at the token endpoint sends a new assertion (new jti), never the same one', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  server = await startAuthServer({ clientAssertion: { publicKey }, dpop: { requireNonceAtTokenEndpoint: true } });
  const api = axios.create({ baseURL: server.apiBaseUrl });
  auth = attachOAuth2(api, {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientAuthentication: privateKeyJwt(privateKey),
    senderConstraint: dpop(),
  });

  expect((await api.get('/users')).status).toBe(200);

  const jtis = server.tokenRequests().map((request) => {
    const assertion = new URLSearchParams(request.body).get('client_assertion')!;
    return JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString()).jti as string;
  });
  expect(jtis).toHaveLength(2); // the nonce challenge, then the token
  expect(new Set(jtis).size).toBe(2);
});

test('discovery with several tokens: one metadata request for the attachment, whatever the entries', async () => {
  server = await startAuthServer({ discovery: {} });
  const api = axios.create({ baseURL: server.apiBaseUrl });
  auth = attachOAuth2(api, {
    tokenUrl: discover(server.issuer as string),
    clientId: server.clientId,
    clientSecret: server.clientSecret,
  });

  await Promise.all([
    api.get('/users'),
    api.get('/users', { oauth2: { resource: 'https://one.example/' } }),
    api.get('/users', { oauth2: { resource: 'https://two.example/' } }),
  ]);

  expect(server.counters.tokenCalls).toBe(3);
  expect(server.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server']);
});
