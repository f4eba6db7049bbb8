import { createHash, X509Certificate } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { OAuth2OptionsError } from '../errors';
import type { ClientAuthentication } from '../options/options';

/** The mutual-TLS client authentication methods of RFC 8705 §2. */
export type TlsClientAuthentication = 'tls_client_auth' | 'self_signed_tls_client_auth';

/** Whether `method` authenticates the client with its TLS certificate (RFC 8705). */
export function isTlsMethod(method: ClientAuthentication): method is TlsClientAuthentication {
  return method === 'tls_client_auth' || method === 'self_signed_tls_client_auth';
}

/** What an https.Agent (or a look-alike) exposes of its TLS settings. */
interface AgentLike {
  options?: { cert?: unknown; pfx?: unknown };
}

/** The client certificate an agent presents: its `cert` (PEM, DER or a chain, first one) or its `pfx`. */
function agentCertificate(agent: unknown): { cert?: unknown; pfx?: unknown } | undefined {
  const options = (agent as AgentLike | undefined)?.options;
  if (!options || (options.cert === undefined && options.pfx === undefined)) return undefined;
  return options;
}

/**
 * The RFC 8705 §3.1 thumbprint (`x5t#S256`: base64url SHA-256 of the DER certificate) of the first
 * certificate in `cert`, or undefined when it cannot be read (a `pfx`, which needs its passphrase).
 * A certificate is public: the thumbprint may appear in the cache key and in messages.
 */
export function certificateThumbprint(cert: unknown): string | undefined {
  const first: unknown = Array.isArray(cert) ? (cert as unknown[])[0] : cert;
  if (typeof first !== 'string' && !Buffer.isBuffer(first)) return undefined;
  try {
    return createHash('sha256').update(new X509Certificate(first).raw).digest('base64url');
  } catch {
    return undefined;
  }
}

function transportOf(client: AxiosInstance | undefined): { agent?: unknown; fetchOptions?: unknown } {
  const defaults = (client?.defaults ?? {}) as { httpsAgent?: unknown; fetchOptions?: unknown };
  return { agent: defaults.httpsAgent, fetchOptions: defaults.fetchOptions };
}

/**
 * Checks, at attach time, a mutual-TLS method against what can be seen of the transport, and returns
 * the thumbprint of the certificate the token requests will present (when readable), which goes into
 * the cache key: tokens bound to one certificate are never served to a client presenting another.
 *
 * - The token requests need a client certificate: `tokenHttpClient`, or the instance's `httpsAgent`
 *   with `cert` or `pfx` (or the instance's `fetchOptions.dispatcher`, for the fetch adapter), else
 *   {@link OAuth2OptionsError} on `clientAuthentication`.
 * - A `tokenHttpClient` whose agent presents another certificate than the instance's: the server
 *   would bind the tokens to the one the API never sees, so the API would reject every token:
 *   {@link OAuth2OptionsError} on `tokenHttpClient`.
 */
export function checkMutualTls(
  method: TlsClientAuthentication,
  instance: AxiosInstance,
  tokenHttpClient: AxiosInstance | undefined,
): string | undefined {
  const api = transportOf(instance);
  const token = tokenHttpClient ? transportOf(tokenHttpClient) : api;
  const tokenCert = agentCertificate(token.agent);
  const dispatcher = (token.fetchOptions as { dispatcher?: unknown } | undefined)?.dispatcher;
  if (!tokenHttpClient && !tokenCert && dispatcher === undefined) {
    throw new OAuth2OptionsError(
      'clientAuthentication',
      `axios-oauth2-bearer: option "clientAuthentication" "${method}" needs a client certificate: ` +
        "give the instance's httpsAgent a cert and key (or pfx), or pass tokenHttpClient",
    );
  }
  const tokenThumbprint = certificateThumbprint(tokenCert?.cert);
  const apiThumbprint = certificateThumbprint(agentCertificate(api.agent)?.cert);
  if (tokenHttpClient && tokenThumbprint && apiThumbprint && tokenThumbprint !== apiThumbprint) {
    throw new OAuth2OptionsError(
      'tokenHttpClient',
      `axios-oauth2-bearer: option "tokenHttpClient" presents another client certificate (x5t#S256 ${tokenThumbprint}) ` +
        `than the instance's httpsAgent (${apiThumbprint}): the API would reject tokens bound to it (RFC 8705 §3)`,
    );
  }
  return tokenThumbprint;
}
