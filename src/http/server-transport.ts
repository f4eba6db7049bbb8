import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import type { RequestTransport } from './transport';
import { MAX_TIMER_MS } from '../util/timers';

/** The options a server transport reads (the attachment's `tokenHttpClient` and `tokenRequestTimeoutMs`). */
export interface ServerTransportOptions {
  tokenHttpClient?: AxiosInstance;
  tokenRequestTimeoutMs?: number;
}

/** Time-out of a token request when neither the option nor the attached instance sets one. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;

/** How the plugin's own requests to the authorization server (token, discovery, revocation) travel. */
export interface ServerTransport {
  /** Adapter, agents (a client certificate) and proxy; none with `tokenHttpClient`, which has its own. */
  inherited: AxiosRequestConfig;
  /** The fetch adapter's options, to be merged under `redirect: 'manual'`. */
  fetchOptions?: Record<string, unknown>;
  /** Deadline of one request. */
  timeoutMs: number;
}

/** The instance's `timeout` as a deadline: 0 (axios's "none") or an unusable value means the default. */
export function attemptTimeout(instanceTimeout: number | undefined): number {
  const ms = Number(instanceTimeout);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_TIMER_MS) : DEFAULT_TOKEN_TIMEOUT_MS;
}

/**
 * The transport of a request to the authorization server: `tokenHttpClient`'s own settings, else the
 * adapter, agents, proxy and fetch options of `borrowed` (the API request that needed it) over the
 * attached instance's defaults, read now (so an adapter installed after attaching applies).
 */
export function serverTransport(
  instance: AxiosInstance,
  options: ServerTransportOptions,
  transport?: RequestTransport,
): ServerTransport {
  const defaults = instance.defaults;
  const borrowed = options.tokenHttpClient ? undefined : transport;
  const inherited: AxiosRequestConfig = options.tokenHttpClient
    ? {}
    : {
        // An adapter may delete config.adapter once it ran (axios-mock-adapter does): the default then.
        adapter: (borrowed?.adapter ?? defaults.adapter) as AxiosRequestConfig['adapter'],
        httpAgent: borrowed?.httpAgent ?? (defaults.httpAgent as unknown),
        httpsAgent: borrowed?.httpsAgent ?? (defaults.httpsAgent as unknown),
        proxy: (borrowed?.proxy ?? defaults.proxy) as AxiosRequestConfig['proxy'],
      };
  const fetchOptions = (borrowed?.fetchOptions ?? (options.tokenHttpClient ?? instance).defaults.fetchOptions) as
    Record<string, unknown> | undefined;
  return { inherited, fetchOptions, timeoutMs: options.tokenRequestTimeoutMs ?? attemptTimeout(defaults.timeout) };
}
