import { createHash, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ServerContext } from './context';

/** The client certificate of the connection `req` came on, if the server runs TLS and one was presented. */
function peerCertificate(req: IncomingMessage): X509Certificate | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
  const cert = socket.getPeerX509Certificate();
  return cert instanceof X509Certificate ? cert : undefined;
}

/** `x5t#S256` (RFC 8705 §3.1) of the connection's client certificate, if any. */
export function peerThumbprint(req: IncomingMessage): string | undefined {
  const cert = peerCertificate(req);
  return cert && createHash('sha256').update(cert.raw).digest('base64url');
}

/** The RFC 4514 form of the connection's client certificate subject (most specific RDN first). */
function peerSubjectDn(req: IncomingMessage): string | undefined {
  return peerCertificate(req)?.subject.split('\n').reverse().join(',');
}

/**
 * Mutual-TLS client authentication (RFC 8705 §2) of a token call that carries `client_id` and no
 * secret: the certificate is one of `selfSignedThumbprints` (`self_signed_tls_client_auth`), or it
 * chains to the server's `tls.ca` and, when `subjectDn` is set, has that subject (`tls_client_auth`).
 * Resolves the thumbprint tokens are bound to, or undefined when the client is not authenticated.
 */
export function mutualTlsClient(
  ctx: ServerContext,
  req: IncomingMessage,
  clientId: string | undefined,
): string | undefined {
  const mtls = ctx.options.mtls;
  const thumbprint = peerThumbprint(req);
  if (!mtls || thumbprint === undefined || clientId !== ctx.options.clientId) return undefined;
  if (mtls.selfSignedThumbprints?.includes(thumbprint)) return thumbprint;
  const authorized = (req.socket as Partial<TLSSocket>).authorized === true;
  if (!authorized) return undefined;
  if (mtls.subjectDn !== undefined && peerSubjectDn(req) !== mtls.subjectDn) return undefined;
  return thumbprint;
}
