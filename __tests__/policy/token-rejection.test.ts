import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { attachOAuth2, isTokenRejected, parseWwwAuthenticate } from '../../src';
import {
  MANGOPAY_INVALID_CREDENTIALS,
  createResponseHarness,
  defaultOptions,
  rejectionOf,
  type Reply,
} from '../helpers/harness';

const SCA_CHALLENGE = 'PendingUserAction RedirectUrl=https://sca.sandbox.mangopay.com/?token=7b0c2a1e';

function errorWith(
  status: number | undefined,
  data?: unknown,
  headers: Record<string, string> | AxiosHeaders = {},
): AxiosError {
  const config = { headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
  const response =
    status === undefined
      ? undefined
      : ({
          status,
          statusText: '',
          data,
          headers: headers instanceof AxiosHeaders ? headers : new AxiosHeaders(headers),
          config,
        } as AxiosResponse);
  return new AxiosError(`Request failed with status code ${status}`, 'ERR_BAD_REQUEST', config, {}, response);
}

describe('isTokenRejected (the default predicate)', () => {
  test("Mangopay's 401 invalid_credentials body qualifies", () => {
    expect(isTokenRejected(errorWith(401, MANGOPAY_INVALID_CREDENTIALS))).toBe(true);
  });

  test('invalid_credentials qualifies even as a JSON string body and even beside a non-Bearer challenge', () => {
    expect(isTokenRejected(errorWith(401, JSON.stringify(MANGOPAY_INVALID_CREDENTIALS)))).toBe(true);
    expect(
      isTokenRejected(errorWith(401, MANGOPAY_INVALID_CREDENTIALS, { 'WWW-Authenticate': 'Basic realm="api"' })),
    ).toBe(true);
  });

  test('a 401 without WWW-Authenticate qualifies, whatever its body', () => {
    expect(isTokenRejected(errorWith(401))).toBe(true);
    expect(isTokenRejected(errorWith(401, ''))).toBe(true);
    expect(isTokenRejected(errorWith(401, 'Unauthorized'))).toBe(true);
    expect(isTokenRejected(errorWith(401, {}))).toBe(true);
    expect(isTokenRejected(errorWith(401, { message: 'expired' }))).toBe(true);
    expect(isTokenRejected(errorWith(401, undefined, { 'WWW-Authenticate': '' }))).toBe(true);
  });

  test('Bearer error="invalid_token" qualifies (RFC 6750 §3.1), and so does a Bearer challenge without error', () => {
    expect(isTokenRejected(errorWith(401, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }))).toBe(
      true,
    );
    expect(
      isTokenRejected(
        errorWith(401, undefined, {
          'WWW-Authenticate':
            'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
        }),
      ),
    ).toBe(true);
    expect(isTokenRejected(errorWith(401, undefined, { 'WWW-Authenticate': 'Bearer realm="example"' }))).toBe(true);
    expect(isTokenRejected(errorWith(401, undefined, { 'www-authenticate': 'bearer ERROR=invalid_token' }))).toBe(true);
    expect(
      isTokenRejected(
        errorWith(401, undefined, { 'WWW-Authenticate': 'Basic realm="a, b", Bearer error="invalid_token"' }),
      ),
    ).toBe(true);
  });

  test('Bearer error="insufficient_scope" does not qualify, nor does any other Bearer error', () => {
    expect(
      isTokenRejected(
        errorWith(401, undefined, { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="payins"' }),
      ),
    ).toBe(false);
    expect(isTokenRejected(errorWith(401, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_request"' }))).toBe(
      false,
    );
  });

  test("Mangopay's SCA challenge (WWW-Authenticate: PendingUserAction RedirectUrl=…) does not qualify", () => {
    expect(isTokenRejected(errorWith(401, undefined, { 'WWW-Authenticate': SCA_CHALLENGE }))).toBe(false);
    expect(isTokenRejected(errorWith(401, { Message: 'SCA required' }, { 'WWW-Authenticate': SCA_CHALLENGE }))).toBe(
      false,
    );
    expect(isTokenRejected(errorWith(401, undefined, { 'WWW-Authenticate': 'Basic realm="api"' }))).toBe(false);
  });

  test('Mangopay body Type not_authorized / forbidden_ressource does not qualify', () => {
    expect(isTokenRejected(errorWith(401, { Message: 'not allowed', Type: 'not_authorized' }))).toBe(false);
    expect(isTokenRejected(errorWith(401, { Message: 'forbidden', Type: 'forbidden_ressource' }))).toBe(false);
    expect(isTokenRejected(errorWith(401, JSON.stringify({ Type: 'not_authorized' })))).toBe(false);
  });

  test('a 403 never qualifies, whatever its body or challenge', () => {
    expect(isTokenRejected(errorWith(403))).toBe(false);
    expect(isTokenRejected(errorWith(403, MANGOPAY_INVALID_CREDENTIALS))).toBe(false);
    expect(isTokenRejected(errorWith(403, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }))).toBe(
      false,
    );
  });

  test('a 429 rate_limit never qualifies', () => {
    expect(
      isTokenRejected(errorWith(429, { Message: 'Too many requests', Type: 'rate_limit' }, { 'Retry-After': '10' })),
    ).toBe(false);
    expect(isTokenRejected(errorWith(429, MANGOPAY_INVALID_CREDENTIALS))).toBe(false);
  });

  test('other statuses and errors without a response never qualify', () => {
    for (const status of [400, 404, 500, 503])
      expect(isTokenRejected(errorWith(status, MANGOPAY_INVALID_CREDENTIALS))).toBe(false);
    expect(isTokenRejected(errorWith(undefined))).toBe(false);
  });
});

describe('parseWwwAuthenticate', () => {
  test('a Bearer challenge with quoted parameters', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'example', error: 'invalid_token', error_description: 'The access token expired' },
      },
    ]);
  });

  test("Mangopay's SCA challenge", () => {
    expect(
      parseWwwAuthenticate('PendingUserAction RedirectUrl=https://sca.sandbox.mangopay.com/?token=7b0c2a1e'),
    ).toEqual([
      { scheme: 'pendinguseraction', params: { redirecturl: 'https://sca.sandbox.mangopay.com/?token=7b0c2a1e' } },
    ]);
  });

  test('several challenges; a comma inside a quoted string does not split', () => {
    expect(parseWwwAuthenticate('Basic realm="a, b", Bearer error="invalid_token", scope="x y"')).toEqual([
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'bearer', params: { error: 'invalid_token', scope: 'x y' } },
    ]);
  });

  test('scheme and parameter names are case-insensitive (lower-cased); values keep their case', () => {
    expect(parseWwwAuthenticate('BEARER Error="Invalid_Token"')).toEqual([
      { scheme: 'bearer', params: { error: 'Invalid_Token' } },
    ]);
  });

  test('escaped quotes inside a quoted value', () => {
    expect(parseWwwAuthenticate('Bearer error_description="say \\"hi\\", then go"')).toEqual([
      { scheme: 'bearer', params: { error_description: 'say "hi", then go' } },
    ]);
  });

  test('a bare scheme, an empty header, and junk never throw', () => {
    expect(parseWwwAuthenticate('Bearer')).toEqual([{ scheme: 'bearer', params: {} }]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate(' , ,')).toEqual([]);
    expect(parseWwwAuthenticate('="x"')).toEqual([]);
    expect(() => parseWwwAuthenticate('Bearer error="unterminated')).not.toThrow();
  });
});

