import type { AxiosInstance, AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { registerFastPath, type FastPathRoute } from '../../src/interceptors/fast-path';

/* eslint-disable @typescript-eslint/no-require-imports -- other copies of axios, loaded by path as an SDK does */
type AxiosCopy = Pick<AxiosStatic, 'create' | 'VERSION'>;
const copies: [string, AxiosCopy][] = [
  ['axios (newest)', require('axios') as AxiosCopy],
  ['axios 1.19 (alias)', require('axios-1.19') as AxiosCopy],
  ['axios 1.7 (alias)', require('axios-1.7') as AxiosCopy],
  [
    "the Mangopay SDK's own axios",
    require(require.resolve('axios', { paths: [require.resolve('mangopay4-nodejs-sdk')] })) as AxiosCopy,
  ],
];
// Another copy to check by hand, e.g. the lowest supported (1.2.0), which is not installed here:
// AXIOS_EXTRA_COPY=/dir/holding/node_modules/axios npx jest __tests__/interceptors/fast-path-axios.test.ts
const extra = process.env.AXIOS_EXTRA_COPY;
if (extra) copies.push([`axios from ${extra}`, require(require.resolve('axios', { paths: [extra] })) as AxiosCopy]);
/* eslint-enable @typescript-eslint/no-require-imports */

type Config = InternalAxiosRequestConfig;

/** An instance whose adapter answers 200 at once and records that it was called. */
function instanceOf(copy: AxiosCopy, events: string[]): AxiosInstance {
  return copy.create({
    adapter: (config) => {
      events.push('adapter');
      return Promise.resolve({ data: null, status: 200, statusText: 'OK', headers: {}, config });
    },
  });
}

describe.each(copies)('%s', (_name, copy) => {
  test('calls runWhen of the request interceptors in registration order, with the same config, before running any', async () => {
    const events: string[] = [];
    const seen: Config[] = [];
    const instance = instanceOf(copy, events);
    instance.interceptors.request.use((config) => (events.push('first ran'), config), undefined, {
      synchronous: true,
      runWhen: (config) => (events.push('first asked'), seen.push(config), true),
    });
    instance.interceptors.request.use((config) => (events.push('second ran'), config), undefined, {
      synchronous: true,
      runWhen: (config) => (events.push('second asked'), seen.push(config), true),
    });
    await instance.get('http://api.test/a');
    // Asked in registration order; run in reverse (axios unshifts request interceptors).
    expect(events).toEqual(['first asked', 'second asked', 'second ran', 'first ran', 'adapter']);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
  });

  test.each<[FastPathRoute, string[]]>([
    ['sync', ['route', 'sync', 'adapter']],
    ['async', ['route', 'async', 'adapter']],
    ['none', ['route', 'adapter']],
  ])('registerFastPath: route %s asks route once and runs at most one interceptor', async (choice, expected) => {
    const events: string[] = [];
    const instance = instanceOf(copy, events);
    registerFastPath(
      instance.interceptors.request,
      () => (events.push('route'), choice),
      (config) => (events.push('sync'), config),
      (config) => Promise.resolve().then(() => (events.push('async'), config)),
    );
    await instance.get('http://api.test/a');
    expect(events).toEqual(expected);
  });

  test('registerFastPath: the sync route keeps axios synchronous (the adapter is called before request() returns)', async () => {
    const events: string[] = [];
    const instance = instanceOf(copy, events);
    registerFastPath(
      instance.interceptors.request,
      () => 'sync',
      (config) => (events.push('sync'), config),
      (config) => (events.push('async'), config),
    );
    const pending = instance.get('http://api.test/a');
    events.push('returned');
    await pending;
    expect(events).toEqual(['sync', 'adapter', 'returned']);
  });

  test('registerFastPath: the returned function ejects both interceptors', async () => {
    const events: string[] = [];
    const instance = instanceOf(copy, events);
    const eject = registerFastPath(
      instance.interceptors.request,
      () => (events.push('route'), 'async'),
      (config) => (events.push('sync'), config),
      (config) => (events.push('async'), config),
    );
    eject();
    await instance.get('http://api.test/a');
    expect(events).toEqual(['adapter']);
  });
});
