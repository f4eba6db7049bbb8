import { sleep } from '../util/abort';
import { parseRetryAfter, retryDelayMs } from '../policy/backoff';
import {
  AssertionSourceError,
  GrantParametersError,
  type OAuth2Error,
  InvalidTokenResponseError,
  TokenEndpointError,
  type ErrorResponse,
} from '../errors';
import { emit } from '../events/hooks';
import type { Secrets } from '../security/secrets';
import { requestSecrets } from './request-secrets';
import type { StoredToken } from '../store/token-store';
import type { Lifecycle } from '../util/lifecycle';
import { isRedirect, type EndpointExchange, type ExchangeResult } from './endpoint-exchange';
import { mainGrant, type GrantParams } from './token-request';
import { attemptExtras } from './attempt-extras';
import type { TokenFailure } from './token-response';
import type { RequestTransport } from '../http/transport';
import type { ResolvedOptions } from '../options/validate-options';

/**
 * What one renewal produced, every outcome a value (the pipeline's one error channel, see
 * `ExchangeResult`): only `TokenCache` throws.
 * - `token`: a token, and the grant that gave it;
 * - `lockout`: the endpoint reported a lockout; the cache opens the cool-down;
 * - `failed`: the renewal failed for good: a {@link TokenEndpointError} (permanent, or transient with
 *   the retries spent) or an {@link InvalidTokenResponseError}, scrubbed of the grant's secrets, ready
 *   to be thrown;
 * - `discovery`: the endpoint source (`discover(issuer)`) found no token endpoint: no token request
 *   was made; not retried here, the discovery has its own back-off.
 *
 * Cancellation by `detach()` is not an outcome: the runner rejects with `DetachedError`.
 */
export type GrantOutcome =
  | { kind: 'token'; token: StoredToken; grant: GrantParams['grant_type'] }
  | { kind: 'lockout'; failure: TokenFailure }
  | { kind: 'failed'; error: TokenEndpointError | InvalidTokenResponseError | GrantParametersError | OAuth2Error }
  | { kind: 'discovery'; error: OAuth2Error };

/** The token endpoint's answer behind a failure (already scrubbed), as `error.response`; none without one. */
export function failureAnswer(failure: TokenFailure): ErrorResponse | undefined {
  if (failure.status === undefined) return undefined;
  const { status, statusText = '', headers = {}, body } = failure;
  return { status, statusText, headers, data: body };
}

function describeFailure(f: TokenFailure & { cause?: Error }): string {
  if (f.status === undefined) return `the token endpoint could not be reached (${f.cause?.message ?? 'network error'})`;
  if (isRedirect(f.status)) {
    const what = f.status === 0 ? 'an opaque redirect (status 0)' : `a redirect (HTTP ${f.status})`;
    return `the token endpoint answered ${what}; token requests never follow redirects`;
  }
  const code = f.error ? `${f.error} (HTTP ${f.status})` : `HTTP ${f.status}`;
  return `the token endpoint answered ${code}${f.errorDescription ? `: ${f.errorDescription}` : ''}`;
}

/** `error` with its message, stack and body scrubbed of `secrets` (a server may echo them in a 2xx too). */
function scrubbedInvalidResponse(error: InvalidTokenResponseError, secrets: Secrets): InvalidTokenResponseError {
  const body = (error as { body?: unknown }).body;
  return new InvalidTokenResponseError(error.field, secrets.scrub(error.message), {
    status: error.status,
    body: secrets.scrubDeep(body),
    response: error.response && secrets.scrubDeep(error.response),
  });
}

/**
 * Errors on a refresh-token grant that the main grant answers: `invalid_grant` (this refresh token is
 * dead), and the two that refuse the grant itself, after which refresh tokens are not tried again.
 */
const REFRESH_FALLBACK_ERRORS = new Set(['invalid_grant', 'unsupported_grant_type', 'unauthorized_client']);

/** The error code of a failed refresh grant that the main grant answers (see {@link REFRESH_FALLBACK_ERRORS}), else undefined. */
function refreshRefusal(error: OAuth2Error): string | undefined {
  const code = error instanceof TokenEndpointError ? error.error : undefined;
  return code !== undefined && REFRESH_FALLBACK_ERRORS.has(code) ? code : undefined;
}

/**
 * On a refresh grant `unauthorized_client` means "not authorized to use this grant type" (RFC 6749
 * §5.2), not Mangopay's lockout: a permanent failure, answered by the main grant, where a real lockout
 * shows again. A 423 or 429 is about the account or the rate, whatever the grant: still a lockout.
 */
function classifyForGrant(failure: TokenFailure, grant: GrantParams): TokenFailure {
  const refusal =
    grant.grant_type === 'refresh_token' &&
    failure.error === 'unauthorized_client' &&
    failure.status !== 423 &&
    failure.status !== 429;
  return refusal ? { ...failure, kind: 'permanent' } : failure;
}

