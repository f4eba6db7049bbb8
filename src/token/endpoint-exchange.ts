import axios, { type AxiosInstance } from 'axios';
import { InvalidTokenResponseError } from '../errors';
import type { OAuth2Error } from '../errors';
import { headerValue } from '../util/headers';
import { raceSignal } from '../util/abort';
import { safeHeaders } from '../security/http-answer';
import type { Secrets } from '../security/secrets';
import { requestSecrets } from './request-secrets';
import { startDeadline } from '../http/deadline';
import { send, tooLarge } from '../http/send';
import { serverTransport, type ServerTransport } from '../http/server-transport';
import { buildTokenRequest, tokenRequestMethod, type AttemptExtras, type GrantParams } from './token-request';
import { clientCredentials } from './client-credentials';
import type { ClientCredentials } from '../contracts/client-auth';
import { parseTokenResponse, type TokenFailure } from './token-response';
import type { StoredToken } from '../store/token-store';
import type { RequestTransport } from '../http/transport';
import type { ResolvedOptions } from '../options/validate-options';
import type { EndpointResolver } from '../contracts/endpoint';
import type { ConstraintSession } from '../contracts/sender-constraint';

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
 * - `discovery`: the endpoint source (`discover(issuer)`) found no token endpoint: no token request was sent.
 */
export type ExchangeResult =
  | { kind: 'token'; token: StoredToken }
  | { kind: 'failure'; failure: TokenFailure & { cause?: Error } }
  | { kind: 'invalid'; error: InvalidTokenResponseError }
  | { kind: 'discovery'; error: OAuth2Error };

/**
 * Token exchange: a token issued for a subject is never used past the subject token's expiry
 * (`notAfter`), and its refresh token is dropped: a renewal exchanges the subject token again, so no
 * refresh token outlives its subject or serves another.
 */
function boundToSubject(token: StoredToken, notAfter: number | undefined): StoredToken {
  const expiresAt = notAfter === undefined ? token.expiresAt : Math.min(token.expiresAt ?? notAfter, notAfter);
  return { ...token, expiresAt, refreshToken: undefined };
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
    /** The attachment's one bare client, shared by its token entries (and tenants): none made per entry. */
    client?: AxiosInstance,
  ) {
    this.bare = options.tokenHttpClient ?? client ?? axios.create();
  }

  /**
   * One token request attempt, its outcome as an {@link ExchangeResult} (never thrown, but a
   * `GrantParametersError` from the attempt's extras). `signal` (the attachment's, aborted by
   * `detach()`) aborts it. `transport`: the settings of the request that needed the token, used over
   * the instance's defaults (not with `tokenHttpClient`).
   *
   * The attempt has one deadline (`tokenRequestTimeoutMs`) over everything it runs: the user's
   * callbacks (a custom grant's parameters, the client's credentials), each request and the DPoP nonce
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
      // An endpoint source (`discover(issuer)`): the attachment's one resolver, shared by its token entries.
      const found = await (options.endpoint as EndpointResolver).resolve({
        client: this.bare,
        transport: route,
        maxBytes: options.maxTokenResponseBytes,
        signal,
      });
      if (!found.ok) return { kind: 'discovery', error: found.error };
      url = found.endpoint.tokenEndpoint;
    }
    const endpoint = url;
    const deadline = startDeadline(route.timeoutMs, signal);
    const once = async (proof?: Pick<AttemptExtras, 'headersFor' | 'onHeaders'>): Promise<ExchangeResult> => {
      const made = attempt.extras ? await raceSignal(attempt.extras(deadline.signal), deadline.signal) : undefined;
      const extras = proof ? { params: {}, ...made, ...proof } : made;
      // The client's credentials, made for this request (a fresh assertion per request, retries included).
      const pending = clientCredentials(options, deadline.signal, attempt.secrets);
      const credentials = pending instanceof Promise ? await raceSignal(pending, deadline.signal) : pending;
      return this.exchange(grant, endpoint, route, deadline.signal, attempt.secrets, extras, credentials);
    };
    try {
      const constraint = options.senderConstraint;
      // A sender constraint: its headers (a DPoP proof) per request, and the one resend on its challenge.
      return constraint ? await this.constrained(await constraint.load(), once) : await once();
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
    credentials: ClientCredentials,
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
      credentials,
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
        options.subjectBinding?.checkResponse,
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
    const binding = options.subjectBinding;
    return { kind: 'token', token: binding ? boundToSubject(result.token, binding.notAfter) : result.token };
  }

  /**
   * One token request under a sender constraint: fresh headers for every request sent (a DPoP proof
   * with a new `jti` and the endpoint's last nonce), the answer's headers noted, and the
   * constraint's challenge (DPoP's `use_dpop_nonce`) answered by one more request. That resend is
   * part of the exchange: the grant runner sees only its outcome, so it is neither a retry, a
   * lockout step nor a cached failure. A second challenge is returned as the failure it is.
   */
  private async constrained(
    session: ConstraintSession,
    send: (extras: Pick<AttemptExtras, 'headersFor' | 'onHeaders'>) => Promise<ExchangeResult>,
  ): Promise<ExchangeResult> {
    const method = tokenRequestMethod(this.options.tokenRequestFormat);
    const extras = {
      headersFor: (url: string) => session.tokenRequestHeaders(method, url),
      onHeaders: (url: string, headers: unknown) => session.noteResponse(url, headers),
    };
    const first = await send(extras);
    return first.kind === 'failure' && session.isTokenEndpointChallenge(first.failure) ? send(extras) : first;
  }
}
