/**
 * A small Mangopay-like host behind TLS that requires a client certificate (mutual TLS), with a
 * CA, a server certificate and a client certificate generated at test time with `openssl`.
 *
 * - `POST /v2.01/oauth/token` (HTTP Basic `clientId:apiKey`, raw encoding): a client-credentials token;
 * - any method on `/v2.01/{clientId}/…` with a valid bearer: echoes `{ Id, path }`; else Mangopay's 401.
 * Every request records the client certificate's CN it came with.
 */
import { randomBytes } from 'node:crypto';
import { makeMtlsPki } from './mtls-pki';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface Pki {
  /** PEM of the CA that signed both certificates. */
  ca: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  /** PEM of the client certificate (CN `sdk-client`). */
  clientCert: string;
}

/** A throw-away PKI (see `makeMtlsPki`): a CA, a server certificate for 127.0.0.1 and a client certificate (CN `sdk-client`). */
export function makePki(): Pki {
  const pki = makeMtlsPki();
  try {
    const client = pki.issue('/CN=sdk-client');
    return {
      ca: pki.ca,
      serverKey: pki.serverKey,
      serverCert: pki.serverCert,
      clientKey: client.key,
      clientCert: client.cert,
    };
  } finally {
    pki.dispose();
  }
}

export interface MtlsRequestRecord {
  method: string;
  path: string;
  /** The CN of the client certificate the request came with. */
  clientCn: string;
  authorization?: string;
  /** The status answered. */
  status?: number;
}

export interface MtlsServer {
  /** `https://127.0.0.1:PORT` */
  url: string;
  tokenUrl: string;
  clientId: string;
  apiKey: string;
  tokenRequests: MtlsRequestRecord[];
  apiRequests: MtlsRequestRecord[];
  /** TLS handshakes refused (no or bad client certificate). */
  refusedHandshakes: number;
  /** Every token issued so far stops being valid (the API answers 401 to it). */
  revokeTokens(): void;
  close(): Promise<void>;
}

export async function startMtlsServer(
  pki: Pki,
  clientId = 'mtls-client',
  apiKey = 'mtls-api-key',
): Promise<MtlsServer> {
  const tokens = new Set<string>();
  const sockets = new Set<Socket>();
  const state: MtlsServer = {
    url: '',
    tokenUrl: '',
    clientId,
    apiKey,
    tokenRequests: [],
    apiRequests: [],
    refusedHandshakes: 0,
    revokeTokens: () => tokens.clear(),
    close: () => Promise.resolve(),
  };
  const basic = `Basic ${Buffer.from(`${clientId}:${apiKey}`).toString('base64')}`;
  const server: Server = createServer(
    { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const record: MtlsRequestRecord = {
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0],
          clientCn: String(peer.subject?.CN ?? ''),
          authorization: req.headers.authorization,
        };
        const send = (status: number, body: unknown) => {
          record.status = status;
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (record.path === '/v2.01/oauth/token') {
          state.tokenRequests.push(record);
          if (req.method !== 'POST' || req.headers.authorization !== basic) {
            send(400, { error: 'invalid_client', error_description: 'Client authentication failed' });
            return;
          }
          const token = randomBytes(16).toString('hex');
          tokens.add(token);
          send(200, { access_token: token, token_type: 'bearer', expires_in: 1200 });
          return;
        }
        state.apiRequests.push(record);
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!record.path.startsWith(`/v2.01/${clientId}/`) || bearer === undefined || !tokens.has(bearer)) {
          send(401, { Message: 'The authorization credentials are not valid', Type: 'invalid_credentials' });
          return;
        }
        send(200, { Id: record.path.split('/').pop(), path: record.path });
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {
    state.refusedHandshakes += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `https://127.0.0.1:${port}`;
  state.tokenUrl = `${state.url}/v2.01/oauth/token`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  return state;
}
