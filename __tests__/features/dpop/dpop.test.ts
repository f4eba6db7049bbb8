import axios, { type AxiosInstance } from 'axios';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import {
  attachOAuth2,
  DPoPNonceError,
  InvalidTokenResponseError,
  MemoryTokenStore,
  OAuth2OptionsError,
  TokenRejectedError,
  type OAuth2Handle,
  type OAuth2Options,
} from '../../../src';
import { dpop } from '../../../src/features/dpop';
import { startDPoPServer, type DPoPServer } from '../../helpers/dpop-server';

/** An EC P-256 and an Ed25519 key as PEM, generated once. */
const ecPem = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const edPem = generateKeyPairSync('ed25519', {
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

describe('DPoP (RFC 9449) against a loopback server verifying proofs with jose', () => {
  let server: DPoPServer;
  let api: AxiosInstance;
  let auth: OAuth2Handle | undefined;
  beforeEach(async () => {
    server = await startDPoPServer();
    api = axios.create({ baseURL: server.apiUrl });
  });
  afterEach(async () => {
    auth?.detach();
    auth = undefined;
    await server.close();
  });

  function attach(extra: Partial<OAuth2Options> = {}): OAuth2Handle {
    auth = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: 'dpop-client',
      clientSecret: 'dpop-client-secret',
      senderConstraint: dpop(),
      ...extra,
    });
    return auth;
  }

  it('dpop() — a cold burst of 30 costs 1 token request; every request carries a valid proof with a distinct jti', async () => {
    attach();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => api.get(`/items/${i}?q=${i}#frag`)));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(server.tokenCalls).toHaveLength(1);
    expect(server.tokenCalls[0].proof).toMatchObject({ ok: true, alg: 'ES256' });
    expect(server.tokenCalls[0].proof.claims?.ath).toBeUndefined();
    expect(server.apiCalls).toHaveLength(30);
    expect(server.apiCalls.every((c) => c.proof.ok && c.authorization.startsWith('DPoP dpop-tok-1'))).toBe(true);
    const jtis = new Set([...server.tokenCalls, ...server.apiCalls].map((c) => c.proof.jti));
    expect(jtis.size).toBe(31);
    // htu without the query or fragment; htm the method; the header's jwk is public only.
    const first = server.apiCalls[0].proof;
    expect(first.claims?.htu).toBe(`${server.origin}/api/items/0`);
    expect(first.header?.typ).toBe('dpop+jwt');
    expect(first.header?.jwk).not.toHaveProperty('d');
    expect(server.issued.get('dpop-tok-1')).toBe(first.jkt);
    await expect(auth!.getToken()).resolves.toMatchObject({ accessToken: 'dpop-tok-1', tokenType: 'DPoP' });
  });

  it.each([
    ['ES256 PEM', () => ecPem, 'ES256'],
    ['EdDSA PEM', () => edPem, 'EdDSA'],
    [
      'ES256 private JWK',
      () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
      'ES256',
    ],
    ['Ed25519 KeyObject', () => generateKeyPairSync('ed25519').privateKey, 'EdDSA'],
    [
      'P-384 PEM',
      () =>
        generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({
          type: 'pkcs8',
          format: 'pem',
        }) as string,
      'ES384',
    ],
  ] as const)('dpop({ privateKey }) — %s signs %s proofs', async (_name, key, alg) => {
    attach({ senderConstraint: dpop({ privateKey: key() as string }) });
    await api.post('/things', { a: 1 });
    expect(server.tokenCalls.map((c) => c.proof.alg)).toEqual([alg]);
    expect(server.apiCalls.map((c) => [c.method, c.proof.ok, c.proof.alg])).toEqual([['POST', true, alg]]);
  });

  it('the same key gives the same cache key, another key another one (the RFC 7638 thumbprint is in it)', () => {
    const base = { tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's' };
    const a = attachOAuth2(axios.create(), { ...base, senderConstraint: dpop({ privateKey: ecPem }) });
    const b = attachOAuth2(axios.create(), { ...base, senderConstraint: dpop({ privateKey: ecPem }) });
    const c = attachOAuth2(axios.create(), { ...base, senderConstraint: dpop({ privateKey: edPem }) });
    const plain = attachOAuth2(axios.create(), base);
    expect(a.cacheKey).toBe(b.cacheKey);
    expect(new Set([a.cacheKey, c.cacheKey, plain.cacheKey]).size).toBe(3);
    for (const h of [a, b, c, plain]) h.detach();
  });

  it('ath matches the token, and each request gets a new proof (no two alike across 30 sequential calls)', async () => {
    attach();
    for (let i = 0; i < 30; i++) await api.get('/seq');
    const proofs = server.apiCalls.map((c) => c.proof);
    expect(proofs.every((p) => p.ok)).toBe(true);
    expect(new Set(proofs.map((p) => p.jti)).size).toBe(30);
    const expected = Buffer.from(await crypto.subtle.digest('SHA-256', Buffer.from('dpop-tok-1'))).toString(
      'base64url',
    );
    expect(proofs.every((p) => p.claims?.ath === expected)).toBe(true);
  });

  it('token endpoint nonce: one more request with the nonce and a new proof; no failure hook, no cached failure', async () => {
    server.tokenNonce = 'token-nonce-1';
    const failures: unknown[] = [];
    attach({ hooks: { onTokenEndpointFailure: (e) => failures.push(e) } });
    await api.get('/a');
    expect(server.tokenCalls.map((c) => [c.status, c.proof.claims?.nonce])).toEqual([
      [400, undefined],
      [200, 'token-nonce-1'],
    ]);
    expect(server.tokenCalls[0].proof.jti).not.toBe(server.tokenCalls[1].proof.jti);
    expect(failures).toEqual([]);
    // Remembered: the next token request sends the nonce at once.
    await auth!.getToken({ forceRefresh: true });
    expect(server.tokenCalls.map((c) => c.status)).toEqual([400, 200, 200]);
  });

  it('token endpoint nonce challenges never make a lockout, whatever their number', async () => {
    server.tokenNonce = 'n';
    attach({ lockout: { initialCooldownMs: 60_000 }, failureCacheMs: 60_000 });
    for (let i = 0; i < 8; i++) {
      server.tokenNonce = `n-${i}`; // the server rotates its nonce before each renewal
      await auth!.getToken({ forceRefresh: true });
    }
    expect(server.tokenCalls.map((c) => c.status)).toEqual(Array(8).fill([400, 200]).flat());
    await expect(api.get('/after')).resolves.toMatchObject({ status: 200 });
  });

  it('the nonce retry is not a transient retry: with retries: 1, nonce → 503 → token succeeds, one failure event', async () => {
    server.tokenNonce = 'n1';
    const failures: unknown[] = [];
    attach({
      retry: { retries: 1, baseDelayMs: 0, maxDelayMs: 0 },
      hooks: { onTokenEndpointFailure: (e) => failures.push(e) },
    });
    // The first request has no nonce (400), the retry with it meets a 503, the runner's one retry gets the token.
    server.tokenFaults = [undefined, 503];
    await expect(api.get('/a')).resolves.toMatchObject({ status: 200 });
    expect(server.tokenCalls.map((c) => c.status)).toEqual([400, 503, 200]);
    expect(failures).toEqual([{ kind: 'transient', error: 'server_error', status: 503, attempt: 1, willRetry: true }]);
  });

  it('a repeated nonce error is negative-cached (failureCacheMs): the next request makes no token call', async () => {
    server.alwaysDemandTokenNonce = true;
    attach({ failureCacheMs: 60_000 });
    await expect(api.get('/a')).rejects.toBeInstanceOf(DPoPNonceError);
    await expect(api.get('/b')).rejects.toBeInstanceOf(DPoPNonceError);
    expect(server.tokenCalls).toHaveLength(2);
  });

  it('a token endpoint asking for a nonce again after the nonce retry: DPoPNonceError, exactly 2 token calls, no loop', async () => {
    server.alwaysDemandTokenNonce = true;
    attach({ failureCacheMs: 0 });
    const error = await api.get('/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DPoPNonceError);
    expect(error).toMatchObject({ code: 'OAUTH2_DPOP_NONCE', source: 'token_endpoint', status: 400 });
    expect(server.tokenCalls).toHaveLength(2);
    expect(server.tokenCalls[1].proof.claims?.nonce).toBe('tn-1');
    expect(server.apiCalls).toHaveLength(0);
  });

  it('API nonce: replayed once with the nonce and a new proof, without a new token; a rotation mid-run costs no token and fails no call', async () => {
    server.apiNonce = 'api-nonce-1';
    attach();
    const first = await Promise.all(Array.from({ length: 10 }, () => api.get('/r')));
    expect(first.every((r) => r.status === 200)).toBe(true);
    server.apiNonce = 'api-nonce-2';
    const second = await Promise.all(Array.from({ length: 10 }, () => api.get('/r')));
    expect(second.every((r) => r.status === 200)).toBe(true);
    expect(server.tokenCalls).toHaveLength(1);
    const ok = server.apiCalls.filter((c) => c.status === 200);
    expect(ok).toHaveLength(20);
    expect(ok.slice(0, 10).every((c) => c.proof.claims?.nonce === 'api-nonce-1')).toBe(true);
    expect(ok.slice(10).every((c) => c.proof.claims?.nonce === 'api-nonce-2')).toBe(true);
    // Every attempt, challenged or not, had its own proof.
    expect(new Set(server.apiCalls.map((c) => c.proof.jti)).size).toBe(server.apiCalls.length);
    // Once the nonce is known, later requests send it at once.
    const before = server.apiCalls.length;
    await api.get('/r');
    expect(server.apiCalls.length - before).toBe(1);
  });

  it('a nonce announced in a successful API answer is used from the next request on, with no challenge', async () => {
    attach();
    server.announceApiNonce = 'announced-1';
    await api.get('/r');
    await api.get('/r');
    expect(server.apiCalls.map((c) => [c.status, c.proof.claims?.nonce])).toEqual([
      [200, undefined],
      [200, 'announced-1'],
    ]);
  });

  it('an API asking for a nonce again after the nonce replay: DPoPNonceError, exactly 2 API calls, 1 token call', async () => {
    server.alwaysDemandApiNonce = true;
    attach();
    const error = await api.get('/r').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DPoPNonceError);
    expect(error).toMatchObject({ code: 'OAUTH2_DPOP_NONCE', source: 'api', status: 401, isAxiosError: true });
    expect(server.apiCalls).toHaveLength(2);
    expect(server.apiCalls[1].proof.claims?.nonce).toBe('an-1');
    expect(server.tokenCalls).toHaveLength(1);
  });

  it('DPoP error="invalid_token" is a token rejection: one renewal, replayed with the new token and a new proof', async () => {
    const replays: unknown[] = [];
    attach({ hooks: { onRequestReplayed: (e) => replays.push(e) } });
    await api.get('/r');
    server.revoked.add('dpop-tok-1');
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.get('/r')));
    expect(answers.map((a) => a.data)).toEqual(Array(5).fill({ ok: true, token: 'dpop-tok-2' }));
    expect(server.tokenCalls).toHaveLength(2);
    expect(replays).toHaveLength(5);
  });

  it('a rejection after a nonce replay still gets its one renewal and replay (the two replays are separate)', async () => {
    attach();
    await api.get('/r');
    server.apiNonce = 'fresh';
    server.revoked.add('dpop-tok-1');
    const answer = await api.get('/r');
    expect(answer.data).toEqual({ ok: true, token: 'dpop-tok-2' });
    expect(server.apiCalls.slice(1).map((c) => [c.status, c.authorization.slice(5)])).toEqual([
      [401, 'dpop-tok-1'], // nonce challenge
      [401, 'dpop-tok-1'], // with the nonce: the token is revoked
      [200, 'dpop-tok-2'], // renewed and replayed
    ]);
    expect(server.tokenCalls).toHaveLength(2);
  });

  it('a nonce challenge on the rejection replay gets its own nonce replay (same new token, new proof)', async () => {
    attach();
    server.apiNonce = 'first';
    await api.get('/r');
    server.revoked.add('dpop-tok-1');
    server.onTokenIssued = () => (server.apiNonce = 'rotated');
    const before = server.apiCalls.length;
    await expect(api.get('/r')).resolves.toMatchObject({ data: { ok: true, token: 'dpop-tok-2' } });
    expect(
      server.apiCalls.slice(before).map((c) => [c.status, c.authorization.slice(5), c.proof.claims?.nonce]),
    ).toEqual([
      [401, 'dpop-tok-1', 'first'], // revoked
      [401, 'dpop-tok-2', 'first'], // the replay meets the rotated nonce
      [200, 'dpop-tok-2', 'rotated'],
    ]);
    expect(server.tokenCalls).toHaveLength(2);
  });

  it('the rejection storm breaker applies unchanged: an API refusing every DPoP token opens it', async () => {
    server.rejectAllTokens = true;
    const opened: unknown[] = [];
    attach({ hooks: { onRejectionStormOpened: (e) => opened.push(e) } });
    const first = await api.get('/r').catch((e: unknown) => e);
    expect(first).toMatchObject({ response: { status: 401 } });
    await expect(api.get('/r')).rejects.toBeInstanceOf(TokenRejectedError);
    expect(opened).toHaveLength(1);
    expect(server.tokenCalls).toHaveLength(2); // the first token, and the one renewal
  });

  it('a token response whose token_type is not DPoP fails with InvalidTokenResponseError (field token_type)', async () => {
    server.tokenType = 'Bearer';
    attach();
    const error = await api.get('/r').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(error).toMatchObject({ field: 'token_type' });
    expect(server.apiCalls).toHaveLength(0);
  });

  it('token_type is compared case-insensitively, and the scheme follows the type returned', async () => {
    server.tokenType = 'dpop';
    attach();
    await api.get('/r');
    expect(server.apiCalls[0].authorization).toBe('DPoP dpop-tok-1');
    auth!.detach();
    // Accepting Bearer too: a Bearer token is sent as Bearer, without a proof.
    server.tokenType = 'Bearer';
    const other = axios.create({ baseURL: server.apiUrl });
    const seen: string[] = [];
    // Registered first, so it runs after the plugin's (axios runs request interceptors last-in first).
    other.interceptors.request.use((config) => {
      seen.push(`${String(config.headers.Authorization)}|${String(config.headers.DPoP ?? '')}`);
      return config;
    });
    const handle = attachOAuth2(other, {
      tokenUrl: server.tokenUrl,
      clientId: 'c',
      clientSecret: 's',
      senderConstraint: dpop(),
      acceptTokenTypes: ['DPoP', 'Bearer'],
    });
    await other.get('/r').catch(() => undefined);
    expect(seen).toEqual(['Bearer dpop-tok-2|']);
    handle.detach();
  });

  it('the private key and the proofs never show in errors, hook payloads or util.inspect(handle)', async () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const payloads: unknown[] = [];
    const hooks = Object.fromEntries(
      ['onTokenAcquired', 'onTokenRenewed', 'onRequestReplayed', 'onTokenEndpointFailure'].map((n) => [
        n,
        (e: unknown) => payloads.push(e),
      ]),
    );
    const handle = attach({ senderConstraint: dpop({ privateKey: jwk }), hooks });
    await api.get('/r');
    server.alwaysDemandApiNonce = true;
    const error = await api.get('/r').catch((e: unknown) => e);
    server.alwaysDemandApiNonce = false;
    server.revoked.add('dpop-tok-1');
    server.tokenType = 'Bearer';
    const invalid = await api.get('/r').catch((e: unknown) => e);
    const texts = [
      inspect(error, { depth: Infinity }),
      JSON.stringify(error),
      inspect(invalid, { depth: Infinity }),
      JSON.stringify(invalid),
      inspect(handle, { depth: Infinity }),
      JSON.stringify(payloads),
    ].join('\n');
    const proofs = [...server.tokenCalls, ...server.apiCalls].map((c) => c.raw);
    expect(proofs.length).toBeGreaterThan(3);
    for (const proof of proofs) expect(texts).not.toContain(proof.split('.')[2]);
    expect(texts).not.toContain(jwk.d as string);
    expect(texts).not.toContain('dpop-tok-1');
    expect(texts).not.toMatch(/eyJ0eXAiOiJkcG9wK2p3dCI/); // a proof's header, base64url
  });

  describe('options', () => {
    const base = { tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's' };
    it('a generated key (dpop()) with a fleet store is refused, naming dpop({ privateKey }) as the way', () => {
      const attempt = () =>
        attachOAuth2(axios.create(), { ...base, senderConstraint: dpop(), store: new MemoryTokenStore() });
      expect(attempt).toThrow(OAuth2OptionsError);
      expect(attempt).toThrow(expect.objectContaining({ option: 'senderConstraint' }));
      expect(attempt).toThrow(/dpop\(\{ privateKey \}\)/);
      expect(() =>
        attachOAuth2(axios.create(), {
          ...base,
          senderConstraint: dpop({ privateKey: ecPem }),
          store: new MemoryTokenStore(),
        }).detach(),
      ).not.toThrow();
    });

    it.each([
      ['not a key', 'dpop.privateKey'],
      [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'BBBB' }, 'dpop.privateKey'], // public JWK
      [generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'dpop.privateKey'],
      [42, 'dpop.privateKey'],
    ])(
      'a bad key (%#) is an OAuth2OptionsError naming %s when dpop() is called, never showing the key',
      (privateKey, option) => {
        let error: unknown;
        try {
          dpop({ privateKey: privateKey as string });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(OAuth2OptionsError);
        expect(error).toMatchObject({ option });
        if (typeof privateKey === 'string') expect(String(error)).not.toContain(privateKey);
      },
    );

    it('unknown dpop() keys, wrong types, the former dpop option, and acceptTokenTypes without DPoP are refused', () => {
      expect(() => dpop({ privateKey: ecPem, alg: 'ES256' } as never)).toThrow(
        expect.objectContaining({ option: 'dpop.alg' }),
      );
      expect(() => dpop('yes' as never)).toThrow(expect.objectContaining({ option: 'dpop' }));
      for (const value of [true, 'yes', { privateKey: ecPem }]) {
        expect(() => attachOAuth2(axios.create(), { ...base, senderConstraint: value as never })).toThrow(
          expect.objectContaining({ option: 'senderConstraint' }),
        );
      }
      // The former option is an unknown option now (see CHANGELOG).
      expect(() => attachOAuth2(axios.create(), { ...base, dpop: true } as never)).toThrow(
        expect.objectContaining({ option: 'dpop' }),
      );
      expect(() =>
        attachOAuth2(axios.create(), { ...base, senderConstraint: dpop(), acceptTokenTypes: ['Bearer'] }),
      ).toThrow(expect.objectContaining({ option: 'acceptTokenTypes' }));
      const off = attachOAuth2(axios.create(), { ...base, senderConstraint: undefined });
      off.detach();
    });

    it('one dpop() value serves two attachments, each with its own state; the value is frozen', async () => {
      const constraint = dpop({ privateKey: ecPem });
      expect(Object.isFrozen(constraint)).toBe(true);
      expect(constraint).toMatchObject({ name: 'DPoP', scheme: 'DPoP', alg: 'ES256' });
      expect(constraint.cacheKeyPart).toEqual(['dpop', constraint.thumbprint]);
      expect(JSON.stringify(constraint)).not.toMatch(/PRIVATE|"d"/);
      const a = attachOAuth2(axios.create(), { ...base, senderConstraint: constraint });
      const b = attachOAuth2(axios.create(), { ...base, senderConstraint: constraint });
      expect(a.cacheKey).toBe(b.cacheKey);
      a.detach();
      b.detach();
    });
  });
});
