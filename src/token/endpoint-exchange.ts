import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { InvalidTokenResponseError } from '../errors';
import type { DiscoveryError } from '../discovery/discovery-error';
import { headerValue } from '../util/headers';
import { safeHeaders } from './http-answer';
import { safeCause } from '../security/redact';
import { discardBody, readLimited, TOO_LARGE } from './response-limit';
import { deadlineError, startDeadline } from './attempt-deadline';
import { buildTokenRequest, grantSecrets, type AttemptExtras, type GrantParams } from './token-request';
import { parseTokenResponse, type TokenFailure } from './token-response';
import type { StoredToken } from '../store/token-store';
import type { RequestTransport } from '../interceptors/transport';
import type { ResolvedOptions } from '../options/validate-options';
import type { Discovery } from '../discovery/discovery';
import '../interceptors/request-options';
import { noRedirects, serverTransport } from './server-transport';
import { dpopExchange } from '../dpop/token-endpoint';

export { DEFAULT_TOKEN_TIMEOUT_MS } from './server-transport';

/**
 * The outcome of one token request, every outcome a value. The token pipeline has one error
 * channel: {@link EndpointExchange} and `GrantRunner` return discriminated results (`kind`), and only
 * `TokenCache` turns a result into an exception for its callers. (Cancellation by `detach()` is not
 * an outcome of the endpoint: it rejects with `DetachedError` wherever the plugin waits.)
 * - `token`: the endpoint issued a token;
 * - `failure`: an error answer, a redirect or a transport failure, classified (`transient`,
 *   `permanent`, `lockout`), with a secret-free `cause` for transport errors;
 * - `invalid`: a 2xx that is not a usable token response ({@link InvalidTokenResponseError}, permanent).
 * - `discovery`: with `issuer` and no `tokenUrl`, no token endpoint could be discovered: no token request was sent.
 */
export type ExchangeResult =
  | { kind: 'token'; token: StoredToken }
  | { kind: 'failure'; failure: TokenFailure & { cause?: Error } }
  | { kind: 'invalid'; error: InvalidTokenResponseError }
  | { kind: 'discovery'; error: DiscoveryError };

/**
 * The discovery of an attachment (`issuer` without `tokenUrl`): its code loaded on first use, one
 * instance (metadata, single flight, back-off) for every token entry of the attachment. A failed load
 * is tried again on the next need, not kept.
 */
