import { inspect } from 'node:util';
import axios, { AxiosError, AxiosHeaders, type AxiosRequestConfig } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import {
  attachOAuth2,
  InvalidTokenResponseError,
  OAuth2Error,
  TokenEndpointError,
  type OAuth2Options,
} from '../../src';
import { basicAuthorization } from '../../src/token/token-request';
import { formEncode } from '../../src/util/form-encode';
import { tokenBody, createCore, mockApi, type ApiCall } from '../helpers/harness';

const TOKEN_URL = 'https://auth.example.com/oauth/token';
const CLIENT_ID = 'client-9';
const SECRET = 'Cl1ent/Secret+Value=42';
const PASSWORD = 'P4ss w0rd/&=Hunter';
const REFRESH = 'RT/refresh+token-SECRET';
const ACCESS = 'AT-access-token-SECRET-123';

const BASIC = basicAuthorization(CLIENT_ID, SECRET, 'rfc6749');
const ALL_SECRETS = [
  SECRET,
  formEncode(SECRET),
  encodeURIComponent(SECRET),
  PASSWORD,
  formEncode(PASSWORD),
  encodeURIComponent(PASSWORD),
  REFRESH,
  formEncode(REFRESH),
  ACCESS,
  BASIC,
  BASIC.replace('Basic ', ''),
  `Bearer ${ACCESS}`,
];

function expectNoSecrets(error: unknown) {
  expect(error).toBeInstanceOf(Error);
  const views = {
    message: (error as Error).message,
    json: JSON.stringify(error),
    inspect: inspect(error, { depth: 10 }),
    string: String(error),
  };
  for (const [view, text] of Object.entries(views)) {
    for (const secret of ALL_SECRETS) {
      if (text.includes(secret))
        throw new Error(`secret ${JSON.stringify(secret)} found in ${view}: ${text.slice(0, 2000)}`);
    }
  }
  return views;
}

/** An instance whose token endpoint is answered by `setup`, plugin attached with every secret in play. */
function setup(onToken: (mock: MockAdapter, pattern: RegExp) => void, options: Partial<OAuth2Options> = {}) {
  const api = axios.create({ baseURL: 'https://api.example.com/v1' });
  const mock = new MockAdapter(api);
  const pattern = /^https:\/\/auth\.example\.com\/oauth\/token/;
  onToken(mock, pattern);
  const calls: ApiCall[] = [];
  mockApi(mock, calls, () => true);
  const auth = attachOAuth2(api, {
    tokenUrl: TOKEN_URL,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    grant: { type: 'password', username: 'jane', password: PASSWORD },
    retry: { retries: 0 },
    ...options,
  });
  return { api, mock, auth, calls };
}

const failWith = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  return error;
};

/** A token endpoint that echoes every secret it received in its error body. */
function echoing(status: number) {
  return (config: AxiosRequestConfig): [number, unknown] => {
    const auth = AxiosHeaders.from(config.headers as never).get('Authorization');
    return [
      status,
      {
        error: 'invalid_client',
        error_description: `bad client ${SECRET} with ${String(auth)} body ${String(config.data)} pw ${PASSWORD}`,
        echo: config.data,
      },
    ];
  };
}

/** A client-authentication case: a method, or the legacy `query` format (with `client_secret_post`'s credentials). */
const method = (m: 'client_secret_basic' | 'client_secret_post' | 'query') =>
  m === 'query' ? { tokenRequestFormat: 'query' as const } : { clientAuthentication: m };

