import type { ClientAuth, ClientAuthAttachment, ClientAuthTransport } from '../../contracts/client-auth';
import { OAuth2OptionsError } from '../../errors';
import { certificateThumbprint, type CertificateSource } from './certificate-thumbprint';
import { requireFormBody } from './form-body';

/** The mutual-TLS client authentication methods of RFC 8705 §2. */
export type TlsClientAuthentication = 'tls_client_auth' | 'self_signed_tls_client_auth';

/** What an https.Agent (or a look-alike) exposes of its TLS settings. */
interface AgentLike {
  options?: CertificateSource;
}

/** The client certificate an agent presents: its `cert` (PEM, DER or a chain, first one) or its `pfx`. */
function agentCertificate(agent: unknown): CertificateSource | undefined {
  const options = (agent as AgentLike | undefined)?.options;
  if (!options || (options.cert === undefined && options.pfx === undefined)) return undefined;
  return options;
}

function transportOf(client: ClientAuthTransport | undefined): { agent?: unknown; fetchOptions?: unknown } {
  const defaults = client?.defaults ?? {};
  return { agent: defaults.httpsAgent, fetchOptions: defaults.fetchOptions };
}

/** The thumbprint of the certificate `agent` presents; a `pfx` it cannot open is refused, naming `option`. */
function thumbprintOf(agent: unknown, option: 'instance' | 'tokenHttpClient'): string | undefined {
  try {
    return certificateThumbprint(agentCertificate(agent));
  } catch (error) {
    const whose = option === 'instance' ? "the instance's httpsAgent" : 'option "tokenHttpClient"\'s httpsAgent';
    throw new OAuth2OptionsError(option, `axios-oauth2-bearer: ${whose}: ${(error as Error).message}`);
  }
}

/**
 * Reads at attach time the client certificate the token requests will
 * present (the `tokenHttpClient`'s agent, else the instance's: PEM `cert`, or `pfx` with its
 * `passphrase`) and returns its thumbprint, which goes into the cache key: a token bound to one
 * certificate (RFC 8705 §3) is never served to a client presenting another, whatever form the
 * certificate is given in. Undefined when the certificate cannot be read from the transport (a fetch
 * `dispatcher`).
 *
 * - A `pfx` that cannot be opened: {@link OAuth2OptionsError} on `instance` or `tokenHttpClient`.
 *
 * - The token requests need a client certificate: `tokenHttpClient`, or the instance's `httpsAgent`
 *   with `cert` or `pfx` (or the instance's `fetchOptions.dispatcher`, for the fetch adapter), else
 *   {@link OAuth2OptionsError} on `clientAuthentication`.
 * - A `tokenHttpClient` whose agent presents another certificate than the instance's: the server
 *   would bind the tokens to the one the API never sees, so the API would reject every token:
 *   {@link OAuth2OptionsError} on `tokenHttpClient`.
 */
export function checkClientCertificate(
  method: TlsClientAuthentication,
  { instance, tokenHttpClient }: ClientAuthAttachment,
): string | undefined {
  const api = transportOf(instance);
  const token = tokenHttpClient ? transportOf(tokenHttpClient) : api;
  const tokenThumbprint = thumbprintOf(token.agent, tokenHttpClient ? 'tokenHttpClient' : 'instance');
  const dispatcher = (token.fetchOptions as { dispatcher?: unknown } | undefined)?.dispatcher;
  if (!tokenHttpClient && !agentCertificate(token.agent) && dispatcher === undefined) {
    throw new OAuth2OptionsError(
      'clientAuthentication',
      `axios-oauth2-bearer: option "clientAuthentication" "${method}" needs a client certificate: ` +
        "give the instance's httpsAgent a cert and key (or pfx), or pass tokenHttpClient",
    );
  }
  const apiThumbprint = tokenHttpClient ? thumbprintOf(api.agent, 'instance') : tokenThumbprint;
  if (tokenThumbprint && apiThumbprint && tokenThumbprint !== apiThumbprint) {
    throw new OAuth2OptionsError(
      'tokenHttpClient',
      `axios-oauth2-bearer: option "tokenHttpClient" presents another client certificate (x5t#S256 ${tokenThumbprint}) ` +
        `than the instance's httpsAgent (${apiThumbprint}): the API would reject tokens bound to it (RFC 8705 §3)`,
    );
  }
  return tokenThumbprint;
}

/**
 * A mutual-TLS method (RFC 8705 §2) as a value: `client_id` in the form body and no secret; the
 * certificate of the TLS connection authenticates the client. At attach time it checks the transport
 * ({@link checkClientCertificate}) and the body format, and returns a copy whose cache-key identity
 * holds the certificate's `x5t#S256` thumbprint (public).
 */
export function mutualTlsAuth(method: TlsClientAuthentication): ClientAuth {
  const unbound: ClientAuth = {
    method,
    mutualTls: true,
    identity: Object.freeze([method]),
    secrets: Object.freeze([]),
    attach(attachment) {
      requireFormBody(method, 'RFC 8705 §2', attachment);
      const thumbprint = checkClientCertificate(method, attachment);
      const identity = thumbprint === undefined ? [method] : [method, `x5t#S256:${thumbprint}`];
      return Object.freeze({ ...unbound, identity: Object.freeze(identity), attach: undefined });
    },
    credentials: (request) => ({ params: { client_id: request.clientId } }),
  };
  return Object.freeze(unbound);
}
