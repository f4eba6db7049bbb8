/**
 * `GrantRunner` (src/token/grant-runner.ts) as a stage: fed the outcomes of its exchange (the
 * `EndpointExchange` below it replaced by a list of `ExchangeResult`s, the stage's own contract), it
 * is checked for the grant it chooses, its retries and their exact delays (fake timers), the hook
 * events, and the errors it builds. The exchange itself is tested against real servers elsewhere.
 */
import axios from 'axios';
import {
  DetachedError,
  GrantParametersError,
  InvalidTokenResponseError,
  OAuth2Error,
  TokenEndpointError,
  type OAuth2Options,
} from '../../src';
import { resolveOptions } from '../../src/options/validate-options';
import type { Attempt, EndpointExchange, ExchangeResult } from '../../src/token/endpoint-exchange';
import { GrantRunner, failureAnswer } from '../../src/token/grant-runner';
import type { GrantParams } from '../../src/token/token-request';
import type { TokenFailure } from '../../src/token/token-response';
import { Lifecycle } from '../../src/util/lifecycle';

const SECRET = 'client-secret-value';
const NOW = 1_700_000_000_000;

const token = (accessToken: string, refreshToken?: string): ExchangeResult => ({
  kind: 'token',
  token: { accessToken, tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + 60_000, refreshToken },
});
const failure = (f: TokenFailure & { cause?: Error }): ExchangeResult => ({ kind: 'failure', failure: f });
const oauth = (status: number, error: string, kind: TokenFailure['kind'] = 'permanent') =>
  failure({ kind, status, error, body: { error } });

/** A runner whose exchange answers with `results`, in order (an Error is thrown by the exchange). */
function runner(
  results: Array<ExchangeResult | Error | ((attempt: Attempt) => ExchangeResult)>,
  extra: Partial<OAuth2Options> = {},
  lifecycle?: Lifecycle,
  /** Resolved options set over the checked ones (a sender constraint's session). */
  resolvedExtra: Record<string, unknown> = {},
) {
  const events: unknown[] = [];
  const checked = resolveOptions(axios.create(), {
    tokenUrl: 'https://auth.example.com/token',
    clientId: 'client-1',
    clientSecret: SECRET,
    retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
    hooks: { onTokenEndpointFailure: (event) => events.push(event) },
    clock: () => NOW,
    random: () => 0.5,
    ...extra,
  });
  const options = { ...checked, ...resolvedExtra };
  const grants: GrantParams[] = [];
  const signals: Array<AbortSignal | undefined> = [];
  const exchange = {
    request: (grant: GrantParams, signal: AbortSignal | undefined, _transport: unknown, attempt: Attempt) => {
      grants.push({ ...grant });
      signals.push(signal);
      const next = results.shift();
      if (next === undefined) throw new Error('no more results');
      if (next instanceof Error) return Promise.reject(next);
      return Promise.resolve(typeof next === 'function' ? next(attempt) : next);
    },
  } as unknown as EndpointExchange;
  return { runner: new GrantRunner(exchange, options, lifecycle), grants, events, signals, options };
}

const grantTypes = (grants: GrantParams[]) => grants.map((g) => g.grant_type);

