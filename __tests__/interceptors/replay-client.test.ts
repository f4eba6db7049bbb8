/**
 * `copyResponseInterceptorsBefore` (src/interceptors/replay-client.ts) on real axios instances: what
 * the replay client receives, read back through the manager's own `forEach`.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { copyResponseInterceptorsBefore } from '../../src/interceptors/replay-client';

interface Handler {
  fulfilled?: unknown;
  rejected?: unknown;
}

function handlersOf(instance: AxiosInstance): Handler[] {
  const handlers: Handler[] = [];
  (instance.interceptors.response as unknown as { forEach(fn: (h: Handler) => void): void }).forEach((h) =>
    handlers.push({ fulfilled: h.fulfilled, rejected: h.rejected }),
  );
  return handlers;
}

const own = (error: unknown) => error;
const first = { fulfilled: (r: AxiosResponse) => r, rejected: (e: unknown) => e };
const fulfilledOnly = (r: AxiosResponse) => r;
const after = (r: AxiosResponse) => r;

test('the handlers before the plugin’s are copied in order with both their sides; the plugin’s and later ones are not', () => {
  const instance = axios.create();
  instance.interceptors.response.use(first.fulfilled, first.rejected);
  const ejected = instance.interceptors.response.use(fulfilledOnly);
  instance.interceptors.response.use(fulfilledOnly);
  instance.interceptors.response.eject(ejected);
  instance.interceptors.response.use(undefined, own);
  instance.interceptors.response.use(after);
  const target = axios.create();
  copyResponseInterceptorsBefore(instance, own, target);
  expect(handlersOf(target)).toEqual([
    { fulfilled: first.fulfilled, rejected: first.rejected },
    { fulfilled: fulfilledOnly, rejected: undefined },
  ]);
});

test('the plugin’s handler first: nothing to copy', () => {
  const instance = axios.create();
  instance.interceptors.response.use(undefined, own);
  instance.interceptors.response.use(after);
  const target = axios.create();
  copyResponseInterceptorsBefore(instance, own, target);
  expect(handlersOf(target)).toEqual([]);
});

test('the plugin’s handler not found (ejected meanwhile): nothing is copied', () => {
  const instance = axios.create();
  instance.interceptors.response.use(first.fulfilled, first.rejected);
  const target = axios.create();
  copyResponseInterceptorsBefore(instance, own, target);
  expect(handlersOf(target)).toEqual([]);
});

test('a manager without forEach (not axios 1.x): nothing is copied, nothing thrown', () => {
  const instance = { interceptors: { response: { use: jest.fn() } } } as unknown as AxiosInstance;
  const target = axios.create();
  expect(() => copyResponseInterceptorsBefore(instance, own, target)).not.toThrow();
  expect(handlersOf(target)).toEqual([]);
});
