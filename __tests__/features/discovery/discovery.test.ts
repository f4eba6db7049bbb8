import axios from 'axios';
import { attachOAuth2, OAuth2Error, type OAuth2Options } from '../../../src';
import { discover, DiscoveryError } from '../../../src/features/discovery';
import { json, startRawServer, type RawServer, type RecordedRequest } from '../../helpers/raw-server';
import { rejectionOf } from '../../helpers/harness';

/**
 * Discovery (`tokenUrl: discover(issuer)`, RFC 8414 then OpenID Discovery) against a real loopback server that records
 * every path asked, in order.
 */
type Route = (req: RecordedRequest, server: RawServer) => [number, unknown?, Record<string, string>?] | undefined;

const TOKEN_PATH = '/tenant/oauth/token';
let tokens = 0;

function tokenAnswer(req: RecordedRequest): [number, unknown] | undefined {
  if (req.method !== 'POST' || !req.url.endsWith('/token')) return undefined;
  tokens += 1;
  return [200, { access_token: `tok-${tokens}`, token_type: 'Bearer', expires_in: 3600 }];
}

async function serve(route: Route): Promise<RawServer> {
  return startRawServer((req, res, server) => {
    const answer = route(req, server) ?? tokenAnswer(req);
    if (answer) {
      if (answer[0] >= 300 && answer[0] < 400) {
        res.writeHead(answer[0], answer[2]);
        res.end();
        return;
      }
      json(res, answer[0], answer[1], answer[2]);
      return;
    }
    if (req.url.startsWith('/api')) {
      json(res, 200, { authorization: req.headers.authorization ?? null });
      return;
    }
    json(res, 404, { error: 'not_found' });
  });
}

const paths = (server: RawServer) => server.requests.map((r) => `${r.method} ${r.url}`);
const discoveryPaths = (server: RawServer) => paths(server).filter((p) => p.includes('/.well-known/'));

function metadata(server: RawServer, issuer: string, extra: Record<string, unknown> = {}) {
  return { issuer, token_endpoint: `${server.url}${TOKEN_PATH}`, ...extra };
}

let server: RawServer;
afterEach(async () => {
  await server?.close();
  tokens = 0;
});

/** Attaches with `tokenUrl: discover(issuer)` (or the `tokenUrl` given). */
function attach({ issuer, ...options }: Partial<OAuth2Options> & { issuer?: string }) {
  const api = axios.create({ baseURL: `${server.url}/api` });
  const auth = attachOAuth2(api, {
    tokenUrl: discover(issuer as string),
    clientId: 'client-1',
    clientSecret: 'discovery-secret-123',
    ...options,
  });
  return { api, auth };
}

describe('discovery: where the metadata is asked for', () => {
  it('asks RFC 8414 first (well-known inserted before the issuer path), then OpenID Discovery, then the token endpoint', async () => {
    let issuer = '';
    server = await serve((req) =>
      req.url === '/tenant/.well-known/openid-configuration' ? [200, metadata(server, issuer)] : undefined,
    );
    issuer = `${server.url}/tenant`;
    const { api, auth } = attach({ issuer });
    const answer = await api.get('/x');
    expect(answer.data).toEqual({ authorization: 'Bearer tok-1' });
    expect(paths(server)).toEqual([
      'GET /.well-known/oauth-authorization-server/tenant',
      'GET /tenant/.well-known/openid-configuration',
      `POST ${TOKEN_PATH}`,
      'GET /api/x',
    ]);
    auth.detach();
  });

  it('stops at the RFC 8414 document when it is there (OpenID Discovery not asked)', async () => {
    let issuer = '';
    server = await serve((req) =>
      req.url === '/.well-known/oauth-authorization-server/tenant' ? [200, metadata(server, issuer)] : undefined,
    );
    issuer = `${server.url}/tenant`;
    const { api, auth } = attach({ issuer });
    await api.get('/x');
    expect(paths(server)).toEqual([
      'GET /.well-known/oauth-authorization-server/tenant',
      `POST ${TOKEN_PATH}`,
      'GET /api/x',
    ]);
    auth.detach();
  });

  it('an issuer without a path: the well-known documents at the root', async () => {
    let issuer = '';
    server = await serve((req) =>
      req.url === '/.well-known/openid-configuration' ? [200, metadata(server, issuer)] : undefined,
    );
    issuer = server.url;
    const { api, auth } = attach({ issuer });
    await api.get('/x');
    expect(discoveryPaths(server)).toEqual([
      'GET /.well-known/oauth-authorization-server',
      'GET /.well-known/openid-configuration',
    ]);
    auth.detach();
  });

  it('never follows a redirect: a 302 at the RFC 8414 location is a failure, OpenID Discovery is asked next', async () => {
    let issuer = '';
    server = await serve((req) => {
      if (req.url === '/.well-known/oauth-authorization-server/tenant')
        return [302, undefined, { Location: `${server.url}/evil-metadata` }];
      if (req.url === '/evil-metadata') return [200, metadata(server, issuer)];
      if (req.url === '/tenant/.well-known/openid-configuration') return [200, metadata(server, issuer)];
      return undefined;
    });
    issuer = `${server.url}/tenant`;
    const { api, auth } = attach({ issuer });
    await api.get('/x');
    expect(paths(server)).not.toContain('GET /evil-metadata');
    expect(discoveryPaths(server)).toHaveLength(2);
    auth.detach();
  });

  it('a tokenUrl string: no discovery request at all', async () => {
    server = await serve(() => undefined);
    const { api, auth } = attach({ issuer: `${server.url}/tenant`, tokenUrl: `${server.url}/explicit/token` });
    await api.get('/x');
    expect(paths(server)).toEqual(['POST /explicit/token', 'GET /api/x']);
    auth.detach();
  });
});

