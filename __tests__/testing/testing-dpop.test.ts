import axios from 'axios';
import { attachOAuth2, type OAuth2Handle } from '../../src';
import { dpop } from '../../src/features/dpop';
import { startAuthServer, type AuthServer } from '../../src/testing';

/** The embedded test server (`axios-oauth2-bearer/testing`) requiring DPoP, with nonces at both ends. */
describe('testing server: dpop option', () => {
  let server: AuthServer;
  let auth: OAuth2Handle | undefined;
  afterEach(async () => {
    auth?.detach();
    auth = undefined;
    await server.close();
  });

  function client(constrained: boolean) {
    const api = axios.create({ baseURL: server.apiBaseUrl });
    auth = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      ...(constrained ? { senderConstraint: dpop() } : {}),
    });
    return api;
  }

  it('nonces required at the token endpoint and the API: a burst of 20 costs one token, a rotation no token', async () => {
    server = await startAuthServer({ dpop: { requireNonceAtTokenEndpoint: true, requireNonceAtApi: true } });
    const api = client(true);
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => api.get(`/users/${i}`)));
    expect(burst.every((r) => r.status === 200)).toBe(true);
    expect(server.tokenRequests()).toHaveLength(2); // use_dpop_nonce, then the token
    expect(server.issuedTokens()).toHaveLength(1);
    expect(server.apiRequests().every((r) => r.authorization?.startsWith('DPoP '))).toBe(true);
    server.rotateDPoPNonces();
    const after = await Promise.all(Array.from({ length: 5 }, () => api.post('/payins', { a: 1 })));
    expect(after.every((r) => r.status === 200)).toBe(true);
    expect(server.issuedTokens()).toHaveLength(1);
    // Revocation: one renewal (with a token-endpoint nonce challenge since the rotation), then replays.
    server.revokeAllTokens();
    const replayed = await Promise.all(Array.from({ length: 5 }, () => api.get('/users/1')));
    expect(replayed.every((r) => r.status === 200)).toBe(true);
    expect(server.issuedTokens()).toHaveLength(2);
  });

  it('a bearer client is refused by a DPoP server (token endpoint: invalid_dpop_proof)', async () => {
    server = await startAuthServer({ dpop: {} });
    const api = client(false);
    await expect(api.get('/users/1')).rejects.toMatchObject({ error: 'invalid_dpop_proof', status: 400 });
    expect(server.issuedTokens()).toHaveLength(0);
  });

  it('a DPoP token sent without its proof is refused by the API (DPoP error="invalid_token")', async () => {
    server = await startAuthServer({ dpop: {} });
    const api = client(true);
    await api.get('/users/1');
    const token = await auth!.getAccessToken();
    const bare = await axios.get(`${server.apiBaseUrl}/users/1`, {
      headers: { Authorization: `DPoP ${token}` },
      validateStatus: () => true,
    });
    expect(bare.status).toBe(401);
    expect(bare.headers['www-authenticate']).toMatch(/^DPoP .*error="invalid_token"/);
  });
});
