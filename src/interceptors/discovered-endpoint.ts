import axios, { type AxiosInstance } from 'axios';
import type { Discovery } from '../discovery/discovery';
import type { ResolvedOptions } from '../options/validate-options';
import { serverTransport } from '../http/server-transport';
import type { RequestTransport } from './transport';

/**
 * With `issuer` and no `tokenUrl`: the token endpoints the attachment's discovery found, once it
 * settled (the shared discovery, started if need be; the same transport, deadline and size cap as a
 * token request's, outside the instance's interceptors, so a request waiting here never waits on
 * itself). Undefined when discovery failed (the request then needs a token, which fails with the
 * discovery's error). Never rejects.
 */
export type EndpointDiscovery = (transport: RequestTransport) => Promise<readonly string[] | undefined>;

/** {@link EndpointDiscovery} over the attachment's one (lazily loaded) discovery; `signal` is the attachment's. */
export function endpointDiscovery(
  instance: AxiosInstance,
  options: ResolvedOptions,
  discovery: () => Promise<Discovery>,
  signal: AbortSignal,
): EndpointDiscovery {
  let client: AxiosInstance | undefined;
  return async (transport) => {
    try {
      const found = await discovery();
      client ??= options.tokenHttpClient ?? axios.create();
      await found.tokenEndpoint({
        client,
        transport: serverTransport(instance, options, transport),
        maxBytes: options.maxTokenResponseBytes,
        signal,
      });
      return found.tokenEndpoints;
    } catch {
      // The discovery code did not load: the token request that follows reports it.
      return undefined;
    }
  };
}
