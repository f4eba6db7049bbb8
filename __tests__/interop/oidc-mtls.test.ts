import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, TokenEndpointError, type OAuth2Options } from '../../src';
import { discover } from '../../src/features/discovery';
import { selfSignedTlsClientAuth, tlsClientAuth } from '../../src/features/client-auth';
import { startProvider, type RunningProvider } from '../helpers/oidc/start-provider';
import { startMtlsResourceServer, type MtlsResourceServer } from '../helpers/oidc/mtls-resource-server';
import { clientAgent, makeMtlsPki, type ClientCertificate, type MtlsPki } from '../helpers/mtls-pki';

/**
 * Mutual-TLS client authentication (RFC 8705) against a certified authorization server (oidc-provider)
 * over real TLS with certificates made at test time: certificate-bound tokens, checked by a resource
 * server that compares the token's `cnf.x5t#S256` with the certificate each request came with.
 */
const INTROSPECTOR = { clientId: 'introspector', clientSecret: 'introspector-secret-0123456789abcdef' };

describe('oidc-provider over mutual TLS', () => {
  let pki: MtlsPki;
  let registered: ClientCertificate;
  let intruder: ClientCertificate;
  let selfSigned: ClientCertificate;
  let otherSelfSigned: ClientCertificate;
  let provider: RunningProvider;
  let api: MtlsResourceServer;

  beforeAll(async () => {
    pki = makeMtlsPki();
    // Several RDNs: the registered DN is the RFC 4514 form (most specific first).
    registered = pki.issue('/C=FR/O=Example Org/CN=sdk-client');
    intruder = pki.issue('/C=FR/O=Example Org/CN=intruder');
    selfSigned = pki.selfSigned('/CN=self-signed-client');
    otherSelfSigned = pki.selfSigned('/CN=self-signed-client');
    const common = { scope: 'read' };
    provider = await startProvider({
      issuerPath: '/tenant-a',
      tls: { key: pki.serverKey, cert: pki.serverCert, ca: [pki.ca], requestCert: true },
      mtls: { certificateBoundAccessTokens: true, aliases: true },
      rfc8414: true,
      clients: [
        {
          client_id: 'tls-client',
          token_endpoint_auth_method: 'tls_client_auth',
          tls_client_auth_subject_dn: registered.subjectDn,
          tls_client_certificate_bound_access_tokens: true,
          ...common,
        },
        {
          client_id: 'self-signed-client',
          token_endpoint_auth_method: 'self_signed_tls_client_auth',
          jwks: { keys: [selfSigned.jwk] },
          tls_client_certificate_bound_access_tokens: true,
          ...common,
        },
        {
          client_id: INTROSPECTOR.clientId,
          client_secret: INTROSPECTOR.clientSecret,
          token_endpoint_auth_method: 'client_secret_basic',
          ...common,
        },
      ],
    });
    api = await startMtlsResourceServer({
      key: pki.serverKey,
      cert: pki.serverCert,
      ca: pki.ca,
      introspection: { url: `${provider.issuer}/token/introspection`, ...INTROSPECTOR },
    });
  }, 30_000);
  afterAll(async () => {
    await api?.close();
    await provider?.stop();
    pki?.dispose();
  });
  beforeEach(async () => {
    await provider.reset();
    api.seen.length = 0;
  });

  function client(cert: ClientCertificate): AxiosInstance {
    return axios.create({ baseURL: api.url, httpsAgent: clientAgent(pki.ca, cert) });
  }

  function attach(instance: AxiosInstance, options: Partial<OAuth2Options>) {
    return attachOAuth2(instance, {
      tokenUrl: discover(provider.issuer),
      clientId: 'tls-client',
      clientAuthentication: tlsClientAuth(),
      ...options,
    });
  }

  /** The API answer to `token` sent with `cert`. */
  async function callWith(cert: ClientCertificate, token: string): Promise<number> {
    const answer = await client(cert).get('/resource', {
      headers: { Authorization: `Bearer ${token}` },
      validateStatus: () => true,
    });
    return answer.status;
  }

  it('tls_client_auth with discovery: RFC 8414 metadata, the mTLS alias, 1 token request for a cold burst of 50, bound to the certificate', async () => {
    const instance = client(registered);
    const auth = attach(instance, { scope: 'read' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => instance.get('/resource')));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(await provider.tokenRequests()).toEqual([{ status: 200, dpop: false, basic: false, mtlsAlias: true }]);
    const asked = await provider.requests();
    expect(asked.filter((url) => url.includes('/.well-known/'))).toEqual([
      '/.well-known/oauth-authorization-server/tenant-a',
    ]);
    expect(api.seen).toHaveLength(50);
    expect(api.seen.every((s) => s.accepted && s.bound === registered.thumbprint)).toBe(true);
    // The token works only with the certificate it is bound to.
    const token = await auth.getAccessToken();
    expect(await callWith(registered, token)).toBe(200);
    expect(await callWith(intruder, token)).toBe(401);
    expect(api.seen.slice(-1)[0]).toMatchObject({ active: true, accepted: false, bound: registered.thumbprint });
    auth.detach();
  });

  it('self_signed_tls_client_auth with an explicit tokenUrl: 1 token request for 50, accepted only with that certificate', async () => {
    const instance = client(selfSigned);
    const auth = attach(instance, {
      tokenUrl: provider.tokenUrl,
      clientId: 'self-signed-client',
      clientAuthentication: selfSignedTlsClientAuth(),
    });
    const answers = await Promise.all(Array.from({ length: 50 }, () => instance.get('/resource')));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(await provider.tokenRequests()).toEqual([{ status: 200, dpop: false, basic: false }]);
    expect(api.seen.every((s) => s.accepted && s.bound === selfSigned.thumbprint)).toBe(true);
    const token = await auth.getAccessToken();
    expect(await callWith(otherSelfSigned, token)).toBe(401);
    auth.detach();
  });

  it.each([
    ['tls_client_auth', 'tls-client', () => intruder],
    ['self_signed_tls_client_auth', 'self-signed-client', () => otherSelfSigned],
  ] as const)(
    '%s with a certificate the server does not know: one invalid_client error for a burst, 1 token request',
    async (method, clientId, cert) => {
      const instance = client(cert());
      const clientAuthentication = method === 'tls_client_auth' ? tlsClientAuth() : selfSignedTlsClientAuth();
      const auth = attach(instance, { clientId, clientAuthentication });
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => instance.get('/resource')));
      const errors = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as unknown) : undefined));
      expect(errors.every((e) => e instanceof TokenEndpointError && e.error === 'invalid_client')).toBe(true);
      // One failure, shown to every request (each gets its own error object with its own config).
      expect(new Set(errors.map((e) => (e as Error).message)).size).toBe(1);
      expect(await provider.tokenRequests()).toEqual([{ status: 401, dpop: false, basic: false, mtlsAlias: true }]);
      expect(api.seen).toHaveLength(0);
      auth.detach();
    },
  );
});

