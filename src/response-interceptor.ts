import {
  isAxiosError,
  type AxiosError,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { ReplayNotPossibleError } from './errors';
import { emit } from './hooks';
import { redactAxiosError } from './redact-axios-error';
import { isReplayableBody } from './replayable';
import type { SentTokens } from './request-interceptor';
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
 */
export function createResponseInterceptor(
  instance: AxiosInstance,
  source: TokenSource,
  options: ResolvedOptions,
  sent: SentTokens,
) {
  return async function replayOnRejection(error: unknown): Promise<AxiosResponse> {
    if (!isAxiosError(error) || !error.config) throw error;
    const config = error.config;
    const rejected = sent.get(config);
    if (rejected === undefined) throw error;
    redactAxiosError(error);
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
    const { fetched } = await source.renewAfterRejection(rejected, config.signal);
    emit(options.hooks, 'onRequestReplayed', {
      method: (config.method ?? 'get').toUpperCase(),
      url: pathOf(config),
      fetched,
    });
    // transformRequest already ran: config.data holds the encoded body, to be sent as is.
    return instance.request({ ...config, oauth2: { ...config.oauth2, replayed: true }, transformRequest: [keepBody] });
  };
}