describe('the grant chosen', () => {
  test('without a refresh token: the main grant, once', async () => {
    const { runner: r, grants } = runner([token('at-1')]);
    expect(await r.fetch(undefined)).toEqual({
      kind: 'token',
      token: expect.objectContaining({ accessToken: 'at-1' }) as unknown,
      grant: 'client_credentials',
    });
    expect(grantTypes(grants)).toEqual(['client_credentials']);
  });

  test('with a refresh token: the refresh grant, which keeps the old refresh token when none is issued', async () => {
    const { runner: r, grants } = runner([token('at-1')]);
    const outcome = await r.fetch('rt-old');
    expect(grants).toEqual([{ grant_type: 'refresh_token', refresh_token: 'rt-old' }]);
    expect(outcome).toMatchObject({ kind: 'token', grant: 'refresh_token', token: { refreshToken: 'rt-old' } });
  });

  test('a refresh token issued with the new token replaces the old one', async () => {
    const { runner: r } = runner([token('at-1', 'rt-new')]);
    expect(await r.fetch('rt-old')).toMatchObject({ token: { refreshToken: 'rt-new' } });
  });

  test('invalid_grant on the refresh grant: the main grant answers; the next renewal tries a refresh token again', async () => {
    const { runner: r, grants } = runner([oauth(400, 'invalid_grant'), token('at-1'), token('at-2')]);
    expect(await r.fetch('rt-1')).toMatchObject({ kind: 'token', grant: 'client_credentials' });
    expect(await r.fetch('rt-2')).toMatchObject({ kind: 'token', grant: 'refresh_token' });
    expect(grantTypes(grants)).toEqual(['refresh_token', 'client_credentials', 'refresh_token']);
  });

  test('unauthorized_client on the refresh grant (a lockout as the exchange classifies it) is a permanent refusal there', async () => {
    const { runner: r, grants, events } = runner([oauth(400, 'unauthorized_client', 'lockout'), token('at-1')]);
    expect(await r.fetch('rt-1')).toMatchObject({ kind: 'token', grant: 'client_credentials' });
    expect(grantTypes(grants)).toEqual(['refresh_token', 'client_credentials']);
    expect(events).toEqual([
      { kind: 'permanent', error: 'unauthorized_client', status: 400, attempt: 1, willRetry: false },
    ]);
  });

  test.each(['unsupported_grant_type', 'unauthorized_client'])(
    '%s on the refresh grant: the main grant answers, and refresh tokens are not tried again',
    async (code) => {
      const { runner: r, grants } = runner([oauth(400, code), token('at-1'), token('at-2')]);
      expect(await r.fetch('rt-1')).toMatchObject({ kind: 'token', grant: 'client_credentials' });
      expect(await r.fetch('rt-2')).toMatchObject({ kind: 'token', grant: 'client_credentials' });
      expect(grantTypes(grants)).toEqual(['refresh_token', 'client_credentials', 'client_credentials']);
    },
  );

  test('another failure of the refresh grant is the outcome: no main grant', async () => {
    const { runner: r, grants } = runner([oauth(400, 'invalid_client')]);
    const outcome = await r.fetch('rt-1');
    expect(outcome).toMatchObject({ kind: 'failed', error: { error: 'invalid_client' } });
    expect(grantTypes(grants)).toEqual(['refresh_token']);
  });

  test('an invalid response to the refresh grant is the outcome (not a refusal)', async () => {
    const error = new InvalidTokenResponseError('token_type', 'Invalid token response: bad', { status: 200 });
    const { runner: r, grants } = runner([{ kind: 'invalid', error }]);
    expect(await r.fetch('rt-1')).toMatchObject({ kind: 'failed', error: { field: 'token_type' } });
    expect(grantTypes(grants)).toEqual(['refresh_token']);
  });

  test.each([423, 429])('unauthorized_client with HTTP %i on the refresh grant stays a lockout', async (status) => {
    const { runner: r, grants } = runner([oauth(status, 'unauthorized_client', 'lockout')]);
    expect(await r.fetch('rt-1')).toMatchObject({ kind: 'lockout', failure: { status, kind: 'lockout' } });
    expect(grantTypes(grants)).toEqual(['refresh_token']);
  });

  test('unauthorized_client on the main grant stays a lockout', async () => {
    const { runner: r } = runner([oauth(400, 'unauthorized_client', 'lockout')]);
    expect(await r.fetch(undefined)).toMatchObject({ kind: 'lockout', failure: { kind: 'lockout' } });
  });

  test('a discovery outcome is handed back as is', async () => {
    const error = new OAuth2Error('OAUTH2_DISCOVERY_FAILED', 'no token endpoint');
    const { runner: r } = runner([{ kind: 'discovery', error }]);
    expect(await r.fetch(undefined)).toEqual({ kind: 'discovery', error });
  });
});

