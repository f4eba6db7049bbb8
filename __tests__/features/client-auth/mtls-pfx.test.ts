import { Agent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, MemoryTokenStore, OAuth2OptionsError, type OAuth2Options } from '../../../src';
import { startAuthServer, type AuthServer } from '../../../src/testing';
import { selfSignedTlsClientAuth } from '../../../src/features/client-auth';
import { makeMtlsPki, toPfx, type ClientCertificate, type MtlsPki } from '../../helpers/mtls-pki';

/**
 * The client certificate is part of the cache key whatever form the agent holds it in: PEM `cert`,
 * or a PKCS#12 `pfx` (made by openssl) with its passphrase. A shared store never serves a token
 * bound to one certificate to a client presenting another (RFC 8705 §3).
 */
let pki: MtlsPki;
let certA: ClientCertificate;
let certB: ClientCertificate;
let server: AuthServer | undefined;
const PASSPHRASE = 'pfx-pass-phrase';

beforeAll(() => {
  pki = makeMtlsPki();
  certA = pki.selfSigned('/CN=client-a');
  certB = pki.selfSigned('/CN=client-b');
});
afterAll(() => pki.dispose());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pfxAgent = (cert: ClientCertificate, passphrase = PASSPHRASE) =>
  new Agent({ pfx: toPfx(cert, passphrase), passphrase, ca: pki.ca, keepAlive: false });
const pemAgent = (cert: ClientCertificate) => new Agent({ key: cert.key, cert: cert.cert, ca: pki.ca });
const TLS = {
  tokenUrl: 'https://as.example.com/token',
  clientId: 'c',
  clientAuthentication: selfSignedTlsClientAuth(),
};

function keyOf(instance: AxiosInstance, options: Partial<OAuth2Options> = {}): string {
  const handle = attachOAuth2(instance, { ...TLS, ...options });
  handle.detach();
  return handle.cacheKey;
}

function optionError(instance: AxiosInstance, options: Partial<OAuth2Options> = {}): OAuth2OptionsError {
  try {
    attachOAuth2(instance, { ...TLS, ...options }).detach();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    return error as OAuth2OptionsError;
  }
  throw new Error('attachOAuth2 did not throw');
}

describe('a pfx client certificate in the cache key', () => {
  test('two pfx certificates give two keys; one pfx certificate, two keys that agree', () => {
    const a = keyOf(axios.create({ httpsAgent: pfxAgent(certA) }));
    const b = keyOf(axios.create({ httpsAgent: pfxAgent(certB) }));
    expect(a).not.toBe(b);
    expect(keyOf(axios.create({ httpsAgent: pfxAgent(certA, 'another-pass') }))).toBe(a);
  });

  test('the same certificate as PEM or as pfx (alone, or in an array with its passphrase) gives the same key', () => {
    const pem = keyOf(axios.create({ httpsAgent: pemAgent(certA) }));
    expect(keyOf(axios.create({ httpsAgent: pfxAgent(certA) }))).toBe(pem);
    const pfx = toPfx(certA, PASSPHRASE);
    const inArray = new Agent({ pfx: [{ buf: pfx, passphrase: PASSPHRASE }] });
    expect(keyOf(axios.create({ httpsAgent: inArray }))).toBe(pem);
  });

  test('a pfx tokenHttpClient presenting another certificate than the instance is refused', () => {
    const error = optionError(axios.create({ httpsAgent: pemAgent(certA) }), {
      tokenHttpClient: axios.create({ httpsAgent: pfxAgent(certB) }),
    });
    expect(error.option).toBe('tokenHttpClient');
    expect(error.message).toContain(certB.thumbprint);
  });

  test('a pfx that cannot be opened (wrong passphrase) is refused at attach time, without the passphrase', () => {
    const agent = new Agent({ pfx: toPfx(certA, PASSPHRASE), passphrase: 'not-the-pass-phrase' });
    const error = optionError(axios.create({ httpsAgent: agent }));
    expect(error.option).toBe('instance');
    expect(error.message).toMatch(/pfx/);
    expect(error.message).not.toContain('not-the-pass-phrase');
    const viaClient = optionError(axios.create(), { tokenHttpClient: axios.create({ httpsAgent: agent }) });
    expect(viaClient.option).toBe('tokenHttpClient');
  });

  test('real TLS: two clients with pfx certificates on one shared store each get a token bound to their own', async () => {
    const s = await startAuthServer({
      clientId: 'mtls-client',
      tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true },
      mtls: { selfSignedThumbprints: [certA.thumbprint, certB.thumbprint] },
    });
    server = s;
    const store = new MemoryTokenStore();
    const clients = [certA, certB].map((cert) => {
      const api = axios.create({ baseURL: s.apiBaseUrl, httpsAgent: pfxAgent(cert) });
      const auth = attachOAuth2(api, {
        tokenUrl: s.tokenUrl,
        clientId: 'mtls-client',
        clientAuthentication: selfSignedTlsClientAuth(),
        store,
      });
      return { api, auth };
    });
    for (const { api } of clients) {
      const answer = await api.get('/users/1', { validateStatus: () => true });
      expect(answer.status).toBe(200);
    }
    expect(s.issuedTokens().map((t) => t.boundTo)).toEqual([certA.thumbprint, certB.thumbprint]);
    expect(s.counters.tokenCalls).toBe(2);
    // No request was refused for a token bound to the other certificate (no 401 and replay).
    expect(s.apiRequests().map((r) => r.status)).toEqual([200, 200]);
    for (const { auth } of clients) auth.detach();
  });
});
