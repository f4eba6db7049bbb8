/**
 * `@node-oauth/oauth2-server` (an independent RFC 6749 implementation) on loopback: a small
 * node:http wrapper around its framework-agnostic `Request`/`Response`, and an in-memory model.
 *
 * Routes:
 * - `POST /oauth/token`: `server.token()` (client_credentials, password, refresh_token);
 * - anything under `/api/`: `server.authenticate()`, then a JSON echo of what the route saw.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import OAuth2Server from '@node-oauth/oauth2-server';

type Client = OAuth2Server.Client;
type Token = OAuth2Server.Token;
type RefreshToken = OAuth2Server.RefreshToken;

export interface InteropClient {
  id: string;
  secret: string;
  grants: string[];
}

export interface InteropUser {
  username: string;
  password: string;
}

/** One token-endpoint call as the server received and answered it. */
export interface TokenCall {
  authorization?: string;
  contentType?: string;
  /** The form body, decoded. */
  body: Record<string, string>;
  status: number;
  headers: Record<string, string>;
  response: Record<string, unknown>;
}

/** One API call as the server received and answered it. */
export interface ApiCall {
  method: string;
  path: string;
  authorization?: string;
  idempotencyKey?: string;
  body: string;
  status: number;
  wwwAuthenticate?: string;
}

export interface InteropServerOptions {
  clients: InteropClient[];
  users?: InteropUser[];
  /** Access token lifetime in seconds. Default 3600. */
  accessTokenLifetime?: number;
  /** Milliseconds `saveToken` takes, like a real database. Default 0. */
  saveDelayMs?: number;
  /** Scopes `server.authenticate` requires on `/api/scoped/…`. Default `['admin']`. */
  requiredScope?: string[];
}

/** The in-memory model: every method the three grants and `authenticate` need. */
export class InMemoryModel {
  readonly accessTokens = new Map<string, Token>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  /** Every refresh token passed to `revokeToken`, in order. */
  readonly revokedRefreshTokens: string[] = [];

  constructor(
    private readonly clients: InteropClient[],
    private readonly users: InteropUser[],
    private readonly saveDelayMs = 0,
  ) {}

  async getClient(clientId: string, clientSecret: string | null): Promise<Client | false> {
    const client = this.clients.find((c) => c.id === clientId);
    if (!client || (clientSecret !== null && client.secret !== clientSecret)) return false;
    return { id: client.id, grants: client.grants };
  }

  async getUser(username: string, password: string): Promise<OAuth2Server.User | false> {
    const user = this.users.find((u) => u.username === username && u.password === password);
    return user ? { username: user.username } : false;
  }

  async getUserFromClient(client: Client): Promise<OAuth2Server.User> {
    return { username: `client:${client.id}` };
  }

  async saveToken(token: Token, client: Client, user: OAuth2Server.User): Promise<Token> {
    if (this.saveDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.saveDelayMs));
    const saved: Token = { ...token, client, user };
    this.accessTokens.set(token.accessToken, saved);
    if (token.refreshToken !== undefined) {
      this.refreshTokens.set(token.refreshToken, {
        refreshToken: token.refreshToken,
        refreshTokenExpiresAt: token.refreshTokenExpiresAt,
        scope: token.scope,
        client,
        user,
      });
    }
    return saved;
  }

  async getAccessToken(accessToken: string): Promise<Token | false> {
    return this.accessTokens.get(accessToken) ?? false;
  }

  async getRefreshToken(refreshToken: string): Promise<RefreshToken | false> {
    return this.refreshTokens.get(refreshToken) ?? false;
  }

  async revokeToken(token: RefreshToken): Promise<boolean> {
    this.revokedRefreshTokens.push(token.refreshToken);
    return this.refreshTokens.delete(token.refreshToken);
  }

  async verifyScope(token: Token, scope: string[]): Promise<boolean> {
    const granted = token.scope ?? [];
    return scope.every((s) => granted.includes(s));
  }

  /** Server-side revocation of every access token (refresh tokens stay valid). */
  revokeAllAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Makes every access token expired, without waiting. */
  expireAllAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.accessTokenExpiresAt = new Date(Date.now() - 1000);
  }
}

export interface InteropServer {
  url: string;
  tokenUrl: string;
  apiBaseUrl: string;
  model: InMemoryModel;
  tokenCalls: TokenCall[];
  apiCalls: ApiCall[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const payload = JSON.stringify(body ?? {});
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** The status an `OAuthError` carries (`code`), else 500. */
function statusOf(error: unknown): number {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : 500;
}

/** RFC 6749 §5.2 / RFC 6750 §3 error body from an `OAuthError` (`name` is the error code). */
function errorBody(error: unknown): Record<string, unknown> {
  return { error: (error as Error).name, error_description: (error as Error).message };
}

/** Starts `@node-oauth/oauth2-server` on `127.0.0.1` (random port). */
export async function startInteropServer(options: InteropServerOptions): Promise<InteropServer> {
  const model = new InMemoryModel(options.clients, options.users ?? [], options.saveDelayMs);
  const oauth = new OAuth2Server({ model, accessTokenLifetime: options.accessTokenLifetime ?? 3600 });
  const tokenCalls: TokenCall[] = [];
  const apiCalls: ApiCall[] = [];
  const requiredScope = options.requiredScope ?? ['admin'];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const headers = flatHeaders(req.headers);
    const isForm = (headers['content-type'] ?? '').split(';')[0].trim() === 'application/x-www-form-urlencoded';
    const body = isForm ? Object.fromEntries(new URLSearchParams(raw)) : {};
    const request = new OAuth2Server.Request({
      headers,
      method: req.method ?? 'GET',
      query: Object.fromEntries(url.searchParams),
      body,
    });
    const response = new OAuth2Server.Response();

    if (url.pathname === '/oauth/token') {
      let status: number;
      let answer: Record<string, unknown>;
      try {
        await oauth.token(request, response);
        status = response.status ?? 200;
        answer = response.body as Record<string, unknown>;
      } catch (error) {
        // As @node-oauth/express-oauth-server does: the body is built from the error.
        status = statusOf(error);
        answer = errorBody(error);
      }
      const out = response.headers ?? {};
      tokenCalls.push({
        authorization: headers.authorization,
        contentType: headers['content-type'],
        body,
        status,
        headers: out,
        response: answer,
      });
      send(res, status, out, answer);
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      const scoped = url.pathname.startsWith('/api/scoped/');
      let status = 200;
      let answer: unknown;
      try {
        const token = await oauth.authenticate(
          request,
          response,
          scoped ? { scope: requiredScope, addAcceptedScopesHeader: true, addAuthorizedScopesHeader: true } : {},
        );
        answer = { ok: true, user: token.user, path: url.pathname, body: raw === '' ? null : raw };
      } catch (error) {
        status = statusOf(error);
        answer = errorBody(error);
      }
      const out = response.headers ?? {};
      apiCalls.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        authorization: headers.authorization,
        idempotencyKey: headers['idempotency-key'],
        body: raw,
        status,
        wwwAuthenticate: out['www-authenticate'],
      });
      send(res, status, out, answer);
      return;
    }
    send(res, 404, {}, { error: 'not_found' });
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, {}, { error: 'server_error' }));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenUrl: `${url}/oauth/token`,
    apiBaseUrl: `${url}/api`,
    model,
    tokenCalls,
    apiCalls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
