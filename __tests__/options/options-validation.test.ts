import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, MemoryTokenStore, OAuth2Error, OAuth2OptionsError, type OAuth2Options } from '../../src';
import { countInterceptors } from '../helpers/harness';

const SECRET = 'zz-Secret-Value-9931';
const valid: OAuth2Options = {
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'client-1',
  clientSecret: SECRET,
};

/** Attaches to a fresh instance and returns the thrown error (failing when nothing throws). */
function attachError(options: unknown, instance: AxiosInstance = axios.create()): OAuth2OptionsError {
  const before = countInterceptors(instance);
  try {
    attachOAuth2(instance, options as OAuth2Options);
  } catch (error) {
    expect(countInterceptors(instance)).toEqual(before); // nothing attached on failure
    return error as OAuth2OptionsError;
  }
  throw new Error('attachOAuth2 did not throw');
}

function expectOptionError(error: OAuth2OptionsError, option: string) {
  expect(error).toBeInstanceOf(TypeError);
  expect(error).toBeInstanceOf(OAuth2OptionsError);
  expect(error).toBeInstanceOf(OAuth2Error);
  expect(error.code).toBe('OAUTH2_INVALID_OPTIONS');
  expect(error.option).toBe(option);
  expect(error.message).toContain(`"${option}"`);
  expect(error.message).not.toContain(SECRET);
}

