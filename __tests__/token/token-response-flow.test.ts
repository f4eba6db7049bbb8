import {
  InvalidTokenResponseError,
  MemoryTokenStore,
  OAuth2Error,
  TokenEndpointError,
  type StoredToken,
} from '../../src';
import { parseTokenResponse } from '../../src/token/token-response';
import { T0, createCore, type Reply } from '../helpers/harness';

const ok = { access_token: 'at-1', token_type: 'bearer', expires_in: 1199 };

/** Fetches a token through the plugin with the endpoint answering `reply` once. */
async function fetchWith(reply: Reply, options: Record<string, unknown> = {}) {
  const store = new MemoryTokenStore();
  // What was stored, as stored (the store itself drops a token once it has expired, as one of expires_in 0 has).
  const stored: StoredToken[] = [];
  const set = store.set.bind(store);
  store.set = (key, token) => (stored.push(token), set(key, token));
  const core = createCore({ options: { retry: { retries: 0 }, store, ...options } });
  core.tokenQueue.push(reply);
  const result: { token?: string; error?: unknown } = await core.auth.getAccessToken().then(
    (token) => ({ token }),
    (error: unknown) => ({ error }),
  );
  return { core, store, stored, ...result };
}

async function invalid(reply: Reply): Promise<InvalidTokenResponseError> {
  const { core, error } = await fetchWith(reply);
  expect(core.tokenCalls).toHaveLength(1); // invalid responses are not retried
  expect(error).toBeInstanceOf(InvalidTokenResponseError);
  return error as InvalidTokenResponseError;
}