describe('discovery: single flight and the issuer check', () => {
  it('50 cold requests: 1 discovery fetch, 1 token request', async () => {
    let issuer = '';
    server = await serve((req) =>
      req.url === '/.well-known/oauth-authorization-server/tenant' ? [200, metadata(server, issuer)] : undefined,
    );
    issuer = `${server.url}/tenant`;
    const { api, auth } = attach({ issuer });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => api.get(`/r${i}`)));
    expect(answers.every((a) => (a.data as { authorization: string }).authorization === 'Bearer tok-1')).toBe(true);
    expect(discoveryPaths(server)).toEqual(['GET /.well-known/oauth-authorization-server/tenant']);
    expect(paths(server).filter((p) => p.startsWith('POST'))).toHaveLength(1);
    // Later renewals reuse the endpoint: no second discovery.
    await auth.getToken({ forceRefresh: true });
    expect(discoveryPaths(server)).toHaveLength(1);
    expect(tokens).toBe(2);
    auth.detach();
  });

  it('a document naming another issuer: DiscoveryError OAUTH2_ISSUER_MISMATCH for a burst, and no token request', async () => {
    server = await serve((req) =>
      req.url.includes('/.well-known/') ? [200, metadata(server, `${server.url}/other-tenant`)] : undefined,
    );
    const issuer = `${server.url}/tenant`;
    const { api, auth } = attach({ issuer });
    const errors = await Promise.all(Array.from({ length: 50 }, (_, i) => rejectionOf(api.get(`/r${i}`))));
    for (const error of errors) {
      expect(error).toBeInstanceOf(DiscoveryError);
      expect(error).toBeInstanceOf(OAuth2Error);
      expect(error).toMatchObject({ code: 'OAUTH2_ISSUER_MISMATCH', reason: 'issuer_mismatch', issuer });
    }
    expect((errors[0] as Error).message).toContain(`${server.url}/other-tenant`);
    // A mismatching RFC 8414 document ends discovery: OpenID Discovery is not tried, no token request.
    expect(paths(server)).toEqual(['GET /.well-known/oauth-authorization-server/tenant']);
    expect(tokens).toBe(0);
    auth.detach();
  });

  it('a trailing slash is a different issuer (exact comparison)', async () => {
    server = await serve((req) =>
      req.url.includes('/.well-known/') ? [200, metadata(server, `${server.url}/tenant`)] : undefined,
    );
    const issuer = `${server.url}/tenant/`;
    const { auth } = attach({ issuer });
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'OAUTH2_ISSUER_MISMATCH' });
    expect(tokens).toBe(0);
    auth.detach();
  });
});

