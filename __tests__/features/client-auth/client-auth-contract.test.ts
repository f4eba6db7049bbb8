/**
 * The `ClientAuth` contract (src/contracts/client-auth.ts) is the one way the core authenticates the
 * client: a method of your own is one more object of that shape. Here an assertion provider (a
 * Kubernetes-style projected token file, re-read on rotation) against a real HTTP token endpoint:
 * its credentials are made per request, under the attempt's deadline and signal, scrubbed from what
 * an error shows; its `attach` sees the attachment and its identity goes into the cache key. And the
 * simple path's shapes: the legacy `query` format with Basic or post credentials.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { attachOAuth2, TokenEndpointError, type ClientAuth, type ClientAuthRequest } from '../../../src';
import type { ClientAuthAttachment } from '../../../src/features/client-auth';
import { sendJson, startLoopback, type Loopback } from '../../helpers/loopback';
import { CLIENT_ID, CLIENT_SECRET, createCore, headerOf, TOKEN_URL } from '../../helpers/harness';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let lb: Loopback;
let dir: string;
beforeEach(async () => {
  lb = await startLoopback();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-auth-contract-'));
});
afterEach(async () => {
  await lb.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An assertion provider as a `ClientAuth`: the assertion is whatever `read` gives, per request. */
function assertionProvider(
  read: (request: ClientAuthRequest) => Promise<string>,
  seen: { requests: ClientAuthRequest[]; attachments: ClientAuthAttachment[] } = { requests: [], attachments: [] },
  identity: string[] = ['private_key_jwt'],
): ClientAuth {
  const auth: ClientAuth = {
    method: 'private_key_jwt',
    mutualTls: false,
    identity,
    secrets: [],
    attach: (attachment) => {
      seen.attachments.push(attachment);
      return auth;
    },
    credentials: async (request) => {
      seen.requests.push(request);
      const assertion = await read(request);
      return {
        params: { client_id: request.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion },
        secrets: [assertion],
      };
    },
  };
  return auth;
}

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

test('a token file re-read per request: the rotated assertion is sent, the audience is the token URL, one token call per fetch', async () => {
  const file = path.join(dir, 'token');
  fs.writeFileSync(file, 'projected-jwt-1');
  const seen = { requests: [] as ClientAuthRequest[], attachments: [] as ClientAuthAttachment[] };
  const clientAuthentication = assertionProvider(() => fs.promises.readFile(file, 'utf8'), seen);
  const auth = attachOAuth2(axios.create(), { tokenUrl: lb.tokenUrl, clientId: 'workload', clientAuthentication });

  expect(seen.attachments).toHaveLength(1);
  expect(seen.attachments[0]).toMatchObject({ clientId: 'workload', tokenRequestFormat: 'form' });
  await Promise.all([auth.getAccessToken(), auth.getAccessToken(), auth.getAccessToken()]);
  fs.writeFileSync(file, 'projected-jwt-2'); // the kubelet rotated the token
  await auth.invalidate();
  await auth.getAccessToken();

  expect(lb.tokenCalls).toHaveLength(2);
  expect(lb.tokenCalls.map((call) => form(call.body))).toEqual([
    {
      grant_type: 'client_credentials',
      client_id: 'workload',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: 'projected-jwt-1',
    },
    {
      grant_type: 'client_credentials',
      client_id: 'workload',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: 'projected-jwt-2',
    },
  ]);
  expect(lb.tokenCalls.every((call) => call.authorization === '')).toBe(true);
  expect(seen.requests.map((r) => [r.clientId, r.audience, r.signal.aborted])).toEqual([
    ['workload', lb.tokenUrl, false],
    ['workload', lb.tokenUrl, false],
  ]);
  auth.detach();
});