describe('which 401s make the plugin refresh (end to end)', () => {
  /** A harness whose API answers `reply` to `/probe` and 200 to anything else with a valid token. */
  async function probe(reply: Reply) {
    const h = createResponseHarness({ noAttach: true });
    const replayed: unknown[] = [];
    h.auth = attachOAuth2(h.api, defaultOptions({ hooks: { onRequestReplayed: (e) => replayed.push(e) } }));
    await h.api.get('/warm-up');
    h.apiReply = (hit) => (hit.url === '/probe' ? reply : undefined);
    const error = (await rejectionOf(h.api.get('/probe'))) as AxiosError;
    return { h, error, replayed };
  }

  test.each([
    [
      'SCA PendingUserAction challenge',
      [401, { Message: 'SCA required', Type: 'forbidden' }, { 'WWW-Authenticate': SCA_CHALLENGE }] as Reply,
    ],
    ['SCA challenge, no body', [401, undefined, { 'WWW-Authenticate': SCA_CHALLENGE }] as Reply],
    [
      'Bearer insufficient_scope',
      [401, undefined, { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' }] as Reply,
    ],
    ['Type not_authorized', [401, { Message: 'not allowed', Type: 'not_authorized' }] as Reply],
    ['403', [403, { Message: 'forbidden', Type: 'forbidden_ressource' }] as Reply],
    ['429 rate_limit', [429, { Message: 'Too many requests', Type: 'rate_limit' }, { 'Retry-After': '5' }] as Reply],
  ])('%s → no refresh, no token call, no replay; the caller gets the response', async (_what, reply) => {
    const { h, error, replayed } = await probe(reply);
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.response?.status).toBe(reply[0]);
    expect(error.response?.data).toEqual(reply[1]);
    expect(h.tokenCalls).toHaveLength(1); // the warm-up's token only
    expect(h.apiHits.filter((x) => x.url === '/probe')).toHaveLength(1);
    expect(replayed).toEqual([]);
    // The token was not thrown away: the next request uses it without a token call.
    h.apiReply = undefined;
    expect((await h.api.get('/after')).data.token).toBe('tok-1');
    expect(h.tokenCalls).toHaveLength(1);
  });

  test("Mangopay's invalid_credentials 401 → exactly one refresh and one replay", async () => {
    const h = createResponseHarness();
    await h.api.get('/warm-up');
    h.validTokens = new Set(['tok-2']);
    const response = await h.api.get('/probe');
    expect(response.status).toBe(200);
    expect(response.data.token).toBe('tok-2');
    expect(h.tokenCalls).toHaveLength(2);
    expect(h.apiHits.filter((x) => x.url === '/probe').map((x) => x.token)).toEqual(['tok-1', 'tok-2']);
  });

  test('Bearer invalid_token 401 → exactly one refresh and one replay', async () => {
    const h = createResponseHarness();
    await h.api.get('/warm-up');
    h.apiReply = (hit) =>
      hit.token === 'tok-1' && hit.url === '/probe'
        ? [401, '', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }]
        : undefined;
    const response = await h.api.get('/probe');
    expect(response.data.token).toBe('tok-2');
    expect(h.tokenCalls).toHaveLength(2);
    expect(h.apiHits.filter((x) => x.url === '/probe')).toHaveLength(2);
  });

  describe('a 401 to a request that did not carry the plugin’s bearer → no refresh', () => {
    test('oauth2.skip', async () => {
      const h = createResponseHarness();
      const error = (await rejectionOf(h.api.get('/public', { oauth2: { skip: true } }))) as AxiosError;
      expect(error.response?.status).toBe(401);
      expect(h.apiHits).toHaveLength(1);
      expect(h.apiHits[0].authorization).toBe('');
      expect(h.tokenCalls).toHaveLength(0);
    });

    test('another origin', async () => {
      const h = createResponseHarness();
      const error = (await rejectionOf(h.api.get('https://other.example.com/x'))) as AxiosError;
      expect(error.response?.status).toBe(401);
      expect(h.apiHits).toHaveLength(1);
      expect(h.apiHits[0].authorization).toBe('');
      expect(h.tokenCalls).toHaveLength(0);
    });

    test("the caller's own Authorization header (kept as is, never redacted or replaced)", async () => {
      const h = createResponseHarness();
      const error = (await rejectionOf(
        h.api.get('/mine', { headers: { Authorization: 'Bearer callers-own' } }),
      )) as AxiosError;
      expect(error.response?.status).toBe(401);
      expect(h.apiHits).toHaveLength(1);
      expect(h.apiHits[0].authorization).toBe('Bearer callers-own');
      expect(h.tokenCalls).toHaveLength(0);
      expect(AxiosHeaders.from(error.config!.headers).get('Authorization')).toBe('Bearer callers-own');
    });

    test('with a cached plugin token, a skipped 401 does not drop it', async () => {
      const h = createResponseHarness();
      await h.api.get('/warm-up');
      await rejectionOf(h.api.get('/public', { oauth2: { skip: true } }));
      expect((await h.api.get('/again')).data.token).toBe('tok-1');
      expect(h.tokenCalls).toHaveLength(1);
    });
  });

  test('the isTokenRejected option replaces the default predicate', async () => {
    const h = createResponseHarness({ noAttach: true });
    const seen: number[] = [];
    h.auth = attachOAuth2(
      h.api,
      defaultOptions({
        isTokenRejected: (error) => {
          seen.push(error.response?.status ?? 0);
          return error.response?.status === 419;
        },
      }),
    );
    await h.api.get('/warm-up');
    h.apiReply = (hit) => {
      if (hit.token !== 'tok-1') return undefined;
      if (hit.url === '/custom') return [419, { Message: 'session expired' }];
      if (hit.url === '/mangopay') return [401, MANGOPAY_INVALID_CREDENTIALS];
      return undefined;
    };
    // The default would refresh here; the custom predicate says no.
    const error = (await rejectionOf(h.api.get('/mangopay'))) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(h.tokenCalls).toHaveLength(1);
    // The default would not refresh here; the custom predicate says yes.
    const response = await h.api.get('/custom');
    expect(response.data.token).toBe('tok-2');
    expect(h.tokenCalls).toHaveLength(2);
    expect(seen).toEqual([401, 419]);
  });
});
