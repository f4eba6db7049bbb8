/**
 * Issue 9, "Done when": every failure path the plugin has, swept for every secret, through every
 * view a caller may log (message, stack, JSON, inspect at any depth, the `cause` chain, `config`,
 * `response`, the hidden `body`) and every hook payload. Real loopback servers; the token endpoint
 * echoes the credentials in its error bodies.
 *
 * To add a path, add a row to `PATHS`: how to make the server (and options) fail, the call that
 * meets the failure, and what it must produce.
 */
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { inspect } from 'node:util';
import { Readable } from 'node:stream';
import axios, { AxiosError, CanceledError, type AxiosInstance } from 'axios';
import {
  AccountLockedError,
  attachOAuth2,
  DPoPNonceError,
  DetachedError,
  GrantParametersError,
  InvalidTokenResponseError,
  OAuth2RequestOptionsError,
  ReplayNotPossibleError,
  TokenEndpointError,
  TokenRejectedError,
  TenantLoadError,
  type OAuth2Handle,
  type OAuth2Options,
  type TenantCredentials,
  type StoredToken,
  type TokenStore,
} from '../../src';
import { sendJson, startLoopback, type Loopback } from '../helpers/loopback';
import {
  CLIENT_ID,
  CREDENTIAL_FORMS,
  echoError,
  echoOf,
  expectNoSecret,
  PASSWORD,
  recordingChannels,
  recordingHooks,
  SECRET,
  tokenForms,
  USERNAME,
} from '../helpers/secrets';
import { basicAuthorization } from '../../src/token/token-request';
import { formEncode } from '../../src/util/form-encode';
import { clientAgent, makeMtlsPki, type ClientCertificate, type MtlsPki } from '../helpers/mtls-pki';
import { startAuthServer, type AuthServer } from '../../src/testing';
import { diagnosticsChannels, hookChannelName } from '../../src/features/diagnostics';
import { discover, DiscoveryError } from '../../src/features/discovery';
import { revokeOnClose } from '../../src/features/revocation';
import {
  clientAssertion,
  clientAssertionFile,
  clientSecretJwt,
  jwtBearer,
  privateKeyJwt,
  tlsClientAuth,
} from '../../src/features/client-auth';
import { signJwt } from '../../src/testing/workload-jws';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dpop } from '../../src/features/dpop';
import { tokenExchange, TOKEN_TYPES } from '../../src/features/token-exchange';
import { MemoryTokenStore } from '../../src/store/memory';
import { tenants } from '../../src/features/tenants';

interface Run {
  lb: Loopback;
  api: AxiosInstance;
  auth: OAuth2Handle;
  /** An origin where nothing listens (connection refused), allowed to receive the bearer. */
  deadOrigin: string;
}

interface Path {
  name: string;
  /** Extra options (retries, time-outs, store, throwing hooks). */
  options?: (run: { hooks: OAuth2Options['hooks'] }) => Partial<OAuth2Options>;
  /** Shapes the server before the call. */
  arrange?: (lb: Loopback) => void;
  /** The call that meets the failure; settles with what the caller gets. */
  act: (run: Run) => Promise<unknown>;
  /** What the caller must get: an error class, or `'resolves'` for paths the plugin absorbs. */
  outcome: (new (...args: never[]) => Error) | 'resolves';
  /** The hooks that must have fired, at least. */
  hooks?: string[];
  /** Only for the methods configured with the client secret (the plugin cannot scrub a secret it was never given). */
  withSecret?: boolean;
}

const hang = () => undefined; // the server never answers
const basic = (encoding: 'rfc6749' | 'raw') => basicAuthorization(CLIENT_ID, SECRET, encoding).slice('Basic '.length);

/** A store whose every operation fails with an error quoting what it was given (as ioredis's errors do). */
function quotingStore(): TokenStore {
  const fail = (what: string) => Promise.reject(new Error(`store down while handling ${what}`));
  return {
    get: (key) => fail(`GET ${key}`),
    set: (key, token: StoredToken) => fail(`SET ${key} ${JSON.stringify(token)}`),
    delete: (key, ifAccessToken) => fail(`DEL ${key} if ${String(ifAccessToken)}`),
  };
}

/** Starts a call held by the server, then runs `cancel` once the server has it. */
async function cancelInFlight(run: Run, call: (config: object) => Promise<unknown>, cancel: () => void) {
  run.lb.onApi = hang;
  const pending = call({});
  pending.catch(() => undefined); // settled by the caller of cancelInFlight
  while (run.lb.apiCalls.length === 0) await new Promise((resolve) => setImmediate(resolve));
  cancel();
  return pending;
}

