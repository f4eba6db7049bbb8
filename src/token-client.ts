import axios, { type AxiosInstance } from 'axios';
import { headerValue } from './headers';
import { safeCause } from './redact';
import { buildTokenRequest, grantSecrets, type GrantParams } from './token-request';
import { parseTokenResponse, type TokenFailure } from './token-response';
import type { StoredToken } from './stores/token-store';
import type { ResolvedOptions } from './validate-options';

/** Time-out of a token request when neither the option nor the attached instance sets one. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;

/** The result of one token request: a token, or a failure with a secret-free `cause` for transport errors. */
export type TokenAttempt = { token: StoredToken } | { failure: TokenFailure & { cause?: Error } };

/**
 * Sends token requests outside the attached instance's interceptors. Unless `tokenHttpClient` is
 * given, it uses a bare axios client with the attached instance's adapter, agents, proxy and
 * time-out, read at each request (so a mock adapter installed after attaching applies).
 */
export class TokenClient {
  private readonly bare: AxiosInstance;

  constructor(
    private readonly instance: AxiosInstance,
    private readonly options: ResolvedOptions,
  ) {
    this.bare = options.tokenHttpClient ?? axios.create();
  }

  /**
   * One token request; throws only `InvalidTokenResponseError` (a 2xx that is not a token).
   * `signal` (the attachment's, aborted by `detach()`) aborts the request.
   */
  async request(grant: GrantParams, signal?: AbortSignal): Promise<TokenAttempt> {
    const { options } = this;
    const defaults = this.instance.defaults;
    const inherited = options.tokenHttpClient
      ? {}
      : {
          adapter: defaults.adapter,
          httpAgent: defaults.httpAgent as unknown,
          httpsAgent: defaults.httpsAgent as unknown,
          proxy: defaults.proxy,
        };
    const sentAt = options.clock();
    let response;
    try {
      response = await this.bare.request({
        ...buildTokenRequest(options, grant),
        ...inherited,
        timeout: options.tokenRequestTimeoutMs ?? (defaults.timeout || DEFAULT_TOKEN_TIMEOUT_MS),
        maxRedirects: 0,
        responseType: 'text',
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      return { failure: { kind: 'transient', cause: safeCause(error, grantSecrets(options, grant)) } };
    }
    return parseTokenResponse(
      response.status,
      response.data,
      {
        contentType: headerValue(response.headers, 'content-type'),
        retryAfter: headerValue(response.headers, 'retry-after'),
      },
      sentAt,
    );
  }
}
