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
import { answerOf } from '../token/http-answer';
import { forRequest } from './request-error';
import { emit } from '../options/hooks';
import { redactAxiosError } from '../security/redact-axios-error';
import { copyResponseInterceptorsBefore } from './replay-client';
import { isReplayableBody } from './replayable';
import { responseAsError } from './resolved-rejection';
import { releaseBody } from './release-body';
import { injectedAuthorization, injectedMarker, markInjected } from './injected-marker';
import type { TokenEntries } from '../token/token-entries';
import type { TokenCache } from '../token/token-cache';
import type { ResolvedOptions } from '../options/validate-options';
import { pathOnly } from '../util/url';
import './request-options';

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
export function createResponseInterceptor(instance: AxiosInstance, entries: TokenEntries, options: ResolvedOptions) {
  async function replay(config: InternalAxiosRequestConfig, token: string, source: TokenCache): Promise<AxiosResponse> {
    const headers = AxiosHeaders.from(config.headers);
    const authorization = `Bearer ${token}`;
    headers.set('Authorization', authorization);
    const replayConfig = {
      ...config,
      headers,
      // An adapter may delete config.adapter once it ran (axios-mock-adapter does): take the instance's then.
      adapter: config.adapter ?? instance.defaults.adapter,
      oauth2: { ...config.oauth2, injected: true, replayed: true },
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
      if (isAxiosError(error)) redactAxiosError(error, authorization);
      throw replayFailure(error, token, source);
    }
    noteReplayResponse(response, token, source);
    return response;
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
    // Every axios error leaves the plugin safe to log, whoever set its Authorization header.
    redactAxiosError(error, injected);
    if (!config || injected === undefined) throw error;
    const rejected = injected.slice('Bearer '.length);
    // The entry (scope, resource) whose token this was: only its token is renewed, and the replay uses it.
    const source = entries.entryOf(config) ?? entries.defaultEntry;
    if (config.oauth2?.replayed || !options.isTokenRejected(error as AxiosError)) throw error;
    if (!isReplayableBody(config.data)) {
      // No replay, but the rejected token is still dropped and renewed (the shared flight), so the
      // caller's retry with a fresh body gets a new token instead of the same 401. Failures surface there.
      source.renewAfterRejection(rejected, [], undefined, config).catch(() => undefined);
      const notReplayed = new ReplayNotPossibleError(
        'The token was rejected (401) but the request body is a stream, which cannot be sent twice; retry the request with a fresh body',
        { cause: error },
      );
      throw forRequest(notReplayed, config, error.response && answerOf(error.response, [rejected]));
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
    return replay(config, token.accessToken, source);
  }

  return replayOnRejection;
}
