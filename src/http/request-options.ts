/**
 * Per-request options and state, under the `oauth2` key of an axios request config. Any other key (a
 * typo such as `resorce`), a value of the wrong type (`skip: 'false'`) or an `oauth2` that is not an
 * object rejects the request with `OAuth2RequestOptionsError` before anything is sent.
 */
export interface OAuth2RequestOptions {
  /**
   * Send this request without a bearer token (and never refresh for it). The plugin sets it on its
   * own token requests, so a `tokenHttpClient` with the plugin attached sends them as they are.
   */
  skip?: boolean;
  /**
   * Space-separated scopes of the token this request is sent with (over its origin's and the
   * attachment's `scope`). Order and repeated whitespace do not matter. Each distinct (scope,
   * resource) pair has its own cached token, up to `maxCachedTokens` such pairs per attachment.
   */
  scope?: string;
  /**
   * RFC 8707 resource indicator of the token this request is sent with (over its origin's and the
   * attachment's `resource`), sent as `resource` in the token request.
   */
  resource?: string;
  /**
   * Many tenants: the tenant this request is sent for (an attachment with the `tenants` option): its
   * credentials and token are used. Refused (`OAuth2RequestOptionsError`) on an attachment without
   * `tenants`.
   */
  tenant?: string;
  /**
   * Token exchange (`grant: tokenExchange(…)` from `axios-oauth2-bearer/token-exchange`): the subject
   * token (e.g. the incoming user's access token) this request's token is exchanged for; each subject
   * has its own cached token. A secret: never shown, never a key. Refused on other attachments.
   */
  subjectToken?: string;
  /**
   * When `subjectToken` expires (epoch ms on the plugin's clock), for an opaque subject token (a JWT's
   * own `exp` is read): the exchanged token is never used past it.
   */
  subjectTokenExpiresAt?: number;
  /** Set by the plugin: the `Authorization` header was injected by it (so it may be replaced on a retry). */
  readonly injected?: boolean;
  /** Set by the plugin: this request is the one replay after a token rejection. */
  readonly replayed?: boolean;
  /** Set by the plugin: this request is the one resend after a DPoP nonce challenge from the API. */
  readonly dpopNonceRetried?: boolean;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** axios-oauth2-bearer per-request options, e.g. `{ oauth2: { skip: true } }`. */
    oauth2?: OAuth2RequestOptions;
  }
}
