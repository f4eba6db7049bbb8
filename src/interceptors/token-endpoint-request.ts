import { requestUrl, type RequestTarget } from '../util/url';

/** `origin + pathname` of a URL (query and fragment dropped), or undefined when it does not parse. */
function endpointOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return undefined;
  }
}

/**
 * A test of whether a request (already known to go to an API origin) targets the token endpoint,
 * query ignored: such a request (an SDK's own token call through the attached instance) never gets
 * a bearer, nor waits for one. Cheap for every other request: one substring search of `url` (of
 * `baseURL` when `url` is empty: axios then sends to `baseURL` as it is) for the endpoint's last path
 * segment; the full URL is resolved (as axios does) only on a hit.
 */
export function tokenEndpointTest(tokenUrl: string): (config: RequestTarget) => boolean {
  const endpoint = endpointOf(tokenUrl) as string;
  const segments = new URL(tokenUrl).pathname.split('/').filter(Boolean);
  const tail = segments[segments.length - 1] ?? '';
  return (config) => {
    const url = config.url || config.baseURL || '';
    if (!url.includes(tail)) return false;
    return endpointOf(requestUrl(config)) === endpoint;
  };
}

/** {@link tokenEndpointTest} for several endpoints (a discovered one and its mutual-TLS alias). */
export function tokenEndpointsTest(tokenUrls: readonly string[]): (config: RequestTarget) => boolean {
  const tests = tokenUrls.map(tokenEndpointTest);
  if (tests.length === 1) return tests[0];
  return (config) => tests.some((test) => test(config));
}
