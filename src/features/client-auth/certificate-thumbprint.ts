import { createHash, X509Certificate } from 'node:crypto';
import { Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContextOptions } from 'node:tls';

/** The TLS options of an https.Agent (or a look-alike) that name its client certificate. */
export interface CertificateSource {
  cert?: unknown;
  pfx?: unknown;
  passphrase?: unknown;
}

/** base64url SHA-256 of a DER certificate: `x5t#S256` (RFC 8705 §3.1). */
function x5tS256(der: Buffer): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** The first certificate of a PEM or DER `cert` (a chain, or an array of them), or undefined. */
function fromCert(cert: unknown): string | undefined {
  const first: unknown = Array.isArray(cert) ? (cert as unknown[])[0] : cert;
  if (typeof first !== 'string' && !Buffer.isBuffer(first)) return undefined;
  try {
    return x5tS256(new X509Certificate(first).raw);
  } catch {
    return undefined;
  }
}

/**
 * The certificate a PKCS#12 `pfx` presents. Node has no public PKCS#12 parser, so the pfx is opened
 * the way the agent opens it (`tls.createSecureContext({ pfx, passphrase })`) and the certificate is
 * read back through a TLS socket on that context, never connected (`getCertificate().raw`: its DER).
 * Throws when the TLS layer cannot open the pfx (a wrong passphrase, an algorithm OpenSSL 3 no longer
 * loads): the agent could not present it either. The error says nothing of the passphrase.
 */
function fromPfx(pfx: unknown, passphrase: unknown): string | undefined {
  let context;
  try {
    context = createSecureContext({
      pfx: pfx as SecureContextOptions['pfx'],
      passphrase: typeof passphrase === 'string' ? passphrase : undefined,
    });
  } catch {
    throw new Error('the pfx could not be opened (wrong passphrase, or a format OpenSSL cannot read)');
  }
  const socket = new TLSSocket(new Socket(), { secureContext: context });
  try {
    const raw = (socket.getCertificate() as { raw?: unknown } | null)?.raw;
    return Buffer.isBuffer(raw) ? x5tS256(raw) : undefined;
  } finally {
    socket.destroy();
  }
}

/**
 * The `x5t#S256` thumbprint of the client certificate `source` presents: its `cert` (PEM or DER, the
 * first of a chain), else its `pfx` opened with `passphrase`; undefined without a readable
 * certificate. A certificate is public: the thumbprint may appear in the cache key and in messages.
 * @throws Error when a `pfx` cannot be opened (the caller names the option).
 */
export function certificateThumbprint(source: CertificateSource | undefined): string | undefined {
  if (!source) return undefined;
  if (source.cert !== undefined) return fromCert(source.cert);
  return source.pfx === undefined ? undefined : fromPfx(source.pfx, source.passphrase);
}