describe('required options', () => {
  test.each<[string, Record<string, unknown>]>([
    ['tokenUrl', { tokenUrl: undefined }],
    ['tokenUrl', { tokenUrl: '' }],
    ['tokenUrl', { tokenUrl: 42 }],
    ['tokenUrl', { tokenUrl: '/relative/token' }],
    ['tokenUrl', { tokenUrl: 'not a url' }],
    ['clientId', { clientId: undefined }],
    ['clientId', { clientId: '' }],
    ['clientId', { clientId: '   ' }],
    ['clientId', { clientId: 7 }],
    ['clientId', { clientId: null }],
    ['clientSecret', { clientSecret: undefined }],
    ['clientSecret', { clientSecret: '' }],
    ['clientSecret', { clientSecret: 123456789 }],
    ['clientSecret', { clientSecret: { value: SECRET } }],
    ['clientSecret', { clientSecret: [SECRET] }],
  ])('%s: %j → TypeError naming it', (option, change) => {
    const options: Record<string, unknown> = { ...valid, ...change };
    if ('tokenUrl' in change && change.tokenUrl === undefined) delete options.tokenUrl;
    if ('clientId' in change && change.clientId === undefined) delete options.clientId;
    if ('clientSecret' in change && change.clientSecret === undefined) delete options.clientSecret;
    expectOptionError(attachError(options), option);
  });

  test('a missing required option is named even when it is the only problem', () => {
    const rest: Record<string, unknown> = { ...valid };
    delete rest.clientSecret;
    const error = attachError(rest);
    expect(error.message).toBe('axios-oauth2-bearer: option "clientSecret" must be a non-empty string, got undefined');
  });

  test('options not an object', () => {
    for (const bad of [undefined, null, 'https://x', [valid]]) expectOptionError(attachError(bad), 'options');
  });

  test('not an axios instance', () => {
    for (const bad of [undefined, null, {}, { request() {} }]) {
      let error: unknown;
      try {
        attachOAuth2(bad as never, valid);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toBeInstanceOf(OAuth2Error);
      expect(error).toMatchObject({ code: 'OAUTH2_INVALID_OPTIONS', option: 'instance' });
      expect((error as Error).message).toMatch(
        /^axios-oauth2-bearer: attachOAuth2 needs an axios instance \(from axios\.create\(\)\) as its first argument, got /,
      );
    }
  });
});

describe('unknown option names', () => {
  test.each([
    ['clientID', '; did you mean "clientId"?'],
    ['token_url', '; did you mean "tokenUrl"?'],
    ['secret', ''],
    ['refreshSkew', ''],
  ])('%s is rejected', (name, guess) => {
    const error = attachError({ ...valid, [name]: 'x' });
    expectOptionError(error, name);
    expect(error.message).toBe(`axios-oauth2-bearer: unknown option "${name}"${guess}`);
  });

  test.each<[string, Record<string, unknown>]>([
    ['retry.retires', { retry: { retires: 3 } }],
    ['lockout.wait', { lockout: { wait: true } }],
    ['grant.user', { grant: { type: 'password', user: 'u', username: 'u', password: 'p' } }],
    ['grant.scope', { grant: { type: 'client_credentials', scope: 'x' } }],
    ['hooks.onTokenRenew', { hooks: { onTokenRenew: () => undefined } }],
  ])('nested typo %s is rejected', (option, change) => {
    expectOptionError(attachError({ ...valid, ...change }), option);
  });

  test("a preset's baseURL and headers are accepted", () => {
    expect(() =>
      attachOAuth2(axios.create(), { ...valid, baseURL: 'https://api.example.com', headers: {} } as OAuth2Options),
    ).not.toThrow();
  });
});

describe('tokenUrl must be https, except loopback', () => {
  test.each([
    'http://auth.example.com/token',
    'http://10.0.0.1/token',
    'http://localhost.evil.example/token',
    'http://127.0.0.1.evil.example/token',
    'ftp://auth.example.com/token',
  ])('%s is rejected', (tokenUrl) => {
    const error = attachError({ ...valid, tokenUrl });
    expectOptionError(error, 'tokenUrl');
  });

  test('the http rejection message says why', () => {
    expect(attachError({ ...valid, tokenUrl: 'http://auth.example.com/token' }).message).toBe(
      'axios-oauth2-bearer: option "tokenUrl" must use https (http is allowed only on loopback hosts, or everywhere with allowInsecureHttp: true), got http://auth.example.com',
    );
  });

  test.each([
    'http://localhost/token',
    'http://localhost:8080/token',
    'http://127.0.0.1:3000/token',
    'http://127.0.0.5/token',
    'http://[::1]:4000/token',
    'http://api.localhost/token',
    'https://auth.example.com/token',
  ])('%s is accepted', (tokenUrl) => {
    expect(() => attachOAuth2(axios.create(), { ...valid, tokenUrl })).not.toThrow();
  });
});

describe('optional options', () => {
  test.each<[string, Record<string, unknown>]>([
    ['scope', { scope: '' }],
    ['scope', { scope: ['read'] }],
    ['grant', { grant: 'password' }],
    ['grant.type', { grant: { type: 'implicit' } }],
    ['grant.type', { grant: {} }],
    ['grant.username', { grant: { type: 'password', password: 'p' } }],
    ['grant.password', { grant: { type: 'password', username: 'u' } }],
    ['grant.password', { grant: { type: 'password', username: 'u', password: '' } }],
    ['clientAuthentication', { clientAuthentication: 'basic' }],
    ['basicEncoding', { basicEncoding: 'strict' }],
    ['tokenRequestFormat', { tokenRequestFormat: 'xml' }],
    ['tokenRequestHeaders', { tokenRequestHeaders: { 'X-A': 1 } }],
    ['tokenRequestHeaders', { tokenRequestHeaders: 'X-A: 1' }],
    ['tokenRequestParams', { tokenRequestParams: { audience: true } }],
    ['apiOrigins', { apiOrigins: [] }],
    ['apiOrigins', { apiOrigins: 'https://api.example.com' }],
    ['apiOrigins[1]', { apiOrigins: ['https://api.example.com', 'api.example.com'] }],
    ['apiOrigins[0]', { apiOrigins: ['ftp://api.example.com'] }],
    ['apiOrigins[0]', { apiOrigins: [42] }],
    ['refreshSkewSeconds', { refreshSkewSeconds: -1 }],
    ['refreshSkewSeconds', { refreshSkewSeconds: '30' }],
    ['refreshSkewSeconds', { refreshSkewSeconds: Number.NaN }],
    ['refreshSkewSeconds', { refreshSkewSeconds: Number.POSITIVE_INFINITY }],
    ['backgroundRefresh', { backgroundRefresh: 'yes' }],
    ['store', { store: {} }],
    ['store', { store: { get() {}, set() {} } }],
    ['tokenHttpClient', { tokenHttpClient: {} }],
    ['tokenRequestTimeoutMs', { tokenRequestTimeoutMs: -5 }],
    ['tokenRequestTimeoutMs', { tokenRequestTimeoutMs: 0 }],
    ['tokenRequestTimeoutMs', { tokenRequestTimeoutMs: 2 ** 31 }],
    ['maxTokenResponseBytes', { maxTokenResponseBytes: 0 }],
    ['maxTokenResponseBytes', { maxTokenResponseBytes: 1.5 }],
    ['maxTokenResponseBytes', { maxTokenResponseBytes: '1MB' }],
    ['allowInsecureHttp', { allowInsecureHttp: 'yes' }],
    ['isTokenRejected', { isTokenRejected: true }],
    ['retry', { retry: 3 }],
    ['retry.retries', { retry: { retries: -1 } }],
    ['retry.retries', { retry: { retries: 1.5 } }],
    ['retry.baseDelayMs', { retry: { baseDelayMs: -1 } }],
    ['retry.maxDelayMs', { retry: { maxDelayMs: '10' } }],
    ['lockout', { lockout: [] }],
    ['lockout.whileLocked', { lockout: { whileLocked: 'x' } }],
    ['lockout.initialCooldownMs', { lockout: { initialCooldownMs: -1 } }],
    ['lockout.maxCooldownMs', { lockout: { maxCooldownMs: null } }],
    ['lockout.maxRetryAfterMs', { lockout: { maxRetryAfterMs: {} } }],
    ['failureCacheMs', { failureCacheMs: -1 }],
    ['hooks', { hooks: () => undefined }],
    ['hooks.onTokenAcquired', { hooks: { onTokenAcquired: 'log' } }],
    ['hooks.onStoreError', { hooks: { onStoreError: {} } }],
    ['clock', { clock: 1 }],
    ['random', { random: 0.5 }],
  ])('%s: %j → TypeError naming it', (option, change) => {
    expectOptionError(attachError({ ...valid, ...change }), option);
  });

  test('valid optional values are accepted', () => {
    expect(() =>
      attachOAuth2(axios.create(), {
        ...valid,
        scope: 'read write',
        grant: { type: 'password', username: 'u', password: 'p' },
        clientAuthentication: 'client_secret_post',
        basicEncoding: 'raw',
        tokenRequestFormat: 'query',
        tokenRequestHeaders: { 'X-A': '1' },
        tokenRequestParams: { audience: 'x' },
        apiOrigins: ['https://api.example.com', 'http://localhost:3000'],
        refreshSkewSeconds: 0,
        backgroundRefresh: false,
        store: new MemoryTokenStore(),
        tokenHttpClient: axios.create(),
        tokenRequestTimeoutMs: 1000,
        maxTokenResponseBytes: 4096,
        allowInsecureHttp: false,
        isTokenRejected: () => false,
        retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
        lockout: { initialCooldownMs: 1, maxCooldownMs: 2, maxRetryAfterMs: 3, whileLocked: 'wait' },
        failureCacheMs: 0,
        hooks: {},
        clock: () => 0,
        random: () => 0,
      }),
    ).not.toThrow();
  });
});

describe('secrets never appear in validation messages', () => {
  test('a wrong-typed secret is not echoed', () => {
    for (const clientSecret of [987654321, [SECRET], { SECRET }]) {
      const error = attachError({ ...valid, clientSecret });
      expect(error.message).not.toContain('987654321');
      expect(error.message).not.toContain(SECRET);
    }
  });

  test('a wrong-typed password is not echoed', () => {
    const error = attachError({ ...valid, grant: { type: 'password', username: 'u', password: 55555555 } });
    expectOptionError(error, 'grant.password');
    expect(error.message).not.toContain('55555555');
  });

  test('no other failure echoes the valid secret either', () => {
    const cases: Array<Record<string, unknown>> = [
      { tokenUrl: `http://auth.example.com/token?k=${SECRET}` },
      { tokenUrl: `https://user:${SECRET}@` },
      { tokenUrl: SECRET },
      { clientId: SECRET, scope: '' },
      { grant: { type: 'password', username: SECRET, password: '' } },
      { grant: { type: SECRET } },
      { clientAuthentication: SECRET },
      { apiOrigins: [SECRET] },
      { [SECRET.slice(0, 3)]: SECRET },
    ];
    for (const change of cases) {
      const error = attachError({ ...valid, ...change });
      expect(error.message).not.toContain(SECRET);
      expect(JSON.stringify(error)).not.toContain(SECRET);
    }
  });
});
