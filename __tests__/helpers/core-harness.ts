import axios, { AxiosHeaders, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachOAuth2, type OAuth2Handle, type OAuth2Options } from '../../src';

/** Helpers for the plugin-core tests (issue 2). Independent of harness.ts so it can evolve freely. */

export const CORE_TOKEN_URL = 'https://auth.example.com/oauth/token';
export const CORE_API_BASE = 'https://api.example.com/v2.01/client-1';
export const CORE_API_ORIGIN = 'https://api.example.com';
export const CORE_CLIENT_ID = 'client-1';
export const CORE_CLIENT_SECRET = 'sup3r-s3cret-api-key';
/** A fixed epoch (ms) the controllable clock starts at. */
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/** [status, body?, headers?] as axios-mock-adapter wants it. */
export type CoreReply = [number, unknown?, Record<string, string>?];
/** Answers one token request; may be async (e.g. a deferred answer). */
export type TokenHandler = (config: AxiosRequestConfig) => CoreReply | Promise<CoreReply>;

export interface ApiCall {
  method: string;
  url: string;
  /** The Authorization header the API saw, if any. */
  authorization: string | undefined;
  config: AxiosRequestConfig;
}

export interface Core {
  api: AxiosInstance;
  mock: MockAdapter;
  auth: OAuth2Handle;
  /** The time the plugin sees (when `useClock` is on, the default). */
  clock: { now: number };
  /** Every token request, in order. */
  tokenCalls: AxiosRequestConfig[];
  /** Every API request that reached the mock server, in order. */
  apiCalls: ApiCall[];
  /** Answers for the next token requests, used first; afterwards tokens `tok-N` are issued. */
  tokenQueue: Array<CoreReply | TokenHandler>;
  /** When set, the API answers 401 (Mangopay invalid_credentials) to any other bearer. */
  validTokens?: Set<string>;
}

export interface CoreSetup {
  options?: Partial<OAuth2Options> & Record<string, unknown>;
  /** `expires_in` of issued tokens; `null` sends none. @default 3600 */
  lifetimeSeconds?: number | null;
  /** Extra fields in every issued token response. */
  tokenExtra?: (n: number) => Record<string, unknown>;
  baseURL?: string | null;
  /** Drive the plugin with `clock: () => core.clock.now`. @default true */
  useClock?: boolean;
}

/** A token response body per RFC 6749 §5.1. */
export function bearer(accessToken: string, expiresIn: number | null = 3600, extra: Record<string, unknown> = {}) {
  return {
    access_token: accessToken,
    token_type: 'bearer',
    ...(expiresIn === null ? {} : { expires_in: expiresIn }),
    ...extra,
  };
}

/** A header of a request config (AxiosHeaders or plain object), case-insensitively. */
export function headerOf(config: AxiosRequestConfig | undefined, name: string): string | undefined {
  const value = AxiosHeaders.from((config?.headers ?? {}) as never).get(name);
  return value === undefined || value === null || value === false ? undefined : String(value);
}

/** Lets every pending promise chain (no timers) run to the end. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Registers a token endpoint on `mock` that records calls and answers from a queue, then `tok-N`. */
export function mockTokenEndpoint(
  mock: MockAdapter,
  url: string,
  setup: { lifetimeSeconds?: number | null; tokenExtra?: (n: number) => Record<string, unknown>; prefix?: string } = {},
) {
  const state = { calls: [] as AxiosRequestConfig[], queue: [] as Array<CoreReply | TokenHandler>, issued: 0 };
  const pattern = new RegExp(`^${url.replace(/[.?*+^$()[\]{}|\\/]/g, '\\$&')}(\\?|$)`);
  mock.onAny(pattern).reply(async (config) => {
    state.calls.push(config);
    const next = state.queue.shift();
    if (next !== undefined) return typeof next === 'function' ? next(config) : next;
    state.issued += 1;
    const n = state.issued;
    return [
      200,
      bearer(
        `${setup.prefix ?? 'tok-'}${n}`,
        setup.lifetimeSeconds === undefined ? 3600 : setup.lifetimeSeconds,
        setup.tokenExtra?.(n) ?? {},
      ),
    ];
  });
  return state;
}

/** Registers a catch-all API on `mock` that records calls and echoes the Authorization header it got. */
export function mockApi(mock: MockAdapter, calls: ApiCall[], isValid: (token: string) => boolean) {
  mock.onAny().reply((config) => {
    const authorization = headerOf(config, 'Authorization');
    calls.push({ method: (config.method ?? 'get').toUpperCase(), url: config.url ?? '', authorization, config });
    const token = (authorization ?? '').replace(/^Bearer /, '');
    if (authorization !== undefined && authorization.startsWith('Bearer ') && !isValid(token)) {
      return [
        401,
        {
          Message: 'The authorization credentials are not valid',
          Type: 'invalid_credentials',
          Id: 'x',
          Date: 1,
          errors: null,
        },
      ];
    }
    return [200, { authorization: authorization ?? null }];
  });
}

/** An axios instance on a mock adapter with a mocked token endpoint and API, plugin attached. */
export function createCore(setup: CoreSetup = {}): Core {
  const baseURL = setup.baseURL === undefined ? CORE_API_BASE : (setup.baseURL ?? undefined);
  const api = axios.create(baseURL === undefined ? {} : { baseURL });
  const mock = new MockAdapter(api);
  const clock = { now: T0 };
  const endpoint = mockTokenEndpoint(mock, setup.options?.tokenUrl ?? CORE_TOKEN_URL, setup);
  const core = {
    api,
    mock,
    clock,
    tokenCalls: endpoint.calls,
    tokenQueue: endpoint.queue,
    apiCalls: [] as ApiCall[],
  } as Core;
  mockApi(mock, core.apiCalls, (token) => (core.validTokens ? core.validTokens.has(token) : true));
  core.auth = attachOAuth2(api, {
    tokenUrl: CORE_TOKEN_URL,
    clientId: CORE_CLIENT_ID,
    clientSecret: CORE_CLIENT_SECRET,
    ...(setup.useClock === false ? {} : { clock: () => clock.now }),
    ...setup.options,
  });
  return core;
}

type Visitable = { forEach(fn: (handler: unknown) => void): void };

/** How many interceptors an instance has (axios's managers have a runtime `forEach` its types omit). */
export function countInterceptors(api: AxiosInstance): { request: number; response: number } {
  const count = (manager: unknown) => {
    let n = 0;
    (manager as Visitable).forEach(() => {
      n += 1;
    });
    return n;
  };
  return { request: count(api.interceptors.request), response: count(api.interceptors.response) };
}

/** The form body of a token request as [name, value] pairs, in order. */
export function formPairs(config: AxiosRequestConfig): Array<[string, string]> {
  return [...new URLSearchParams(String(config.data)).entries()];
}

/** Collects every rejection reason of `promises`, failing when one fulfils. */
export async function rejections(promises: Array<Promise<unknown>>): Promise<unknown[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((s, i) => {
    if (s.status === 'fulfilled') throw new Error(`promise ${i} fulfilled; expected a rejection`);
    return s.reason;
  });
}
