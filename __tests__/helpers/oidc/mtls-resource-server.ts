/**
 * A resource server behind mutual TLS for the RFC 8705 tests: it requires a client certificate
 * (any: the binding, not the chain, is what is checked), introspects the bearer at the provider (RFC 7662), and accepts it only when
 * it is active and its `cnf.x5t#S256` equals the thumbprint of the certificate the request came with
 * (RFC 8705 §3); otherwise 401 `invalid_token`. Records what it saw.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import axios from 'axios';
import { clientAgent } from '../mtls-pki';

export interface SeenBoundRequest {
  /** Thumbprint of the certificate the request came with. */
  presented: string;
  /** The token's `cnf.x5t#S256`, if any. */
  bound?: string;
  active: boolean;
  accepted: boolean;
}

export interface MtlsResourceServer {
  /** `https://127.0.0.1:PORT` */
  url: string;
  seen: SeenBoundRequest[];
  close(): Promise<void>;
}

export async function startMtlsResourceServer(options: {
  key: string;
  cert: string;
  ca: string;
  introspection: { url: string; clientId: string; clientSecret: string };
}): Promise<MtlsResourceServer> {
  const seen: SeenBoundRequest[] = [];
  const sockets = new Set<Socket>();
  const introspect = axios.create({ httpsAgent: clientAgent(options.ca), validateStatus: () => true });
  const server: Server = createServer(
    // Any certificate (self-signed ones included, RFC 8705 §2.2): the binding is checked by thumbprint.
    { key: options.key, cert: options.cert, ca: options.ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerX509Certificate();
      const presented = peer ? createHash('sha256').update(peer.raw).digest('base64url') : '';
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      req.resume();
      void introspect
        .post<{ active?: boolean; cnf?: Record<string, string> }>(
          options.introspection.url,
          new URLSearchParams({ token }).toString(),
          { auth: { username: options.introspection.clientId, password: options.introspection.clientSecret } },
        )
        .then((answer) => {
          const active = answer.data.active === true;
          const bound = answer.data.cnf?.['x5t#S256'];
          const accepted = active && bound !== undefined && bound === presented;
          seen.push({ presented, bound, active, accepted });
          res.writeHead(accepted ? 200 : 401, {
            'Content-Type': 'application/json',
            ...(accepted ? {} : { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
          });
          res.end(JSON.stringify(accepted ? { ok: true } : { error: 'invalid_token' }));
        });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