describe('discovery: what the document must hold', () => {
  async function failureFor(doc: (issuer: string) => unknown, options: Partial<OAuth2Options> = {}) {
    let issuer = '';
    server = await serve((req) =>
      req.url === '/.well-known/oauth-authorization-server/tenant' ? [200, doc(issuer)] : undefined,
    );
    issuer = `${server.url}/tenant`;
    const { auth } = attach({ issuer, ...options });
    const error = await rejectionOf(auth.getAccessToken());
    auth.detach();
    return error as DiscoveryError;
  }

  it('a token_endpoint over plain http on a non-loopback host is refused (invalid_metadata), nothing sent there', async () => {
    const error = await failureFor((issuer) => ({ issuer, token_endpoint: 'http://auth.example.com/token' }));
    expect(error).toMatchObject({ code: 'OAUTH2_DISCOVERY_FAILED', reason: 'invalid_metadata' });
    expect(error.message).toContain('http://auth.example.com/token');
    expect(tokens).toBe(0);
  });

  it('no token_endpoint: invalid_metadata', async () => {
    const error = await failureFor((issuer) => ({ issuer }));
    expect(error).toMatchObject({ code: 'OAUTH2_DISCOVERY_FAILED', reason: 'invalid_metadata' });
  });

  it('the configured method missing from token_endpoint_auth_methods_supported: auth_method_unsupported', async () => {
    const error = await failureFor(
      (issuer) => ({
        issuer,
        token_endpoint: `${server.url}${TOKEN_PATH}`,
        token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
      }),
      { clientAuthentication: 'client_secret_post' },
    );
    expect(error).toMatchObject({ code: 'OAUTH2_DISCOVERY_FAILED', reason: 'auth_method_unsupported' });
    expect(error.message).toContain('client_secret_post');
    expect(tokens).toBe(0);
  });

  it('mtls_endpoint_aliases are ignored by the shared-secret methods', async () => {
    let issuer = '';
    server = await serve((req) =>
      req.url === '/.well-known/oauth-authorization-server/tenant'
        ? [200, metadata(server, issuer, { mtls_endpoint_aliases: { token_endpoint: `${server.url}/mtls/token` } })]
        : undefined,
    );
    issuer = `${server.url}/tenant`;
    const { auth } = attach({ issuer });
    await auth.getAccessToken();
    expect(paths(server)).toContain(`POST ${TOKEN_PATH}`);
    expect(paths(server)).not.toContain('POST /mtls/token');
    auth.detach();
  });

  it('a body over maxTokenResponseBytes is not read: unreachable, after both locations', async () => {
    let issuer = '';
    server = await serve((req) =>
      req.url.includes('/.well-known/') ? [200, { ...metadata(server, issuer), padding: 'x'.repeat(5000) }] : undefined,
    );
    issuer = `${server.url}/tenant`;
    const { auth } = attach({ issuer, maxTokenResponseBytes: 1000 });
    const error = (await rejectionOf(auth.getAccessToken())) as DiscoveryError;
    expect(error).toMatchObject({ code: 'OAUTH2_DISCOVERY_FAILED', reason: 'unreachable' });
    expect(error.message).toContain('larger than maxTokenResponseBytes');
    expect(error.urls).toEqual([
      `${server.url}/.well-known/oauth-authorization-server/tenant`,
      `${server.url}/tenant/.well-known/openid-configuration`,
    ]);
    expect(tokens).toBe(0);
    auth.detach();
  });
});

describe('discovery: failures are retried after a doubling back-off, never in a loop', () => {
  it('served from memory until retryAt, then fetched again; a success ends the back-off', async () => {
    let issuer = '';
    let up = false;
    server = await serve((req) => {
      if (req.url !== '/.well-known/oauth-authorization-server/tenant') return undefined;
      return up ? [200, metadata(server, issuer)] : [503, { error: 'down' }];
    });
    issuer = `${server.url}/tenant`;
    const clock = { now: Date.UTC(2025, 0, 1) };
    const { auth } = attach({ issuer, clock: () => clock.now });
    const first = (await rejectionOf(auth.getAccessToken())) as DiscoveryError;
    expect(first).toMatchObject({ reason: 'unreachable', status: 404 });
    expect(first.retryAt).toBe(clock.now + 1000);
    expect(discoveryPaths(server)).toHaveLength(2);
    // Within the back-off: the same error, no request.
    clock.now += 999;
    await expect(auth.getAccessToken()).rejects.toBe(first);
    expect(discoveryPaths(server)).toHaveLength(2);
    // After it: fetched again; a second failure doubles the wait.
    clock.now += 1;
    const second = (await rejectionOf(auth.getAccessToken())) as DiscoveryError;
    expect(second).not.toBe(first);
    expect(second.retryAt).toBe(clock.now + 2000);
    expect(discoveryPaths(server)).toHaveLength(4);
    clock.now += 1999;
    await expect(auth.getAccessToken()).rejects.toBe(second);
    expect(discoveryPaths(server)).toHaveLength(4);
    up = true;
    clock.now += 1;
    await expect(auth.getAccessToken()).resolves.toBe('tok-1');
    expect(discoveryPaths(server)).toHaveLength(5);
    auth.detach();
  });
});