const PATHS: Path[] = [
  {
    // close() revokes the token: a revocation endpoint that echoes the credentials and the token.
    name: 'revocation refused, the answer echoing the credentials and the token (close())',
    options: () => ({ extensions: [diagnosticsChannels(), revokeOnClose({ url: `${currentLb().origin}/revoke` })] }),
    arrange: (lb) =>
      (lb.onApi = (call, res) =>
        echoError({ authorization: call.authorization, body: call.body, connection: call.connection }, res, 400)),
    act: async ({ auth }) => {
      await auth.getAccessToken();
      await auth.close();
    },
    outcome: 'resolves',
    hooks: ['onRevocationFailed'],
  },
  {
    name: 'revocation refused with the token itself as the error code (close())',
    options: () => ({ extensions: [diagnosticsChannels(), revokeOnClose({ url: `${currentLb().origin}/revoke` })] }),
    arrange: (lb) =>
      (lb.onApi = (call, res) => sendJson(res, 400, { error: new URLSearchParams(call.body).get('token') ?? 'none' })),
    act: async ({ auth }) => {
      await auth.getAccessToken();
      await auth.close();
    },
    outcome: 'resolves',
    hooks: ['onRevocationFailed'],
  },
  {
    name: 'revocation endpoint unreachable (close())',
    options: () => ({ extensions: [diagnosticsChannels(), revokeOnClose({ url: `${currentDeadOrigin()}/revoke` })] }),
    act: async ({ auth }) => {
      await auth.getAccessToken();
      await auth.close();
    },
    outcome: 'resolves',
    hooks: ['onRevocationFailed'],
  },
  {
    // The revocation request has the token request's deadline: a trickling answer cannot hold close().
    name: 'revocation endpoint never answers (close(), its deadline)',
    options: () => ({
      extensions: [diagnosticsChannels(), revokeOnClose({ url: `${currentLb().origin}/revoke` })],
      tokenRequestTimeoutMs: 200,
    }),
    arrange: (lb) => (lb.onApi = hang),
    act: async ({ auth }) => {
      await auth.getAccessToken();
      await auth.close();
    },
    outcome: 'resolves',
    hooks: ['onRevocationFailed'],
  },
  {
    // A custom grant's parameters() failing with an error that quotes what it holds (a vault client's).
    name: "a custom grant's parameters() throws, quoting the client secret",
    withSecret: true,
    options: () => ({
      grant: {
        type: 'custom',
        grantType: 'urn:x:quoting',
        parameters: () => {
          throw new Error(`vault refused ${SECRET} / ${formEncode(SECRET)} / ${basic('rfc6749')} / ${basic('raw')}`);
        },
      },
    }),
    act: ({ api }) => api.get('/users'),
    outcome: GrantParametersError,
  },
  {
    name: 'a typo in per-request options (oauth2: { resorce }), with a token cached',
    act: async ({ api }) => {
      await api.get('/users');
      return api.get('/users', { oauth2: { resorce: 'https://api-a.test' } as never });
    },
    outcome: OAuth2RequestOptionsError,
  },
  {
    name: 'token endpoint refuses a per-request resource (invalid_target)',
    arrange: (lb) => (lb.onToken = (call, res) => echoError(call, res, 400, 'invalid_target')),
    act: ({ api }) => api.get('/users', { oauth2: { resource: 'https://api-a.test', scope: 'write read' } }),
    outcome: TokenEndpointError,
    hooks: ['onTokenEndpointFailure'],
  },
  {
    name: 'API still answers 401 after the one replay, on a per-request resource token',
    arrange: (lb) => (lb.onApi = (call, res) => sendJson(res, 401, { Type: 'invalid_credentials' })),
    act: ({ api }) => api.get('/users', { oauth2: { resource: 'https://api-a.test' } }),
    outcome: AxiosError,
    hooks: ['onRequestReplayed', 'onTokenRenewed'],
  },
  {
    name: 'token endpoint refuses the credentials (invalid_client)',
    arrange: (lb) => (lb.onToken = (call, res) => echoError(call, res, 401)),
    act: ({ api }) => api.get('/users'),
    outcome: TokenEndpointError,
    hooks: ['onTokenEndpointFailure'],
  },
  {
    // The error's `response` (on the failed API request) shows the token endpoint's headers.
    name: 'token endpoint refusal echoing the credentials in its headers (Set-Cookie, a custom header)',
    arrange: (lb) =>
      (lb.onToken = (call, res) =>
        sendJson(
          res,
          400,
          { error: 'invalid_client' },
          { 'set-cookie': `sid=${echoOf(call)}`, 'x-echo': echoOf(call).replace(/[^\x20-\x7e]/g, '?') },
        )),
    act: ({ api }) => api.get('/users'),
    outcome: TokenEndpointError,
    hooks: ['onTokenEndpointFailure'],
  },
  {
    name: 'lockout (unauthorized_client)',
    arrange: (lb) =>
      (lb.onToken = (call, res) =>
        sendJson(res, 400, { error: 'unauthorized_client', error_description: `locked: ${echoOf(call)}` })),
    act: ({ api }) => api.get('/users'),
    outcome: AccountLockedError,
    hooks: ['onTokenEndpointFailure', 'onLockoutOpened'],
  },
  {
    name: 'transient failures exhausted (5xx ×3)',
    options: () => ({ retry: { retries: 2, baseDelayMs: 0, maxDelayMs: 0 } }),
    arrange: (lb) => (lb.onToken = (call, res) => echoError(call, res, 503, 'server_error')),
    act: ({ api }) => api.get('/users'),
    outcome: TokenEndpointError,
  },
  {
    name: 'invalid token response',
    arrange: (lb) =>
      (lb.onToken = (call, res) =>
        sendJson(res, 200, { access_token: 'AT+bad/0001', token_type: 'mac', echo: echoOf(call) })),
    act: ({ api }) => api.get('/users'),
    outcome: InvalidTokenResponseError,
  },
  {
    name: 'token request time-out',
    options: () => ({ tokenRequestTimeoutMs: 50 }),
    arrange: (lb) => (lb.onToken = hang),
    act: ({ api }) => api.get('/users'),
    outcome: TokenEndpointError,
  },
  {
    name: 'replay impossible (stream body answered 401)',
    arrange: (lb) => (lb.onApi = (call, res) => sendJson(res, 401, { Type: 'invalid_credentials' })),
    act: ({ api }) => api.post('/payins', Readable.from([Buffer.from('{"amount":1}')])),
    outcome: ReplayNotPossibleError,
  },
  {
    name: 'API error (500)',
    arrange: (lb) => (lb.onApi = (call, res) => sendJson(res, 500, { message: 'boom' })),
    act: ({ api }) => api.post('/payins', { amount: 1 }),
    outcome: AxiosError,
  },
  {
    name: 'API still answers 401 after the one replay',
    arrange: (lb) => (lb.onApi = (call, res) => sendJson(res, 401, { Type: 'invalid_credentials' })),
    act: ({ api }) => api.get('/users'),
    outcome: AxiosError,
    hooks: ['onRequestReplayed', 'onTokenRenewed'],
  },
  {
    name: 'API time-out',
    arrange: (lb) => (lb.onApi = hang),
    act: ({ api }) => api.get('/slow', { timeout: 50 }),
    outcome: AxiosError,
  },
  {
    name: 'abort (AbortSignal)',
    act: (run) => {
      const controller = new AbortController();
      return cancelInFlight(
        run,
        () => run.api.get('/slow', { signal: controller.signal }),
        () => controller.abort(),
      );
    },
    outcome: CanceledError,
  },
  {
    name: 'cancel (CancelToken)',
    act: (run) => {
      const source = axios.CancelToken.source();
      return cancelInFlight(
        run,
        () => run.api.get('/slow', { cancelToken: source.token }),
        () => source.cancel('stop'),
      );
    },
    outcome: CanceledError,
  },
  {
    name: 'network error (connection refused)',
    act: ({ api, deadOrigin }) => api.get(`${deadOrigin}/users`),
    outcome: AxiosError,
  },
  {
    name: 'store failure (a store that throws, quoting what it was given)',
    options: () => ({ store: quotingStore() }),
    act: async ({ api, auth }) => {
      await api.get('/users');
      await auth.invalidate();
      return api.get('/users');
    },
    outcome: 'resolves',
    hooks: ['onStoreError'],
  },
  {
    name: 'hook failure (every hook throws, quoting its payload)',
    options: ({ hooks }) => ({
      hooks: Object.fromEntries(
        Object.entries(hooks ?? {}).map(([name, hook]) => [
          name,
          (event: unknown) => {
            (hook as (e: unknown) => void)(event);
            throw new Error(`hook ${name} failed on ${JSON.stringify(event)}`);
          },
        ]),
      ),
    }),
    arrange: (lb) => {
      let first = true;
      lb.onApi = (call, res) => {
        if (first) sendJson(res, 401, { Type: 'invalid_credentials' });
        else sendJson(res, 200, {});
        first = false;
      };
    },
    act: ({ api }) => api.get('/users'),
    outcome: 'resolves',
    hooks: ['onTokenAcquired', 'onRequestReplayed', 'onTokenRenewed'],
  },
  {
    name: 'storm breaker (the API rejects every token right after issue)',
    arrange: (lb) => (lb.onApi = (call, res) => sendJson(res, 401, { Type: 'invalid_credentials' })),
    act: async ({ api }) => {
      await api.get('/users').catch(() => undefined); // rejected, renewed, replay rejected again: the breaker opens
      return api.get('/users');
    },
    outcome: TokenRejectedError,
    hooks: ['onRejectionStormOpened'],
  },
  {
    name: 'detach while the token request is in flight',
    arrange: (lb) => (lb.onToken = hang),
    act: async ({ api, auth, lb }) => {
      const pending = api.get('/users');
      pending.catch(() => undefined);
      while (lb.tokenCalls.length === 0) await new Promise((resolve) => setImmediate(resolve));
      auth.detach();
      return pending;
    },
    outcome: DetachedError,
  },
  {
    name: 'store time-out (a store that never answers)',
    options: () => ({
      storeTimeoutMs: 20,
      store: { get: () => new Promise(hang), set: () => new Promise(hang), delete: () => new Promise(hang) },
    }),
    act: ({ api }) => api.get('/users'),
    outcome: 'resolves',
    hooks: ['onStoreError'],
  },
];

