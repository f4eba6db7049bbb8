import type { AxiosResponse } from 'axios';
import type { DPoPBinding } from './dpop-binding';

/**
 * DPoP: the response interceptor's fulfilled side, noting the `DPoP-Nonce` of every response (a
 * server may rotate its nonce on any answer) before `handler` runs. Registered only with DPoP on.
 */
export function notingNonces<R>(
  handler: (response: AxiosResponse) => R,
  dpop: DPoPBinding,
): (response: AxiosResponse) => R {
  return (response) => {
    dpop.session?.noteNonce(response.config ?? {}, response.headers);
    return handler(response);
  };
}
