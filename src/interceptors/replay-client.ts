import type { AxiosInstance, AxiosResponse } from 'axios';

/** One response interceptor as axios keeps it (`InterceptorManager.forEach` hands these out). */
interface ResponseHandler {
  fulfilled?: ((value: AxiosResponse) => AxiosResponse | Promise<AxiosResponse>) | null;
  rejected?: ((error: unknown) => unknown) | null;
}

interface IterableManager {
  forEach?: (fn: (handler: ResponseHandler | null) => void) => void;
}

/**
 * Copies onto `target` the response interceptors of `instance` registered before `own` (the
 * plugin's), in order. A replay then passes through exactly those: the ones after the plugin run
 * once, on the value the plugin returns, as for any other response. Without `forEach` (not an axios
 * 1.x InterceptorManager), none are copied.
 */
export function copyResponseInterceptorsBefore(
  instance: AxiosInstance,
  own: (error: unknown) => unknown,
  target: AxiosInstance,
): void {
  const manager = instance.interceptors.response as unknown as IterableManager;
  if (typeof manager.forEach !== 'function') return;
  const before: ResponseHandler[] = [];
  let found = false;
  manager.forEach((handler) => {
    if (!handler || found) return;
    if (handler.rejected === own) found = true;
    else before.push(handler);
  });
  if (!found) return;
  for (const h of before) {
    target.interceptors.response.use(h.fulfilled ?? undefined, h.rejected ?? undefined);
  }
}