test('a provider that never answers: each attempt ends at its deadline with its signal aborted, no token request sent', async () => {
  const signals: AbortSignal[] = [];
  const clientAuthentication = assertionProvider(
    ({ signal }) =>
      new Promise<string>(() => {
        signals.push(signal);
      }),
  );
  const auth = attachOAuth2(axios.create(), {
    tokenUrl: lb.tokenUrl,
    clientId: 'workload',
    clientAuthentication,
    tokenRequestTimeoutMs: 200,
    retry: { retries: 1, baseDelayMs: 0, maxDelayMs: 0 },
  });

  const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
  expect(error).toBeInstanceOf(TokenEndpointError);
  expect(error.transient).toBe(true);
  expect(error.attempts).toBe(2);
  expect(signals).toHaveLength(2);
  expect(signals.every((signal) => signal.aborted)).toBe(true);
  expect(lb.tokenCalls).toHaveLength(0);
  auth.detach();
});

test('what the method made for a request is scrubbed from an error that echoes it', async () => {
  const assertion = 'eyJhbGciOiJFUzI1NiJ9.a-provided-assertion.c2lnbmF0dXJl';
  lb.onToken = (call, res) =>
    sendJson(res, 400, {
      error: 'invalid_client',
      error_description: `bad assertion ${form(call.body).client_assertion}`,
    });
  const auth = attachOAuth2(axios.create(), {
    tokenUrl: lb.tokenUrl,
    clientId: 'workload',
    clientAuthentication: assertionProvider(() => Promise.resolve(assertion)),
  });

  const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenEndpointError;
  expect(error).toBeInstanceOf(TokenEndpointError);
  expect(lb.tokenCalls).toHaveLength(1);
  expect(form(lb.tokenCalls[0].body).client_assertion).toBe(assertion);
  expect(error.errorDescription).toBe('bad assertion [redacted]');
  expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain('a-provided-assertion');
  auth.detach();
});

test("the method's public identity is its part of the cache key", () => {
  const key = (identity: string[]) => {
    const handle = attachOAuth2(axios.create(), {
      tokenUrl: lb.tokenUrl,
      clientId: 'workload',
      clientAuthentication: assertionProvider(() => Promise.resolve('x'), undefined, identity),
    });
    handle.detach();
    return handle.cacheKey;
  };
  expect(key(['private_key_jwt', 'a'])).toBe(key(['private_key_jwt', 'a']));
  expect(key(['private_key_jwt', 'a'])).not.toBe(key(['private_key_jwt', 'b']));
});

describe("the legacy 'query' format", () => {
  const fullUrl = (config: Parameters<typeof axios.getUri>[0]) => axios.getUri(config);

  test("with the default (client_secret_post's) credentials: a GET, every parameter in the URL", async () => {
    const core = createCore({ options: { tokenRequestFormat: 'query' } });
    await core.auth.getAccessToken();
    expect(core.tokenCalls).toHaveLength(1);
    const call = core.tokenCalls[0];
    expect(call.method).toBe('get');
    expect(headerOf(call, 'Authorization')).toBeUndefined();
    expect(fullUrl(call)).toBe(
      `${TOKEN_URL}?grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
    );
  });

  test("with 'client_secret_basic': a GET with the Basic header, the secret never in the URL", async () => {
    const core = createCore({ options: { tokenRequestFormat: 'query', clientAuthentication: 'client_secret_basic' } });
    await core.auth.getAccessToken();
    expect(core.tokenCalls).toHaveLength(1);
    const call = core.tokenCalls[0];
    expect(call.method).toBe('get');
    expect(headerOf(call, 'Authorization')).toBe(
      `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    );
    expect(fullUrl(call)).toBe(`${TOKEN_URL}?grant_type=client_credentials`);
  });
});

test('a value whose attach() returns something else is refused at attach time, naming clientAuthentication', () => {
  const broken = { ...assertionProvider(() => Promise.resolve('x')), attach: () => ({}) as ClientAuth };
  expect(() =>
    attachOAuth2(axios.create(), { tokenUrl: lb.tokenUrl, clientId: 'workload', clientAuthentication: broken }),
  ).toThrow(expect.objectContaining({ name: 'OAuth2OptionsError', option: 'clientAuthentication' }));
});