describe('discovery: transport', () => {
  it('never passes the plugin (or any interceptor of the instance) when the attached instance is the tokenHttpClient', async () => {
    let issuer = '';
    server = await serve((req) =>
      req.url === '/.well-known/oauth-authorization-server/tenant' ? [200, metadata(server, issuer)] : undefined,
    );
    issuer = `${server.url}/tenant`;
    // apiOrigins default: the issuer's origin here (no baseURL), so the discovery request would get a bearer.
    const api = axios.create();
    const auth = attachOAuth2(api, {
      tokenUrl: discover(issuer),
      clientId: 'client-1',
      clientSecret: 'discovery-secret-123',
      tokenHttpClient: api,
    });
    const answer = await api.get(`${server.url}/api/x`);
    expect(answer.data).toEqual({ authorization: 'Bearer tok-1' });
    const discovery = server.requests.find((r) => r.url.includes('/.well-known/'));
    expect(discovery?.headers.authorization).toBeUndefined();
    expect(discovery?.headers.accept).toBe('application/json');
    auth.detach();
  });

  it('cache key: stable, from the issuer, no secret; another issuer another key', async () => {
    server = await serve(() => undefined);
    const a = attach({ issuer: `${server.url}/tenant` });
    const b = attach({ issuer: `${server.url}/tenant` });
    const c = attach({ issuer: `${server.url}/other` });
    expect(a.auth.cacheKey).toBe(b.auth.cacheKey);
    expect(a.auth.cacheKey).not.toBe(c.auth.cacheKey);
    expect(a.auth.cacheKey).toMatch(/^oauth2:[0-9a-f]{40}$/);
    for (const x of [a, b, c]) x.auth.detach();
  });
});

describe('discovery: bounded and cancellable', () => {
  it('a metadata server that never answers: bounded by tokenRequestTimeoutMs at each location, then DiscoveryError', async () => {
    // Every well-known request is held (never answered) until the end of the test.
    const held: Array<() => void> = [];
    server = await startRawServer((req, res) => {
      if (req.url.includes('/.well-known/')) held.push(() => res.destroy());
      else json(res, 404, {});
    });
    const issuer = `${server.url}/tenant`;
    const { auth } = attach({ issuer, tokenRequestTimeoutMs: 50 });
    const error = (await rejectionOf(auth.getAccessToken())) as DiscoveryError;
    expect(error).toMatchObject({ code: 'OAUTH2_DISCOVERY_FAILED', reason: 'unreachable' });
    expect(error.message).toContain('no answer within 50 ms');
    expect(discoveryPaths(server)).toHaveLength(2);
    held.forEach((destroy) => destroy());
    auth.detach();
  });

  it('detach during discovery: the waiting caller gets DetachedError, no token request follows', async () => {
    server = await startRawServer((req, res) => {
      if (!req.url.includes('/.well-known/')) json(res, 404, {});
      // well-known requests are held until the client goes away
    });
    const { api, auth } = attach({ issuer: `${server.url}/tenant` });
    const pending = api.get('/x');
    pending.catch(() => undefined);
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const aborted = server.nextAbort();
    auth.detach();
    await expect(pending).rejects.toMatchObject({ code: 'OAUTH2_DETACHED' });
    await aborted; // the discovery connection was closed
    expect(paths(server)).toEqual(['GET /.well-known/oauth-authorization-server/tenant']);
  });
});
