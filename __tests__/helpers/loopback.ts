/**
 * A small real HTTP server on 127.0.0.1 for the secret-safety tests: a token endpoint at
 * `/oauth/token` (issues `tok-N`, or runs `onToken`), and an API everywhere else (runs `onApi`,
 * default 200). It records every token call and every connection's lifecycle, so tests can assert
 * on socket events rather than on time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ApiRequest {
  method: string;
  path: string;
  authorization: string;
  /** The bearer token sent, or ''. */
  token: string;
  body: string;
  /** Which connection (1, 2, …) carried this request. */
  connection: number;
  /** The `DPoP` proof header, when one was sent. */
  dpop?: string;
}

export interface TokenRequest {
  authorization: string;
  /** The request body, or for a GET the query string (without `?`). */
  body: string;
  connection: number;
  /** The `DPoP` proof header, when one was sent. */
  dpop?: string;
}

export interface Loopback {
  origin: string;
  tokenUrl: string;
  tokenCalls: TokenRequest[];
  apiCalls: ApiRequest[];
  /** Connection ids in the order the server saw them closed. */
  closedConnections: number[];
  /** Answers a token request (default: a fresh `tok-N` bearer for an hour). */
  onToken?: (request: TokenRequest, res: ServerResponse, issue: () => void) => void;
  /** Answers an API request (default: 200 with the token seen). */
  onApi?: (request: ApiRequest, res: ServerResponse) => void;
  /** Resolves when the server saw connection `id` close. */
  closed(id: number): Promise<void>;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The whole body of `req`, as UTF-8 text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startLoopback(): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const ids = new WeakMap<Socket, number>();
  const waiters = new Map<number, () => void>();
  let issued = 0;
  const lb = { tokenCalls: [], apiCalls: [], closedConnections: [] } as unknown as Loopback;
  const server = createServer((req, res) => {
    const connection = ids.get(req.socket) ?? 0;
    const authorization = req.headers.authorization ?? '';
    const proof = typeof req.headers.dpop === 'string' ? { dpop: req.headers.dpop } : {};
    void readBody(req).then((body) => {
      if ((req.url ?? '').startsWith('/oauth/token')) {
        const query = (req.url ?? '').split('?')[1] ?? '';
        const call = { authorization, body: req.method === 'GET' ? query : body, connection, ...proof };
        lb.tokenCalls.push(call);
        const issue = () => {
          issued += 1;
          sendJson(res, 200, { access_token: `tok-${issued}`, token_type: 'bearer', expires_in: 3600 });
        };
        if (lb.onToken) lb.onToken(call, res, issue);
        else issue();
        return;
      }
      const token = authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
      const call = {
        method: req.method ?? 'GET',
        path: req.url ?? '',
        authorization,
        token,
        body,
        connection,
        ...proof,
      };
      lb.apiCalls.push(call);
      if (lb.onApi) lb.onApi(call, res);
      else sendJson(res, 200, { token });
    });
  });
  server.keepAliveTimeout = 0; // the server never closes an idle keep-alive connection by itself
  let next = 0;
  server.on('connection', (socket: Socket) => {
    next += 1;
    const id = next;
    ids.set(socket, id);
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      lb.closedConnections.push(id);
      waiters.get(id)?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  lb.origin = `http://127.0.0.1:${port}`;
  lb.tokenUrl = `${lb.origin}/oauth/token`;
  lb.closed = (id) =>
    lb.closedConnections.includes(id) ? Promise.resolve() : new Promise((resolve) => waiters.set(id, resolve));
  lb.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return lb;
}