describe('TokenEndpointError', () => {
  test.each(['client_secret_basic', 'client_secret_post', 'query'] as const)(
    'from a §5.2 body that echoes the credentials (%s)',
    async (clientAuthentication) => {
      const { auth } = setup((mock, p) => mock.onAny(p).reply(echoing(401)), method(clientAuthentication));
      const error = await failWith(auth.getAccessToken());
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
      const { message } = expectNoSecrets(error);
      expect(message).toContain('[redacted]');
      expect((error as TokenEndpointError).errorDescription).toContain('[redacted]');
    },
  );

  test("from a §5.2 body that echoes the Basic header (basicEncoding 'raw')", async () => {
    const { auth } = setup((mock, p) => mock.onAny(p).reply(echoing(400)), { basicEncoding: 'raw' });
    const error = await failWith(auth.getAccessToken());
    const raw = basicAuthorization(CLIENT_ID, SECRET, 'raw');
    expect(raw).not.toBe(BASIC);
    const views = expectNoSecrets(error);
    for (const text of Object.values(views)) expect(text).not.toContain(raw.slice('Basic '.length));
  });

  test.each(['client_secret_basic', 'client_secret_post', 'query'] as const)(
    'from a network error (%s)',
    async (clientAuthentication) => {
      const { auth } = setup((mock, p) => mock.onAny(p).networkError(), method(clientAuthentication));
      const error = await failWith(auth.getAccessToken());
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({ transient: true, status: undefined });
      const { inspect: shown } = expectNoSecrets(error);
      expect(shown).toContain('Network Error'); // the cause is kept, minus the request config
      const cause = (error as Error & { cause?: unknown }).cause;
      expect(cause).toBeInstanceOf(Error);
      expect(cause).not.toHaveProperty('config');
      expect(cause).not.toHaveProperty('request');
    },
  );

  test.each(['client_secret_basic', 'client_secret_post', 'query'] as const)(
    'from a time-out (%s)',
    async (clientAuthentication) => {
      const { auth } = setup((mock, p) => mock.onAny(p).timeout(), {
        ...method(clientAuthentication),
        tokenRequestTimeoutMs: 1234,
      });
      const error = await failWith(auth.getAccessToken());
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect((error as Error).message).toContain('timeout of 1234ms exceeded');
      expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNABORTED');
      expectNoSecrets(error);
    },
  );

  test('from a transport error whose message quotes the URL and headers (query mode)', async () => {
    const { auth } = setup(
      (mock, p) =>
        mock.onAny(p).reply((config) => {
          const url = axios.getUri(config);
          throw AxiosError.from(
            new Error(
              `connect ECONNREFUSED ${url} ${String(AxiosHeaders.from(config.headers as never).get('Authorization'))}`,
            ),
            'ECONNREFUSED',
            config as never,
          );
        }),
      { tokenRequestFormat: 'query' },
    );
    const error = await failWith(auth.getAccessToken());
    expect(error).toBeInstanceOf(TokenEndpointError);
    expectNoSecrets(error);
  });

  test('from a failed refresh-token grant (the refresh token is a secret too)', async () => {
    let n = 0;
    let now = 0;
    const { auth } = setup(
      (mock, p) =>
        mock.onAny(p).reply((config) => {
          n += 1;
          if (n === 1) return [200, tokenBody(ACCESS, 100, { refresh_token: REFRESH })];
          throw AxiosError.from(
            new Error(`socket hang up while sending ${String(config.data)}`),
            'ECONNRESET',
            config as never,
          );
        }),
      { clock: () => now, backgroundRefresh: false },
    );
    expect(await auth.getAccessToken()).toBe(ACCESS);
    now = 100_000;
    const error = await failWith(auth.getAccessToken());
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as Error).message).toMatch(/^refresh_token grant failed/);
    expectNoSecrets(error);
  });

  test('from a 5xx after retries', async () => {
    const { auth } = setup((mock, p) => mock.onAny(p).reply(echoing(503)), {
      retry: { retries: 2, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const error = await failWith(auth.getAccessToken());
    expect(error).toMatchObject({ status: 503, transient: true, attempts: 3 });
    expectNoSecrets(error);
  });
});

describe('InvalidTokenResponseError', () => {
  test.each<[string, Record<string, unknown>]>([
    ['token_type', { access_token: ACCESS, token_type: 'mac', refresh_token: REFRESH }],
    ['expires_in', { access_token: ACCESS, token_type: 'bearer', expires_in: 'soon', refresh_token: REFRESH }],
    ['refresh_token', { access_token: ACCESS, token_type: 'bearer', refresh_token: 987654321 }],
    ['access_token', { access_token: 123456789, token_type: 'bearer' }],
  ])('where the body had an access_token (%s)', async (field, body) => {
    const { auth } = setup((mock, p) => mock.onAny(p).reply(200, body));
    const error = await failWith(auth.getAccessToken());
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect((error as InvalidTokenResponseError).field).toBe(field);
    const views = expectNoSecrets(error);
    for (const text of Object.values(views)) {
      expect(text).not.toContain('987654321');
      expect(text).not.toContain('123456789');
    }
  });
});

describe('the axios error of an API call that carried the bearer', () => {
  test('a 500: Authorization redacted, request hidden', async () => {
    const core = createCore();
    core.tokenQueue.push([200, tokenBody(ACCESS, 3600)]);
    core.mock.reset();
    core.mock.onAny(/oauth\/token/).reply(() => core.tokenQueue.shift() as [number, unknown]);
    core.mock.onAny().reply(500, { message: 'boom' });

    const error = await failWith(core.api.post('/payins', { amount: 1 }));
    expect(axios.isAxiosError(error)).toBe(true);
    const e = error as AxiosError;
    expect(e.response?.status).toBe(500);
    expect(AxiosHeaders.from(e.config?.headers as never).get('Authorization')).toBe('Bearer [redacted]');
    expect(Object.keys(e)).not.toContain('request');
    expect(Object.keys(e.response ?? {})).not.toContain('request');
    expect(error).not.toBeInstanceOf(OAuth2Error);
    expectNoSecrets(error);
  });

  test('a 401 that stays 401 after the one replay', async () => {
    const core = createCore();
    core.tokenQueue.push([200, tokenBody(ACCESS, 3600)], [200, tokenBody(`${ACCESS}-2`, 3600)]);
    core.validTokens = new Set();
    const error = await failWith(core.api.get('/me'));
    expect((error as AxiosError).response?.status).toBe(401);
    expect(core.apiCalls).toHaveLength(2);
    expect(core.tokenCalls).toHaveLength(2);
    const views = expectNoSecrets(error);
    expect(views.inspect).not.toContain(`${ACCESS}-2`);
  });

  test('a 403 (not a token problem): redacted, not replayed', async () => {
    const core = createCore();
    core.tokenQueue.push([200, tokenBody(ACCESS, 3600)]);
    core.mock.reset();
    core.mock.onAny(/oauth\/token/).reply(() => core.tokenQueue.shift() as [number, unknown]);
    core.mock.onAny().reply(403, { Type: 'forbidden_ressource' });
    const error = await failWith(core.api.get('/me'));
    expect((error as AxiosError).response?.status).toBe(403);
    expectNoSecrets(error);
  });
});
