import type { AxiosInstance } from 'axios';
import type { OAuth2Error } from '../errors';
import type { ServerTransport } from '../http/server-transport';

/**
 * The `tokenUrl` option is a token endpoint URL (the simple path) or an endpoint source: a value the
 * user imports (e.g. `discover(issuer)` from `axios-oauth2-bearer/discovery`) that finds the
 * authorization server's endpoints. The core knows sources through this file only.
 */

/** The authorization server's endpoints, as a source resolved them. */
export interface ResolvedEndpoint {
  /** Where token requests go (with a mutual-TLS method, the server's mutual-TLS alias when it names one). */
  readonly tokenEndpoint: string;
  /** Every token endpoint the server names (the one used and its aliases): requests to them never get the bearer. */
  readonly tokenEndpoints: readonly string[];
  /** RFC 7009 revocation endpoint, when the server names one. */
  readonly revocationEndpoint?: string;
  /** The issuer identifier (RFC 8414 §2), as the server stated it (equal to the configured one). */
  readonly issuer: string;
  /** `token_endpoint_auth_methods_supported`, when the server lists it. */
  readonly authMethodsSupported?: readonly string[];
}

/** How a source reaches the authorization server: through the one path (`send`), as a token request would. */
export interface EndpointRequestContext {
  /** The client that sends token requests (bare, or `tokenHttpClient`). */
  readonly client: AxiosInstance;
  /** Adapter, agents, proxy, fetch options and the deadline of one request. */
  readonly transport: ServerTransport;
  /** Size cap of an answer's body (`maxTokenResponseBytes`). */
  readonly maxBytes: number;
  /** The attachment's signal, aborted by `detach()`. */
  readonly signal?: AbortSignal;
}

/** What a source learns of the attachment when it is attached (checked then, before any request). */
export interface EndpointAttachContext {
  /** The attachment's `allowInsecureHttp`: http is allowed on loopback hosts only without it. */
  readonly allowInsecureHttp: boolean;
  /**
   * The client authentication method's registered name (`client_secret_basic`, `private_key_jwt`, …),
   * checked against the metadata's list; undefined with the non-standard `query` request format (not checked).
   */
  readonly authMethod?: string;
  /** Whether the client authenticates with its TLS certificate (RFC 8705): the mutual-TLS aliases apply. */
  readonly mutualTls: boolean;
  /** The attachment's clock (epoch ms), for back-off. */
  readonly clock: () => number;
}

/** A resolution: the endpoint, or the typed error to fail the token request with (no token request is sent). */
export type EndpointResolution =
  { readonly ok: true; readonly endpoint: ResolvedEndpoint } | { readonly ok: false; readonly error: OAuth2Error };

/** One attachment's resolver: its own state (single flight, back-off), for every token entry of the attachment. */
export interface EndpointResolver {
  /** The endpoint once resolved, else undefined. */
  readonly current: ResolvedEndpoint | undefined;
  /**
   * Resolves the endpoint: once for all concurrent callers, then kept; a failure is served as is
   * until its back-off ends. Never rejects.
   */
  resolve(context: EndpointRequestContext): Promise<EndpointResolution>;
}

/** A value for the `tokenUrl` option that finds the token endpoint (see `discover`). */
export interface EndpointSource {
  /** Names the source in messages (e.g. `discover`). */
  readonly kind: string;
  /**
   * The issuer identifier, known before any request: the audience of client assertions, the default
   * API origin (without `apiOrigins` or a `baseURL`) and the cache key's stand-in for the token endpoint.
   */
  readonly issuer: string;
  /**
   * Binds the source to one attachment: checks it against the attachment (throws `OAuth2OptionsError`
   * naming the option), and returns the attachment's resolver.
   */
  attach(context: EndpointAttachContext): EndpointResolver;
}

/** Whether `value` looks like an {@link EndpointSource} (the core checks the shape; the source checks its own input). */
export function isEndpointSource(value: unknown): value is EndpointSource {
  const source = value as Partial<EndpointSource> | null;
  return (
    typeof value === 'object' &&
    source !== null &&
    typeof source.attach === 'function' &&
    typeof source.issuer === 'string' &&
    typeof source.kind === 'string'
  );
}
