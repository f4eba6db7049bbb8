import { Agent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, OAuth2OptionsError, type OAuth2Options } from '../../../src';
import { discover } from '../../../src/features/discovery';
import { makeMtlsPki, type ClientCertificate, type MtlsPki } from '../../helpers/mtls-pki';
import { selfSignedTlsClientAuth, tlsClientAuth } from '../../../src/features/client-auth';

/** Checks of `discover(issuer)` (when called, and at attach time) and of the mutual-TLS methods. */
let pki: MtlsPki;
let certA: ClientCertificate;
let certB: ClientCertificate;
beforeAll(() => {
  pki = makeMtlsPki();
  certA = pki.issue('/CN=client-a');
  certB = pki.issue('/CN=client-b');
});
afterAll(() => pki.dispose());

const agentWith = (cert: ClientCertificate) => new Agent({ key: cert.key, cert: cert.cert, ca: pki.ca });
const withCert = (cert: ClientCertificate = certA) => axios.create({ httpsAgent: agentWith(cert) });

function optionError(
  options: Record<string, unknown> | (() => Record<string, unknown>),
  instance: AxiosInstance = axios.create(),
): OAuth2OptionsError {
  try {
    const given = typeof options === 'function' ? options() : options;
    attachOAuth2(instance, given as unknown as OAuth2Options).detach();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    return error as OAuth2OptionsError;
  }
  throw new Error('attachOAuth2 did not throw');
}

const TLS = { tokenUrl: 'https://as.example.com/token', clientId: 'c', clientAuthentication: tlsClientAuth() };

describe('discover(issuer)', () => {
  it.each([
    ['http on a public host', 'http://as.example.com', /must use https/],
    ['a relative URL', '/tenant', /absolute URL/],
    ['a query', 'https://as.example.com/t?x=1', /without query or fragment/],
    ['a fragment', 'https://as.example.com/t#f', /without query or fragment/],
    ['an empty string', '', /non-empty string/],
  ])('refuses %s', (_, issuer, message) => {
    const error = optionError(() => ({ tokenUrl: discover(issuer), clientId: 'c', clientSecret: 's' }));
    expect(error.option).toBe('issuer');
    expect(error.message).toMatch(message);
  });

  it('accepts http on loopback, and anywhere with allowInsecureHttp', () => {
    attachOAuth2(axios.create(), {
      tokenUrl: discover('http://127.0.0.1:9/t'),
      clientId: 'c',
      clientSecret: 's',
    }).detach();
    const options = {
      tokenUrl: discover('http://as.internal/t'),
      clientId: 'c',
      clientSecret: 's',
      allowInsecureHttp: true,
    };
    attachOAuth2(axios.create(), options).detach();
  });

  it('tokenUrl is required: a URL or discover(issuer); another object is refused', () => {
    const error = optionError({ clientId: 'c', clientSecret: 's' });
    expect(error.option).toBe('tokenUrl');
    expect(error.message).toContain('discover(issuer)');
    expect(
      optionError({ tokenUrl: { issuer: 'https://as.example.com' }, clientId: 'c', clientSecret: 's' }).option,
    ).toBe('tokenUrl');
  });

  it('apiOrigins default with discover(issuer): the baseURL origin, else the issuer origin', async () => {
    const options = { tokenUrl: discover('https://as.example.com/tenant'), clientId: 'c', clientSecret: 's' };
    // Another attachment on the same origin is refused: that is how the default origin shows.
    const bare = axios.create();
    const first = attachOAuth2(bare, options);
    expect(optionError({ ...options, apiOrigins: ['https://as.example.com'] }, bare).option).toBe('apiOrigins');
    first.detach();
    const withBase = axios.create({ baseURL: 'https://api.example.com/v1' });
    const second = attachOAuth2(withBase, options);
    expect(optionError({ ...options, apiOrigins: ['https://api.example.com'] }, withBase).option).toBe('apiOrigins');
    attachOAuth2(withBase, { ...options, apiOrigins: ['https://as.example.com'] }).detach();
    second.detach();
  });
});

describe('mutual TLS methods', () => {
  it.each(['tls_client_auth', 'self_signed_tls_client_auth'])(
    '%s: no clientSecret needed with a client certificate on the instance',
    (method) => {
      const clientAuthentication = method === 'tls_client_auth' ? tlsClientAuth() : selfSignedTlsClientAuth();
      attachOAuth2(withCert(), { ...TLS, clientAuthentication }).detach();
    },
  );

  it('refuses a clientSecret (none is sent), without echoing it', () => {
    const error = optionError({ ...TLS, clientSecret: 'a-secret-value-123' }, withCert());
    expect(error.option).toBe('clientSecret');
    expect(error.message).not.toContain('a-secret-value-123');
  });

  it("refuses tokenRequestFormat 'json'", () => {
    expect(optionError({ ...TLS, tokenRequestFormat: 'json' }, withCert()).option).toBe('tokenRequestFormat');
  });

  it('refuses an instance with no client certificate and no tokenHttpClient', () => {
    const error = optionError(TLS, axios.create());
    expect(error.option).toBe('clientAuthentication');
    expect(error.message).toMatch(/needs a client certificate/);
    // An agent without a certificate is no better.
    expect(optionError(TLS, axios.create({ httpsAgent: new Agent({ ca: pki.ca }) })).option).toBe(
      'clientAuthentication',
    );
  });

  it('accepts a tokenHttpClient, or a fetch dispatcher', () => {
    attachOAuth2(axios.create(), { ...TLS, tokenHttpClient: withCert() }).detach();
    const fetchInstance = axios.create({ adapter: 'fetch', fetchOptions: { dispatcher: {} } } as never);
    attachOAuth2(fetchInstance, TLS).detach();
  });

  it("refuses a tokenHttpClient presenting another certificate than the instance's agent, naming both thumbprints", () => {
    const error = optionError({ ...TLS, tokenHttpClient: withCert(certB) }, withCert(certA));
    expect(error.option).toBe('tokenHttpClient');
    expect(error.message).toContain(certA.thumbprint);
    expect(error.message).toContain(certB.thumbprint);
    attachOAuth2(withCert(certA), { ...TLS, tokenHttpClient: withCert(certA) }).detach();
  });

  it('the client certificate is part of the cache key (bound tokens are never served to another certificate)', () => {
    const key = (cert: ClientCertificate) => {
      const auth = attachOAuth2(withCert(cert), TLS);
      auth.detach();
      return auth.cacheKey;
    };
    expect(key(certA)).toBe(key(certA));
    expect(key(certA)).not.toBe(key(certB));
    expect(key(certA)).not.toContain(certA.thumbprint);
  });

  it('the shared-secret methods keep their cache key whatever the agent', () => {
    const options = { tokenUrl: 'https://as.example.com/token', clientId: 'c', clientSecret: 's' };
    const a = attachOAuth2(withCert(certA), options);
    const b = attachOAuth2(withCert(certB), options);
    const none = attachOAuth2(axios.create(), options);
    expect(new Set([a.cacheKey, b.cacheKey, none.cacheKey]).size).toBe(1);
    for (const h of [a, b, none]) h.detach();
  });
});
