import axios, {
  AxiosHeaders,
  isAxiosError,
  type AxiosInstance,
  type AxiosError,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { ReplayNotPossibleError } from './errors';
import { emit } from './hooks';
import { redactAxiosError } from './redact-axios-error';
import { copyResponseInterceptorsBefore } from './interceptors-before';
import { isReplayableBody } from './replayable';
import { releaseBody } from './release-body';
import { injectedAuthorization, injectedMarker, markInjected } from './sent-tokens';
import type { TokenSource } from './token-source';
import type { ResolvedOptions } from './validate-options';
import './request-options';

const keepBody = (data: unknown) => data;

function pathOf(config: InternalAxiosRequestConfig): string {
  return (config.url ?? '').split('?')[0];
}

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
export function createResponseInterceptor(instance: AxiosInstance, source: TokenSource, options: ResolvedOptions) {
  async function replay(config: InternalAxiosRequestConfig, token: string): Promise<AxiosResponse> {
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
    markInjected(replayConfig, injectedMarker(authorization));
    const replayClient = axios.create();
    copyResponseInterceptorsBefore(instance, replayOnRejection, replayClient);
    try {
      return await replayClient.request(replayConfig);
    } catch (error) {
      // axios copies the config it sends (older versions without the marker): the replay's header is known here.
      if (isAxiosError(error)) redactAxiosError(error, authorization);
      throw error;
    }
  }

  async function replayOnRejection(error: unknown): Promise<AxiosResponse> {
    if (!isAxiosError(error)) throw error;
    const config = error.config;
    const injected = config && injectedAuthorization(config);
    // Every axios error leaves the plugin safe to log, whoever set its Authorization header.
    redactAxiosError(error, injected);
    if (!config || injected === undefined) throw error;
    const rejected = injected.slice('Bearer '.length);
    if (config.oauth2?.replayed || !options.isTokenRejected(error as AxiosError)) throw error;
    if (!isReplayableBody(config.data)) {
      // No replay, but the rejected token is still dropped and renewed (the shared flight), so the
      // caller's retry with a fresh body gets a new token instead of the same 401. Failures surface there.
      source.renewAfterRejection(rejected).catch(() => undefined);
      throw new ReplayNotPossibleError(
        'The token was rejected (401) but the request body is a stream, which cannot be sent twice; retry the request with a fresh body',
        { cause: error },
      );
    }
    // The rejected response is dropped: free its connection before the token fetch and the replay need one.
    releaseBody(error.response);
    const { token, fetched } = await source.renewAfterRejection(rejected, config.signal);
    emit(options.hooks, 'onRequestReplayed', {
      method: (config.method ?? 'get').toUpperCase(),
      url: pathOf(config),
      fetched,
    });
    return replay(config, token.accessToken);
  }

  return replayOnRejection;
}
