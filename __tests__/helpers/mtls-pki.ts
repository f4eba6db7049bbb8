/**
 * Certificates for the mutual-TLS tests, generated at test time with the openssl CLI: a CA, a server
 * certificate for 127.0.0.1 and localhost, client certificates signed by the CA (any subject), and
 * self-signed client certificates (RFC 8705 §2.2), each with its `x5t#S256` thumbprint.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClientCertificate {
  key: string;
  cert: string;
  /** RFC 4514 form of the subject (most specific RDN first), as `tls_client_auth_subject_dn` registers it. */
  subjectDn: string;
  /** base64url SHA-256 of the DER certificate (RFC 8705 §3.1). */
  thumbprint: string;
  /** The public key as a JWK with the certificate in `x5c` (for `self_signed_tls_client_auth` registration). */
  jwk: Record<string, unknown>;
}

export interface MtlsPki {
  ca: string;
  serverKey: string;
  serverCert: string;
  /** A certificate signed by the CA, for `subject` (openssl form, e.g. `/C=FR/O=Org/CN=name`). */
  issue(subject: string): ClientCertificate;
  /** A self-signed certificate for `subject`. */
  selfSigned(subject: string): ClientCertificate;
  dispose(): void;
}

/** An https.Agent presenting `client` and trusting `ca`. */
export function clientAgent(ca: string, client?: { key: string; cert: string }): Agent {
  return new Agent({ ca, ...(client ? { key: client.key, cert: client.cert } : {}), keepAlive: false });
}

/**
 * `client` as a PKCS#12 (pfx) file made by `openssl pkcs12 -export`, protected by `passphrase`
 * (OpenSSL 3 defaults: AES-256-CBC, PBKDF2).
 */
export function toPfx(client: { key: string; cert: string }, passphrase: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-mtls-pfx-'));
  try {
    writeFileSync(join(dir, 'client.key'), client.key);
    writeFileSync(join(dir, 'client.crt'), client.cert);
    const args = ['pkcs12', '-export', '-inkey', 'client.key', '-in', 'client.crt', '-out', 'client.p12'];
    execFileSync('openssl', [...args, '-passout', 'stdin'], { cwd: dir, stdio: 'pipe', input: `${passphrase}\n` });
    return readFileSync(join(dir, 'client.p12'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The RFC 4514 string of an openssl `/A=x/B=y` subject: reversed, comma-separated. */
function rfc4514(subject: string): string {
  return subject.split('/').filter(Boolean).reverse().join(',');
}

function describeCert(key: string, cert: string, subject: string): ClientCertificate {
  const x509 = new X509Certificate(cert);
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>;
  return {
    key,
    cert,
    subjectDn: rfc4514(subject),
    thumbprint: createHash('sha256').update(x509.raw).digest('base64url'),
    jwk: { ...jwk, x5c: [x509.raw.toString('base64')] },
  };
}

export function makeMtlsPki(): MtlsPki {
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-mtls-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  let serial = 0;
  const sign = (name: string, ext?: string) => {
    const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key'];
    args.push('-set_serial', String(++serial + 1000), '-out', `${name}.crt`, '-days', '1');
    if (ext) {
      writeFileSync(join(dir, `${name}.ext`), ext);
      args.push('-extfile', `${name}.ext`);
    }
    ssl(...args);
  };
  ssl('req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=mtls-test-ca');
  ssl('req', ...newKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  sign('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  let count = 0;
  return {
    ca: read('ca.crt'),
    serverKey: read('server.key'),
    serverCert: read('server.crt'),
    issue(subject) {
      const name = `client${++count}`;
      ssl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      sign(name, 'extendedKeyUsage=clientAuth\n');
      return describeCert(read(`${name}.key`), read(`${name}.crt`), subject);
    },
    selfSigned(subject) {
      const name = `self${++count}`;
      ssl('req', '-x509', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', subject);
      return describeCert(read(`${name}.key`), read(`${name}.crt`), subject);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