/**
 * Runs grants against the token endpoint: the refresh-token grant first when a refresh token is
 * held (falling back to the main grant on `invalid_grant`, `unsupported_grant_type` or `unauthorized_client`), bounded retries with backoff for
 * transient failures, no retry for permanent ones, and lockouts handed back to the caller. Every
 * outcome is returned as a {@link GrantOutcome}, never thrown.
 */
export class GrantRunner {
  private readonly client: EndpointExchange;
  /** The server refused the refresh grant for this client: later refresh tokens are not tried. */
  private refreshGrantRefused = false;

  constructor(
    client: EndpointExchange,
    private readonly options: ResolvedOptions,
    /** Closed by `detach()`: the retry sleeps stop and no further attempt is made. */
    private readonly lifecycle?: Lifecycle,
  ) {
    this.client = client;
  }

  /** One renewal; `transport`: the settings of the request that needed it (see {@link RequestTransport}). */
  async fetch(refreshToken: string | undefined, transport?: RequestTransport): Promise<GrantOutcome> {
    if (refreshToken !== undefined && !this.refreshGrantRefused) {
      const outcome = await this.run({ grant_type: 'refresh_token', refresh_token: refreshToken }, transport);
      // RFC 6749 §6: keep the old refresh token unless a new one was issued.
      if (outcome.kind === 'token' && outcome.token.refreshToken === undefined)
        outcome.token.refreshToken = refreshToken;
      const refused = outcome.kind === 'failed' ? refreshRefusal(outcome.error) : undefined;
      if (refused === undefined) return outcome;
      if (refused !== 'invalid_grant') this.refreshGrantRefused = true;
    }
    return this.run(mainGrant(this.options), transport);
  }

  private async run(grant: GrantParams, transport: RequestTransport | undefined): Promise<GrantOutcome> {
    const { options } = this;
    for (let attempt = 1; ; attempt++) {
      // What this attempt must scrub: the grant's credentials, then whatever it sends (a fresh client
      // assertion, a custom grant's parameters, computed again for every request, DPoP proofs).
      const secrets = requestSecrets(options, grant);
      const extras = (signal: AbortSignal) => attemptExtras(options, grant, signal, secrets);
      let result: ExchangeResult;
      try {
        result = await this.client.request(grant, this.lifecycle?.signal, transport, { secrets, extras });
      } catch (error) {
        if (this.lifecycle?.aborted) throw this.lifecycle.canceledError();
        const notSent = error instanceof GrantParametersError || error instanceof AssertionSourceError;
        if (notSent) emit(options.hooks, 'onTokenEndpointFailure', { kind: 'not_sent', attempt, willRetry: false });
        if (error instanceof GrantParametersError) return { kind: 'failed', error };
        throw error;
      }
      if (result.kind === 'token') return { kind: 'token', token: result.token, grant: grant.grant_type };
      if (result.kind === 'discovery') return result;
      if (result.kind === 'invalid') {
        emit(options.hooks, 'onTokenEndpointFailure', {
          kind: 'invalid_response',
          status: result.error.status,
          attempt,
          willRetry: false,
        });
        return { kind: 'failed', error: scrubbedInvalidResponse(result.error, secrets) };
      }
      if (this.lifecycle?.aborted) throw this.lifecycle.canceledError();
      // Everything the server said may echo the credentials: scrubbed before any of it is kept or shown.
      const failure = secrets.scrubDeep(classifyForGrant(result.failure, grant));
      const willRetry = failure.kind === 'transient' && attempt <= options.retries;
      emit(options.hooks, 'onTokenEndpointFailure', {
        kind: failure.kind,
        error: failure.error,
        status: failure.status,
        attempt,
        willRetry,
      });
      if (failure.kind === 'lockout') return { kind: 'lockout', failure };
      if (!willRetry) return { kind: 'failed', error: this.toError(failure, grant, attempt, secrets) };
      const retryAfter = parseRetryAfter(failure.retryAfter, options.clock());
      const delay =
        retryAfter !== undefined
          ? Math.min(retryAfter, options.maxDelayMs)
          : retryDelayMs(attempt, options.baseDelayMs, options.maxDelayMs, options.random());
      await sleep(delay, this.lifecycle);
    }
  }

  private toError(
    failure: TokenFailure & { cause?: Error },
    grant: GrantParams,
    attempts: number,
    secrets: Secrets,
  ): OAuth2Error {
    // The exchange already resent once on the sender constraint's challenge: this answer is final.
    const constrained = this.options.senderConstraint?.session?.challengeError('token_endpoint', failure, {
      response: failureAnswer(failure),
    });
    if (constrained) return constrained;
    // The failure's fields were scrubbed already; the message also holds the transport error's text.
    const transient = failure.kind === 'transient';
    const tries = transient && attempts > 1 ? ` after ${attempts} attempts` : '';
    const message = secrets.scrub(`${grant.grant_type} grant failed${tries}: ${describeFailure(failure)}`);
    return new TokenEndpointError(
      message,
      {
        error: failure.error,
        errorDescription: failure.errorDescription,
        errorUri: failure.errorUri,
        status: failure.status,
        transient,
        attempts,
      },
      { cause: failure.cause, body: failure.body, response: failureAnswer(failure) },
    );
  }
}
