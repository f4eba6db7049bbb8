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

const hasUse = (manager: unknown): boolean =>
  typeof manager === 'object' && manager !== null && typeof (manager as { use?: unknown }).use === 'function';

/**
 * Undefined when `value` has what {@link AxiosLike} needs at run time (`request`, and `use` on both
 * interceptor managers); else what it got instead, for the error message (`got undefined`, `got a
 * string`, `got an object without interceptors`…), never echoing a value.
 */
export function notAxiosLike(value: unknown): string | undefined {
  if (value === undefined || value === null) return `got ${value}`;
  if (Array.isArray(value)) return 'got an array';
  if (typeof value !== 'object' && typeof value !== 'function') {
    return `got a ${typeof value}`;
  }
  const kind = typeof value === 'function' ? 'a function' : 'an object';
  const { interceptors, request } = value as { interceptors?: unknown; request?: unknown };
  if (typeof interceptors !== 'object' || interceptors === null) {
    const candidate = value as Record<string, unknown>;
    const hint =
      'tokenUrl' in candidate || 'clientId' in candidate || 'issuer' in candidate
        ? ' (it looks like the options: pass the axios instance first)'
        : notAxiosLike(candidate.default) === undefined
          ? ' (a module namespace? pass its default export, or axios.create())'
          : '';
    return `got ${kind} without interceptors${hint}`;
  }
  const managers = interceptors as { request?: unknown; response?: unknown };
  const missing = [
    hasUse(managers.request) ? undefined : 'request.use',
    hasUse(managers.response) ? undefined : 'response.use',
  ].filter((m) => m !== undefined);
  if (missing.length > 0) return `got ${kind} whose interceptors lack ${missing.join(' and ')}`;
  if (typeof request !== 'function') return `got ${kind} without a request method`;
  return undefined;
}
