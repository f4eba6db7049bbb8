import { hide, OAuth2Error, type ErrorResponse } from '../errors';
import { noAnswer } from '../security/http-answer';
import { safeValue, showAs } from '../security/safe-view';

/**
 * The error an API request fails with when the plugin could not give it a token (a token-endpoint
 * failure, a lockout, a rejection cool-down, a detach) or could not replay it: a copy of the plugin
 * error for this request alone, shaped like an axios error so that code written for axios errors
 * (an SDK's catch reading `error.response.data`) keeps working:
 * - the same class (`instanceof`), `name`, `code`, `message`, `stack`, fields and `cause`;
 * - `config`: this request's config (shown as the safe view in `JSON.stringify`/`util.inspect`);
 * - `response`: the error's own (see `ErrorResponse`), else `answer`, else status 0 (no server answered);
 * - `isAxiosError: true`, so `axios.isAxiosError(error)` holds.
 * All three are non-enumerable: the JSON of the error stays what it was. The error shared by every
 * request waiting for one token fetch is not touched: each request gets its own copy.
 * Anything but a plugin error (an axios `CanceledError`) is returned as it is.
 */
export function forRequest(error: unknown, config: object, answer?: ErrorResponse): unknown {
  if (!(error instanceof OAuth2Error)) return error;
  const copy = new Error(error.message);
  Object.setPrototypeOf(copy, Object.getPrototypeOf(error) as object);
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  showAs(config, () => safeValue(config));
  hide(copy, 'config', config);
  // A copy per request too: an SDK may write to the response it is given (Mangopay's adds `body`).
  hide(copy, 'response', { ...(error.response ?? answer ?? noAnswer(error)) });
  hide(copy, 'isAxiosError', true);
  return copy;
}
