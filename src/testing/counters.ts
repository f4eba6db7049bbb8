/**
 * Live counters kept by the embedded auth server. Every field is updated in
 * place, so a reference obtained once keeps reflecting the current state.
 *
 * Invariant once every token call has been answered:
 * `tokenCalls === tokenSuccesses + tokenFailures + tokenFaults`.
 */
export interface AuthCounters {
  /** Requests that reached a token endpoint (Mangopay `/oauth/token` or Musement `/login`), faulted ones included. Counted on arrival. */
  tokenCalls: number;
  /** Token calls answered with HTTP 200 and a fresh access token. */
  tokenSuccesses: number;
  /** Token calls answered with an OAuth error (4xx), lockout answers included. */
  tokenFailures: number;
  /** Token calls whose answer was replaced by an injected fault (`status`, `reset` or `hang`). */
  tokenFaults: number;
  /** Token calls slowed down by a `delay` fault (they are also counted as a success or a failure). */
  tokenDelays: number;
  /** Token calls rejected with `invalid_client` (wrong or missing client credentials); Mangopay ones count toward the lockout. */
  badCredentials: number;
  /** Times the account became locked (transitions into the locked state). */
  lockouts: number;
  /** Token calls refused with `unauthorized_client` because the account was locked. */
  lockedResponses: number;
  /** Musement `refresh_token` grant requests, accepted or not. */
  refreshGrants: number;
  /** Musement grants rejected with `invalid_grant` (unknown or already used refresh token, wrong user credentials). */
  invalidGrants: number;
  /** Requests to an API route (Mangopay `/v2.01/{clientId}/…`, `/V3.0/{clientId}/…` or Musement `/api/v3/…` except `/login`). */
  apiCalls: number;
  /** API calls answered with a 2xx status. */
  apiSuccesses: number;
  /** API calls answered with HTTP 401, for any reason (bad token or SCA). */
  api401: number;
  /** API calls answered 401 because the bearer token was missing, unknown, expired or revoked. */
  invalidTokens: number;
  /** API calls answered with the SCA `PendingUserAction` challenge (also counted in `api401`). */
  scaChallenges: number;
  /** API calls answered with HTTP 403. */
  api403: number;
  /** Musement calls rejected with 400 because `X-Musement-Application` was missing or wrong. */
  missingApplication: number;
  /** Requests to the revocation endpoint (`revocationUrl`), answered or refused. */
  revocationCalls: number;
  /** Live access tokens revoked through the revocation endpoint. */
  revokedTokens: number;
  /** Many clients: API calls refused (401) because the token was issued to another client than the route's. */
  wrongClientTokens: number;
}

/** Creates a counters object with every field at zero. */
export function createCounters(): AuthCounters {
  return {
    tokenCalls: 0,
    tokenSuccesses: 0,
    tokenFailures: 0,
    tokenFaults: 0,
    tokenDelays: 0,
    badCredentials: 0,
    lockouts: 0,
    lockedResponses: 0,
    refreshGrants: 0,
    invalidGrants: 0,
    apiCalls: 0,
    apiSuccesses: 0,
    api401: 0,
    invalidTokens: 0,
    scaChallenges: 0,
    api403: 0,
    missingApplication: 0,
    revocationCalls: 0,
    revokedTokens: 0,
    wrongClientTokens: 0,
  };
}

/** Sets every field of `counters` back to zero, in place. */
export function zeroCounters(counters: AuthCounters): void {
  const fresh = createCounters();
  for (const key of Object.keys(fresh) as (keyof AuthCounters)[]) {
    counters[key] = fresh[key];
  }
}