describe('oidc-provider: discovery', () => {
  let provider: RunningProvider;
  beforeAll(async () => {
    provider = await startProvider({
      issuerPath: '/tenant-b',
      clients: [
        {
          client_id: 'basic-client',
          client_secret: 'basic-client-secret-0123456789abcdef',
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
    });
  }, 30_000);
  afterAll(async () => {
    await provider?.stop();
  });
  beforeEach(async () => {
    await provider.reset();
  });

  const options = { clientId: 'basic-client', clientSecret: 'basic-client-secret-0123456789abcdef' };

  it('an issuer with a path: RFC 8414 location first (404 here), then OpenID Discovery, then the discovered token endpoint', async () => {
    const auth = attachOAuth2(axios.create(), { tokenUrl: discover(provider.issuer), ...options });
    await auth.getAccessToken();
    expect(await provider.requests()).toEqual([
      '/.well-known/oauth-authorization-server/tenant-b',
      '/tenant-b/.well-known/openid-configuration',
      '/tenant-b/token',
    ]);
    expect(await provider.tokenRequests()).toEqual([{ status: 200, dpop: false, basic: true }]);
    auth.detach();
  });

  it('a configured issuer that differs from the one the server states: OAUTH2_ISSUER_MISMATCH, no token request', async () => {
    const auth = attachOAuth2(axios.create(), { tokenUrl: discover(`${provider.issuer}/`), ...options });
    const burst = await Promise.allSettled(Array.from({ length: 20 }, () => auth.getAccessToken()));
    for (const outcome of burst) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'OAUTH2_ISSUER_MISMATCH' } });
    }
    expect(await provider.tokenRequests()).toEqual([]);
    expect((await provider.requests()).filter((u) => u.includes('/.well-known/'))).toHaveLength(2);
    auth.detach();
  });
});
