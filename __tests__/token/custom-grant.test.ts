import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import axios from 'axios';
import * as jose from 'jose';
import { attachOAuth2, GrantParametersError, OAuth2Error, TokenEndpointError, type TokenEvent } from '../../src';
import { createCore, formPairs, rejections } from '../helpers/harness';
import { sendJson, startLoopback, type Loopback } from '../helpers/loopback';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const bodyOf = (call: { data?: unknown }) => Object.fromEntries(formPairs(call));

describe('custom grant (mock adapter: exact shapes)', () => {
  test('parameters are computed per attempt (a retried 503 → 2 calls, 2 values) and sent with the grant_type', async () => {
    let n = 0;
    const parameters = jest.fn(() => ({ assertion: `assertion-value-${++n}` }));
    const acquired: TokenEvent[] = [];
    const core = createCore({
      options: {
        grant: { type: 'custom', grantType: JWT_BEARER, parameters },
        retry: { retries: 1, baseDelayMs: 0 },
        hooks: { onTokenAcquired: (e) => acquired.push(e) },
      },
    });
    core.tokenQueue.push([503, {}]);
    await core.api.get('/a');
    expect(parameters).toHaveBeenCalledTimes(2);
    expect(core.tokenCalls.map((c) => bodyOf(c).assertion)).toEqual(['assertion-value-1', 'assertion-value-2']);
    expect(bodyOf(core.tokenCalls[1]).grant_type).toBe(JWT_BEARER);
    expect(acquired).toEqual([{ grant: JWT_BEARER, expiresAt: expect.any(Number), background: false }]);
  });

  test('an async parameters function; a burst of 20 shares one token request and one call', async () => {
    const parameters = jest.fn(async () => ({
      subject_token: 'subject-token-value',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    }));
    const core = createCore({ options: { grant: { type: 'custom', grantType: TOKEN_EXCHANGE, parameters } } });
    await Promise.all(Array.from({ length: 20 }, () => core.api.get('/a')));
    expect(parameters).toHaveBeenCalledTimes(1);
    expect(core.tokenCalls).toHaveLength(1);
    expect(bodyOf(core.tokenCalls[0])).toMatchObject({
      grant_type: TOKEN_EXCHANGE,
      subject_token: 'subject-token-value',
    });
  });

  test('a refresh token issued by the custom grant is used for the next renewal, without calling parameters', async () => {
    const parameters = jest.fn(() => ({ subject_token: 'subject-token-value' }));
    const core = createCore({
      lifetimeSeconds: 60,
      tokenExtra: (n) => ({ refresh_token: `rt-${n}` }),
      options: { grant: { type: 'custom', grantType: TOKEN_EXCHANGE, parameters }, backgroundRefresh: false },
    });
    await core.api.get('/a');
    core.clock.now += 60_000;
    await core.api.get('/b');
    expect(core.tokenCalls.map((c) => bodyOf(c).grant_type)).toEqual([TOKEN_EXCHANGE, 'refresh_token']);
    expect(parameters).toHaveBeenCalledTimes(1);
  });

  test('parameter values are secrets: an echo in the error is scrubbed', async () => {
    const core = createCore({
      options: {
        grant: { type: 'custom', grantType: JWT_BEARER, parameters: () => ({ assertion: 'secret-assertion-42' }) },
      },
    });
    core.tokenQueue.push([
      400,
      { error: 'invalid_grant', error_description: 'bad assertion secret-assertion-42', echo: 'secret-assertion-42' },
    ]);
    const [error] = await rejections([core.api.get('/a')]);
    expect(error).toBeInstanceOf(TokenEndpointError);
    const shown = [
      String((error as Error).message),
      JSON.stringify(error),
      inspect(error, { depth: Infinity, showHidden: true }),
    ];
    for (const text of shown) expect(text).not.toContain('secret-assertion-42');
  });

  test.each<[string, () => unknown, RegExp]>([
    [
      'throws',
      () => {
        throw new Error('vault unreachable');
      },
      /grant\.parameters\(\) of the urn:x grant failed/,
    ],
    ['rejects', () => Promise.reject(new Error('vault unreachable')), /failed/],
    ['returns a non-string value', () => ({ assertion: 42 }), /non-string value for "assertion"/],
    ['returns null', () => null, /must return an object of strings/],
    ['sets client_assertion', () => ({ client_assertion: 'x' }), /may not set "client_assertion"/],
  ])(
    'parameters %s → GrantParametersError, no token request, no retry, the failure cached',
    async (_what, parameters, says) => {
      const core = createCore({
        options: {
          grant: { type: 'custom', grantType: 'urn:x', parameters: parameters as never },
          failureCacheMs: 5000,
        },
      });
      const errors = await rejections(Array.from({ length: 10 }, () => core.api.get('/a')));
      expect(core.tokenCalls).toHaveLength(0);
      for (const error of errors) {
        expect(error).toBeInstanceOf(GrantParametersError);
        expect(error).toBeInstanceOf(OAuth2Error);
        expect((error as GrantParametersError).code).toBe('OAUTH2_GRANT_PARAMETERS');
        expect((error as Error).message).toMatch(says);
      }
    },
  );

  test('a throwing parameters function is called once per failure-cache period, not per request', async () => {
    const parameters = jest.fn(() => {
      throw new Error('vault unreachable');
    });
    const core = createCore({
      options: { grant: { type: 'custom', grantType: 'urn:x', parameters }, failureCacheMs: 5000 },
    });
    await rejections(Array.from({ length: 10 }, () => core.api.get('/a')));
    await rejections(Array.from({ length: 10 }, () => core.api.get('/b')));
    expect(parameters).toHaveBeenCalledTimes(1);
    core.clock.now += 5000;
    await rejections([core.api.get('/c')]);
    expect(parameters).toHaveBeenCalledTimes(2);
  });
});

