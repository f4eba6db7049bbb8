/**
 * `EndpointExchange` (src/token/endpoint-exchange.ts), one token request attempt, against a real
 * loopback server (`helpers/raw-server`): every outcome as a value (token, failure, invalid,
 * discovery), what each keeps of the answer, the size cap, the attempt's deadline over its
 * extras, the extras' headers and their secrets, a sender constraint's one resend, and the token
 * bound to a subject. The endpoint source and the sender constraint are small fakes of their
 * contracts (`src/contracts/`), the shapes the core sees them through.
 */
import type { ServerResponse } from 'node:http';
import axios from 'axios';
import { GrantParametersError, InvalidTokenResponseError, OAuth2Error, type OAuth2Options } from '../../src';
import { resolveOptions, type ResolvedOptions } from '../../src/options/validate-options';
import { EndpointExchange } from '../../src/token/endpoint-exchange';
import type { GrantParams } from '../../src/token/token-request';
import { Secrets } from '../../src/security/secrets';
import type { ConstraintSession, BoundSenderConstraint } from '../../src/contracts/sender-constraint';
import type { EndpointResolver } from '../../src/contracts/endpoint';
import { startRawServer, type RawServer } from '../helpers/raw-server';

const SECRET = 'exchange-secret-value';
const NOW = 1_700_000_000_000;
const GRANT: GrantParams = { grant_type: 'client_credentials' };
const TOKEN = { access_token: 'at-1', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt-1' };

type Answer = (res: ServerResponse) => void;
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

let server: RawServer;
let answers: Answer[] = [];

beforeAll(async () => {
  server = await startRawServer((_req, res) => (answers.shift() ?? json(500, { error: 'no answer queued' }))(res));
});
afterAll(() => server.close());
beforeEach(() => {
  answers = [];
  server.requests.length = 0;
});

function options(extra: Partial<OAuth2Options> = {}): ResolvedOptions {
  return resolveOptions(axios.create(), {
    tokenUrl: `${server.url}/token`,
    clientId: 'client-1',
    clientSecret: SECRET,
    clock: () => NOW,
    ...extra,
  });
}

const exchangeOf = (resolved: ResolvedOptions) => new EndpointExchange(axios.create(), resolved);

describe('outcomes', () => {
  test('a token, obtained at the clock of the attempt', async () => {
    answers.push(json(200, TOKEN));
    expect(await exchangeOf(options()).request(GRANT)).toEqual({
      kind: 'token',
      token: {
        accessToken: 'at-1',
        tokenType: 'Bearer',
        obtainedAt: NOW,
        expiresAt: NOW + 60_000,
        refreshToken: 'rt-1',
        scope: undefined,
      },
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe('/token');
  });

  test('an error answer: classified, with its Retry-After, status text and (safe) headers', async () => {
    answers.push(json(429, { error: 'slow_down' }, { 'retry-after': '5', 'x-request-id': 'r-1' }));
    const result = await exchangeOf(options()).request(GRANT);
    expect(result).toMatchObject({
      kind: 'failure',
      failure: {
        kind: 'lockout',
        status: 429,
        error: 'slow_down',
        retryAfter: '5',
        statusText: 'Too Many Requests',
        body: { error: 'slow_down' },
        headers: expect.objectContaining({ 'retry-after': '5', 'x-request-id': 'r-1' }) as unknown,
      },
    });
  });

  test('a redirect: a permanent failure with its status, status text and headers, not followed', async () => {
    answers.push(json(302, '', { location: `${server.url}/elsewhere` }));
    const result = await exchangeOf(options()).request(GRANT);
    // Strict: a redirect keeps no error fields (not even undefined ones) and no body.
    expect(result).toStrictEqual({
      kind: 'failure',
      failure: {
        kind: 'permanent',
        status: 302,
        statusText: 'Found',
        headers: expect.objectContaining({ location: `${server.url}/elsewhere` }) as unknown,
      },
    });
    expect(server.requests).toHaveLength(1);
  });

  test('an unreachable endpoint: a transient failure with its cause', async () => {
    const closed = await startRawServer(() => undefined);
    await closed.close();
    const result = await exchangeOf(options({ tokenUrl: `${closed.url}/token` })).request(GRANT);
    expect(result).toMatchObject({ kind: 'failure', failure: { kind: 'transient' } });
    const { failure } = result as { failure: { cause?: Error; status?: number } };
    expect(failure.status).toBeUndefined();
    expect(failure.cause).toBeInstanceOf(Error);
    expect((failure.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  test('an invalid 2xx: InvalidTokenResponseError with the status, the masked body and the answer', async () => {
    answers.push(json(201, { access_token: 'at-secret-1', token_type: 'mac' }));
    const result = await exchangeOf(options()).request(GRANT);
    expect(result.kind).toBe('invalid');
    const { error } = result as { error: InvalidTokenResponseError };
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(error).toMatchObject({ field: 'token_type', status: 201 });
    const body = { access_token: '[redacted]', token_type: 'mac' };
    expect((error as unknown as { body: unknown }).body).toEqual(body);
    expect(error.response).toEqual({
      status: 201,
      statusText: 'Created',
      headers: expect.objectContaining({ 'content-type': 'application/json' }) as unknown,
      data: body,
    });
  });
});

describe('maxTokenResponseBytes', () => {
  const big = { ...TOKEN, pad: 'x'.repeat(2_000) };

  test('a 2xx over the cap: invalid, naming the cap, with the answer but no data', async () => {
    answers.push(json(200, big));
    const result = await exchangeOf(options({ maxTokenResponseBytes: 1_024 })).request(GRANT);
    expect(result.kind).toBe('invalid');
    const { error } = result as { error: InvalidTokenResponseError };
    expect(error.field).toBe('body');
    expect(error.status).toBe(200);
    expect(error.message).toBe('Invalid token response: the body is larger than maxTokenResponseBytes (1024 bytes)');
    expect(error.response).toEqual({
      status: 200,
      statusText: 'OK',
      headers: expect.objectContaining({ 'content-type': 'application/json' }) as unknown,
      data: undefined,
    });
  });

  test('an error status over the cap: classified by its status alone, no body', async () => {
    answers.push(json(503, { error: 'invalid_client', pad: 'x'.repeat(2_000) }));
    const result = await exchangeOf(options({ maxTokenResponseBytes: 1_024 })).request(GRANT);
    expect(result).toMatchObject({
      kind: 'failure',
      failure: { kind: 'transient', status: 503, error: undefined, body: undefined, statusText: 'Service Unavailable' },
    });
  });
});

describe('the attempt: extras, secrets, deadline', () => {
  test("the extras' headers are sent and added to the attempt's secrets; onHeaders sees the answer", async () => {
    answers.push(json(200, TOKEN, { 'x-nonce': 'n-1' }));
    const secrets = new Secrets();
    const seen: Array<[string, unknown]> = [];
    const result = await exchangeOf(options()).request(GRANT, undefined, undefined, {
      secrets,
      extras: () =>
        Promise.resolve({
          params: { extra_param: 'p-1' },
          headersFor: (url: string) => ({ 'x-proof': `proof-for-${url.length}` }),
          onHeaders: (url: string, headers: unknown) => seen.push([url, headers]),
        }),
    });
    expect(result.kind).toBe('token');
    const url = `${server.url}/token`;
    expect(server.requests[0]?.headers['x-proof']).toBe(`proof-for-${url.length}`);
    expect(new URLSearchParams(server.requests[0]?.body).get('extra_param')).toBe('p-1');
    expect(secrets.list).toContain(`proof-for-${url.length}`);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toBe(url);
    expect(seen[0]?.[1]).toEqual(expect.objectContaining({ 'x-nonce': 'n-1' }));
  });

  test('extras with parameters only (a custom grant): no headers asked, no answer noted', async () => {
    answers.push(json(200, TOKEN));
    const result = await exchangeOf(options()).request(GRANT, undefined, undefined, {
      secrets: new Secrets(),
      extras: () => Promise.resolve({ params: { assertion: 'a-1' } }),
    });
    expect(result.kind).toBe('token');
    expect(new URLSearchParams(server.requests[0]?.body).get('assertion')).toBe('a-1');
  });

  test('extras still pending at the deadline: a transient failure, its cause the time-out, no request sent', async () => {
    const result = await exchangeOf(options({ tokenRequestTimeoutMs: 50 })).request(GRANT, undefined, undefined, {
      secrets: new Secrets(),
      extras: () => new Promise(() => undefined),
    });
    expect(result).toMatchObject({ kind: 'failure', failure: { kind: 'transient' } });
    expect((result as { failure: { cause?: Error } }).failure.cause?.message).toMatch(/50 ?ms/);
    expect(server.requests).toHaveLength(0);
  });

  test('extras that fail before the deadline: the error is thrown, not made a failure', async () => {
    const error = new GrantParametersError('parameters failed');
    await expect(
      exchangeOf(options()).request(GRANT, undefined, undefined, {
        secrets: new Secrets(),
        extras: () => Promise.reject(error),
      }),
    ).rejects.toBe(error);
    expect(server.requests).toHaveLength(0);
  });

  test('an aborted signal (detach) is thrown, not made a failure', async () => {
    const controller = new AbortController();
    controller.abort(new Error('detached'));
    await expect(
      exchangeOf(options()).request(GRANT, controller.signal, undefined, {
        secrets: new Secrets(),
        extras: () => new Promise(() => undefined),
      }),
    ).rejects.toThrow('canceled while waiting for an OAuth 2.0 token');
  });
});

describe('the client used', () => {
  const counting = () => {
    const client = axios.create();
    const sent: string[] = [];
    client.interceptors.request.use((config) => (sent.push(config.url ?? ''), config));
    return { client, sent };
  };

  test('the attachment client given is used', async () => {
    answers.push(json(200, TOKEN));
    const { client, sent } = counting();
    await new EndpointExchange(axios.create(), options(), client).request(GRANT);
    expect(sent).toEqual([`${server.url}/token`]);
  });

  test('tokenHttpClient is used over the attachment client', async () => {
    answers.push(json(200, TOKEN));
    const own = counting();
    const attachment = counting();
    await new EndpointExchange(axios.create(), options({ tokenHttpClient: own.client }), attachment.client).request(
      GRANT,
    );
    expect(own.sent).toHaveLength(1);
    expect(attachment.sent).toHaveLength(0);
  });
});

describe('an endpoint source', () => {
  const withResolver = (resolve: EndpointResolver['resolve']): ResolvedOptions => {
    // An endpoint source instead of a tokenUrl string (as `discover(issuer)` resolves to).
    return { ...options(), tokenUrl: undefined, endpoint: { current: undefined, resolve } };
  };

  test('no endpoint found: the discovery outcome with its error, no token request', async () => {
    const error = new OAuth2Error('OAUTH2_DISCOVERY_FAILED', 'not found');
    const result = await exchangeOf(withResolver(() => Promise.resolve({ ok: false, error }))).request(GRANT);
    expect(result).toEqual({ kind: 'discovery', error });
    expect(server.requests).toHaveLength(0);
  });

  test('the endpoint found is where the token request goes', async () => {
    answers.push(json(200, TOKEN));
    const resolve = jest.fn(() =>
      Promise.resolve({ ok: true as const, endpoint: { tokenEndpoint: `${server.url}/found-token` } }),
    );
    const result = await exchangeOf(withResolver(resolve as unknown as EndpointResolver['resolve'])).request(GRANT);
    expect(result.kind).toBe('token');
    expect(server.requests.map((r) => r.url)).toEqual(['/found-token']);
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve).toHaveBeenCalledWith({
      client: expect.any(Function) as unknown,
      transport: expect.objectContaining({ timeoutMs: expect.any(Number) as unknown }) as unknown,
      maxBytes: 1_048_576,
      signal: undefined,
    });
  });
});

describe('a sender constraint', () => {
  function constrained(challenge: (failure: { status?: number }) => boolean, format?: 'query') {
    const calls: string[] = [];
    let n = 0;
    const session = {
      tokenRequestHeaders: (method: string, url: string) => {
        calls.push(`headers ${method} ${url.replace(server.url, '')}`);
        return { 'x-proof': `proof-${++n}` };
      },
      noteResponse: (url: string) => calls.push(`note ${url.replace(server.url, '')}`),
      isTokenEndpointChallenge: (failure: { status?: number }) => challenge(failure),
    } as unknown as ConstraintSession;
    const senderConstraint = { load: () => Promise.resolve(session) } as unknown as BoundSenderConstraint;
    const resolved = {
      ...options(format ? { tokenRequestFormat: format } : {}),
      senderConstraint,
    } as ResolvedOptions;
    return { exchange: exchangeOf(resolved), calls };
  }

  test('fresh headers per request; a challenge is answered by one resend with new headers', async () => {
    answers.push(json(400, { error: 'use_dpop_nonce' }), json(200, TOKEN));
    const { exchange, calls } = constrained((f) => f.status === 400);
    expect((await exchange.request(GRANT)).kind).toBe('token');
    expect(server.requests.map((r) => r.headers['x-proof'])).toEqual(['proof-1', 'proof-2']);
    expect(calls).toEqual(['headers POST /token', 'note /token', 'headers POST /token', 'note /token']);
  });

  test('a second challenge is returned as the failure it is', async () => {
    answers.push(json(400, { error: 'use_dpop_nonce' }), json(400, { error: 'use_dpop_nonce' }));
    const { exchange } = constrained(() => true);
    expect(await exchange.request(GRANT)).toMatchObject({ kind: 'failure', failure: { error: 'use_dpop_nonce' } });
    expect(server.requests).toHaveLength(2);
  });

  test('a failure that is no challenge is not resent', async () => {
    answers.push(json(400, { error: 'invalid_client' }));
    const { exchange } = constrained(() => false);
    expect(await exchange.request(GRANT)).toMatchObject({ kind: 'failure', failure: { error: 'invalid_client' } });
    expect(server.requests).toHaveLength(1);
  });

  test('a token is not resent, whatever the challenge check says', async () => {
    answers.push(json(200, TOKEN));
    const { exchange } = constrained(() => true);
    expect((await exchange.request(GRANT)).kind).toBe('token');
    expect(server.requests).toHaveLength(1);
  });

  test('the proof is made for the method sent (GET with the query format)', async () => {
    answers.push(json(200, TOKEN));
    const { exchange, calls } = constrained(() => false, 'query');
    await exchange.request(GRANT);
    expect(calls[0]).toBe('headers GET /token');
    expect(server.requests[0]?.method).toBe('GET');
  });
});

describe('a token bound to a subject (token exchange)', () => {
  const bound = (notAfter: number | undefined, checkResponse?: (body: Record<string, unknown>) => undefined) =>
    exchangeOf({
      ...options(),
      subjectBinding: { parameters: () => ({}), notAfter, secrets: [], checkResponse },
    } as unknown as ResolvedOptions);

  test('used no later than the subject token, and without its refresh token', async () => {
    answers.push(json(200, TOKEN));
    expect(await bound(NOW + 10_000).request(GRANT)).toMatchObject({
      kind: 'token',
      token: { accessToken: 'at-1', expiresAt: NOW + 10_000, refreshToken: undefined },
    });
  });

  test('a token expiring before the subject keeps its own expiry', async () => {
    answers.push(json(200, TOKEN));
    expect(await bound(NOW + 120_000).request(GRANT)).toMatchObject({
      token: { expiresAt: NOW + 60_000, refreshToken: undefined },
    });
  });

  test('a subject without a known expiry: the token keeps its own, still without a refresh token', async () => {
    answers.push(json(200, TOKEN));
    const result = await bound(undefined).request(GRANT);
    expect(result).toMatchObject({ token: { expiresAt: NOW + 60_000 } });
    expect((result as { token: { refreshToken?: string } }).token.refreshToken).toBeUndefined();
  });

  test('a response check that throws something else than an invalid response: thrown as is', async () => {
    answers.push(json(200, TOKEN));
    const bug = new TypeError('check failed');
    await expect(
      bound(undefined, () => {
        throw bug;
      }).request(GRANT),
    ).rejects.toBe(bug);
  });
});
