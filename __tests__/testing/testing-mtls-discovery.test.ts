import axios from 'axios';
import { attachOAuth2, TokenEndpointError } from '../../src';
import { discover } from '../../src/features/discovery';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { selfSignedTlsClientAuth, tlsClientAuth } from '../../src/features/client-auth';
import { clientAgent, makeMtlsPki, type ClientCertificate, type MtlsPki } from '../helpers/mtls-pki';

/**
 * `axios-oauth2-bearer/testing` for SDK authors: the embedded server over https with mutual-TLS
 * client authentication, certificate-bound tokens and a discovery document.
 */
let pki: MtlsPki;
let registered: ClientCertificate;
let other: ClientCertificate;
let selfSigned: ClientCertificate;
let server: AuthServer | undefined;

beforeAll(() => {
  pki = makeMtlsPki();
  registered = pki.issue('/O=Example Org/CN=sdk-client');
  other = pki.issue('/O=Example Org/CN=someone-else');
  selfSigned = pki.selfSigned('/CN=self-signed');
});
afterAll(() => pki.dispose());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(extra: Parameters<typeof startAuthServer>[0] = {}): Promise<AuthServer> {
  server = await startAuthServer({
    clientId: 'mtls-client',
    tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true },
    mtls: { subjectDn: registered.subjectDn, selfSignedThumbprints: [selfSigned.thumbprint] },
    discovery: { issuerPath: '/tenant', mtlsAlias: true },
    ...extra,
  });
  return server;
}

function sdk(s: AuthServer, cert: ClientCertificate) {
  return axios.create({ baseURL: s.apiBaseUrl, httpsAgent: clientAgent(pki.ca, cert) });
}

it('tls_client_auth with discovery: metadata at the RFC 8414 location, the mTLS alias, 1 token call for 50, a bound token', async () => {
  const s = await start();
  expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(s.issuer).toBe(`${s.url}/tenant`);
  const api = sdk(s, registered);
  const auth = attachOAuth2(api, {
    tokenUrl: discover(s.issuer as string),
    clientId: 'mtls-client',
    clientAuthentication: tlsClientAuth(),
  });
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => api.get(`/users/${i}`)));
  expect(answers.every((a) => a.status === 200)).toBe(true);
  expect(s.counters.tokenCalls).toBe(1);
  expect(s.metadataRequests()).toEqual(['/.well-known/oauth-authorization-server/tenant']);
  expect(s.tokenRequests().map((r) => [r.path, r.authorization, r.body])).toEqual([
    ['/mtls/v2.01/oauth/token', undefined, 'grant_type=client_credentials&client_id=mtls-client'],
  ]);
  expect(s.issuedTokens().map((t) => t.boundTo)).toEqual([registered.thumbprint]);
  // Bound: the same token on a connection with another certificate is refused.
  const token = await auth.getAccessToken();
  const elsewhere = await sdk(s, other).get('/users/1', {
    headers: { Authorization: `Bearer ${token}` },
    validateStatus: () => true,
  });
  expect(elsewhere.status).toBe(401);
  auth.detach();
});

it('self_signed_tls_client_auth, OpenID Discovery only (the RFC 8414 location answers 404)', async () => {
  const s = await start({ discovery: { serve: ['openid-configuration'] } });
  const api = sdk(s, selfSigned);
  const auth = attachOAuth2(api, {
    tokenUrl: discover(s.issuer as string),
    clientId: 'mtls-client',
    clientAuthentication: selfSignedTlsClientAuth(),
  });
  await expect(api.get('/users/1')).resolves.toMatchObject({ status: 200 });
  expect(s.metadataRequests()).toEqual(['/.well-known/openid-configuration']);
  // No alias published: the token endpoint itself.
  expect(s.tokenRequests().map((r) => r.path)).toEqual(['/v2.01/oauth/token']);
  expect(s.issuedTokens()[0].boundTo).toBe(selfSigned.thumbprint);
  auth.detach();
});

it('a certificate the server does not accept: invalid_client once for a burst', async () => {
  const s = await start();
  const api = sdk(s, other);
  const auth = attachOAuth2(api, {
    tokenUrl: discover(s.issuer as string),
    clientId: 'mtls-client',
    clientAuthentication: tlsClientAuth(),
  });
  const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => api.get(`/users/${i}`)));
  for (const outcome of outcomes) {
    expect(outcome.status).toBe('rejected');
    const reason = (outcome as PromiseRejectedResult).reason as TokenEndpointError;
    expect(reason).toBeInstanceOf(TokenEndpointError);
    expect(reason.error).toBe('invalid_client');
  }
  expect(s.counters.tokenCalls).toBe(1);
  expect(s.counters.badCredentials).toBe(1);
  auth.detach();
});

it('a stated issuer that is not the real one: OAUTH2_ISSUER_MISMATCH and no token call', async () => {
  const s = await start({ discovery: { issuerPath: '/tenant', issuer: 'https://impostor.example/tenant' } });
  const api = sdk(s, registered);
  const auth = attachOAuth2(api, {
    tokenUrl: discover(s.issuer as string),
    clientId: 'mtls-client',
    clientAuthentication: tlsClientAuth(),
  });
  await expect(api.get('/users/1')).rejects.toMatchObject({ code: 'OAUTH2_ISSUER_MISMATCH' });
  expect(s.counters.tokenCalls).toBe(0);
  auth.detach();
});

it('without the new options the server is unchanged: http, no metadata, secrets as before', async () => {
  server = await startAuthServer();
  expect(server.url).toMatch(/^http:\/\//);
  expect(server.issuer).toBeUndefined();
  const answer = await axios.get(`${server.url}/.well-known/oauth-authorization-server`, {
    validateStatus: () => true,
  });
  expect(answer.status).toBe(404);
  expect(server.metadataRequests()).toEqual([]);
});
