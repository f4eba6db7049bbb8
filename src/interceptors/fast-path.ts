import type { AxiosInterceptorManager, InternalAxiosRequestConfig } from 'axios';

/** Which of the two interceptors of {@link registerFastPath} a request takes: neither, the synchronous one, or the asynchronous one. */
export type FastPathRoute = 'none' | 'sync' | 'async';

type Config = InternalAxiosRequestConfig;

/**
 * Registers one request-side job as two interceptors of which axios runs at most one per request:
 * `sync` (registered `synchronous: true`, so axios keeps its synchronous request path when no other
 * interceptor needs a promise: the hot path costs no microtask) and `async` (may return a promise).
 * `route` decides, once per request, which one runs.
 *
 * The coupling, kept here and nowhere else: axios (every 1.x; pinned by
 * `__tests__/interceptors/fast-path-axios.test.ts`) calls the `runWhen` of every request interceptor in
 * registration order, with the same config object, before it runs any of them. So the first
 * `runWhen` asks `route` and remembers the answer for that config; the second one, asked next with
 * the same config, reuses it (or asks `route` itself for a config it has not seen, should an axios
 * ever call it alone). `route` therefore runs once per request, and the two can never both run.
 *
 * @returns a function that ejects both interceptors.
 */
export function registerFastPath(
  interceptors: Pick<AxiosInterceptorManager<Config>, 'use' | 'eject'>,
  route: (config: Config) => FastPathRoute,
  sync: (config: Config) => Config,
  async: (config: Config) => Config | Promise<Config>,
): () => void {
  let decidedFor: Config | undefined;
  let decided: FastPathRoute = 'none';
  const syncId = interceptors.use(sync, undefined, {
    synchronous: true,
    runWhen(config) {
      decidedFor = config;
      decided = route(config);
      return decided === 'sync';
    },
  });
  const asyncId = interceptors.use(async, undefined, {
    runWhen(config) {
      const chosen = decidedFor === config ? decided : route(config);
      decidedFor = undefined;
      return chosen === 'async';
    },
  });
  return () => {
    interceptors.eject(syncId);
    interceptors.eject(asyncId);
  };
}