describe('custom grant against a real loopback server: the JWT bearer grant (RFC 7523 §2.1)', () => {
  let server: Loopback;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const seenJti: string[] = [];
  beforeAll(async () => {
    server = await startLoopback();
    server.onToken = (call, res, issue) => {
      const form = new URLSearchParams(call.body);
      if (form.get('grant_type') !== JWT_BEARER) return sendJson(res, 400, { error: 'unsupported_grant_type' });
      jose
        .jwtVerify(form.get('assertion') ?? '', publicKey, { issuer: 'svc@example', audience: server.tokenUrl })
        .then(({ payload }) => {
          if (seenJti.includes(String(payload.jti))) return sendJson(res, 400, { error: 'invalid_grant' });
          seenJti.push(String(payload.jti));
          issue();
        })
        .catch(() =>
          sendJson(res, 400, { error: 'invalid_grant', error_description: `rejected ${form.get('assertion')}` }),
        );
    };
  });
  afterAll(() => server.close());

  test('a service account signs its own assertion per request: one token for a cold burst of 50, a fresh one after a 401', async () => {
    const parameters = async () => ({
      assertion: await new jose.SignJWT({ scope: 'read' })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer('svc@example')
        .setSubject('svc@example')
        .setAudience(server.tokenUrl)
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(privateKey),
    });
    const api = axios.create({ baseURL: server.origin });
    let valid = new Set(['tok-1']);
    server.onApi = (call, res) => sendJson(res, valid.has(call.token) ? 200 : 401, { token: call.token });
    const auth = attachOAuth2(api, {
      tokenUrl: server.tokenUrl,
      clientId: 'svc-client',
      clientSecret: 'svc-client-secret',
      grant: { type: 'custom', grantType: JWT_BEARER, parameters },
    });
    const answers = await Promise.all(Array.from({ length: 50 }, () => api.get('/r')));
    expect(answers.every((a) => a.data.token === 'tok-1')).toBe(true);
    expect(server.tokenCalls).toHaveLength(1);
    valid = new Set(['tok-2']);
    expect((await api.get('/r')).data.token).toBe('tok-2');
    expect(server.tokenCalls).toHaveLength(2);
    expect(new Set(seenJti).size).toBe(2);
    auth.detach();
  });
});