const RSA = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const RSA_PEM = RSA.export({ format: 'pem', type: 'pkcs8' }).toString();
const RSA_JWK = RSA.export({ format: 'jwk' });
/** The private key in every form it was given: each PEM line, each private JWK member. */
const KEY_FORMS = [
  RSA_PEM,
  ...RSA_PEM.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----')),
  ...(['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).map((member) => String(RSA_JWK[member])),
];

/** The client assertions (and JWT bearer grant assertions) the server received (each a bearer credential until it expires). */
function assertionsSent(lb: Loopback): string[] {
  return lb.tokenCalls
    .map((call) => {
      const form = new URLSearchParams(call.body);
      return form.get('client_assertion') ?? form.get('assertion') ?? '';
    })
    .filter(Boolean);
}

/** A platform-issued workload token (a projected service-account token), an hour to live. */
const WORKLOAD_JWT = signJwt(
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  {
    iss: 'https://kubernetes.default.svc',
    sub: 'system:serviceaccount:shop:orders',
    aud: 'api',
    exp: Math.floor(Date.now() / 1000) + 3600,
  },
  'workload-key',
);
const WORKLOAD_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-workload-'));
const WORKLOAD_FILE = path.join(WORKLOAD_DIR, 'token');
fs.writeFileSync(WORKLOAD_FILE, WORKLOAD_JWT);
afterAll(() => fs.rmSync(WORKLOAD_DIR, { recursive: true, force: true }));

const CLIENT_AUTH: Array<[string, Partial<OAuth2Options>]> = [
  ['Basic (rfc6749)', { basicEncoding: 'rfc6749' }],
  ['Basic (raw)', { basicEncoding: 'raw' }],
  ['client_secret_post', { clientAuthentication: 'client_secret_post' }],
  ['private_key_jwt (PEM)', { clientAuthentication: privateKeyJwt(RSA_PEM), clientSecret: undefined }],
  ['private_key_jwt (JWK)', { clientAuthentication: privateKeyJwt(RSA_JWK), clientSecret: undefined }],
  // RFC 7518 §3.2: 32 bytes at least for HS256; SECRET inside it, so a leak of it is still found by the sweep.
  [
    'client_secret_jwt',
    { clientAuthentication: clientSecretJwt(`${SECRET}${'-'.repeat(32)}`), clientSecret: undefined },
  ],
  // A custom grant's parameter values are secrets (here the password's forms are the swept value).
  [
    'custom grant (JWT bearer), Basic',
    {
      grant: {
        type: 'custom',
        grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        parameters: () => ({ assertion: PASSWORD }),
      },
    },
  ],
  // Workload identity: a provided client assertion, a token file, and the JWT bearer grant's assertion.
  [
    'clientAssertion (provider)',
    { clientAuthentication: clientAssertion(() => WORKLOAD_JWT), clientSecret: undefined },
  ],
  ['clientAssertionFile', { clientAuthentication: clientAssertionFile(WORKLOAD_FILE), clientSecret: undefined }],
  ['jwtBearer (provider), Basic', { grant: jwtBearer(() => WORKLOAD_JWT) }],
];

let lb: Loopback;
let deadOrigin: string;
const currentLb = () => lb;
const currentDeadOrigin = () => deadOrigin;
let agent: http.Agent;
beforeEach(async () => {
  lb = await startLoopback();
  const dead = await startLoopback();
  deadOrigin = dead.origin;
  await dead.close();
  agent = new http.Agent({ keepAlive: true });
});
afterEach(async () => {
  agent.destroy();
  await lb.close();
});

/** Issues access and refresh tokens with characters form-encoding changes, and remembers them. */
function issueTokens(issued: string[]) {
  lb.onToken = (call, res) => {
    const n = issued.length / 2 + 1;
    const token = { access_token: `AT+${n}/acc==ess`, refresh_token: `RT+${n}/ref==resh` };
    issued.push(token.access_token, token.refresh_token);
    sendJson(res, 200, { ...token, token_type: 'bearer', expires_in: 3600 });
  };
}

describe.each(CLIENT_AUTH)('client authentication %s', (_, clientAuth) => {
  const paths = PATHS.filter((path) => !path.withSecret || !('clientSecret' in clientAuth));
  test.each(paths.map((path) => [path.name, path] as const))('%s', async (__, path) => {
    const events: Array<[string, unknown]> = [];
    const hooks = recordingHooks(events);
    const unsubscribe = recordingChannels(events);
    const issued: string[] = [];
    issueTokens(issued);
    lb.onApi = (call, res) => sendJson(res, 200, { ok: true });
    path.arrange?.(lb);
    const api = axios.create({ baseURL: `${lb.origin}/v1`, httpAgent: agent });
    const auth = attachOAuth2(api, {
      tokenUrl: lb.tokenUrl,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      grant: { type: 'password', username: USERNAME, password: PASSWORD },
      apiOrigins: [lb.origin, deadOrigin],
      retry: { retries: 0 },
      hooks,
      extensions: [diagnosticsChannels()],
      ...clientAuth,
      ...path.options?.({ hooks }),
    });

    const result = await path.act({ lb, api, auth, deadOrigin }).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );

    const secrets = [...CREDENTIAL_FORMS, ...issued.flatMap(tokenForms), ...KEY_FORMS, ...assertionsSent(lb)];
    const method = clientAuth.clientAuthentication;
    if (typeof method === 'object' && method.method.endsWith('_jwt') && lb.tokenCalls.length > 0) {
      expect(assertionsSent(lb)).toHaveLength(lb.tokenCalls.length); // the sweep covers the assertions sent
    }
    if (path.outcome === 'resolves') {
      expect(result).toHaveProperty('value');
    } else {
      expect('error' in result && result.error).toBeInstanceOf(path.outcome);
      const error = (result as { error: AxiosError }).error;
      if (axios.isAxiosError(error)) expect(Object.keys(error)).not.toContain('request');
      expectNoSecret(error, secrets, 'error');
    }
    unsubscribe();
    auth.detach();
    for (const name of path.hooks ?? []) expect(events.map(([n]) => n)).toContain(name);
    // Every hook has its diagnostics channel, with the same payload: both were recorded.
    for (const name of path.hooks ?? [])
      expect(events.map(([n]) => n)).toContain(`channel ${hookChannelName(name as never)}`);
    expect(events.map(([n]) => n)).toContain('channel tracing:axios-oauth2-bearer:token:start');
    expectNoSecret(events, secrets, 'hook payloads and channel messages');
    const shownHandle = inspect(auth, { depth: Infinity, showHidden: true });
    for (const secret of [...KEY_FORMS, SECRET, ...assertionsSent(lb)]) expect(shownHandle).not.toContain(secret);
    // The server did echo: a leak would have shown.
    if (lb.tokenCalls.length > 0) expect(CREDENTIAL_FORMS.some((s) => echoOf(lb.tokenCalls[0]).includes(s))).toBe(true);
  });
});

/**
 * Issue 13: the mutual-TLS methods and discovery. The client's private key (PEM, its base64 lines,
 * its JWK `d`) travels in the instance's `httpsAgent`: it must never show in an error (whose `config`
 * holds the agent), a hook payload or the handle; a discovery failure must not show the client secret.
 */
describe('mutual TLS and discovery', () => {
  let pki: MtlsPki;
  let registered: ClientCertificate;
  let stranger: ClientCertificate;
  let server: AuthServer;
  beforeAll(() => {
    pki = makeMtlsPki();
    registered = pki.issue('/CN=sweep-client');
    stranger = pki.issue('/CN=sweep-stranger');
  });
  afterAll(() => pki.dispose());
  afterEach(async () => server?.close());

  /** Every form of a private key: the PEM, each base64 line of it, the JWK private part. */
  function keyForms(cert: ClientCertificate): string[] {
    const lines = cert.key.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
    const d = (createPrivateKey(cert.key).export({ format: 'jwk' }) as { d: string }).d;
    return [cert.key, ...lines, d];
  }

  type Case = [string, { cert: () => ClientCertificate; statedIssuer?: string; deadIssuer?: boolean }, ErrorClass];
  type ErrorClass = new (...args: never[]) => Error;
  const cases: Case[] = [
    [
      'tls_client_auth refused (a certificate the server does not accept)',
      { cert: () => stranger },
      TokenEndpointError,
    ],
    [
      'discovery: issuer mismatch',
      { cert: () => registered, statedIssuer: 'https://impostor.example/tenant' },
      DiscoveryError,
    ],
    ['discovery: nothing listens at the issuer', { cert: () => registered, deadIssuer: true }, DiscoveryError],
  ];

  test.each(cases)('%s', async (_, setup, outcome) => {
    const cert = setup.cert();
    server = await startAuthServer({
      clientId: CLIENT_ID,
      tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true },
      mtls: { subjectDn: registered.subjectDn },
      discovery: { issuerPath: '/t', mtlsAlias: true, ...(setup.statedIssuer ? { issuer: setup.statedIssuer } : {}) },
    });
    const events: Array<[string, unknown]> = [];
    const api = axios.create({ baseURL: server.apiBaseUrl, httpsAgent: clientAgent(pki.ca, cert) });
    const auth = attachOAuth2(api, {
      tokenUrl: discover(
        setup.deadIssuer ? `https://127.0.0.1:${deadOrigin.split(':')[2]}/t` : (server.issuer as string),
      ),
      clientId: CLIENT_ID,
      clientAuthentication: tlsClientAuth(),
      retry: { retries: 0 },
      hooks: recordingHooks(events),
    });
    const error = await api.get('/users').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(outcome);
    // The agent (with the key) is reachable from the error's config: it must show as [ClassName] only.
    expect((error as { config?: { httpsAgent?: unknown } }).config?.httpsAgent).toBeDefined();
    const secrets = [...keyForms(registered), ...keyForms(stranger), ...server.issuedTokens().map((t) => t.token)];
    expectNoSecret(error, secrets, 'error');
    expectNoSecret(events, secrets, 'hook payloads');
    expectNoSecret(auth, secrets, 'handle');
    auth.detach();
  });

  test('a discovery failure with a client secret: no credential form anywhere', async () => {
    const events: Array<[string, unknown]> = [];
    lb.onApi = (call, res) => sendJson(res, 200, { issuer: `${lb.origin}/other`, token_endpoint: lb.tokenUrl });
    const api = axios.create({ baseURL: `${lb.origin}/v1`, httpAgent: agent });
    const auth = attachOAuth2(api, {
      tokenUrl: discover(`${lb.origin}/t`),
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      grant: { type: 'password', username: USERNAME, password: PASSWORD },
      hooks: recordingHooks(events),
    });
    const error = await api.get('/users').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DiscoveryError);
    expect(lb.tokenCalls).toHaveLength(0);
    expectNoSecret(error, CREDENTIAL_FORMS, 'error');
    expectNoSecret(events, CREDENTIAL_FORMS, 'hook payloads');
    expectNoSecret(auth, CREDENTIAL_FORMS, 'handle');
    auth.detach();
  });
});

