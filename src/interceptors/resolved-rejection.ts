import { AxiosError, type AxiosResponse } from 'axios';
import { ReplayNotPossibleError } from '../errors';
import type { TokenEntries } from '../token/token-entries';
import '../http/request-options';

/** The same 401, as the error the response interceptor's rejected side would have received. */
export function responseAsError(response: AxiosResponse): AxiosError {
  return new AxiosError(
    `Request failed with status code ${response.status}`,
    AxiosError.ERR_BAD_REQUEST,
    response.config,
    response.request,
    response,
  );
}

/**
 * The response interceptor's fulfilled side. A `validateStatus` that accepts 4xx turns a 401 into a
 * resolved response; without this, a rejected token would never be renewed. A 401 goes through the
 * same check as on the rejected side (`onRejected`): when it means "token rejected", the token is
 * renewed and the request replayed once, and the replay's response is returned; otherwise the 401
 * response is returned as it came. Any other status costs one comparison (and tells the rejection
 * breaker that the API accepted the token).
 */
export function createResolvedRejectionHandler(
  onRejected: (error: unknown) => Promise<AxiosResponse>,
  entries: Pick<TokenEntries, 'accepted'>,
): (response: AxiosResponse) => AxiosResponse | Promise<AxiosResponse> {
  async function replayResolved(response: AxiosResponse): Promise<AxiosResponse> {
    const error = responseAsError(response);
    try {
      return await onRejected(error);
    } catch (failure) {
      // Not a token rejection, or no replay possible (a stream body; the renewal still started):
      // the caller asked to receive 4xx as responses.
      if (failure === error || failure instanceof ReplayNotPossibleError) return response;
      throw failure;
    }
  }

  return function onFulfilled(response) {
    if (response.status !== 401) {
      entries.accepted(response.config);
      return response;
    }
    return replayResolved(response);
  };
}