describe('retries', () => {
  afterEach(() => jest.useRealTimers());

  test('a transient failure is retried `retries` times, then fails after N attempts; every attempt is an event', async () => {
    const { runner: r, events } = runner(
      [
        oauth(503, 'server_error', 'transient'),
        oauth(503, 'server_error', 'transient'),
        oauth(503, 'server_error', 'transient'),
      ],
      { retry: { retries: 2, baseDelayMs: 0, maxDelayMs: 0 } },
    );
    const outcome = await r.fetch(undefined);
    expect(events).toEqual([
      { kind: 'transient', error: 'server_error', status: 503, attempt: 1, willRetry: true },
      { kind: 'transient', error: 'server_error', status: 503, attempt: 2, willRetry: true },
      { kind: 'transient', error: 'server_error', status: 503, attempt: 3, willRetry: false },
    ]);
    expect(outcome).toMatchObject({ kind: 'failed' });
    const error = (outcome as { error: TokenEndpointError }).error;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.message).toBe(
      'client_credentials grant failed after 3 attempts: the token endpoint answered server_error (HTTP 503)',
    );
    expect(error).toMatchObject({ transient: true, attempts: 3, status: 503, error: 'server_error' });
  });

  test('a permanent failure is not retried, and its message names no attempts', async () => {
    const {
      runner: r,
      grants,
      events,
    } = runner([oauth(400, 'invalid_scope')], {
      retry: { retries: 3, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const outcome = await r.fetch(undefined);
    expect(grants).toHaveLength(1);
    expect(events).toEqual([{ kind: 'permanent', error: 'invalid_scope', status: 400, attempt: 1, willRetry: false }]);
    expect((outcome as { error: Error }).error.message).toBe(
      'client_credentials grant failed: the token endpoint answered invalid_scope (HTTP 400)',
    );
  });

  test('a transient failure on the only attempt names no attempts', async () => {
    const { runner: r } = runner([oauth(503, 'server_error', 'transient')]);
    const outcome = await r.fetch(undefined);
    expect((outcome as { error: Error }).error.message).toBe(
      'client_credentials grant failed: the token endpoint answered server_error (HTTP 503)',
    );
  });

  test('transient failures then a token: the backoff of each attempt (base × 2^(n-1), half of it jittered), exactly', async () => {
    jest.useFakeTimers();
    const { runner: r, grants } = runner(
      [failure({ kind: 'transient', status: 503 }), failure({ kind: 'transient', status: 503 }), token('at-1')],
      { retry: { retries: 2, baseDelayMs: 1_000, maxDelayMs: 10_000 }, random: () => 0.5 },
    );
    const pending = r.fetch(undefined);
    await jest.advanceTimersByTimeAsync(749);
    expect(grants).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1); // 500 + 500 × 0.5
    expect(grants).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1_499);
    expect(grants).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1); // 1,000 + 1,000 × 0.5
    expect(grants).toHaveLength(3);
    expect(await pending).toMatchObject({ kind: 'token' });
  });

  test.each<[string, unknown, number]>([
    ['Retry-After within maxDelayMs is waited exactly', '2', 2_000],
    ['Retry-After beyond maxDelayMs is cut to maxDelayMs', '60', 5_000],
  ])('%s', async (_name, retryAfter, waited) => {
    jest.useFakeTimers();
    const { runner: r, grants } = runner([failure({ kind: 'transient', status: 503, retryAfter }), token('at-1')], {
      retry: { retries: 1, baseDelayMs: 100, maxDelayMs: 5_000 },
    });
    const pending = r.fetch(undefined);
    await jest.advanceTimersByTimeAsync(waited - 1);
    expect(grants).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(grants).toHaveLength(2);
    expect(await pending).toMatchObject({ kind: 'token' });
  });

  test('detach during the retry sleep: DetachedError, no further attempt', async () => {
    jest.useFakeTimers();
    const lifecycle = new Lifecycle();
    const {
      runner: r,
      grants,
      signals,
    } = runner(
      [failure({ kind: 'transient', status: 503 }), token('at-1')],
      { retry: { retries: 1, baseDelayMs: 1_000, maxDelayMs: 1_000 } },
      lifecycle,
    );
    const pending = r.fetch(undefined).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(0);
    expect(signals).toEqual([lifecycle.signal]);
    lifecycle.close();
    expect(await pending).toBeInstanceOf(DetachedError);
    expect(grants).toHaveLength(1);
  });

  test('a failure that arrives after detach: DetachedError, not the failure', async () => {
    const lifecycle = new Lifecycle();
    const { runner: r, events } = runner(
      [
        () => {
          lifecycle.close();
          return oauth(400, 'invalid_client');
        },
      ],
      {},
      lifecycle,
    );
    await expect(r.fetch(undefined)).rejects.toBeInstanceOf(DetachedError);
    expect(events).toEqual([]);
  });

  test('an exchange that throws after detach: DetachedError', async () => {
    const lifecycle = new Lifecycle();
    lifecycle.close();
    const { runner: r } = runner([new Error('aborted')], {}, lifecycle);
    await expect(r.fetch(undefined)).rejects.toBeInstanceOf(DetachedError);
  });

  test('a GrantParametersError from the attempt is the outcome; any other error is thrown', async () => {
    const params = new GrantParametersError('parameters failed');
    expect(await runner([params]).runner.fetch(undefined)).toEqual({ kind: 'failed', error: params });
    const other = new TypeError('bug');
    await expect(runner([other]).runner.fetch(undefined)).rejects.toBe(other);
  });
});

