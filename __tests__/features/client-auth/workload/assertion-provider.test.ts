/**
 * `clientAssertion(fn)` and `jwtBearer(provider)` against the embedded server (workload tokens verified
 * against the federated issuer's JWKS): the provider is called per token request attempt, retries
 * included, with the audience and the attempt's signal; its answer is checked before anything is sent.
 */
import { generateKeyPairSync } from 'node:crypto';
import axios from 'axios';
import { attachOAuth2, AssertionSourceError, OAuth2OptionsError, TokenEndpointError } from '../../../../src';
import {
  assertionFile,
  clientAssertion,
  clientAssertionFile,
  jwtBearer,
  type AssertionRequest,
} from '../../../../src/features/client-auth';
import { AUDIENCE, ISSUER, workloadFixture, type WorkloadFixture } from './workload-fixture';
import { signJwt } from '../../../../src/testing/workload-jws';

let fx: WorkloadFixture;
beforeEach(async () => {
  fx = await workloadFixture({ clientSecret: 'orders-secret-0123456789' });
});
afterEach(async () => {
  jest.useRealTimers();
  await fx.close();
});

/** A workload token for {@link AUDIENCE}, `lifetime` seconds from `now` (epoch ms). */
function token(now = Date.now(), lifetime = 600, key = fx.key): string {
  const iat = Math.floor(now / 1000);
  return signJwt(
    key,
    { iss: ISSUER, sub: 'system:serviceaccount:shop:orders', aud: AUDIENCE, iat, exp: iat + lifetime },
    'workload-key',
  );
}
const forms = () => fx.server.tokenRequests().map((call) => Object.fromEntries(new URLSearchParams(call.body)));

describe('clientAssertion(fn)', () => {
  test('called once per attempt (a 503 then a success: two calls), with the token URL as audience and a live signal', async () => {
    const seen: AssertionRequest[] = [];
    const issued: string[] = [];
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: clientAssertion((request) => {
        seen.push(request);
        return issued[issued.push(token()) - 1];
      }),
      retry: { retries: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    fx.server.injectTokenFaults([{ type: 'status', status: 503 }]);

    await auth.getAccessToken();

    expect(seen.map((r) => [r.audience, r.signal.aborted, typeof r.now])).toEqual([
      [fx.server.tokenUrl, false, 'number'],
      [fx.server.tokenUrl, false, 'number'],
    ]);
    expect(fx.server.counters.tokenCalls).toBe(2);
    expect(fx.server.counters.tokenSuccesses).toBe(1);
    expect(forms()[1]).toEqual({
      grant_type: 'client_credentials',
      client_id: 'orders',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: issued[1],
    });
    auth.detach();
  });

  test('a provider that never answers: each attempt aborts it at its deadline (fake timers: 200 ms, retry at 201 ms), no token request', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const start = Date.now();
    const log: string[] = [];
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: clientAssertion(
        ({ signal }) =>
          new Promise<string>(() => {
            log.push(`asked at ${Date.now() - start}`);
            signal.addEventListener('abort', () => log.push(`aborted at ${Date.now() - start}`));
          }),
      ),
      tokenRequestTimeoutMs: 200,
      retry: { retries: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const pending = auth.getAccessToken().catch((e: unknown) => e);
    for (let step = 0; step < 5; step++) await jest.advanceTimersByTimeAsync(100);
    const error = (await pending) as TokenEndpointError;
    jest.useRealTimers();
    expect(log).toEqual(['asked at 0', 'aborted at 200', 'asked at 201', 'aborted at 401']);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ transient: true, attempts: 2 });
    expect(fx.server.counters.tokenCalls).toBe(0);
    auth.detach();
  });

  test('the audience option is what the provider is asked for', async () => {
    const audiences: string[] = [];
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: clientAssertion(({ audience }) => (audiences.push(audience), token()), {
        audience: AUDIENCE,
      }),
    });
    await auth.getAccessToken();
    expect(audiences).toEqual([AUDIENCE]);
    auth.detach();
  });

  test('a provider that throws: AssertionSourceError (unavailable) naming it, a plain cause, no token request', async () => {
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: clientAssertion(
        () => {
          throw Object.assign(new Error('workload API unreachable'), { code: 'ECONNREFUSED', socket: {} });
        },
        { name: 'spiffe' },
      ),
    });
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as AssertionSourceError;
    expect(error).toBeInstanceOf(AssertionSourceError);
    expect(error).toMatchObject({ reason: 'unavailable', source: 'provider spiffe' });
    expect(error.message).toBe('The assertion from provider spiffe could not be obtained');
    expect(error.cause).toEqual(expect.objectContaining({ message: 'workload API unreachable', code: 'ECONNREFUSED' }));
    expect(Object.keys(error.cause as object)).toEqual(['name', 'code']); // not the socket it carried
    expect(fx.server.counters.tokenCalls).toBe(0);
    auth.detach();
  });

  test('a provider returning something else than a string: AssertionSourceError (malformed), no token request', async () => {
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: clientAssertion(() => ({ token: 'x' }) as never),
    });
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as AssertionSourceError;
    expect(error).toMatchObject({
      reason: 'malformed',
      message: 'The assertion from provider is not a string (got object); not sent',
    });
    expect(fx.server.counters.tokenCalls).toBe(0);
    auth.detach();
  });

  test('an expired assertion from a provider is never sent', async () => {
    const stale = token(Date.now() - 700_000);
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientAuthentication: clientAssertion(() => stale),
    });
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as AssertionSourceError;
    expect(error).toMatchObject({ name: 'AssertionSourceError', reason: 'expired', source: 'provider' });
    expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain(stale);
    expect(fx.server.counters.tokenCalls).toBe(0);
    auth.detach();
  });
});

