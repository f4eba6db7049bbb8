import axios, { type AxiosInstance } from 'axios';
import { InvalidTokenResponseError } from '../errors';
import type { DiscoveryError } from '../discovery/discovery-error';
import { headerValue } from '../util/headers';
import { raceSignal } from '../util/abort';
import { safeHeaders } from './http-answer';
import { requestSecrets, type Secrets } from '../security/secrets';
import { startDeadline } from '../http/deadline';
import { send, tooLarge } from '../http/send';
import { serverTransport, type ServerTransport } from '../http/server-transport';
import { buildTokenRequest, type AttemptExtras, type GrantParams } from './token-request';
import { parseTokenResponse, type TokenFailure } from './token-response';
import type { StoredToken } from '../store/token-store';
import type { RequestTransport } from '../http/transport';
import type { ResolvedOptions } from '../options/validate-options';
import type { Discovery } from '../discovery/discovery';
import { dpopExchange } from '../dpop/token-endpoint';

export { DEFAULT_TOKEN_TIMEOUT_MS } from '../http/server-transport';
export { isRedirect } from '../http/send';

/**
 * One attempt at the token endpoint: what it must scrub (grown by what it sends), and how it makes
 * its extras (fresh for each request it sends, the DPoP nonce retry included), under its signal.
 */
export interface Attempt {
  secrets: Secrets;
  extras?: (signal: AbortSignal) => Promise<AttemptExtras | undefined>;
}

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
 * Sends token requests outside the attached instance's interceptors. Unless `tokenHttpClient` is
 * given, it uses a bare axios client with the adapter, agents, fetch options and proxy of the request
 * that needed the token (see {@link RequestTransport}), else of the attached instance's defaults,
 * read at each request (so a mock adapter installed after attaching applies), and the instance's time-out.
 *
 * Every request goes through the one path to the authorization server (`send` in `src/http/send.ts`):
 * no redirect followed (a 3xx is a permanent failure), an overall deadline, the body read as a
 * stream up to `maxTokenResponseBytes`, marked `oauth2.skip`, transport errors scrubbed.
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
   * One token request attempt, its outcome as an {@link ExchangeResult} (never thrown, but a
   * `GrantParametersError` from the attempt's extras). `signal` (the attachment's, aborted by
   * `detach()`) aborts it. `transport`: the settings of the request that needed the token, used over
   * the instance's defaults (not with `tokenHttpClient`).
   *
   * The attempt has one deadline (`tokenRequestTimeoutMs`) over everything it runs: the user's
   * callbacks (a custom grant's parameters, a client assertion), each request and the DPoP nonce
   * retry. A callback still pending at the deadline fails the attempt as a time-out (transient).
   */
  async request(
    grant: GrantParams,
    signal?: AbortSignal,
    transport?: RequestTransport,
    attempt: Attempt = { secrets: requestSecrets(this.options, grant) },
  ): Promise<ExchangeResult> {
    const { options } = this;
    const route = serverTransport(this.instance, options, transport);
    let url = options.tokenUrl;
    if (url === undefined) {
      const found = await this.discoveredEndpoint({
        client: this.bare,
        transport: route,
        maxBytes: options.maxTokenResponseBytes,
        signal,
      });
      if (typeof found !== 'string') return { kind: 'discovery', error: found };
      url = found;
    }
    const endpoint = url;
    const deadline = startDeadline(route.timeoutMs, signal);
    const once = async (proof?: Pick<AttemptExtras, 'headersFor' | 'onHeaders'>): Promise<ExchangeResult> => {
      const made = attempt.extras ? await raceSignal(attempt.extras(deadline.signal), deadline.signal) : undefined;
      const extras = proof ? { params: {}, ...made, ...proof } : made;
      return this.exchange(grant, endpoint, route, deadline.signal, attempt.secrets, extras);
    };
    try {
      const { dpop } = options;
      // DPoP: a proof per request (and the one nonce retry) around the exchange.
      return dpop ? await dpopExchange(await dpop.load(), options, once) : await once();
    } catch (error) {
      if (!deadline.expired) throw error;
      const cause = attempt.secrets.safeCause(deadline.signal.reason);
      return { kind: 'failure', failure: { kind: 'transient', cause } };
    } finally {
      deadline.clear();
    }
  }

  private async exchange(
    grant: GrantParams,
    url: string,
    route: ServerTransport,
    signal: AbortSignal,
    secrets: Secrets,
    extras: AttemptExtras | undefined,
  ): Promise<ExchangeResult> {
    const { options } = this;
    const limit = options.maxTokenResponseBytes;
    // Headers made for this URL (a DPoP proof) are sent, so they are secrets of the attempt.
    const extraHeaders = extras?.headersFor?.(url);
    if (extraHeaders) secrets.add(...Object.values(extraHeaders));
    const request = buildTokenRequest(
      options,
      grant,
      url,
      extras && { ...extras, headersFor: () => extraHeaders ?? {} },
    );
    const sentAt = options.clock();
    const answer = await send(request, { client: this.bare, transport: route, maxBytes: limit, signal, secrets });
    if (answer.kind === 'unreachable') return { kind: 'failure', failure: { kind: 'transient', cause: answer.cause } };
    const { status, statusText } = answer;
    // What an error may show of the answer's headers (scrubbed): made only for an error.
    const headers = () => safeHeaders(answer.headers, secrets.list);
    if (answer.kind === 'redirect')
      return { kind: 'failure', failure: { kind: 'permanent', status, statusText, headers: headers() } };
    extras?.onHeaders?.(url, answer.headers);
    let data = answer.body;
    if (tooLarge(data)) {
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
          contentType: headerValue(answer.headers, 'content-type'),
          retryAfter: headerValue(answer.headers, 'retry-after'),
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
}
