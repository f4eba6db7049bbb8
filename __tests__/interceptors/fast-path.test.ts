/**
 * `registerFastPath` (src/interceptors/fast-path.ts) against a recording interceptor manager: the
 * part of its contract that axios 1.x never exercises (`fast-path-axios.test.ts` pins what axios does).
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { registerFastPath, type FastPathRoute } from '../../src/interceptors/fast-path';

type Config = InternalAxiosRequestConfig;
interface Registered {
  runWhen?: ((config: Config) => boolean) | null;
}

function manager() {
  const registered: Registered[] = [];
  return {
    registered,
    use: (_fulfilled: unknown, _rejected: unknown, options?: Registered) => registered.push(options ?? {}) - 1,
    eject: () => undefined,
  };
}

const config = () => ({ headers: {} }) as Config;

test('the async interceptor asked alone, for a config the sync one never saw, asks route itself', () => {
  const interceptors = manager();
  const route = jest.fn<FastPathRoute, [Config]>(() => 'async');
  registerFastPath(
    interceptors,
    route,
    (c) => c,
    (c) => c,
  );
  const [, asyncSide] = interceptors.registered;
  const alone = config();
  expect(asyncSide.runWhen?.(alone)).toBe(true);
  expect(route.mock.calls).toEqual([[alone]]);
});

test('asked in order for one config, route runs once and only the side it chose runs', () => {
  const interceptors = manager();
  const route = jest.fn<FastPathRoute, [Config]>(() => 'async');
  registerFastPath(
    interceptors,
    route,
    (c) => c,
    (c) => c,
  );
  const [syncSide, asyncSide] = interceptors.registered;
  const one = config();
  expect([syncSide.runWhen?.(one), asyncSide.runWhen?.(one)]).toEqual([false, true]);
  expect(route).toHaveBeenCalledTimes(1);
});
