import type { AxiosResponse } from 'axios';
import type { BoundSenderConstraint } from '../contracts/sender-constraint';

/**
 * A sender constraint: the response interceptor's fulfilled side, showing every response to the
 * constraint (a DPoP server may rotate its nonce on any answer) before `handler` runs. Registered
 * only with a constraint, so an attachment without one pays nothing per response.
 */
export function notingResponses<R>(
  handler: (response: AxiosResponse) => R,
  constraint: BoundSenderConstraint,
): (response: AxiosResponse) => R {
  return (response) => {
    constraint.session?.noteResponse(response.config ?? {}, response.headers);
    return handler(response);
  };
}
