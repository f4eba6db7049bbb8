import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { zeroCounters } from './counters';
import { ServerContext } from './context';
import { sendJson } from './http-utils';
import { mangopayError } from './mangopay-api';
import { MUSEMENT_PREFIX, route } from './router';
import { TOKEN_PATH } from './mangopay-token';
import { REVOKE_PATH } from './mangopay-revoke';
import type { AuthServer, AuthServerOptions } from './types';
import { issuerOf } from './discovery-document';
import { issueSubjectToken } from './subject-tokens';

/**
 * Starts an embedded OAuth 2.0 auth server on `127.0.0.1` (random free port)
 * that behaves like the Mangopay token endpoint and API, and optionally like
 * the Musement `/api/v3` login and API. For tests and demos only.
 *
 * @param options - credentials, token lifetime, lockout and Musement settings
 * @returns the running server; call {@link AuthServer.close} when done
 * @throws RangeError when an option is out of range
 *
 * @example
 * ```ts
 * const server = await startAuthServer({ clientId: 'demo-client', clientSecret: 'demo-secret' });
 * // point the client at server.tokenUrl and server.apiBaseUrl …
 * await server.close();
 * ```
 */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const ctx = new ServerContext(options);
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(ctx, req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, mangopayError('Internal server error', 'internal_error'));
    });
  };
  const { tls } = options;
  // With TLS, any client certificate passes the handshake: the token endpoint and API judge it.
  const server = tls
    ? createTlsServer(
        // Typed without Node's Buffer (consumers may not have @types/node); a Buffer is a Uint8Array.
        { ...(tls as TlsOptions), requestCert: tls.requestCert === true, rejectUnauthorized: false },
        handler,
      )
    : createServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  ctx.origin = url;
  const encodedId = encodeURIComponent(ctx.options.clientId);
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    issuer: issuerOf(ctx),
    metadataRequests: () => ctx.metadataLog.list(),
    clientId: ctx.options.clientId,
    clientSecret: ctx.options.clientSecret,
    tokenUrl: `${url}${TOKEN_PATH}`,
    revocationUrl: `${url}${REVOKE_PATH}`,
    apiBaseUrl: `${url}/v2.01/${encodedId}`,
    apiV3BaseUrl: `${url}/V3.0/${encodedId}`,
    musementBaseUrl: `${url}${MUSEMENT_PREFIX}`,
    counters: ctx.counters,
    resetCounters() {
      zeroCounters(ctx.counters);
      ctx.tokenLog.clear();
      ctx.apiLog.clear();
      ctx.metadataLog.clear();
    },
    setTokenLifetime(seconds) {
      ctx.tokenLifetime = seconds;
    },
    revokeAllTokens(revokeOptions = {}) {
      ctx.tokens.revokeAll(revokeOptions.refreshTokens === true);
    },
    injectTokenFaults(faults) {
      ctx.faults.inject(faults);
    },
    pendingTokenFaults: () => ctx.faults.pending(),
    clearTokenFaults() {
      ctx.faults.clear();
    },
    setRandomTokenFaults(randomOptions) {
      ctx.faults.setRandom(randomOptions);
    },
    issuedTokens: () => ctx.tokens.list(),
    tokenRequests: () => ctx.tokenLog.list(),
    apiRequests: () => ctx.apiLog.list(),
    isLocked: () => ctx.lockout.isLocked(),
    issueSubjectToken(subject, subjectOptions = {}) {
      return issueSubjectToken(ctx, subject, subjectOptions);
    },
    rotateDPoPNonces() {
      ctx.dpop?.rotateNonces();
    },
    unlock() {
      ctx.lockout.reset();
    },
    addClient(client) {
      ctx.clients.add(client);
    },
    removeClient: (clientId) => ctx.clients.remove(clientId),
    isClientLocked: (clientId) => (ctx.clients.lockoutOf(clientId) ?? ctx.lockout).isLocked(),
    issuedToken: (token) => ctx.tokens.get(token),
    revokeToken: (token) => ctx.tokens.revoke(token),
    close() {
      closing ??= new Promise<void>((resolve) => {
        ctx.cancelTimers();
        ctx.faults.clear();
        ctx.faults.setRandom(null);
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