describe('jwtBearer(provider): the JWT bearer grant (RFC 7523 §2.1)', () => {
  function attach(grant: ReturnType<typeof jwtBearer>) {
    return attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientSecret: 'orders-secret-0123456789',
      clientAuthentication: 'client_secret_post',
      grant,
    });
  }

  test('sends grant_type jwt-bearer and the assertion; the server verifies it and issues a token', async () => {
    const seen: string[] = [];
    const assertion = token();
    const auth = attach(jwtBearer(({ audience }) => (seen.push(audience), assertion)));
    await Promise.all([auth.getAccessToken(), auth.getAccessToken()]);
    expect(seen).toEqual([fx.server.tokenUrl]);
    expect(forms()).toEqual([
      {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
        client_id: 'orders',
        client_secret: 'orders-secret-0123456789',
      },
    ]);
    expect(fx.server.issuedTokens().map((t) => t.grantType)).toEqual(['urn:ietf:params:oauth:grant-type:jwt-bearer']);
    auth.detach();
  });

  test('with assertionFile(path): the token file, read on rotation; an expired one names the file', async () => {
    const start = Date.now();
    const tokens = fx.tokens({ clock: () => start });
    let now = start;
    const auth = attachOAuth2(axios.create(), {
      tokenUrl: fx.server.tokenUrl,
      clientId: 'orders',
      clientSecret: 'orders-secret-0123456789',
      grant: jwtBearer(assertionFile(fx.file)),
      clock: () => now,
    });
    await auth.getAccessToken();
    expect(forms()[0].assertion).toBe(tokens.current);

    now = start + 600_000; // the file was not rotated: its token expired
    await auth.invalidate();
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as AssertionSourceError;
    expect(error).toBeInstanceOf(AssertionSourceError);
    expect(error).toMatchObject({
      reason: 'expired',
      source: `file ${fx.file}`,
      expiredAt: (Math.floor(start / 1000) + 600) * 1000,
    });
    expect(fx.server.counters.tokenCalls).toBe(1);
    auth.detach();
  });

  test('a token of another key: invalid_grant from the server, the assertion scrubbed from what the error shows', async () => {
    const other = token(Date.now(), 600, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const auth = attach(jwtBearer(() => other));
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.error).toBe('invalid_grant');
    expect(error.errorDescription).toBe(
      'The assertion was refused (bad signature, unknown kid or unaccepted alg ES256).',
    );
    expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain(other);
    auth.detach();
  });
});

describe('factory input, checked at call time', () => {
  test.each([
    ['clientAssertion.provider', () => clientAssertion('token' as never)],
    ['clientAssertion.audiance', () => clientAssertion(() => 'x', { audiance: 'x' } as never)],
    ['clientAssertion.audience', () => clientAssertion(() => 'x', { audience: 'has space' })],
    ['clientAssertion.name', () => clientAssertion(() => 'x', { name: '' })],
    ['clientAssertionFile.path', () => clientAssertionFile('')],
    ['assertionFile.path', () => assertionFile(42 as never)],
    ['jwtBearer.provider', () => jwtBearer(undefined as never)],
    ['jwtBearer.options', () => jwtBearer(() => 'x', 'aud' as never)],
  ])('%s', (option, make) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OAuth2OptionsError);
    expect((error as OAuth2OptionsError).option).toBe(option);
  });

  test('a JSON token request format is refused at attach time for a provided assertion', () => {
    expect(() =>
      attachOAuth2(axios.create(), {
        tokenUrl: fx.server.tokenUrl,
        clientId: 'orders',
        tokenRequestFormat: 'json',
        clientAuthentication: clientAssertion(() => 'x'),
      }),
    ).toThrow(expect.objectContaining({ option: 'tokenRequestFormat' }));
  });
});
