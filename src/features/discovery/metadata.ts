import type { DiscoveryFailureReason } from './discovery-error';
import type { EndpointAttachContext, ResolvedEndpoint } from '../../contracts/endpoint';
import { isSecureEnough, originOf } from '../../util/url';

/** The endpoints chosen from a metadata document, or why none could be. */
export type EndpointChoice =
  { kind: 'endpoint'; endpoint: ResolvedEndpoint } | { kind: 'refused'; reason: DiscoveryFailureReason; why: string };

type Metadata = Record<string, unknown>;

/** A URL the plugin may send credentials to (absolute; https unless loopback or `allowInsecureHttp`), else undefined. */
function usableUrl(value: unknown, allowInsecureHttp: boolean): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return isSecureEnough(url, allowInsecureHttp) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Quotes a server-provided string for a message, cut short (it is not a secret, but it is not ours). */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

/**
 * Checks a metadata document (RFC 8414 §2–3.3) against the configured issuer and the attachment, and
 * picks the endpoints:
 * - its `issuer` must equal the configured one exactly (RFC 8414 §3.3, OpenID Discovery §4.3);
 * - with a mutual-TLS method, `mtls_endpoint_aliases.token_endpoint` (RFC 8705 §5) when present,
 *   else `token_endpoint`; with any other method, `token_endpoint`; likewise for the revocation endpoint;
 * - that URL must be https (loopback aside, or with `allowInsecureHttp`);
 * - when the document lists `token_endpoint_auth_methods_supported`, it must include the configured
 *   method (not checked for the non-standard `query` method; an absent list is not checked).
 */
export function chooseEndpoints(document: Metadata, issuer: string, attachment: EndpointAttachContext): EndpointChoice {
  if (document.issuer !== issuer) {
    const why = `the metadata names the issuer ${quote(document.issuer)}, not the configured ${quote(issuer)}`;
    return { kind: 'refused', reason: 'issuer_mismatch', why };
  }
  const aliases = document.mtls_endpoint_aliases as Metadata | undefined;
  const aliasOf = (name: string): unknown =>
    attachment.mutualTls && aliases && typeof aliases === 'object' ? aliases[name] : undefined;
  const alias = aliasOf('token_endpoint');
  const field = alias !== undefined ? 'mtls_endpoint_aliases.token_endpoint' : 'token_endpoint';
  const raw = alias ?? document.token_endpoint;
  const url = usableUrl(raw, attachment.allowInsecureHttp);
  if (url === undefined) {
    const rule = 'an absolute https URL (http only on loopback hosts, or with allowInsecureHttp)';
    return { kind: 'refused', reason: 'invalid_metadata', why: `the metadata's ${field} ${quote(raw)} is not ${rule}` };
  }
  const method = attachment.authMethod;
  const supported = document.token_endpoint_auth_methods_supported;
  if (method !== undefined && Array.isArray(supported) && !supported.includes(method)) {
    const why =
      `the server does not support clientAuthentication "${method}" ` +
      `(token_endpoint_auth_methods_supported: ${quote(supported.join(', '))})`;
    return { kind: 'refused', reason: 'auth_method_unsupported', why };
  }
  // A revocation endpoint that is not usable is left out (close() then reports it), not a discovery failure.
  const revocation = usableUrl(
    aliasOf('revocation_endpoint') ?? document.revocation_endpoint,
    attachment.allowInsecureHttp,
  );
  const endpoint: ResolvedEndpoint = {
    tokenEndpoint: url,
    tokenEndpoints: tokenEndpointsOf(document),
    issuer,
    ...(revocation === undefined ? {} : { revocationEndpoint: revocation }),
    ...(Array.isArray(supported)
      ? { authMethodsSupported: Object.freeze(supported.filter((m): m is string => typeof m === 'string')) }
      : {}),
  };
  return { kind: 'endpoint', endpoint: Object.freeze(endpoint) };
}

/**
 * Every token endpoint a metadata document names, `token_endpoint` and
 * `mtls_endpoint_aliases.token_endpoint` (RFC 8705 §5), that is an absolute URL, whichever the plugin
 * itself uses: a request through the attached instance to any of them never gets the bearer.
 */
export function tokenEndpointsOf(document: Metadata): string[] {
  const aliases = document.mtls_endpoint_aliases as Metadata | undefined;
  const alias = aliases && typeof aliases === 'object' ? aliases.token_endpoint : undefined;
  return [document.token_endpoint, alias].filter(
    (value): value is string => typeof value === 'string' && originOf(value) !== undefined,
  );
}
