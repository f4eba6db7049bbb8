/**
 * How a request reaches its server: the settings a token request borrows from the request that
 * needed the token (an SDK may pass its client-certificate `httpsAgent` per request, never in the
 * instance's defaults). A request config is one as it is: nothing is copied on the request path.
 *
 * Precedence for a token request: `tokenHttpClient` (its own settings, nothing borrowed) > the
 * triggering request's settings (axios merged the instance's defaults into them already) > the
 * attached instance's defaults (a fetch with no request behind it: `getToken()`, `getAccessToken()`).
 */
export interface RequestTransport {
  // Typed loosely: the fields differ between axios versions (`fetchOptions` is 1.7+) and copies.
  adapter?: unknown;
  httpAgent?: unknown;
  httpsAgent?: unknown;
  proxy?: unknown;
  fetchOptions?: unknown;
}
