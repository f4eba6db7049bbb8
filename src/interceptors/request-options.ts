/** Per-request options and state, under the `oauth2` key of an axios request config. */
export interface OAuth2RequestOptions {
  /**
   * Send this request without a bearer token (and never refresh for it). The plugin sets it on its
   * own token requests, so a `tokenHttpClient` with the plugin attached sends them as they are.
   */
  skip?: boolean;
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