describe('invalid 2xx token responses → InvalidTokenResponseError naming the field', () => {
  test.each<[string, string, Reply]>([
    ['an HTML body', 'body', [200, '<!doctype html><html><body>Login</body></html>', { 'content-type': 'text/html' }]],
    ['an empty body (empty string)', 'body', [200, '']],
    ['an empty body (none)', 'body', [204]],
    ['a whitespace-only body', 'body', [200, '  \n']],
    ['a JSON array (as text)', 'body', [200, '[{"access_token":"at-1","token_type":"bearer"}]']],
    ['a JSON array (parsed by an adapter)', 'body', [200, [{ access_token: 'at-1', token_type: 'bearer' }]]],
    ['a JSON string', 'body', [200, '"at-1"']],
    ['access_token missing', 'access_token', [200, { token_type: 'bearer', expires_in: 10 }]],
    ['access_token empty', 'access_token', [200, { ...ok, access_token: '' }]],
    ['access_token a number', 'access_token', [200, { ...ok, access_token: 12345678 }]],
    ['access_token null', 'access_token', [200, { ...ok, access_token: null }]],
    ['token_type missing', 'token_type', [200, { access_token: 'at-1', expires_in: 10 }]],
    ["token_type 'mac'", 'token_type', [200, { ...ok, token_type: 'mac' }]],
    ['token_type a number', 'token_type', [200, { ...ok, token_type: 1 }]],
    ["expires_in 'abc'", 'expires_in', [200, { ...ok, expires_in: 'abc' }]],
    ['expires_in -1', 'expires_in', [200, { ...ok, expires_in: -1 }]],
    ["expires_in '-1'", 'expires_in', [200, { ...ok, expires_in: '-1' }]],
    ['expires_in an object', 'expires_in', [200, { ...ok, expires_in: { seconds: 10 } }]],
    ['expires_in true', 'expires_in', [200, { ...ok, expires_in: true }]],
    ["expires_in ''", 'expires_in', [200, { ...ok, expires_in: '' }]],
    ['refresh_token a number', 'refresh_token', [200, { ...ok, refresh_token: 42 }]],
    ['refresh_token an object', 'refresh_token', [200, { ...ok, refresh_token: { t: 'x' } }]],
  ])('%s → field %s', async (_name, field, reply) => {
    const error = await invalid(reply);
    expect(error.field).toBe(field);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('OAUTH2_INVALID_TOKEN_RESPONSE');
    expect(error.name).toBe('InvalidTokenResponseError');
    expect(error.status).toBe(reply[0]);
    expect(error.message).toMatch(/^Invalid token response: /);
    if (field !== 'body') expect(error.message).toContain(`"${field}"`);
  });

  test('an API request waiting on an invalid token response rejects with the same error', async () => {
    const core = createCore();
    core.tokenQueue.push([200, '<html></html>']);
    const error = await core.api.get('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect((error as InvalidTokenResponseError).field).toBe('body');
    expect(core.apiCalls).toHaveLength(0);
  });
});

describe('valid variants', () => {
  test.each([
    ['token_type bearer', { ...ok, token_type: 'bearer' }],
    ['token_type Bearer', { ...ok, token_type: 'Bearer' }],
    ['token_type BEARER', { ...ok, token_type: 'BEARER' }],
    ["expires_in '1199' (numeric string)", { ...ok, expires_in: '1199' }],
    [
      'unknown fields ignored',
      { ...ok, id_token: 'x.y.z', foo: { bar: [1] }, scope: 'read', refresh_expires_in: 'whatever' },
    ],
    ['refresh_token null', { ...ok, refresh_token: null }],
  ])('%s', async (_name, body) => {
    const { store, core, token, error } = await fetchWith([200, body]);
    expect(error).toBeUndefined();
    expect(token).toBe('at-1');
    const stored = await store.get(core.auth.cacheKey);
    expect(stored).toMatchObject({ accessToken: 'at-1', obtainedAt: T0, expiresAt: T0 + 1_199_000 });
    expect(stored?.refreshToken).toBeUndefined();
  });

  test('a JSON body delivered as text (responseType text) is parsed', async () => {
    const { token } = await fetchWith([
      200,
      JSON.stringify({ ...ok, token_type: 'Bearer' }),
      { 'content-type': 'application/json' },
    ]);
    expect(token).toBe('at-1');
  });

  test('expires_in absent or null, an opaque token → the default lifetime (600 s), never no expiry', async () => {
    for (const body of [
      { access_token: 'at-1', token_type: 'bearer' },
      { ...ok, expires_in: null },
    ]) {
      const { store, core, token } = await fetchWith([200, body]);
      expect(token).toBe('at-1');
      expect((await store.get(core.auth.cacheKey))?.expiresAt).toBe(T0 + 600_000);
    }
  });

  test('expires_in 0 is accepted', async () => {
    const { stored, token } = await fetchWith([200, { ...ok, expires_in: 0 }]);
    expect(token).toBe('at-1');
    expect(stored.map((t) => t.expiresAt)).toEqual([T0]);
  });

  test('the stored token keeps token_type as sent, the granted scope and the refresh token', async () => {
    const { store, core } = await fetchWith([
      200,
      { ...ok, token_type: 'BEARER', scope: 'read', refresh_token: 'rt-1' },
    ]);
    expect(await store.get(core.auth.cacheKey)).toEqual({
      accessToken: 'at-1',
      tokenType: 'BEARER',
      obtainedAt: T0,
      expiresAt: T0 + 1_199_000,
      refreshToken: 'rt-1',
      scope: 'read',
    });
  });
});

describe('RFC 6749 §5.2 error bodies → TokenEndpointError', () => {
  test('400 with error, error_description and error_uri', async () => {
    const { core, error } = await fetchWith([
      400,
      {
        error: 'invalid_client',
        error_description: 'Client authentication failed',
        error_uri: 'https://docs.example.com/errors#invalid_client',
      },
    ]);
    expect(core.tokenCalls).toHaveLength(1); // permanent: not retried
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toBeInstanceOf(OAuth2Error);
    const e = error as TokenEndpointError;
    expect(e.code).toBe('OAUTH2_TOKEN_ENDPOINT_ERROR');
    expect(e.name).toBe('TokenEndpointError');
    expect(e.error).toBe('invalid_client');
    expect(e.errorDescription).toBe('Client authentication failed');
    expect(e.errorUri).toBe('https://docs.example.com/errors#invalid_client');
    expect(e.status).toBe(400);
    expect(e.transient).toBe(false);
    expect(e.attempts).toBe(1);
    expect(e.message).toBe(
      'client_credentials grant failed: the token endpoint answered invalid_client (HTTP 400): Client authentication failed',
    );
  });

  test('401 invalid_client with a WWW-Authenticate header, body as JSON text', async () => {
    const { error } = await fetchWith([
      401,
      '{"error":"invalid_client"}',
      { 'www-authenticate': 'Basic realm="oauth"' },
    ]);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      error: 'invalid_client',
      status: 401,
      errorDescription: undefined,
      errorUri: undefined,
    });
  });

  test.each(['invalid_request', 'invalid_grant', 'unsupported_grant_type', 'invalid_scope'])(
    '%s is permanent',
    async (code) => {
      const { core, error } = await fetchWith([400, { error: code }], { retry: { retries: 3 } });
      expect(core.tokenCalls).toHaveLength(1);
      expect(error).toMatchObject({ error: code, status: 400, transient: false });
    },
  );

  test('a 200 carrying an error body is a failure reported with its real status', async () => {
    const { core, error } = await fetchWith([200, { error: 'invalid_client' }], { retry: { retries: 3 } });
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: 'invalid_client', status: 200, transient: false });
    expect(core.tokenCalls).toHaveLength(1);
  });

  test.each([
    [200, 'temporarily_unavailable'],
    [400, 'server_error'],
  ])('%i %s is transient: retried once, then the token', async (status, code) => {
    const core = createCore({ options: { retry: { retries: 1, baseDelayMs: 0 } } });
    core.tokenQueue.push([status, { error: code }]);
    expect(await core.auth.getAccessToken()).toBe('tok-1');
    expect(core.tokenCalls).toHaveLength(2);
  });

  test('temporarily_unavailable with the retries spent → TokenEndpointError marked transient', async () => {
    const { core, error } = await fetchWith([200, { error: 'temporarily_unavailable' }]);
    expect(error).toMatchObject({ error: 'temporarily_unavailable', status: 200, transient: true, attempts: 1 });
    expect(core.tokenCalls).toHaveLength(1);
  });

  test('a 4xx without an error body still rejects with TokenEndpointError (no error code)', async () => {
    const { error } = await fetchWith([403, '<html>Forbidden</html>']);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 403, error: undefined });
  });

  test('an API request rejects with the TokenEndpointError itself', async () => {
    const core = createCore();
    core.tokenQueue.push([400, { error: 'invalid_client', error_description: 'bad' }]);
    const error = await core.api.get('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: 'invalid_client', errorDescription: 'bad', status: 400 });
    expect(core.apiCalls).toHaveLength(0);
  });
});

describe('parseTokenResponse (pure)', () => {
  test('expires_in counts from sentAt', () => {
    expect(parseTokenResponse(200, JSON.stringify(ok), {}, 1000)).toEqual({
      token: {
        accessToken: 'at-1',
        tokenType: 'bearer',
        obtainedAt: 1000,
        expiresAt: 1000 + 1_199_000,
        refreshToken: undefined,
        scope: undefined,
      },
    });
  });

  test('a fractional numeric string is accepted', () => {
    const result = parseTokenResponse(200, { ...ok, expires_in: '1.5' }, {}, 0);
    expect(result).toMatchObject({ token: { expiresAt: 1500 } });
  });
});