export function lazyDiscovery(options: ResolvedOptions): () => Promise<Discovery> {
  let loading: Promise<Discovery> | undefined;
  return () =>
    (loading ??= import('../discovery/discovery').then(
      (m) => new m.Discovery(options),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
}

/**
 * A redirect, or what fetch makes of one with `redirect: 'manual'` where the platform hides it
 * (an opaque-redirect response, status 0). Token requests never follow one: following would send
 * the credentials, or accept a token, from wherever the token endpoint points to.
 */
export function isRedirect(status: number): boolean {
  return status === 0 || (status >= 300 && status < 400);
}

function declaredLength(response: AxiosResponse): number | undefined {
  const value = Number(headerValue(response.headers, 'content-length'));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Sends token requests outside the attached instance's interceptors. Unless `tokenHttpClient` is
 * given, it uses a bare axios client with the adapter, agents, fetch options and proxy of the request
 * that needed the token (see {@link RequestTransport}), else of the attached instance's defaults,
 * read at each request (so a mock adapter installed after attaching applies), and the instance's time-out.
 *
 * Whatever the client and adapter (http or fetch, on any axios version): redirects are never
 * followed (`maxRedirects: 0` and fetch `redirect: 'manual'`; a 3xx is a permanent failure), each
 * attempt has an overall deadline (an abort signal, not only axios's idle `timeout`), the body is
 * read as a stream up to `maxTokenResponseBytes`, and the request is marked `oauth2.skip` so a
 * `tokenHttpClient` that has this plugin attached (even the attached instance) sends it as is.
 */
export class EndpointExchange {
  private readonly bare: AxiosInstance;

  constructor(
    private readonly instance: AxiosInstance,
    private readonly options: ResolvedOptions,
    /** With `issuer` and no `tokenUrl`: the attachment's one discovery, shared by its token entries. */
    private readonly discovery: () => Promise<Discovery> = lazyDiscovery(options),
  ) {
    this.bare = options.tokenHttpClient ?? axios.create();
  }

  /**
   * One token request, its outcome as an {@link ExchangeResult} (never thrown).
   * `signal` (the attachment's, aborted by `detach()`) aborts the request. `transport`: the settings
   * of the request that needed the token, used over the instance's defaults (not with `tokenHttpClient`).
   */
  async request(
    grant: GrantParams,
    signal?: AbortSignal,
    transport?: RequestTransport,
    /** What this attempt adds (a client assertion, a custom grant's parameters), scrubbed like the grant's secrets. */
    extras?: AttemptExtras,
    /** Makes them anew for a second request within the attempt (the DPoP nonce retry): never a reused assertion. */
    fresh?: () => Promise<AttemptExtras | undefined>,
  ): Promise<ExchangeResult> {
    const { dpop } = this.options;
    if (!dpop) return this.exchange(grant, signal, transport, extras);
    // DPoP: a proof per request (and the one nonce retry) around the exchange.
    let sent = 0;
    return dpopExchange(await dpop.load(), this.options, async (proof) => {
      const current = sent++ > 0 && fresh ? await fresh() : extras;
      return this.exchange(grant, signal, transport, { params: {}, secrets: [], ...current, ...proof });
    });
  }

  private async exchange(
    grant: GrantParams,
    signal: AbortSignal | undefined,
    transport: RequestTransport | undefined,
    extras: AttemptExtras | undefined,
  ): Promise<ExchangeResult> {
    const { options } = this;
    const { inherited, fetchOptions, timeoutMs } = serverTransport(this.instance, options, transport);
    const limit = options.maxTokenResponseBytes;
    let url = options.tokenUrl;
    if (url === undefined) {
      const found = await this.discoveredEndpoint({
        client: this.bare,
        config: inherited,
        fetchOptions,
        timeoutMs,
        maxBytes: limit,
        signal,
      });
      if (typeof found !== 'string') return { kind: 'discovery', error: found };
      url = found;
    }
    const deadline = startDeadline(timeoutMs, signal);
    const sentAt = options.clock();
    let response: AxiosResponse;
    let data: unknown;
    try {
      response = await this.bare.request({
        ...buildTokenRequest(options, grant, url, extras),
        ...inherited,
        timeout: timeoutMs,
        signal: deadline.signal,
        ...noRedirects(fetchOptions),
        // Enforced below on every adapter (some ignore it, others would hide the status).
        maxContentLength: -1,
        responseType: 'stream',
        transformRequest: [(body: unknown) => body],
        transformResponse: [(body: unknown) => body],
        validateStatus: () => true,
        oauth2: { skip: true },
      });
      if (isRedirect(response.status)) {
        discardBody(response.data);
        const { status, statusText } = response;
        const failure: TokenFailure = {
          kind: 'permanent',
          status,
          statusText,
          headers: this.headersOf(response, grant, extras),
        };
        return { kind: 'failure', failure };
      }
      data = await readLimited(response.data, limit, deadline.signal, declaredLength(response));
    } catch (error) {
      const cause = deadline.expired ? deadlineError(timeoutMs) : error;
      return {
        kind: 'failure',
        failure: { kind: 'transient', cause: safeCause(cause, grantSecrets(options, grant, extras)) },
      };
    } finally {
      deadline.clear();
    }
    const { status, statusText } = response;
    extras?.onHeaders?.(url, response.headers);
    // What an error may show of the answer's headers (scrubbed): made only for an error.
    const headers = () => this.headersOf(response, grant, extras);
    if (data === TOO_LARGE) {
      if (status >= 200 && status < 300) {
        const error = new InvalidTokenResponseError(
          'body',
          `Invalid token response: the body is larger than maxTokenResponseBytes (${limit} bytes)`,
          { status, response: { status, statusText, headers: headers(), data: undefined } },
        );
        return { kind: 'invalid', error };
      }
      data = undefined; // an error status classifies the failure alone
    }
    let result;
    try {
      result = parseTokenResponse(
        status,
        data,
        {
          contentType: headerValue(response.headers, 'content-type'),
          retryAfter: headerValue(response.headers, 'retry-after'),
        },
        sentAt,
        options.acceptTokenTypes,
        options.defaultTokenLifetimeMs,
      );
    } catch (error) {
      // The parser throws what is not a token response; here it becomes a result like any other outcome.
      if (!(error instanceof InvalidTokenResponseError)) throw error;
      const body = (error as { body?: unknown }).body;
      const invalid = new InvalidTokenResponseError(error.field, error.message, {
        status,
        body,
        response: { status, statusText, headers: headers(), data: body },
      });
      return { kind: 'invalid', error: invalid };
    }
    if ('failure' in result) return { kind: 'failure', failure: { ...result.failure, statusText, headers: headers() } };
    return { kind: 'token', token: result.token };
  }

  /** The discovered token endpoint (discovery code loaded on first use), or why there is none. */
  private async discoveredEndpoint(
    transport: Parameters<Discovery['tokenEndpoint']>[0],
  ): Promise<string | DiscoveryError> {
    return (await this.discovery()).tokenEndpoint(transport);
  }

  /** The token response's headers as an error may show them: no credential header, no grant secret. */
  private headersOf(response: AxiosResponse, grant: GrantParams, extras?: AttemptExtras): Record<string, string> {
    return safeHeaders(response.headers, grantSecrets(this.options, grant, extras));
  }
}
