import axios, { type AxiosInstance } from 'axios';
import type { EndpointResolver } from '../contracts/endpoint';
import type { ResolvedOptions } from '../options/validate-options';
import { serverTransport } from '../http/server-transport';
import type { RequestTransport } from '../http/transport';

/**
 * With an endpoint source (`tokenUrl: discover(issuer)`): the token endpoints it found, once it
 * settled (the shared resolution, started if need be; the same transport, deadline and size cap as a
 * token request's, outside the instance's interceptors, so a request waiting here never waits on
 * itself). Undefined when it failed (the request then needs a token, which fails with the source's
 * error). Never rejects.
 */
export type EndpointDiscovery = (transport: RequestTransport) => Promise<readonly string[] | undefined>;

/** {@link EndpointDiscovery} over the attachment's one resolver; `signal` is the attachment's. */
export function endpointDiscovery(
  instance: AxiosInstance,
  options: ResolvedOptions,
  resolver: EndpointResolver,
  signal: AbortSignal,
  /** The attachment's one client to the authorization server; a bare one made on first use otherwise. */
  shared?: AxiosInstance,
): EndpointDiscovery {
  let client: AxiosInstance | undefined = shared;
  return async (transport) => {
    client ??= options.tokenHttpClient ?? axios.create();
    const found = await resolver.resolve({
      client,
      transport: serverTransport(instance, options, transport),
      maxBytes: options.maxTokenResponseBytes,
      signal,
    });
    return found.ok ? found.endpoint.tokenEndpoints : undefined;
  };
}
