import axios, {
  AxiosHeaders,
  isAxiosError,
  type AxiosInstance,
  type AxiosError,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { cancelSignals } from '../util/abort';
import { OAuth2Error, ReplayNotPossibleError } from '../errors';
import { answerOf } from '../security/http-answer';
import { apiRequestSecrets, type Secrets } from '../security/secrets';
import { forRequest } from './request-error';
import { emit } from '../events/hooks';
import { redactAxiosError } from '../security/redact-axios-error';
import { copyResponseInterceptorsBefore } from './replay-client';
import { isReplayableBody } from './replayable';
import { responseAsError } from './resolved-rejection';
import { releaseBody } from './release-body';
import { injectedAuthorization, injectedMarker, markInjected } from '../http/injected-marker';
import type { AttachmentTokens } from '../token/attachment-tokens';
import type { TokenCache } from '../token/token-cache';
import type { ResolvedOptions } from '../options/validate-options';
import { pathOnly } from '../util/url';
import { tokenScheme } from '../token/token-scheme';
import type { ConstraintSession } from '../contracts/sender-constraint';
import '../http/request-options';

const keepBody = (data: unknown) => data;

/**
 * The response interceptor: when a request that carried the plugin's bearer is answered "token
 * rejected", it gets a token other than the rejected one (shared with every waiting request) and
 * replays the request once, byte for byte. Any other error goes to the caller, with the bearer redacted.
 *
 * The replay is sent as the first attempt went out (headers set by request interceptors, encoded body)
 * with only the bearer replaced, through a client of its own: request interceptors do not run again,
 * response interceptors registered before the plugin's (axios-retry, say) see the replay's outcome,
 * and those registered after it see it once, in this request's chain, instead of twice.
 */
export function createResponseInterceptor(
  instance: AxiosInstance,
  entries: AttachmentTokens,
  options: ResolvedOptions,
) {
  const constraint = options.senderConstraint;

  /**
   * Sends `config` again with `token` of `source` (in `scheme`; a `bound` token signed anew by the
   * sender constraint, e.g. a fresh DPoP proof). `flags`: which replay this is, the one after a token
   * rejection (`replayed`) or the one after the constraint's challenge (`dpopNonceRetried`); each
   * happens at most once per request.
   */
  async function replay(
    config: InternalAxiosRequestConfig,
    scheme: string,
    bound: boolean,
    token: string,
    source: TokenCache,
    flags: { replayed?: true; dpopNonceRetried?: true } = { replayed: true },
  ): Promise<AxiosResponse> {
    const headers = AxiosHeaders.from(config.headers);
    const authorization = `${scheme} ${token}`;
    headers.set('Authorization', authorization);
    if (bound) constraint?.session?.signRequest(config, headers, token);
    const replayConfig = {
      ...config,
      headers,
      // An adapter may delete config.adapter once it ran (axios-mock-adapter does): take the instance's then.
      adapter: config.adapter ?? instance.defaults.adapter,
      oauth2: { ...config.oauth2, injected: true, ...flags },
      // transformRequest already ran: config.data holds the encoded body, to be sent as is.
      transformRequest: [keepBody],
    };
    markInjected(replayConfig, injectedMarker(authorization, entries, source));
    const replayClient = axios.create();
    copyResponseInterceptorsBefore(instance, replayOnRejection, replayClient);
    let response: AxiosResponse;
    try {
      response = await replayClient.request(replayConfig);
    } catch (error) {
      if (isAxiosError(error)) {
        // A constraint's challenge after a rejection replay, or a rejection after a challenge replay, has its own turn.
        if (constraint && followsUp(error, replayConfig.oauth2)) return replayOnRejection(error);
        redactAxiosError(error, authorization);
      }
      throw replayFailure(error, token, source);
    }
    if (constraint) constraint.session?.noteResponse(replayConfig, response.headers);
    noteReplayResponse(response, token, source);
    return response;
  }

  /**
   * A sender constraint: whether a replay's error has a replay of the other kind still due (`done`:
   * the replays this request had; each kind happens at most once, a second challenge becomes the
   * constraint's error, a DPoPNonceError).
   */
  function followsUp(error: AxiosError, done: { replayed?: boolean }): boolean {
    const response = error.response;
    if (!response) return false;
    if (constraint?.session?.isApiChallenge(response.status, response.headers)) return true;
    return !done.replayed && rejectsToken(error);
  }

  /**
   * The sender constraint challenged the request (DPoP: 401 `DPoP error="use_dpop_nonce"`; the nonce
   * was noted). The request is sent once more with the same token, signed anew (a new proof carrying
   * the nonce); no token is renewed. A second challenge for the same request is the constraint's
   * error (a `DPoPNonceError`).
   */
  function replayOnChallenge(
    session: ConstraintSession,
    error: AxiosError,
    config: InternalAxiosRequestConfig,
    token: string,
    source: TokenCache,
    sent: Secrets,
  ): Promise<AxiosResponse> {
    const answer = error.response && answerOf(error.response, sent.list);
    const { name, scheme } = (constraint as NonNullable<typeof constraint>).constraint;
    if (config.oauth2?.dpopNonceRetried) {
      const again = session.challengeError(
        'api',
        { status: error.response?.status },
        { cause: error, response: answer },
      );
      throw forRequest(again ?? error, config);
    }
    if (!isReplayableBody(config.data)) {
      const notReplayed = new ReplayNotPossibleError(
        `The API asked for a ${name} nonce (401) but the request body is a stream, which cannot be sent twice; retry the request with a fresh body`,
        { cause: error },
      );
      throw forRequest(notReplayed, config, answer);
    }
    releaseBody(error.response);
    return replay(config, scheme, true, token, source, { dpopNonceRetried: true });
  }

  function rejectsToken(error: AxiosError): boolean {
    return error.response?.status === 401 && options.isTokenRejected(error);
  }

  /** The replay's fresh token was rejected too: tells the rejection breaker; the caller gets the replay's error. */
  function replayFailure(error: unknown, token: string, source: TokenCache): unknown {
    if (isAxiosError(error) && rejectsToken(error)) source.rejectedOnReplay(token, { status: 401, cause: error });
    return error;
  }

  /** A replay answered (a 401 resolves when `validateStatus` accepts it): tells the rejection breaker. */
  function noteReplayResponse(response: AxiosResponse, token: string, source: TokenCache): void {
    if (response.status !== 401) source.accepted(response.config);
    else if (rejectsToken(responseAsError(response))) source.rejectedOnReplay(token, { status: 401, response });
  }

  async function replayOnRejection(error: unknown): Promise<AxiosResponse> {
    // A plugin error shaped like an axios error (see forRequest) has been handled already.
    if (!isAxiosError(error) || error instanceof OAuth2Error) throw error;
    const config = error.config;
    const injected = config && injectedAuthorization(config, entries);
    // What the API may echo of what it was sent (the token, a DPoP proof), read before it is masked.
    const sent = apiRequestSecrets(injected?.slice(injected.indexOf(' ') + 1), config?.headers);
    // Every axios error leaves the plugin safe to log, whoever set its Authorization header.
    redactAxiosError(error, injected);
    if (!config || injected === undefined) throw error;
    const rejected = injected.slice(injected.indexOf(' ') + 1);
    // The entry (scope, resource) whose token this was: only its token is renewed, and the replay uses it.
    const source = entries.entryOf(config) ?? entries.defaultEntry;
    const session = constraint?.session;
    if (session && error.response) {
      session.noteResponse(config, error.response.headers);
      const challenged = session.isApiChallenge(error.response.status, error.response.headers);
      if (challenged && injected.startsWith(`${constraint.constraint.scheme} `))
        return replayOnChallenge(session, error, config, rejected, source, sent);
    }
    if (config.oauth2?.replayed || !options.isTokenRejected(error as AxiosError)) throw error;
    if (!isReplayableBody(config.data)) {
      // No replay, but the rejected token is still dropped and renewed (the shared flight), so the
      // caller's retry with a fresh body gets a new token instead of the same 401. Failures surface there.
      source.renewAfterRejection(rejected, [], undefined, config).catch(() => undefined);
      const notReplayed = new ReplayNotPossibleError(
        'The token was rejected (401) but the request body is a stream, which cannot be sent twice; retry the request with a fresh body',
        { cause: error },
      );
      throw forRequest(notReplayed, config, error.response && answerOf(error.response, sent.list));
    }
    // The rejected response is dropped: free its connection before the token fetch and the replay need one.
    releaseBody(error.response);
    const { token, fetched } = await source
      .renewAfterRejection(rejected, cancelSignals(config), { status: error.response?.status, cause: error }, config)
      .catch((failure: unknown) => {
        throw forRequest(failure, config);
      });
    emit(options.hooks, 'onRequestReplayed', {
      method: (config.method ?? 'get').toUpperCase(),
      url: pathOnly(config.url),
      fetched,
    });
    const { scheme, bound } = tokenScheme(token, constraint?.constraint);
    return replay(config, scheme, bound, token.accessToken, source);
  }

  return replayOnRejection;
}
