/* eslint-disable @typescript-eslint/no-explicit-any -- the shapes of another axios copy are not this copy's types */

/** An axios `InterceptorManager`, as the plugin uses it (any axios 1.x copy). */
export interface InterceptorManagerLike {
  use(onFulfilled?: ((value: any) => any) | null, onRejected?: ((error: any) => any) | null, options?: any): number;
  eject(id: number): void;
}

/**
 * What {@link attachOAuth2} needs of an axios object: an instance from `axios.create()` or the default
 * export, of this copy of axios or of another one (an SDK's own pinned or nested copy).
 * Typed structurally so that any axios 1.x copy type-checks; the per-request `oauth2` key is typed
 * by module augmentation of `'axios'`; for a copy under another module name, see the README
 * ("Another copy of axios").
 */
export interface AxiosLike {
  defaults: { baseURL?: string; timeout?: number; adapter?: any; httpAgent?: any; httpsAgent?: any; proxy?: any };
  interceptors: { request: InterceptorManagerLike; response: InterceptorManagerLike };
  request(config: any): Promise<any>;
}
