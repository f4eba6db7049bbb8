import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, type OAuth2Handle } from '../../src';
import { dpop } from '../../src/features/dpop';
import { startProvider, type RunningProvider } from '../helpers/oidc/start-provider';
import { startDPoPResourceServer, type DPoPResourceServer } from '../helpers/oidc/dpop-resource-server';

const CLIENT = { id: 'dpop-client', secret: 'dpop-client-secret-0123456789abcdef' };

/**
 * DPoP (RFC 9449) against a certified authorization server (oidc-provider) that requires a nonce at
 * its token endpoint, and a resource server of this test that verifies every proof with jose,
 * checks the token's binding (cnf.jkt) through introspection, and requires its own nonce.
 */
describe('oidc-provider: DPoP with nonces required at the token endpoint and at the API', () => {
  let provider: RunningProvider;
  let rs: DPoPResourceServer;
  let auth: OAuth2Handle | undefined;
  beforeAll(async () => {
    provider = await startProvider({
      dpop: { requireNonce: true, nonceSecretHex: 'a1'.repeat(32) },
      clients: [
        {
          client_id: CLIENT.id,
          client_secret: CLIENT.secret,
          token_endpoint_auth_method: 'client_secret_basic',
          dpop_bound_access_tokens: true,
          scope: 'read',
        },
      ],
    });
    rs = await startDPoPResourceServer({
      url: `${provider.issuer}/token/introspection`,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
    });
  });
  afterAll(async () => {
    await rs.close();
    await provider.stop();
  });
  beforeEach(async () => {
    await provider.reset();
    rs.seen.length = 0;
  });
  afterEach(() => auth?.detach());

  /** The plugin with a DPoP key of its own, as the provider's registered client. */
  function attachDPoP(client: AxiosInstance): OAuth2Handle {
    return attachOAuth2(client, {
      tokenUrl: provider.tokenUrl,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      scope: 'read',
      senderConstraint: dpop(),
    });
  }

  it('cold burst of 30: one token issued (after the nonce retry); every call carries a valid proof with a distinct jti; a nonce rotation costs no token and fails no call', async () => {
    const client = axios.create({ baseURL: rs.url });
    auth = attachDPoP(client);
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => client.get(`/resource/${i}?page=2`)));
    expect(burst.map((a) => a.status)).toEqual(Array(30).fill(200));
    // The provider requires a nonce: the first proof has none, the retry has it; one token issued.
    expect(await provider.tokenRequests()).toEqual([
      { status: 400, dpop: true, basic: true },
      { status: 200, dpop: true, basic: true },
    ]);
    const token = await auth.getAccessToken();
    expect(rs.seen.every((s) => s.token === token && s.scheme === 'DPoP' && s.proof.jti)).toBe(true);
    expect(rs.seen.filter((s) => s.outcome === 'ok')).toHaveLength(30);
    // Nonce challenges (the burst went out before the server's nonce was known) were each replayed once.
    expect(rs.seen.filter((s) => s.outcome !== 'ok' && s.outcome !== 'nonce')).toEqual([]);

    const beforeRotation = rs.seen.length;
    rs.nonce = 'rs-nonce-2';
    const after = await Promise.all(Array.from({ length: 30 }, () => client.post('/resource', { a: 1 })));
    expect(after.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect((await provider.tokenRequests()).filter((r) => r.status === 200)).toHaveLength(1);
    expect(rs.seen.slice(beforeRotation).some((s) => s.outcome === 'nonce')).toBe(true);
    expect(new Set(rs.seen.map((s) => s.proof.jti)).size).toBe(rs.seen.length);
    expect(rs.seen.filter((s) => s.outcome === 'ok')).toHaveLength(60);
  });

  it('revocation: one renewal (with the remembered token-endpoint nonce), the calls replayed', async () => {
    const client = axios.create({ baseURL: rs.url });
    auth = attachDPoP(client);
    await client.get('/warm');
    const first = await auth.getAccessToken();
    const revoked = await axios.post(
      `${provider.issuer}/token/revocation`,
      new URLSearchParams({ token: first }).toString(),
      {
        auth: { username: CLIENT.id, password: CLIENT.secret },
      },
    );
    expect(revoked.status).toBe(200);
    await provider.reset();
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.get('/after-revocation')));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const second = await auth.getAccessToken();
    expect(second).not.toBe(first);
    // One renewal; the token endpoint's nonce was remembered, unless the provider rotated it meanwhile.
    const renewals = await provider.tokenRequests();
    expect(renewals.filter((r) => r.status === 200)).toHaveLength(1);
    expect(renewals.length).toBeLessThanOrEqual(2);
    expect(rs.seen.filter((s) => s.token === first && s.outcome === 'inactive').length).toBeGreaterThan(0);
  });
});