/** DPoP (issue 14): the private key (JWK `d`, PEM) and every proof sent never show, whatever fails. */
describe('DPoP paths', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const pemBody = pem.split('\n')[1];
  const nonceChallenge = (res: http.ServerResponse, n: number) =>
    sendJson(
      res,
      401,
      { error: 'use_dpop_nonce' },
      { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': `n${n}` },
    );
  const dpopToken = (issued: string[]) => (call: { body: string }, res: http.ServerResponse) => {
    const token = `AT+${issued.length + 1}/dpop==`;
    issued.push(token);
    sendJson(res, 200, { access_token: token, token_type: 'DPoP', expires_in: 3600 });
  };
  const DPOP_PATHS: Array<{
    name: string;
    key: unknown;
    arrange: (lb: Loopback, issued: string[]) => void;
    outcome: Path['outcome'];
  }> = [
    {
      name: 'token endpoint asks for a nonce twice (echoing the credentials)',
      key: jwk,
      arrange: (lb) =>
        (lb.onToken = (call, res) =>
          sendJson(
            res,
            400,
            { error: 'use_dpop_nonce', error_description: echoOf(call) },
            { 'dpop-nonce': `t${lb.tokenCalls.length}` },
          )),
      outcome: DPoPNonceError,
    },
    {
      name: 'token endpoint refuses the proof, echoing it in its body and headers',
      key: jwk,
      arrange: (lb) =>
        (lb.onToken = (call, res) =>
          sendJson(
            res,
            400,
            { error: 'invalid_dpop_proof', error_description: `bad proof ${call.dpop ?? ''}`, proof: call.dpop },
            { 'x-echo': call.dpop ?? '' },
          )),
      outcome: TokenEndpointError,
    },
    {
      name: 'token endpoint asks for a nonce twice, echoing the proof',
      key: pem,
      arrange: (lb) =>
        (lb.onToken = (call, res) =>
          sendJson(
            res,
            400,
            { error: 'use_dpop_nonce', error_description: `proof was ${call.dpop ?? ''}` },
            { 'dpop-nonce': `t${lb.tokenCalls.length}` },
          )),
      outcome: DPoPNonceError,
    },
    {
      name: 'API asks for a nonce twice, echoing the proof in its body',
      key: jwk,
      arrange: (lb, issued) => {
        lb.onToken = dpopToken(issued);
        lb.onApi = (call, res) =>
          sendJson(
            res,
            401,
            { error: 'use_dpop_nonce', proof: call.dpop },
            { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': `n${lb.apiCalls.length}` },
          );
      },
      outcome: DPoPNonceError,
    },
    {
      name: 'API asks for a nonce twice',
      key: pem,
      arrange: (lb, issued) => {
        lb.onToken = dpopToken(issued);
        lb.onApi = (call, res) => nonceChallenge(res, lb.apiCalls.length);
      },
      outcome: DPoPNonceError,
    },
    {
      name: 'token_type is not DPoP',
      key: jwk,
      arrange: (lb) =>
        (lb.onToken = (call, res) =>
          sendJson(res, 200, { access_token: 'AT+bearer/0001', token_type: 'Bearer', echo: echoOf(call) })),
      outcome: InvalidTokenResponseError,
    },
    {
      name: 'API rejects the DPoP token after the one replay',
      key: privateKey,
      arrange: (lb, issued) => {
        lb.onToken = dpopToken(issued);
        lb.onApi = (call, res) =>
          sendJson(res, 401, { echo: call.authorization }, { 'www-authenticate': 'DPoP error="invalid_token"' });
      },
      outcome: AxiosError,
    },
    {
      name: 'API error (500) echoing the proof',
      key: jwk,
      arrange: (lb, issued) => {
        lb.onToken = dpopToken(issued);
        lb.onApi = (call, res) => sendJson(res, 500, { proof: call.dpop });
      },
      outcome: AxiosError,
    },
  ];

  test.each(DPOP_PATHS.map((path) => [path.name, path] as const))('%s', async (_, path) => {
    const events: Array<[string, unknown]> = [];
    const unsubscribe = recordingChannels(events);
    const issued: string[] = [];
    path.arrange(lb, issued);
    const api = axios.create({ baseURL: `${lb.origin}/v1`, httpAgent: agent });
    const auth = attachOAuth2(api, {
      tokenUrl: lb.tokenUrl,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      retry: { retries: 0 },
      hooks: recordingHooks(events),
      extensions: [diagnosticsChannels()],
      senderConstraint: dpop({ privateKey: path.key as string }),
    });
    const error = await api.post('/payins', { amount: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(path.outcome as new () => Error);
    const proofs = [...lb.tokenCalls, ...lb.apiCalls].map((c) => c.dpop ?? '');
    expect(proofs.every((p) => p.split('.').length === 3)).toBe(true);
    const secrets = [...CREDENTIAL_FORMS, ...issued.flatMap(tokenForms), jwk.d as string, pemBody, ...proofs];
    unsubscribe();
    expectNoSecret(error, secrets, 'error');
    expectNoSecret(events, secrets, 'hook payloads and channel messages');
    expectNoSecret(auth, secrets, 'handle');
    auth.detach();
  });
});

/**
 * Many tenants: a tenant's secret (given by `tenants.load`, not in the options) never shows in an
 * error, a hook payload, a channel message or the handle, on the failure paths of a tenant's token
 * and of its loader.
 */
describe('many tenants: a tenant secret', () => {
  const TENANT = 'acme';
  const tenantPaths: Array<{
    name: string;
    load?: (tenant: string) => unknown;
    arrange?: (lb: Loopback) => void;
    act?: (api: AxiosInstance) => Promise<unknown>;
    outcome: new (...args: never[]) => Error;
  }> = [
    {
      name: "the tenant's token endpoint refuses its credentials (invalid_client), echoing them, after one more load",
      arrange: (lb) => (lb.onToken = (call, res) => echoError(call, res, 401)),
      outcome: TokenEndpointError,
    },
    {
      name: 'lockout of the tenant (unauthorized_client), echoing the credentials',
      arrange: (lb) =>
        (lb.onToken = (call, res) =>
          sendJson(res, 400, { error: 'unauthorized_client', error_description: `locked ${echoOf(call)}` })),
      outcome: AccountLockedError,
    },
    {
      name: "the tenant's token request times out",
      arrange: (lb) => (lb.onToken = hang),
      outcome: TokenEndpointError,
    },
    {
      name: 'the API still answers 401 after the one replay, on a tenant token',
      arrange: (lb) => (lb.onApi = (call, res) => sendJson(res, 401, { Type: 'invalid_credentials' })),
      outcome: AxiosError,
    },
    {
      name: 'the loader returns the secret in a wrongly typed field',
      load: () => ({ clientId: CLIENT_ID, clientSecret: SECRET, scope: [SECRET] }),
      outcome: TenantLoadError,
    },
    {
      name: 'the loader returns the secret under an unknown field',
      load: () => ({ clientId: CLIENT_ID, clientSecret: SECRET, [SECRET]: SECRET }),
      outcome: TenantLoadError,
    },
    {
      name: 'the loader throws an error quoting the secret',
      load: () => {
        throw Object.assign(new Error(`cannot parse ${SECRET}`), { code: 'EPARSE', secret: SECRET });
      },
      outcome: TenantLoadError,
    },
  ];
  test.each(tenantPaths.map((path) => [path.name, path] as const))('%s', async (_, path) => {
    const events: Array<[string, unknown]> = [];
    const hooks = recordingHooks(events);
    const unsubscribe = recordingChannels(events);
    const issued: string[] = [];
    issueTokens(issued);
    lb.onApi = (call, res) => sendJson(res, 200, { ok: true });
    path.arrange?.(lb);
    const api = axios.create({ baseURL: `${lb.origin}/v1`, httpAgent: agent });
    const auth = attachOAuth2(api, {
      tokenUrl: lb.tokenUrl,
      retry: { retries: 0 },
      tokenRequestTimeoutMs: 200,
      hooks,
      extensions: [diagnosticsChannels()],
      tenants: tenants({
        load: (path.load ?? (() => ({ clientId: CLIENT_ID, clientSecret: SECRET }))) as () => TenantCredentials,
      }),
    });
    const error = await (path.act ?? ((a) => a.get('/users', { oauth2: { tenant: TENANT } })))(api).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(path.outcome);
    const secrets = [...CREDENTIAL_FORMS, ...issued.flatMap(tokenForms)];
    expectNoSecret(error, secrets, 'error');
    unsubscribe();
    auth.detach();
    expectNoSecret(events, secrets, 'hook payloads and channel messages');
    expect(inspect(auth, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
    if (lb.tokenCalls.length > 0) expect(CREDENTIAL_FORMS.some((s) => echoOf(lb.tokenCalls[0]).includes(s))).toBe(true);
  });
});

/**
 * Token exchange (RFC 8693): the subject token (a user's token) and the actor token never show,
 * whatever fails: the token endpoint echoing the request, a bad response, the API echoing it, a
 * throwing actor or subject function quoting the token, an expired subject. Nor in a hook payload,
 * a channel message, the handle, the cache and store keys (nor a plain SHA-256 of the subject there).
 */
describe('token exchange paths', () => {
  const SUBJECT = 'SUBJ+tok/en==9abc-user';
  const ACTOR = 'ACT+tok/en==7xyz-svc';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const SUBJECT_FORMS = [
    ...[SUBJECT, ACTOR].flatMap((t) => [t, formEncode(t), encodeURIComponent(t)]),
    sha256(SUBJECT),
    sha256(SUBJECT).slice(0, 40),
  ];
  const exchanged = (issued: string[]) => (call: { body: string }, res: http.ServerResponse) => {
    const token = `XT+${issued.length + 1}/exch==`;
    issued.push(token);
    sendJson(res, 200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: 3600,
      issued_token_type: TOKEN_TYPES.accessToken,
    });
  };
  // Quotes what the plugin knows (the subject token, the fixed actor token of the other rows): it must scrub them.
  const quoting = () => {
    throw new Error(`vault says no to ${SUBJECT} / ${formEncode(SUBJECT)} / ${encodeURIComponent(SUBJECT)}`);
  };
  const PATHS_TX: Array<{
    name: string;
    arrange: (lb: Loopback, issued: string[]) => void;
    options?: Partial<Parameters<typeof tokenExchange>[0]>;
    act?: (api: AxiosInstance, auth: OAuth2Handle) => Promise<unknown>;
    outcome: new (...args: never[]) => Error;
  }> = [
    {
      name: 'token endpoint refuses the exchange, echoing the request (invalid_request)',
      arrange: (lb) => (lb.onToken = (call, res) => echoError(call, res, 400, 'invalid_request')),
      outcome: TokenEndpointError,
    },
    {
      name: 'token endpoint answers the subject token as the error code (invalid_target)',
      arrange: (lb) => (lb.onToken = (call, res) => sendJson(res, 400, { error: SUBJECT, error_description: ACTOR })),
      outcome: TokenEndpointError,
    },
    {
      name: 'issued_token_type missing, the answer echoing the request',
      arrange: (lb) =>
        (lb.onToken = (call, res) =>
          sendJson(res, 200, { access_token: 'XT+1/exch==', token_type: 'Bearer', echo: echoOf(call) })),
      outcome: InvalidTokenResponseError,
    },
    {
      name: 'issued_token_type is the subject token itself',
      arrange: (lb) =>
        (lb.onToken = (call, res) =>
          sendJson(res, 200, { access_token: 'XT+1/exch==', token_type: 'Bearer', issued_token_type: SUBJECT })),
      outcome: InvalidTokenResponseError,
    },
    {
      name: 'API error (500) echoing what it received',
      arrange: (lb, issued) => {
        lb.onToken = exchanged(issued);
        lb.onApi = (call, res) => sendJson(res, 500, { echo: call.authorization });
      },
      outcome: AxiosError,
    },
    {
      name: 'API still answers 401 after the one replay',
      arrange: (lb, issued) => {
        lb.onToken = exchanged(issued);
        lb.onApi = (call, res) => sendJson(res, 401, { Type: 'invalid_credentials' });
      },
      outcome: AxiosError,
    },
    {
      name: 'the actor token function throws, quoting the tokens',
      arrange: (lb, issued) => (lb.onToken = exchanged(issued)),
      options: { actorToken: quoting },
      outcome: GrantParametersError,
    },
    {
      name: 'the subjectToken function throws, quoting the token',
      arrange: (lb, issued) => (lb.onToken = exchanged(issued)),
      options: { subjectToken: quoting },
      act: (api) => api.get('/users'),
      outcome: OAuth2RequestOptionsError,
    },
    {
      name: 'the subject token expired (its expiry given with it)',
      arrange: (lb, issued) => (lb.onToken = exchanged(issued)),
      act: (api) => api.get('/users', { oauth2: { subjectToken: SUBJECT, subjectTokenExpiresAt: 1 } }),
      outcome: OAuth2RequestOptionsError,
    },
    {
      name: 'getToken({ subjectToken }) with a refusing token endpoint',
      arrange: (lb) => (lb.onToken = (call, res) => echoError(call, res, 400, 'invalid_request')),
      act: (api, auth) => auth.getToken({ subjectToken: SUBJECT }),
      outcome: TokenEndpointError,
    },
  ];

  // Many tenants with token exchange: the same paths through a tenant (its secret from the loader, its own subject entries).
  const MODES = [['own credentials', false] as const, ['a tenant (tenants.load)', true] as const];
  describe.each(MODES)('%s', (_mode, viaTenant) => {
    test.each(PATHS_TX.map((path) => [path.name, path] as const))('%s', async (_, path) => {
      const events: Array<[string, unknown]> = [];
      const unsubscribe = recordingChannels(events);
      const issued: string[] = [];
      path.arrange(lb, issued);
      const storeKeys: string[] = [];
      const inner = new MemoryTokenStore();
      const store: TokenStore = {
        get: (key) => (storeKeys.push(key), inner.get(key)),
        set: (key, token) => (storeKeys.push(key), inner.set(key, token)),
        delete: (key, ifAccessToken) => (storeKeys.push(key), inner.delete(key, ifAccessToken)),
      };
      const api = axios.create({ baseURL: `${lb.origin}/v1`, httpAgent: agent });
      const auth = attachOAuth2(api, {
        tokenUrl: lb.tokenUrl,
        ...(viaTenant
          ? {
              tenants: tenants({
                load: () => ({ clientId: CLIENT_ID, clientSecret: SECRET }),
                fromRequest: () => 'acme',
              }),
            }
          : { clientId: CLIENT_ID, clientSecret: SECRET }),
        retry: { retries: 0 },
        hooks: recordingHooks(events),
        extensions: [diagnosticsChannels()],
        store,
        grant: tokenExchange({
          subjectTokenType: TOKEN_TYPES.accessToken,
          actorToken: ACTOR,
          actorTokenType: TOKEN_TYPES.accessToken,
          ...path.options,
        }),
      });
      const act =
        path.act ?? ((a: AxiosInstance) => a.post('/payins', { amount: 1 }, { oauth2: { subjectToken: SUBJECT } }));
      // Through a tenant, the handle's calls name it.
      const handle: OAuth2Handle = viaTenant
        ? { ...auth, getToken: (options) => auth.getToken({ ...options, tenant: 'acme' }) }
        : auth;
      const error = await act(api, handle).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(path.outcome);
      unsubscribe();
      // The server did receive the subject (and echoed it) where a token call was made.
      if (lb.tokenCalls.length > 0) expect(lb.tokenCalls[0].body).toContain(formEncode(SUBJECT));
      const secrets = [...CREDENTIAL_FORMS, ...SUBJECT_FORMS, ...issued.flatMap(tokenForms)];
      expectNoSecret(error, secrets, 'error');
      expectNoSecret(events, secrets, 'hook payloads and channel messages');
      expectNoSecret(auth, secrets, 'handle');
      expectNoSecret(storeKeys, secrets, 'store keys');
      auth.detach();
    });
  });
});
