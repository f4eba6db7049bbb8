/**
 * Every per-request value is checked for its type, not only its key: a bad one rejects that request
 * with `OAuth2RequestOptionsError` naming it, before anything is sent (no token call, nothing reaches
 * the API), whatever the origin. Against the embedded server (a real loopback http server).
 */
import axios, { type AxiosInstance } from 'axios';
import { attachOAuth2, OAuth2RequestOptionsError, type OAuth2Handle } from '../../src';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { rejectionOf } from '../helpers/harness';
import { startRawServer, json, type RawServer } from '../helpers/raw-server';

let server: AuthServer;
let other: RawServer;
let api: AxiosInstance;
let auth: OAuth2Handle;

beforeAll(async () => {
  other = await startRawServer((_req, res) => json(res, 200, {}));
});
afterAll(() => other.close());

beforeEach(async () => {
  server = await startAuthServer();
  api = axios.create({ baseURL: server.apiBaseUrl });
  auth = attachOAuth2(api, { tokenUrl: server.tokenUrl, clientId: server.clientId, clientSecret: server.clientSecret });
});

afterEach(async () => {
  auth.detach();
  await server.close();
});

/** Sends a request with `oauth2` set to `value` (typed loosely: a JavaScript caller, or an `any`). */
const send = (value: unknown, url = '/users/1') => api.get(url, { oauth2: value as never });

async function rejected(value: unknown, url?: string): Promise<OAuth2RequestOptionsError> {
  const error = await rejectionOf(send(value, url));
  expect(error).toBeInstanceOf(OAuth2RequestOptionsError);
  return error as OAuth2RequestOptionsError;
}

describe('oauth2.skip must be a boolean', () => {
  test.each([['false'], [1], [0], [{}], [null], ['true']])(
    'skip: %p rejects the request, naming oauth2.skip',
    async (value) => {
      const error = await rejected({ skip: value });
      expect(error).toMatchObject({ code: 'OAUTH2_INVALID_REQUEST_OPTIONS', option: 'oauth2.skip' });
      expect(error.message).toContain('"oauth2.skip" must be a boolean');
      expect(server.apiRequests()).toEqual([]);
      expect(server.counters.tokenCalls).toBe(0);
    },
  );

  test('skip: true and skip: false work as documented', async () => {
    await send({ skip: true }).catch(() => undefined); // no bearer: the API answers 401
    await send({ skip: false });
    expect(server.apiRequests().map((r) => r.authorization?.split(' ')[0])).toEqual([undefined, 'Bearer']);
    expect(server.counters.tokenCalls).toBe(1);
  });

  test('a bad skip is rejected on another origin too (a typo is never silently ignored)', async () => {
    const error = await rejected({ skip: 'false' }, `${other.url}/x`);
    expect(error.option).toBe('oauth2.skip');
    expect(other.requests).toEqual([]);
  });
});

describe('oauth2 itself must be an object', () => {
  test.each([
    ['skip', 'a string'],
    [true, 'boolean'],
    [1, 'the number 1'],
    [null, 'null'],
    [['skip'], 'an array'],
  ])('oauth2: %p rejects the request with a message of its own', async (value, kind) => {
    const error = await rejected(value);
    expect(error).toMatchObject({ code: 'OAUTH2_INVALID_REQUEST_OPTIONS', option: 'oauth2' });
    expect(error.message).toContain(`"oauth2" must be an object such as { skip: true }, got ${kind}`);
    expect(error.message).not.toContain('oauth2.0');
    expect(server.apiRequests()).toEqual([]);
    expect(server.counters.tokenCalls).toBe(0);
  });
});

describe("the plugin's own markers, when a caller sets them, must be booleans too", () => {
  test.each([['injected'], ['replayed'], ['dpopNonceRetried']])('%s: "yes" is rejected', async (key) => {
    const error = await rejected({ [key]: 'yes' });
    expect(error.option).toBe(`oauth2.${key}`);
    expect(server.apiRequests()).toEqual([]);
  });
});
