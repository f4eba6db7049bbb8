/**
 * Issue 9 (item 5): a token endpoint that echoes the credentials in `error`, `error_description`,
 * `error_uri` and any other body field gets none of them into an error (message, JSON, inspect,
 * the hidden `body`) or a hook payload. Real loopback token endpoint.
 */
import axios from 'axios';
import {
  AccountLockedError,
  attachOAuth2,
  InvalidTokenResponseError,
  TokenEndpointError,
  type OAuth2Options,
} from '../../src';
import { sendJson, startLoopback, type Loopback } from '../helpers/loopback';
import {
  CLIENT_ID,
  CREDENTIAL_FORMS,
  echoError,
  echoOf,
  expectNoSecret,
  PASSWORD,
  recordingHooks,
  SECRET,
  USERNAME,
} from '../helpers/secrets';

let lb: Loopback;
beforeEach(async () => {
  lb = await startLoopback();
});
afterEach(() => lb.close());

function attach(options: Partial<OAuth2Options> = {}) {
  const events: Array<[string, unknown]> = [];
  const api = axios.create({ baseURL: `${lb.origin}/v1` });
  const auth = attachOAuth2(api, {
    tokenUrl: lb.tokenUrl,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    grant: { type: 'password', username: USERNAME, password: PASSWORD },
    retry: { retries: 0 },
    hooks: recordingHooks(events),
    ...options,
  });
  return { api, auth, events };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const methods: Array<[string, Partial<OAuth2Options>]> = [
  ['client_secret_basic, rfc6749', {}],
  ['client_secret_basic, raw', { basicEncoding: 'raw' }],
  ['client_secret_post', { clientAuthentication: 'client_secret_post' }],
  ['query', { tokenRequestFormat: 'query' }],
];

test.each(methods)('a permanent refusal echoing the credentials everywhere (%s)', async (_, options) => {
  lb.onToken = (call, res) => echoError(call, res, 400);
  const { auth, events } = attach(options);
  const error = await failure(auth.getAccessToken());
  expect(error).toBeInstanceOf(TokenEndpointError);
  // The echo reached the server's answer: the test would see a leak.
  expect(CREDENTIAL_FORMS.some((s) => echoOf(lb.tokenCalls[0]).includes(s))).toBe(true);
  const e = error as TokenEndpointError;
  expect(e).toMatchObject({ status: 400, transient: false });
  expect(e.error).toMatch(/^invalid_client /);
  expect(e.errorDescription).toContain('[redacted]');
  expect(e.errorUri).toMatch(/^https:\/\/auth\.example\/errors\?/);
  expectNoSecret(error, CREDENTIAL_FORMS);
  expect(events.map(([name]) => name)).toEqual(['onTokenEndpointFailure']);
  expectNoSecret(events, CREDENTIAL_FORMS, 'hook payloads');
});

test('a lockout (429) whose body echoes the credentials: AccountLockedError and onLockoutOpened', async () => {
  lb.onToken = (call, res) => echoError(call, res, 429, 'slow_down');
  const { auth, events } = attach();
  const error = await failure(auth.getAccessToken());
  expect(error).toBeInstanceOf(AccountLockedError);
  expect((error as AccountLockedError).error).toMatch(/^slow_down /);
  expectNoSecret(error, CREDENTIAL_FORMS);
  expect(events.map(([name]) => name)).toEqual(['onTokenEndpointFailure', 'onLockoutOpened']);
  expectNoSecret(events, CREDENTIAL_FORMS, 'hook payloads');
});

test('a 2xx that is no token response and echoes the credentials: InvalidTokenResponseError', async () => {
  lb.onToken = (call, res) =>
    sendJson(res, 200, {
      access_token: 'AT-echoing-0001',
      token_type: echoOf(call).slice(0, 19),
      echo: echoOf(call),
      note: 'issued AT-echoing-0001',
    });
  const { auth, events } = attach({ clientAuthentication: 'client_secret_post' });
  const error = await failure(auth.getAccessToken());
  expect(error).toBeInstanceOf(InvalidTokenResponseError);
  expect((error as InvalidTokenResponseError).field).toBe('token_type');
  expectNoSecret(error, [...CREDENTIAL_FORMS, 'AT-echoing-0001']);
  expect(events.map(([name]) => name)).toEqual(['onTokenEndpointFailure']);
});
