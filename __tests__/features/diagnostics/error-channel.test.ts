/**
 * One error channel in the token pipeline: the endpoint exchange and the grant runner return every
 * outcome as a value (`kind`), and only the token cache throws.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { InvalidTokenResponseError, TokenEndpointError } from '../../../src';
import { resolveOptions } from '../../../src/options/validate-options';
import { EndpointExchange } from '../../../src/token/endpoint-exchange';
import { GrantRunner } from '../../../src/token/grant-runner';
import { mainGrant } from '../../../src/token/token-request';

type Answer = { status: number; body: unknown };
/** The answer to every call; `queued` answers (if any) are used first, one per call. */
let answer: Answer = { status: 200, body: {} };
let queued: Answer[] = [];
let calls = 0;
let server: http.Server;
let tokenUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    calls++;
    req.resume();
    const { status, body } = queued.shift() ?? answer;
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  calls = 0;
  queued = [];
});

function pipeline() {
  const instance = axios.create();
  const options = resolveOptions(instance, { tokenUrl, clientId: 'id', clientSecret: 'secret', retry: { retries: 0 } });
  const exchange = new EndpointExchange(instance, options);
  return { options, exchange, runner: new GrantRunner(exchange, options) };
}

const TOKEN = { access_token: 'access-token-1', token_type: 'Bearer', expires_in: 3600 };

describe('EndpointExchange returns every outcome', () => {
  test('a token', async () => {
    answer = { status: 200, body: TOKEN };
    const { exchange, options } = pipeline();
    const result = await exchange.request(mainGrant(options));
    expect(result).toMatchObject({ kind: 'token', token: { accessToken: 'access-token-1' } });
  });

  test('a 2xx that is not a token: resolves to kind invalid, does not throw', async () => {
    answer = { status: 200, body: { token_type: 'Bearer' } };
    const { exchange, options } = pipeline();
    const result = await exchange.request(mainGrant(options));
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.error).toBeInstanceOf(InvalidTokenResponseError);
    expect(result.kind === 'invalid' && result.error.field).toBe('access_token');
  });

  test('an error answer: kind failure, classified', async () => {
    answer = { status: 400, body: { error: 'invalid_client' } };
    const { exchange, options } = pipeline();
    const result = await exchange.request(mainGrant(options));
    expect(result).toMatchObject({
      kind: 'failure',
      failure: { kind: 'permanent', status: 400, error: 'invalid_client' },
    });
  });
});

describe('GrantRunner returns every outcome', () => {
  test('a token, with its grant', async () => {
    answer = { status: 200, body: TOKEN };
    await expect(pipeline().runner.fetch(undefined)).resolves.toMatchObject({
      kind: 'token',
      grant: 'client_credentials',
      token: { accessToken: 'access-token-1' },
    });
    expect(calls).toBe(1);
  });

  test('a permanent failure: resolves to kind failed with a TokenEndpointError, does not throw', async () => {
    answer = { status: 400, body: { error: 'invalid_client' } };
    const outcome = await pipeline().runner.fetch(undefined);
    expect(outcome.kind).toBe('failed');
    const error = outcome.kind === 'failed' ? outcome.error : undefined;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: 'invalid_client', status: 400, transient: false, attempts: 1 });
    expect(calls).toBe(1);
  });

  test('an invalid token response: resolves to kind failed with an InvalidTokenResponseError, does not throw', async () => {
    answer = { status: 200, body: { token_type: 'Bearer' } };
    const outcome = await pipeline().runner.fetch(undefined);
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.error).toBeInstanceOf(InvalidTokenResponseError);
    expect(calls).toBe(1);
  });

  test('a lockout: kind lockout, with the failure', async () => {
    answer = { status: 400, body: { error: 'unauthorized_client' } };
    await expect(pipeline().runner.fetch(undefined)).resolves.toMatchObject({
      kind: 'lockout',
      failure: { kind: 'lockout', error: 'unauthorized_client', status: 400 },
    });
    expect(calls).toBe(1);
  });

  test('a refused refresh grant falls back to the main grant (two calls, one outcome)', async () => {
    const { runner } = pipeline();
    queued = [{ status: 400, body: { error: 'invalid_grant' } }];
    answer = { status: 200, body: TOKEN };
    const outcome = await runner.fetch('refresh-token-1');
    expect(outcome).toMatchObject({ kind: 'token', grant: 'client_credentials' });
    expect(calls).toBe(2);
  });
});