describe('the error of a failure', () => {
  test('a transport failure names the cause, has no response, and is scrubbed of the secret', async () => {
    const cause = new Error(`connect ECONNREFUSED (${SECRET})`);
    const { runner: r } = runner([failure({ kind: 'transient', cause })]);
    const error = (await r.fetch(undefined)) as { error: TokenEndpointError };
    expect(error.error.message).toBe(
      'client_credentials grant failed: the token endpoint could not be reached (connect ECONNREFUSED ([redacted]))',
    );
    expect(error.error.response).toBeUndefined();
    expect(error.error.cause).toBe(cause);
  });

  test('a transport failure without a cause says "network error"', async () => {
    const { runner: r } = runner([failure({ kind: 'transient' })]);
    expect(((await r.fetch(undefined)) as { error: Error }).error.message).toBe(
      'client_credentials grant failed: the token endpoint could not be reached (network error)',
    );
  });

  test.each<[number, string]>([
    [302, 'a redirect (HTTP 302)'],
    [0, 'an opaque redirect (status 0)'],
  ])('a redirect %i', async (status, what) => {
    const { runner: r } = runner([failure({ kind: 'permanent', status })]);
    expect(((await r.fetch(undefined)) as { error: Error }).error.message).toBe(
      `client_credentials grant failed: the token endpoint answered ${what}; token requests never follow redirects`,
    );
  });

  test('an answer without an error code: its status, its description, every field and the answer as response', async () => {
    const { runner: r } = runner([
      failure({
        kind: 'permanent',
        status: 403,
        errorDescription: `denied for ${SECRET}`,
        errorUri: 'https://e.example/403',
        statusText: 'Forbidden',
        headers: { 'x-id': '1' },
        body: { note: SECRET },
      }),
    ]);
    const { error } = (await r.fetch(undefined)) as { error: TokenEndpointError };
    expect(error.message).toBe(
      'client_credentials grant failed: the token endpoint answered HTTP 403: denied for [redacted]',
    );
    expect(error).toMatchObject({
      error: undefined,
      errorDescription: 'denied for [redacted]',
      errorUri: 'https://e.example/403',
      status: 403,
      transient: false,
      attempts: 1,
    });
    expect((error as unknown as { body: unknown }).body).toEqual({ note: '[redacted]' });
    expect(error.response).toEqual({
      status: 403,
      statusText: 'Forbidden',
      headers: { 'x-id': '1' },
      data: { note: '[redacted]' },
    });
  });

  test('an invalid response: one event, the error scrubbed of the secret (message, body, response)', async () => {
    const error = new InvalidTokenResponseError('token_type', `Invalid token response: ${SECRET}`, {
      status: 201,
      body: { echo: SECRET },
      response: { status: 201, statusText: 'Created', headers: {}, data: { echo: SECRET } },
    });
    const { runner: r, events } = runner([{ kind: 'invalid', error }], {
      retry: { retries: 2, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const outcome = (await r.fetch(undefined)) as { kind: string; error: InvalidTokenResponseError };
    expect(events).toEqual([{ kind: 'invalid_response', status: 201, attempt: 1, willRetry: false }]);
    expect(outcome.kind).toBe('failed');
    expect(outcome.error).toBeInstanceOf(InvalidTokenResponseError);
    expect(outcome.error.message).toBe('Invalid token response: [redacted]');
    expect(outcome.error).toMatchObject({ field: 'token_type', status: 201 });
    expect((outcome.error as unknown as { body: unknown }).body).toEqual({ echo: '[redacted]' });
    expect(outcome.error.response).toEqual({
      status: 201,
      statusText: 'Created',
      headers: {},
      data: { echo: '[redacted]' },
    });
  });

  test('an invalid response without a response keeps none', async () => {
    const error = new InvalidTokenResponseError('body', 'Invalid token response: x', { status: 200 });
    const outcome = (await runner([{ kind: 'invalid', error }]).runner.fetch(undefined)) as {
      error: InvalidTokenResponseError;
    };
    expect(outcome.error.response).toBeUndefined();
  });
});

describe('a sender constraint', () => {
  test("a final failure its session calls a challenge becomes the session's error, with the answer as response", async () => {
    const challenge = new OAuth2Error('OAUTH2_TOKEN_ENDPOINT_ERROR', 'DPoP challenge not met');
    const challengeError = jest.fn(() => challenge);
    const senderConstraint = { session: { challengeError } };
    const { runner: r } = runner(
      [failure({ kind: 'permanent', status: 400, error: 'use_dpop_nonce', statusText: 'Bad Request', body: { x: 1 } })],
      {},
      undefined,
      { senderConstraint },
    );
    expect(await r.fetch(undefined)).toEqual({ kind: 'failed', error: challenge });
    expect(challengeError).toHaveBeenCalledWith(
      'token_endpoint',
      expect.objectContaining({ error: 'use_dpop_nonce', status: 400 }),
      { response: { status: 400, statusText: 'Bad Request', headers: {}, data: { x: 1 } } },
    );
  });

  test('a failure its session does not claim is the usual TokenEndpointError', async () => {
    const senderConstraint = { session: { challengeError: () => undefined } };
    const { runner: r } = runner([oauth(400, 'invalid_client')], {}, undefined, { senderConstraint });
    expect(((await r.fetch(undefined)) as { error: Error }).error).toBeInstanceOf(TokenEndpointError);
  });
});

describe('failureAnswer', () => {
  test('none without a status', () => {
    expect(failureAnswer({ kind: 'transient' })).toBeUndefined();
  });

  test('defaults: an empty status text and no headers', () => {
    expect(failureAnswer({ kind: 'permanent', status: 400, body: { error: 'x' } })).toEqual({
      status: 400,
      statusText: '',
      headers: {},
      data: { error: 'x' },
    });
  });
});
